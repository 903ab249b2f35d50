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
            while true {
                try await Task.sleep(for: interval)
                let start = ContinuousClock.now
                do {
                    let state = self.state
                    let seconds = { () -> String in
                        let elapsed = (ContinuousClock.now - start).components
                        return String(format: "%.1f", Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18)
                    }
                    switch try await BlockingWork.run({ try state.reloadIfIdle() }) {
                    case .unchanged:
                        break
                    case .reloaded(let providers):
                        logger.notice("reloaded after an import", metadata: ["providers": .stringConvertible(providers), "seconds": .string(seconds())])
                    case .reopened(let providers):
                        logger.notice("database file replaced: opened anew", metadata: ["providers": .stringConvertible(providers), "seconds": .string(seconds())])
                    case .missing:
                        logger.critical("database file missing: writes refused, /health unhealthy", metadata: ["path": .string(state.file.path)])
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
