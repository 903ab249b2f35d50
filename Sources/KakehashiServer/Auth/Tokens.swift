import Crypto
import Foundation
import KakehashiStore

/// The bearer tokens allowed to write, read from the server's token file. The file holds only
/// SHA-256 hashes (`NAME SHA256HEX [role=…] [providers=…] [expires=…]` per line, `#` comments); a
/// presented token is hashed and compared with every stored hash in constant time.
public struct TokenFile: Sendable {
    struct Entry: Sendable { let name: String; let hash: [UInt8]; let scope: WriteScope }
    let entries: [Entry]

    /// No tokens: every write refused.
    init() { entries = [] }

    public init(path: String?) throws {
        guard let path else { entries = []; return }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Problem(.internalServerError, "トークンファイルを読めません", path)
        }
        var list: [Entry] = []
        for (n, raw) in text.split(whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[1].count == 64, let hash = Self.bytes(hex: String(parts[1])),
                  let scope = WriteScope(fileFields: Array(parts.dropFirst(2))) else {
                throw Problem(.internalServerError, "トークンファイルの形式が違います",
                              "\(path):\(n + 1): 「名前 SHA-256(64桁の16進) [role=steward|coordinator|provider|app] [providers=ID,…] [expires=日時]」の形が必要です")
            }
            list.append(Entry(name: String(parts[0]), hash: hash, scope: scope))
        }
        entries = list
    }

    /// The name of the writer the token belongs to, or nil.
    public func name(for token: String) -> String? { writer(for: token)?.name }

    /// The writer the token belongs to and what it may write, or nil.
    public func writer(for token: String) -> (name: String, scope: WriteScope)? {
        let presented = Array(SHA256.hash(data: Data(token.utf8)))
        var found: Entry?
        for e in entries {
            // Constant time: every byte of every entry is compared, whatever matches.
            var diff: UInt8 = 0
            for i in 0..<32 { diff |= e.hash[i] ^ presented[i] }
            if diff == 0 && found == nil { found = e }
        }
        return found.map { ($0.name, $0.scope) }
    }

    /// Each name with its scope, in order (for `token list`).
    public var scopes: [(name: String, scope: WriteScope)] { entries.map { ($0.name, $0.scope) } }

    /// The token of an `Authorization: Bearer …` header. The scheme is case-insensitive (RFC 9110
    /// §11.1): `bearer` and `BEARER` are Bearer too.
    public static func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }

    /// The names in the file, in order (for `token list`).
    public var names: [String] { entries.map(\.name) }

    public static func hash(_ token: String) -> String { DeskSecret.hash(token) }

    /// A new random token (256 bits, URL-safe base64).
    public static func generate() -> String { DeskSecret.token() }

    static func bytes(hex: String) -> [UInt8]? {
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() {
            guard let v = UInt8(String([a, b]), radix: 16) else { return nil }
            out.append(v)
        }
        return out.count == 32 ? out : nil
    }
}
