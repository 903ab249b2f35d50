import ArgumentParser
import Foundation
import KakehashiStore

struct DatasetsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets",
        abstract: "取り込み済みのデータセット（どのファイルを、いつ、何件）を一覧します"
    )

    @Option(help: "データベースのパス")
    var db: String

    @Option(help: "この番号のデータセットの報告（警告・除外行）を全件表示")
    var report: Int64?

    @Flag(help: "JSON で出力")
    var json = false

    func run() throws {
        let database = try SpatialDatabase(path: db, access: .readOnly)
        defer { try? database.close() }
        if let report {
            guard let r = try database.report(dataset: report) else {
                printError("データセット #\(report) はありません")
                throw ExitCode(2)
            }
            if json { try printJSON(r) } else {
                print(r.summary)
                for w in r.warnings.dropFirst(10) { print("  警告: \(w)") }
                for x in r.rejected.dropFirst(5) { print("  除外: \(x)") }
            }
            return
        }
        let list = try database.datasets()
        if json { try printJSON(list); return }
        if list.isEmpty { print("取り込み済みのデータセットはありません"); return }
        for d in list {
            let state = d.supersededBy.map { "（#\($0) で置換済み）" } ?? ""
            print("#\(d.id) \(d.sourceKind) \(d.fileName)\(state)")
            print("    取り込み \(d.rowsLoaded) / 読み込み \(d.rowsRead) 行、除外 \(d.rowsRejected)、警告 \(d.warnings)、基準日 \(d.referenceDate ?? "不明")、取り込み日時 \(d.loadedAt)")
            print("    SHA-256 \(d.sha256)")
            print("    出典: \(d.credit)")
        }
    }
}

struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "データベースを現行の形式に更新します")

    @Option(help: "データベースのパス") var db: String

    func run() throws {
        guard FileManager.default.fileExists(atPath: db) else { throw ValidationError("データベースがありません: \(db)") }
        try SpatialDatabase(path: db).close()
        print("データベースを現行の形式にしました: \(db)")
    }
}
