import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Reads the token file again on SIGHUP (which otherwise ends the process) and, every `interval`,
/// when the file changed — a stat, cheap enough to do every two seconds. Stops at graceful shutdown.
struct TokenReloadService: Service {
    let tokens: TokenRegistry
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let hangUps = await UnixSignalsSequence(trapping: .sighup)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in hangUps { reload(force: true) }
            }
            group.addTask {
                while (try? await Task.sleep(for: interval)) != nil { reload(force: false) }
            }
            try? await gracefulShutdown()  // returns when shutdown begins
            group.cancelAll()
        }
    }

    private func reload(force: Bool) {
        do {
            if try tokens.reload(force: force) {
                logger.notice("token file read again", metadata: ["tokens": .stringConvertible(tokens.count), "signal": .string(force ? "SIGHUP" : "none")])
            }
        } catch {
            logger.error("token file unreadable: every write refused until it is fixed", metadata: ["error": .string(String(describing: error))])
        }
    }
}
