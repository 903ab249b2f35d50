import ArgumentParser
import Foundation
import KakehashiDemo
import KakehashiModel
import KakehashiStore
import KakehashiServer
import Hummingbird

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "合成デモ地域（data/）からデモ用データベースを作ります",
        subcommands: [DemoBuild.self, DemoGenerate.self],
        defaultSubcommand: DemoBuild.self
    )
}

struct DemoBuild: AsyncParsableCommand, ServerExecutorChoice {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "data/ の合成データを取り込んでデモ用データベースを作ります")

    @Option(help: "デモ地域のフォルダ")
    var data = "data"

    @Option(help: "作るデータベースのパス（既存なら作り直します）")
    var db = "data/demo.sqlite"

    @Flag(help: "作った後にサーバーを起動しない")
    var noServe = false

    @Option(help: "ポート番号") var port = 8080
    @Option(help: "要求を処理するスレッド: event-loops（既定）か dispatch") var executor = ServerExecutor.eventLoops

    func run() async throws {
        for path in [db, SpatialDatabase.recordsPath(for: db)] {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        }
        let database = try SpatialDatabase(path: db)
        for (kind, files) in DemoRegion.importPlan(folder: data) {
            guard let kind = SourceKind(rawValue: kind) else { throw ValidationError("unknown source kind \(kind)") }
            let reports = try DataImport.run(kind, files: files, into: database, options: ImportOptions(credit: DemoRegion.credit))
            for r in reports { print(r.summary.split(separator: "\n").first.map(String.init) ?? "") }
        }
        try database.close()
        print("デモ用データベースを作りました: \(db)（合成データ・実在しません）")
        guard !noServe else { return }
        let app = try await buildApplication(ServerConfiguration(databasePath: db, port: port))
        announce("地図: http://127.0.0.1:\(port)/ をブラウザで開いてください",
                 "デモ: http://127.0.0.1:\(port)/v1/coverage?address=架空県架橋市本町一丁目1-1&service=home_visit_nursing&window=tonight",
                 "API の説明: http://127.0.0.1:\(port)/openapi.json（Ctrl-C で停止）")
        try await app.runService()
    }
}

struct DemoGenerate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "generate", abstract: "合成デモ地域のファイルを決定的に生成します（シード固定）")

    @Option(help: "出力フォルダ")
    var out = "data"

    @Option(help: "乱数のシード")
    var seed: UInt64 = DemoRegion.defaultSeed

    func run() throws {
        let files = DemoRegion(seed: seed).files()
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        for (name, content) in files.sorted(by: { $0.key < $1.key }) {
            let path = (out as NSString).appendingPathComponent(name)
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            print("書き出し: \(path)")
        }
    }
}
