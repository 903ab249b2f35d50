import Foundation
import HTTPTypes
import Hummingbird
import KakehashiStore

/// Signing in and out of the provider desk, and using an invitation (`/v1/desk/login`, `logout`,
/// `invitations/accept`, `session`). Answers never tell whether a login exists.
struct DeskSessionController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.post("/v1/desk/login") { request, context in try await self.login(request, address: self.address(request, context)) }
        router.post("/v1/desk/logout") { request, _ in try await self.logout(request) }
        router.post("/v1/desk/invitations/accept") { request, context in try await self.accept(request, address: self.address(request, context)) }
        router.get("/v1/desk/session") { request, _ in try await self.session(request) }
    }

    /// The client's address for the throttle: the peer's, or — when the peer is a trusted proxy —
    /// the last address its `X-Forwarded-For` names (the one the proxy itself saw).
    func address(_ request: Request, _ context: Context) -> String {
        let peer = (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "unknown"
        guard state.trustedProxies.contains(peer), let forwarded = request.headers[Self.forwardedFor],
              let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty else { return peer }
        return String(last.prefix(64))
    }

    static var forwardedFor: HTTPField.Name { HTTPField.Name("X-Forwarded-For")! }

    struct Credentials: Decodable { var login: String; var password: String }
    struct Acceptance: Decodable { var code: String; var login: String; var password: String }

    /// What the desk's pages need of the signed-in user.
    struct SessionView: Encodable {
        struct ProviderRef: Encodable { var id: Int64; var name: String? }
        var login: String
        var role: String
        /// nil: every provider (a steward).
        var providers: [ProviderRef]?
        /// A steward of one municipality: only its (ア)–(ク) progress.
        var municipality: String?
        /// Send it as `X-CSRF-Token` with every change.
        var csrfToken: String?
        var confirmAfterDays: Int
    }

    static var invitationUnusable: Problem {
        Problem(.forbidden, "招待コードが使えません", "招待コードが違うか、期限切れか、すでに使われています。招待した管理者に新しいコードを頼んでください")
    }

    static func throttled(_ wait: Int) -> Problem {
        Problem(.tooManyRequests, "しばらく待ってください", "失敗が続いたため、\((wait + 59) / 60) 分ほど受け付けません", retryAfter: wait)
    }

    static var wrongCredentials: Problem { Problem(.unauthorized, "ログインできません", "ログイン ID またはパスワードが違います") }

    func login(_ request: Request, address: String) async throws -> Response {
        try DeskAuth.requireSameOrigin(request, publicBaseURL: state.publicBaseURL)
        let body = try await JSONBody.decode(Credentials.self, from: request, limit: 4096, shape: #"{"login": ID, "password": パスワード}"#,
                                             requireJSONType: true)
        let login = Self.folded(body.login)
        let (desk, database, now) = (state.desk, state.database, state.clock())
        if let wait = desk.throttle.begin(login: login, address: address, now: now) { throw Self.throttled(wait) }
        let found = try await BlockingWork.run { try database.deskAccount(login: login) }
        // The hash is checked whether or not the login exists: the same time either way.
        let matches = try await BlockingWork.run { desk.passwords.verify(body.password, hash: found?.passwordHash) }
        guard matches, let account = found?.account, account.disabledAt == nil else { throw Self.wrongCredentials }
        desk.throttle.succeeded(login: login, address: address)
        return try await signedIn(account, now: now)
    }

    func accept(_ request: Request, address: String) async throws -> Response {
        try DeskAuth.requireSameOrigin(request, publicBaseURL: state.publicBaseURL)
        let body = try await JSONBody.decode(Acceptance.self, from: request, limit: 4096,
                                             shape: #"{"code": 招待コード, "login": 決めるログイン ID, "password": 決めるパスワード}"#, requireJSONType: true)
        let login = Self.folded(body.login)
        guard login.count >= 3, login.count <= 64, login.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "@._-".contains($0)) }) else {
            throw Problem.badRequest("login", "ログイン ID は半角英数字と @ . _ - で 3〜64 文字です")
        }
        if let weakness = DeskPasswords.weakness(body.password) { throw Problem.badRequest("password", weakness) }
        let (desk, database, now) = (state.desk, state.database, state.clock())
        // Codes are guessed per address like passwords (the login key is the code's own), and an
        // unusable code costs no hashing.
        let guesses = "invitation@" + address
        if let wait = desk.throttle.begin(login: guesses, address: address, now: now) { throw Self.throttled(wait) }
        guard try await BlockingWork.run({ try database.deskInvitationIsOpen(code: body.code, at: now) }) else { throw Self.invitationUnusable }
        desk.throttle.succeeded(login: guesses, address: address)
        let hash = try await BlockingWork.run { desk.passwords.hash(body.password) }
        let account: DeskAccount
        do {
            account = try await BlockingWork.write { try database.acceptDeskInvitation(code: body.code, login: login, passwordHash: hash, at: now) }
        } catch DeskRefusal.invitationInvalid {
            throw Self.invitationUnusable
        } catch DeskRefusal.loginTaken {
            throw Problem(.conflict, "このログイン ID は使えません", "別のログイン ID を選んでください（招待コードはまだ使えます）")
        }
        return try await signedIn(account, now: now)
    }

    private func signedIn(_ account: DeskAccount, now: Date) async throws -> Response {
        let (database, lifetime) = (state.database, state.desk.sessionLifetime)
        let token = try await BlockingWork.write { try database.openDeskSession(account: account.id, lifetime: lifetime, at: now) }
        var response = try JSON.response(try view(account, csrf: DeskAuth.csrf(token)))
        response.headers[.setCookie] = DeskAuth.cookie(token, maxAge: Int(lifetime))
        response.headers[.cacheControl] = "no-store"
        return response
    }

    func logout(_ request: Request) async throws -> Response {
        try DeskAuth.requireSameOrigin(request, publicBaseURL: state.publicBaseURL)
        // No CSRF token needed to end a session; whatever its state, the cookie is cleared.
        if let token = request.cookies[DeskAuth.cookieName]?.value, !token.isEmpty, token.count <= 100 {
            let (database, now) = (state.database, state.clock())
            try await BlockingWork.write { try database.revokeDeskSession(token: token, at: now) }
        }
        var response = Response(status: .noContent)
        response.headers[.setCookie] = DeskAuth.cookie(nil, maxAge: 0)
        return response
    }

    func session(_ request: Request) async throws -> Response {
        let user = try await DeskAuth.user(request, state: state)
        var response: Response
        switch user.credential {
        case .session(let account, let token): response = try JSON.response(try view(account, csrf: DeskAuth.csrf(token)))
        case .token:
            response = try JSON.response(SessionView(login: user.actor, role: user.role, providers: user.providers.map(refs),
                                                     csrfToken: nil, confirmAfterDays: state.desk.confirmAfterDays))
        }
        response.headers[.cacheControl] = "no-store"
        return response
    }

    private func view(_ account: DeskAccount, csrf: String) throws -> SessionView {
        SessionView(login: account.login, role: account.role.rawValue, providers: account.isRegionSteward ? nil : refs(account.providers),
                    municipality: account.municipality, csrfToken: csrf, confirmAfterDays: state.desk.confirmAfterDays)
    }

    private func refs(_ ids: [Int64]) -> [SessionView.ProviderRef] {
        ids.map { SessionView.ProviderRef(id: $0, name: state.index.providerName(id: $0)) }
    }

    /// Logins compare without case and width: `Sato@Example.jp` and `sato@example.jp` are one.
    static func folded(_ login: String) -> String {
        (login.applyingTransform(.fullwidthToHalfwidth, reverse: false) ?? login).trimmingCharacters(in: .whitespaces).lowercased()
    }
}
