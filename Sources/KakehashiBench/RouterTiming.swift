import Foundation
import Hummingbird
import HummingbirdCore
import KakehashiServer
import KakehashiStore
import Logging
import NIOCore
import NIOEmbedded

/// Requests through the server's own router and middleware in this process, one after another,
/// without sockets, event loops or wrk: what a lookup costs next to `/health` in the server's code
/// alone, in CPU time (on this shared virtual machine the wall clock also counts the host's other
/// guests). Still not steady enough to show a change of a microsecond: runs differ by ±2 µs.
struct RouterTiming {
    let responder: RouterResponder<AppRequestContext>
    let logger: Logger

    init(database path: String, planCacheBytes: Int) throws {
        var logger = Logger(label: "kakehashi-bench")
        logger.logLevel = .warning
        self.logger = logger
        let state = try AppState(database: try SpatialDatabase(path: path, access: .server),
                                 settings: .init(planCacheBytes: planCacheBytes), tokens: try TokenRegistry(path: nil))
        responder = buildRouter(state, logger: logger).buildResponder()
    }

    /// Microseconds per request over the paths, and the bytes of the bodies.
    func time(_ paths: [String]) async throws -> (microseconds: Double, bytes: Int) {
        let context = AppRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: logger))
        let counter = ByteCount()
        let t0 = Self.cpuSeconds()
        for path in paths {
            let request = Request(head: .init(method: .get, scheme: "http", authority: "localhost", path: path), body: .init(buffer: ByteBuffer()))
            let response = try await responder.respond(to: request, context: context)
            guard response.status == .ok else { throw BenchmarkFailure("\(path): \(response.status)") }
            try await response.body.write(CountingWriter(count: counter))
        }
        return ((Self.cpuSeconds() - t0) * 1e6 / Double(paths.count), counter.bytes)
    }

    /// Rounds of `/health` and the lookup paths in turn; prints each and the medians.
    /// `warmUps`: passes over the paths first (eight: a cell plan is built at its key's eighth request).
    func run(lookups paths: [String], rounds: Int, warmUps: Int = 8) throws {
        try blocking {
            for _ in 0..<warmUps { _ = try await time(paths) }
            var health: [Double] = [], lookup: [Double] = []
            var bytes = 0
            for round in 1...rounds {
                health.append(try await time(Array(repeating: "/health", count: paths.count)).microseconds)
                let l = try await time(paths)
                lookup.append(l.microseconds)
                bytes = l.bytes
                print(String(format: "router round %d: /health %.2f µs, /v1/coverage %.2f µs per request", round, health.last!, lookup.last!))
            }
            func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
            print(String(format: "router, in process (no sockets): /health %.2f µs, /v1/coverage %.2f µs of CPU per request (medians of %d rounds; %.1f KB a lookup body)",
                         median(health), median(lookup), rounds, Double(bytes) / Double(paths.count) / 1024))
        }
    }

    /// The process's CPU time: on this shared virtual machine, wall-clock time also counts the
    /// spells when the host runs someone else.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    final class ByteCount: @unchecked Sendable { var bytes = 0 }

    /// Takes the body as the server's writer would, keeping only its size.
    struct CountingWriter: ResponseBodyWriter {
        let count: ByteCount
        mutating func write(_ buffer: ByteBuffer) async throws { count.bytes += buffer.readableBytes }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

struct BenchmarkFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs async work from a synchronous command, waiting for it.
func blocking(_ work: @escaping @Sendable () async throws -> Void) throws {
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var failure: (any Error)?
    Task {
        do { try await work() } catch { failure = error }
        done.signal()
    }
    done.wait()
    if let failure { throw failure }
}
