import ArgumentParser

struct Kakehashi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kakehashi",
        abstract: "架け橋 — 在宅医療・介護の資源と空白を地図で扱うツール",
        subcommands: [ImportCommand.self, DatasetsCommand.self, DemoCommand.self, HoursCommand.self, HolidaysCommand.self, GeocodeCommand.self, ReverseCommand.self, LookupCommand.self, ServeCommand.self, TokenCommand.self, DeskCommand.self, AuditCommand.self, MigrateCommand.self, TilesCommand.self]
    )
}

/// Where a server command runs its request handlers.
enum ServerExecutor: String, ExpressibleByArgument, CaseIterable {
    /// Swift's default pool, separate from the I/O threads; its threads share out the work.
    case dispatch
    /// NIO's event loops (one thread per core) run every task: no hop between pool and loop, and a
    /// fairer tail for heavy lookups, but no sharing of work between loops (long work goes to the
    /// blocking pool).
    case eventLoops = "event-loops"
}

protocol ServerExecutorChoice {
    var executor: ServerExecutor { get }
}
