import ArgumentParser
import Foundation
import KakehashiHours
import KakehashiServer

struct TokenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token",
        abstract: "書き込み用トークンを管理します（ファイルにはハッシュだけを保存。サーバーは数秒以内か SIGHUP で読み直します）",
        subcommands: [TokenAdd.self, TokenList.self, TokenRemove.self]
    )
}

struct TokenFileOption: ParsableArguments {
    @Option(help: "トークンファイル") var tokens: String

    func existing() throws -> TokenFile {
        guard FileManager.default.fileExists(atPath: tokens) else {
            throw CommandRefusal("トークンファイルがありません: \(tokens)")
        }
        return try TokenFile(path: tokens)
    }

    /// Writes the file whole through a temporary file and a rename, so that the server never reads
    /// half of it.
    func replace(with lines: [String]) throws {
        let temporary = tokens + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(lines.map { $0 + "\n" }.joined().utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw CommandRefusal("トークンファイルの一時ファイルを書けません: \(temporary)")
        }
        guard rename(temporary, tokens) == 0 else { throw CommandRefusal("トークンファイルを書き換えられません: \(tokens)") }
    }

    func lines() throws -> [String] {
        try String(contentsOfFile: tokens, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
    }
}

struct TokenAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "トークンを 1 つ作ります（表示は一度だけ）")

    @Argument(help: "書き込む人・システムの名前（監査ログに残ります）") var name: String
    @OptionGroup var file: TokenFileOption
    @Option(help: "役割: steward（すべて）、coordinator（どの事業所の当番も。電話で聞いた報告として監査）、provider（--provider の事業所だけ）、app（--provider の事業所だけ。なければ読むだけ）、municipality（--municipality の市区町村の (ア)～(ク) 進捗だけ）")
    var role = "coordinator"
    @Option(help: "書き込める事業所の ID（API の /v1/providers/{id}）。カンマ区切り") var provider: String?
    @Option(help: "進捗を書き込める市区町村コード（5 桁）。カンマ区切り（steward なら進捗の書き込みだけをその市区町村に限り、ほかの権限はそのまま。市区町村の担当者には --role municipality）") var municipality: String?
    @Option(help: "有効期限 YYYY-MM-DD（その日の終わりまで、Asia/Tokyo）") var expires: String?

    func validate() throws {
        guard !name.isEmpty, name.count <= 64, !name.contains(where: { $0.isWhitespace }), !name.hasPrefix("#") else {
            throw ValidationError("名前は空白を含まない 64 文字以内です（# で始めない）")
        }
        _ = try scope()
    }

    /// The scope the options give.
    func scope() throws -> WriteScope {
        guard let r = WriteScope.Role(rawValue: role) else {
            throw ValidationError("--role は \(WriteScope.Role.allCases.map(\.rawValue).joined(separator: "、")) のどれかです")
        }
        var ids: Set<Int64>?
        if let provider {
            let parts = provider.split(separator: ",", omittingEmptySubsequences: false)
            let parsed = parts.compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            guard !parts.isEmpty, parsed.count == parts.count, parsed.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--provider は事業所 ID（正の整数）のカンマ区切りです（値: \(provider.prefix(60))）")
            }
            ids = Set(parsed)
        }
        if r == .provider && ids == nil { throw ValidationError("--role provider には --provider で事業所を指定してください") }
        var codes: Set<String>?
        if let municipality {
            let parts = municipality.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.allSatisfy({ $0.count == 5 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
                throw ValidationError("--municipality は 5 桁の市区町村コードのカンマ区切りです（値: \(municipality.prefix(60))）")
            }
            codes = Set(parts)
        }
        if r == .municipality && codes == nil { throw ValidationError("--role municipality には --municipality で市区町村を指定してください") }
        var end: Date?
        if let expires {
            let p = expires.split(separator: "-").compactMap { Int($0) }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = .tokyo
            guard p.count == 3, (1...12).contains(p[1]), (1...31).contains(p[2]), let day = calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2])),
                  let next = calendar.date(byAdding: .day, value: 1, to: day) else {
                throw ValidationError("--expires は YYYY-MM-DD です（値: \(expires.prefix(40))）")
            }
            guard next > Date() else { throw ValidationError("--expires が過去の日付です（\(expires)）") }
            end = next
        }
        return WriteScope(role: r, providers: ids, municipalities: codes, expires: end)
    }

    func run() throws {
        let exists = FileManager.default.fileExists(atPath: file.tokens)
        if exists, try file.existing().names.contains(name) {
            throw CommandRefusal("名前「\(name)」のトークンはすでにあります。作り直すときは先に kakehashi token remove \(name) --tokens \(file.tokens) で消してください")
        }
        let token = TokenFile.generate()
        let line = ([name, TokenFile.hash(token)] + (try scope()).fileFields).joined(separator: " ")
        try file.replace(with: (exists ? try file.lines() : []) + [line])
        print(token)
        printError("トークンを作りました（\(name)）。この表示は一度きりです。ファイルにはハッシュだけを保存しました: \(file.tokens)")
    }
}

struct TokenList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "トークンの名前を一覧します（トークン自体は保存していません）")

    @OptionGroup var file: TokenFileOption

    func run() throws {
        for (name, scope) in try file.existing().scopes {
            var providers = scope.providers.map { "事業所 " + $0.sorted().map(String.init).joined(separator: ",") } ?? (scope.role == .app ? "読むだけ" : "すべての事業所")
            if scope.role == .municipality { providers = "" }
            if let codes = scope.municipalities { providers += (providers.isEmpty ? "" : "、") + "進捗 " + codes.sorted().joined(separator: ",") }
            let expiry = scope.expires.map { "期限 " + Timestamp.format($0, zone: .tokyo) + ($0 <= Date() ? "（切れています）" : "") } ?? "期限なし"
            print("\(name)\t\(scope.role.rawValue)\t\(providers)\t\(expiry)")
        }
    }
}

struct TokenRemove: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "remove", abstract: "トークンを消します（動いているサーバーでも数秒以内に使えなくなります）")

    @Argument(help: "消すトークンの名前") var name: String
    @OptionGroup var file: TokenFileOption

    func run() throws {
        guard try file.existing().names.contains(name) else {
            throw CommandRefusal("名前「\(name)」のトークンはありません（kakehashi token list --tokens \(file.tokens) で一覧）")
        }
        try file.replace(with: try file.lines().filter { line in
            line.split(separator: " ", omittingEmptySubsequences: true).first.map(String.init) != name
        })
        printError("トークン「\(name)」を消しました。")
    }
}
