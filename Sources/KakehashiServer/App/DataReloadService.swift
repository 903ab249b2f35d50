import Foundation
import Logging
import ServiceLifecycle

/// Reads the database again when an import has landed since (`kakehashi import` runs in another
/// process and writes the same file): every `interval` it compares the newest dataset id and, when
/// it changed, builds the new data on NIO's blocking-work pool while requests are answered from the
/// old. It also opens a file replaced at the path anew and notices a deleted one. Stops at
/// graceful shutdown.
public struct DataReloadService: Service {
    let state: AppState
    let interval: Duration
    let logger: Logger

    public init(state: AppState, interval: Duration, logger: Logger) {
        self.state = state
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        // Graceful shutdown cancels the wait; that ends the service normally, not as a failure
        // (a service that throws makes the whole server exit non-zero).
        do {
            try await checkUntilCancelled()
        } catch is CancellationError {
            return
        }
    }

    private func checkUntilCancelled() async throws {
        try await cancelWhenGracefulShutdown {
            var notice = MissingFileNotice()
            while true {
                try await Task.sleep(for: interval)
                let start = ContinuousClock.now
                do {
                    let state = self.state
                    let seconds = { () -> String in
                        let elapsed = (ContinuousClock.now - start).components
                        return String(format: "%.1f", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
                    }
                    let outcome = try await BlockingWork.run({ try state.reloadIfIdle() })
                    if outcome != .missing, let gone = notice.present(at: Date()) {
                        logger.notice("database files back after \(Int(gone)) s", metadata: ["paths": .string(state.file.paths.joined(separator: " "))])
                    }
                    switch outcome {
                    case .unchanged:
                        break
                    case .reloaded(let providers):
                        logger.notice("data read again (an import or a declaration landed)",
                                      metadata: ["providers": .stringConvertible(providers), "seconds": .string(seconds())])
                    case .reopened(let providers):
                        logger.notice("database file replaced: opened anew", metadata: ["providers": .stringConvertible(providers), "seconds": .string(seconds())])
                    case .missing:
                        if notice.missing(at: Date()) {
                            logger.critical("database file or records file missing: writes refused, /health unhealthy", metadata: ["paths": .string(state.file.paths.joined(separator: " "))])
                        }
                    }
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    // Keep answering from the data already loaded; try again at the next check.
                    logger.error("reload failed", metadata: ["error": .string(String(describing: error))])
                }
            }
        }
    }
}

/// When to say that the database file is missing: at once, then once an hour while it stays gone —
/// not at every check, which filled the log with the same critical line every minute.
struct MissingFileNotice {
    private var since: Date?
    private var lastSaid: Date?
    static let repeatAfter: TimeInterval = 3600

    /// The file is missing at `now`: whether to say so.
    mutating func missing(at now: Date) -> Bool {
        if since == nil { since = now }
        guard let last = lastSaid, now.timeIntervalSince(last) < Self.repeatAfter else { lastSaid = now; return true }
        return false
    }

    /// The file is there: how long it had been gone, when it had been (to say it is back).
    mutating func present(at now: Date) -> TimeInterval? {
        defer { since = nil; lastSaid = nil }
        return since.map { now.timeIntervalSince($0) }
    }
}
