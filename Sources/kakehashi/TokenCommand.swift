import ArgumentParser
import Foundation
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
        FileManager.default.createFile(atPath: temporary, contents: Data(lines.map { $0 + "\n" }.joined().utf8),
                                       attributes: [.posixPermissions: 0o600])
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

    func validate() throws {
        guard !name.isEmpty, name.count <= 64, !name.contains(where: { $0.isWhitespace }), !name.hasPrefix("#") else {
            throw ValidationError("名前は空白を含まない 64 文字以内です（# で始めない）")
        }
    }

    func run() throws {
        let exists = FileManager.default.fileExists(atPath: file.tokens)
        if exists, try file.existing().names.contains(name) {
            throw CommandRefusal("名前「\(name)」のトークンはすでにあります。作り直すときは先に kakehashi token remove \(name) --tokens \(file.tokens) で消してください")
        }
        let token = TokenFile.generate()
        try file.replace(with: (exists ? try file.lines() : []) + ["\(name) \(TokenFile.hash(token))"])
        print(token)
        printError("トークンを作りました（\(name)）。この表示は一度きりです。ファイルにはハッシュだけを保存しました: \(file.tokens)")
    }
}

struct TokenList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "トークンの名前を一覧します（トークン自体は保存していません）")

    @OptionGroup var file: TokenFileOption

    func run() throws {
        for name in try file.existing().names { print(name) }
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
