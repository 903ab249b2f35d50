import NIOPosix

/// Work that can hold a thread for long — building a layer, a tile or a large GeoJSON answer —
/// runs on NIO's blocking pool, so that it never stalls the event loop or concurrency thread that
/// also serves the quick requests (lookups, cached tiles) of other connections.
enum BlockingWork {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    /// Writes run on a thread of their own: SQLite takes one writer at a time anyway, and a write
    /// queued behind layer builds on the shared pool once waited 27 s.
    static func write<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await writes.runIfActive(body)
    }

    private static let writes: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()
}
