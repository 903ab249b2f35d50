import ArgumentParser
import Foundation
import KakehashiStore

/// `kakehashi desk …`: the steward's side of the provider desk from the command line, on the same
/// database as the server.
struct DeskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "desk",
        abstract: "事業所の窓口: 招待コードの発行、アカウントの一覧と停止",
        subcommands: [DeskInvite.self, DeskAccounts.self, DeskDisable.self]
    )
}

struct DeskInvite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite",
        abstract: "事業所の職員（または管理者）への一度だけ使える招待コードとリンクを表示します（コードは二度と表示されません）"
    )

    @Option(help: "データベースのパス") var db: String
    @Option(help: "招待する事業所の ID") var provider: Int64?
    @Flag(help: "事業所ではなく管理者（steward）を招待する") var steward = false
    @Option(help: "管理者をこの市区町村（5 桁のコード）の (ア)～(ク) の進捗の記録だけに限る（--steward と）") var municipality: String?
    @Option(help: "有効な日数（1〜90）") var days = 14
    @Option(help: "リンクに書くサーバーのアドレス") var publicURL = "http://127.0.0.1:8080"
    @Option(help: "監査ログに残す発行者の名前") var by = "steward-cli"

    func validate() throws {
        guard (1...90).contains(days) else { throw ValidationError("--days は 1〜90 です") }
        guard steward != (provider != nil) else { throw ValidationError("--provider ID か --steward のどちらか一つを指定してください") }
        if let municipality {
            guard steward else { throw ValidationError("--municipality は --steward と使います") }
            guard municipality.count == 5, municipality.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw ValidationError("--municipality は 5 桁の市区町村コードです（例: 11208。政令市は市全体のコード、例: 11100）")
            }
        }
    }

    func run() throws {
        let database = try SpatialDatabase(path: db, access: .readWrite)
        defer { try? database.close() }
        do {
            let (invitation, code) = try database.createDeskInvitation(role: steward ? .steward : .provider, provider: provider,
                                                                       municipality: municipality, createdBy: by, validFor: TimeInterval(days) * 86_400)
            let base = publicURL.hasSuffix("/") ? String(publicURL.dropLast()) : publicURL
            print("招待コード: \(code)")
            print("リンク: \(base)/desk/#invite=\(code)")
            print("有効期限: \(invitation.expiresAt.formatted(.iso8601))（一度だけ使えます）")
            if let provider { print("事業所 ID: \(provider)") }
            if let municipality { print("市区町村: \(municipality)（この市区町村の進捗の記録だけ）") }
        } catch DeskRefusal.providerMissing(let id) {
            throw CommandRefusal("事業所 ID \(id) はデータベースにありません")
        } catch DeskRefusal.municipalityMissing(let code) {
            throw CommandRefusal("市区町村コード \(code) は境界にも人口にもありません（先に boundaries か population を取り込んでください）")
        }
    }
}

struct DeskAccounts: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "accounts", abstract: "窓口のアカウントを一覧します")
    @Option(help: "データベースのパス") var db: String

    func run() throws {
        let database = try SpatialDatabase(path: db, access: .readOnly)
        defer { try? database.close() }
        let accounts = try database.deskAccounts()
        if accounts.isEmpty { print("アカウントはありません"); return }
        for a in accounts {
            let providers = a.role == .steward ? "すべて" : a.providers.map(String.init).joined(separator: ",")
            print("\(a.login)  \(a.role.rawValue)  事業所: \(providers)  作成: \(a.createdAt.formatted(.iso8601))\(a.disabledAt == nil ? "" : "  停止中")")
        }
    }
}

struct DeskDisable: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "disable", abstract: "アカウントを停止し、そのログイン中のセッションをすべて無効にします")
    @Option(help: "データベースのパス") var db: String
    @Argument(help: "ログイン ID") var login: String
    @Option(help: "監査ログに残す名前") var by = "steward-cli"

    func run() throws {
        let database = try SpatialDatabase(path: db, access: .readWrite)
        defer { try? database.close() }
        do { try database.disableDeskAccount(login: login, actor: by) } catch DeskRefusal.accountMissing {
            throw CommandRefusal("ログイン ID「\(login)」のアカウントはありません")
        }
        print("停止しました: \(login)")
    }
}
