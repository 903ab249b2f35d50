import ArgumentParser
import KakehashiStore
import NIOCore
import NIOPosix

// With `--executor event-loops` (the default) the server runs Swift concurrency on NIO's event
// loops, installed here on the main thread before anything is scheduled: no hop between Swift's pool
// and the I/O threads per request. Measured on two cores (README, Benchmarks): lookup p99 11–25 ms
// against 24–70 ms, cached tiles 86–97 % of /health against 70–91 %. The loops do not share work,
// so anything that can take long runs on NIO's blocking pool (`BlockingWork`).
func parse() -> any ParsableCommand {
    do { return try Kakehashi.parseAsRoot() } catch { Kakehashi.exit(withError: error) }
}

func run(_ command: sending any ParsableCommand) async {
    var command = command
    do {
        if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
    } catch {
        exitForKnownError(error)
        Kakehashi.exit(withError: error)
    }
}

/// Exit codes: 2 for bad input (a refused file or request), 3 for faults of the environment
/// (database locked, disk full, read-only, missing or not a database), said in Japanese.
func exitForKnownError(_ error: any Error) {
    let (message, code): (String, Int32)
    if let fault = error as? StoreFault {
        (message, code) = (fault.description, 3)
    } else if let store = error as? StoreError {
        (message, code) = (store.description, 3)
    } else if let refusal = error as? CommandRefusal {
        (message, code) = (refusal.message, 2)
    } else {
        return
    }
    printError("エラー: \(message)")
    Kakehashi.exit(withError: ExitCode(code))
}

let command = parse()
if let server = command as? any ServerExecutorChoice, server.executor == .eventLoops {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
await run(command)
