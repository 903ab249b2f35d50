import ArgumentParser

@main
struct Kakehashi: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kakehashi",
        abstract: "架け橋 — 在宅医療・介護の資源と空白を地図で扱うツール",
        subcommands: [ImportCommand.self, DatasetsCommand.self, DemoCommand.self, HoursCommand.self, HolidaysCommand.self, GeocodeCommand.self, ReverseCommand.self, LookupCommand.self, ServeCommand.self, TokenCommand.self, MigrateCommand.self, TilesCommand.self]
    )
}
