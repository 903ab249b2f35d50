import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import KakehashiStore

/// Who is at the desk: a signed-in account (session cookie) or a bearer token, and what each may
/// touch. A session's unsafe requests must carry its CSRF token; a bearer token needs none (a
/// browser never sends one by itself).
struct DeskUser: Sendable {
    enum Credential: Sendable {
        case session(DeskAccount, token: String)
        case token(name: String, scope: WriteScope)
    }
    let credential: Credential

    /// The name the audit log records.
    var actor: String {
        switch credential {
        case .session(let a, _): "desk:\(a.login)"
        case .token(let name, _): name
        }
    }

    var role: String {
        switch credential {
        case .session(let a, _): a.role.rawValue
        case .token(_, let scope): scope.role.rawValue
        }
    }

    var isSteward: Bool { role == WriteScope.Role.steward.rawValue }

    func mayEdit(_ provider: Int64) -> Bool {
        switch credential {
        case .session(let a, _): a.mayEdit(provider)
        case .token(_, let scope): scope.mayEditDesk(of: provider)
        }
    }

    func mayPostOnCall(_ provider: Int64) -> Bool {
        switch credential {
        case .session(let a, _): a.mayEdit(provider)
        case .token(_, let scope): scope.mayWriteOnCall(of: provider)
        }
    }

    /// Whether it may record the municipality's (ア)–(ク) progress: a steward's account of the region
    /// or of that municipality; a token as its scope says (`--municipality` on a steward's token
    /// limits its progress writes only; a municipality's own writer is a token of role
    /// `municipality`, or a steward account invited for the municipality).
    func mayWriteProgress(of municipality: String) -> Bool {
        switch credential {
        case .session(let a, _): a.mayWriteProgress(of: municipality)
        case .token(_, let scope): scope.mayWriteProgress(of: municipality)
        }
    }

    /// The providers it may edit; nil: any (a steward of the whole region).
    var providers: [Int64]? {
        switch credential {
        case .session(let a, _): a.isRegionSteward ? nil : a.providers
        case .token(_, let scope): scope.role == .steward ? scope.providers.map { $0.sorted() } : (scope.providers.map { $0.sorted() } ?? [])
        }
    }
}

/// Reading the desk's credentials from a request.
enum DeskAuth {
    static let cookieName = "kakehashi_desk"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    /// The CSRF token of a session: derived from its token, so that nothing more is stored and a
    /// page of another origin, which cannot read the cookie, cannot know it.
    static func csrf(_ sessionToken: String) -> String {
        SHA256.hash(data: Data(("kakehashi-csrf:" + sessionToken).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The `Set-Cookie` value of a new session (or, with nil, of one signed out).
    static func cookie(_ token: String?, maxAge: Int) -> String {
        "\(cookieName)=\(token ?? ""); Path=/; Max-Age=\(token == nil ? 0 : maxAge); HttpOnly; Secure; SameSite=Strict"
    }

    /// The user of the request, or a 401/403 problem.
    static func user(_ request: Request, state: AppState) async throws -> DeskUser {
        let now = state.clock()
        if request.headers[.authorization] != nil {
            guard let writer = try BearerWriter.of(request, tokens: state.tokens, now: now) else { throw signIn }
            return DeskUser(credential: .token(name: writer.name, scope: writer.scope))
        }
        guard let token = request.cookies[cookieName]?.value, !token.isEmpty, token.count <= 100 else { throw signIn }
        let database = state.database
        guard let account = try await BlockingWork.run({ try database.deskSession(token: token, at: now) }) else { throw signIn }
        if ![.get, .head].contains(request.method) {
            let sent = request.headers[csrfHeader] ?? ""
            guard constantTimeEqual(sent, csrf(token)) else {
                try await BlockingWork.write {
                    try database.auditRefusal(actor: "desk:\(account.login)", role: account.role.rawValue, action: "desk.csrf", target: "account:\(account.login)",
                                              reason: "csrf", at: now)
                }
                throw Problem(.forbidden, "確認用トークンが違います", "ページを読み込み直してから、もう一度操作してください（何も書き込んでいません）")
            }
        }
        return DeskUser(credential: .session(account, token: token))
    }

    static var signIn: Problem {
        Problem(.unauthorized, "ログインが必要です", "窓口（/desk/）でログインするか、Authorization: Bearer トークンを付けてください")
    }

    /// Refuses a form posted from another site before any session exists (login CSRF): a browser
    /// names the page's origin, which must be this server's — its public address behind a proxy.
    static func requireSameOrigin(_ request: Request, publicBaseURL: String?) throws {
        guard let origin = request.headers[.origin] else { return }
        guard let url = URL(string: origin), let h = url.host, let scheme = url.scheme else { throw crossSite }
        let seen = scheme.lowercased() + "://" + h.lowercased() + (url.port.map { ":\($0)" } ?? "")
        if let publicBaseURL, let base = URL(string: publicBaseURL), let bh = base.host, let bs = base.scheme {
            guard seen == bs.lowercased() + "://" + bh.lowercased() + (base.port.map { ":\($0)" } ?? "") else { throw crossSite }
            return
        }
        guard seen.split(separator: "/").last.map(String.init) == (request.head.authority ?? "").lowercased() else { throw crossSite }
    }

    static var crossSite: Problem { Problem(.forbidden, "ほかのサイトからの送信は受け付けません", "窓口のページから操作してください") }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<x.count { diff |= x[i] ^ y[i] }
        return diff == 0
    }
}
