import ArgumentParser
import Foundation
import KakehashiStore

/// `kakehashi audit`: the writes recorded in the database, newest first — for the steward, per
/// provider, as text or CSV.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "書き込みの監査ログ（誰が、どの役割で、いつ、どの事業所に、何を書いたか）を新しい順に表示します"
    )

    @Option(help: "データベースのパス") var db: String
    @Option(help: "この事業所 ID への書き込みだけ") var provider: Int64?
    @Option(help: "表示する件数の上限（1〜100000）") var limit = 1000
    @Flag(help: "CSV（UTF-8、見出し行つき）で出力") var csv = false

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit は 1〜100000 です") }
    }

    func run() throws {
        let database = try SpatialDatabase(path: db, access: .readOnly)
        defer { try? database.close() }
        let rows = try database.auditLog(limit: limit, provider: provider)
        if csv {
            print("at,actor,action,target,detail")
            for r in rows { print(CSVText.row([r.at, r.actor, r.action, r.target, r.detail])) }
            return
        }
        if rows.isEmpty { print("監査ログはありません"); return }
        for r in rows { print("\(r.at)  \(r.actor)  \(r.action)  \(r.target)  \(r.detail)") }
    }
}
