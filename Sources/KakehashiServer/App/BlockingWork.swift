import NIOPosix

/// Work that can hold a thread for long — building a layer, a tile or a large GeoJSON answer —
/// runs on NIO's blocking pool, so that it never stalls the event loop or concurrency thread that
/// also serves the quick requests (lookups, cached tiles) of other connections.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }
}
