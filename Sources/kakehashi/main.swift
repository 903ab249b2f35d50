import ArgumentParser
import NIOCore
import NIOPosix

// With `--executor event-loops` the server runs Swift concurrency on NIO's event loops, installed
// here on the main thread before anything is scheduled. Measured on two cores (README, Benchmarks):
// the lookup's p99 under load falls from about 50 ms to 14–22 ms, but /health and cached tiles lose
// 10–25 % of their throughput, and the loops cannot share out heavy work (one run's p99 was 518 ms),
// so Swift's own pool stays the default.
func parse() -> any ParsableCommand {
    do { return try Kakehashi.parseAsRoot() } catch { Kakehashi.exit(withError: error) }
}

func run(_ command: sending any ParsableCommand) async {
    var command = command
    do {
        if var asyncCommand = command as? any AsyncParsableCommand { try await asyncCommand.run() } else { try command.run() }
    } catch {
        Kakehashi.exit(withError: error)
    }
}

let command = parse()
if let server = command as? any ServerExecutorChoice, server.executor == .eventLoops {
    NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
}
await run(command)
