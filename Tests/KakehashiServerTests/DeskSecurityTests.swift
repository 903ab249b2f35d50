import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import KakehashiStore
import NIOCore
import Testing

/// Nobody but a provider's own staff (and the steward) touches its desk (issue #20): refusals are
/// 403, write nothing and are audited; CSRF, one-time invitations, revoked sessions, throttled
/// guessing, and no secret kept in the clear.
@Suite struct DeskSecurityTests {
    typealias F = ServerFixture
    typealias D = DeskTests

    static func twoStations() throws -> (AppState, Int64, Int64) {
        let state = try D.state()
        return (state, try F.id(of: "NATIVE-N1", in: state), try F.id(of: "NATIVE-N2", in: state))
    }

    @Test func anotherProvidersDeskIsRefusedWrittenNowhereAndAudited() async throws {
        let (state, a, b) = try Self.twoStations()
        let code = try D.invite(state, provider: a)
        try await F.app(state).test(.router) { client in
            let s = try await D.accept(client, code: code, login: "station-a")
            #expect(try await D.send(client, .get, "/v1/desk/providers/\(b)", s).0 == .forbidden)
            #expect(try await D.send(client, .put, "/v1/desk/providers/\(b)/hours", s, body: #"{"opening_hours":"24/7"}"#).0 == .forbidden)
            #expect(try await D.send(client, .put, "/v1/desk/providers/\(b)/contact", s, body: #"{"phone":"000"}"#).0 == .forbidden)
            #expect(try await D.send(client, .post, "/v1/desk/providers/\(b)/on-call", s, body: "{}").0 == .forbidden)
            #expect(try await D.send(client, .post, "/v1/desk/providers/\(b)/confirm", s).0 == .forbidden)
            #expect(try await D.send(client, .get, "/v1/desk/steward/accounts", s).0 == .forbidden)
            // A's own desk works.
            #expect(try await D.send(client, .get, "/v1/desk/providers/\(a)", s).0 == .ok)
        }
        #expect(try state.database.declarations(provider: b).isEmpty)
        #expect(try state.database.currentOnCallReports().isEmpty)
        let refusals = try state.database.auditLog(provider: b)
        #expect(refusals.count == 5 && refusals.allSatisfy { $0.action.hasSuffix(".refused") && $0.actor == "desk:station-a" })
    }

    @Test func aTokenScopedToOneProviderCannotChangeAnothersDesk() async throws {
        let (probe, a, b) = try Self.twoStations()
        _ = probe
        let (state, tokens) = try WriteScopeTests.state([("station-a", ["role=provider", "providers=\(a)"]), ("app", ["role=app", "providers=\(a)"])])
        let (staff, app) = (tokens["station-a"] ?? "", tokens["app"] ?? "")
        try await F.app(state).test(.router) { client in
            let refused = try await Self.putHours(client, staff, b), appRefused = try await Self.putHours(client, app, a)
            #expect(refused == .forbidden)
            #expect(appRefused == .forbidden)  // an app posts on-call reports, it keeps no desk
            // A bearer token needs no CSRF token: a browser never sends one by itself.
            let own = try await Self.putHours(client, staff, a)
            #expect(own == .ok)
        }
        #expect(try state.database.declarations(provider: b).isEmpty)
        #expect(try state.database.declarations(provider: a).count == 1)
    }

    static func putHours(_ client: some TestClientProtocol, _ token: String, _ id: Int64) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/v1/desk/providers/\(id)/hours", method: .put, headers: [.authorization: "Bearer \(token)"],
                                 body: ByteBuffer(string: #"{"opening_hours":"Mo-Su 18:00-09:00"}"#)) { $0.status }
    }

    @Test func changesWithoutTheSessionsCSRFTokenAreRefused() async throws {
        let (state, a, _) = try Self.twoStations()
        let code = try D.invite(state, provider: a)
        try await F.app(state).test(.router) { client in
            let s = try await D.accept(client, code: code, login: "station-a")
            let body = #"{"opening_hours":"Mo-Su 18:00-09:00"}"#
            #expect(try await D.send(client, .put, "/v1/desk/providers/\(a)/hours", s, csrf: "", body: body).0 == .forbidden)
            #expect(try await D.send(client, .put, "/v1/desk/providers/\(a)/hours", s, csrf: String(repeating: "0", count: 64), body: body).0 == .forbidden)
            // A sign-in posted from another site is refused before any password is checked.
            let foreign = try await client.execute(uri: "/v1/desk/login", method: .post, headers: [.origin: "https://evil.example"],
                                                   body: ByteBuffer(string: #"{"login":"station-a","password":"x"}"#)) { $0.status }
            #expect(foreign == .forbidden)
            // A form another site can post without asking (text/plain) is not a sign-in.
            let plain = try await client.execute(uri: "/v1/desk/login", method: .post, headers: [.contentType: "text/plain"],
                                                 body: ByteBuffer(string: #"{"login":"station-a","password":"x"}"#)) { $0.status }
            #expect(plain == .unsupportedMediaType)
        }
        #expect(try state.database.auditLog().contains { $0.action == "desk.csrf.refused" })
        #expect(try state.database.declarations(provider: a).isEmpty)
    }

    @Test func invitationsAreUsedOnceBeforeTheyExpireAndSessionsEnd() async throws {
        let (state, a, _) = try Self.twoStations()
        let expired = try D.invite(state, provider: a, validFor: 86_400, at: state.clock().addingTimeInterval(-2 * 86_400))
        let code = try D.invite(state, provider: a)
        try await F.app(state).test(.router) { client in
            #expect(try await Self.accept(client, expired, "late") == .forbidden)
            // Typed back from a FAX: lower case, without hyphens, in full width — still the code.
            let typed = code.replacingOccurrences(of: "-", with: "").lowercased().applyingTransform(.fullwidthToHalfwidth, reverse: true)!
            #expect(try await Self.accept(client, typed, "first") == .ok)
            #expect(try await Self.accept(client, code, "second") == .forbidden)
            let s = try await Self.login(client, "first", D.password)
            #expect(try await D.send(client, .get, "/v1/desk/session", s).0 == .ok)
            #expect(try await D.send(client, .post, "/v1/desk/logout", s).0 == .noContent)
            #expect(try await D.send(client, .get, "/v1/desk/session", s).0 == .unauthorized)
            // The steward disables an account: its other sessions end too.
            let again = try await Self.login(client, "first", D.password)
            try state.database.disableDeskAccount(login: "first", actor: "test-steward")
            #expect(try await D.send(client, .get, "/v1/desk/providers/\(a)", again).0 == .unauthorized)
        }
        #expect(try state.database.deskAccounts().map(\.login) == ["first"])
    }

    static func accept(_ client: some TestClientProtocol, _ code: String, _ login: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/v1/desk/invitations/accept", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: #"{"code":"\#(code)","login":"\#(login)","password":"\#(D.password)"}"#)) { $0.status }
    }

    static func login(_ client: some TestClientProtocol, _ login: String, _ password: String) async throws -> D.Session {
        try await client.execute(uri: "/v1/desk/login", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: #"{"login":"\#(login)","password":"\#(password)"}"#)) { r in
            #expect(r.status == .ok)
            return try D.session(r)
        }
    }

    @Test func guessingIsThrottledAndNoAnswerTellsWhetherAnAccountExists() async throws {
        let (state, a, _) = try Self.twoStations()
        let code = try D.invite(state, provider: a)
        try await F.app(state).test(.router) { client in
            _ = try await D.accept(client, code: code, login: "station-a")
            let checks = state.desk.passwordChecks
            let wrongPassword = try await Self.attempt(client, "station-a", "not-the-password")
            let noSuchLogin = try await Self.attempt(client, "nobody-here", "not-the-password")
            // The same answer, and the same work: an unknown login's password is checked against a hash too.
            #expect(wrongPassword.0 == .unauthorized && wrongPassword == noSuchLogin)
            #expect(state.desk.passwordChecks == checks + 2)
            var statuses: [HTTPResponse.Status] = []
            for _ in 0..<20 { statuses.append(try await Self.attempt(client, "station-a", "still-not-it").0) }
            #expect(statuses.prefix(9).allSatisfy { $0 == .unauthorized })
            #expect(statuses.suffix(11).allSatisfy { $0 == .tooManyRequests })
            // Throttled: even the right password waits.
            #expect(try await Self.attempt(client, "station-a", D.password).0 == .tooManyRequests)
        }
    }

    static func attempt(_ client: some TestClientProtocol, _ login: String, _ password: String) async throws -> (HTTPResponse.Status, String) {
        try await client.execute(uri: "/v1/desk/login", method: .post, headers: [.contentType: "application/json"],
                                 body: ByteBuffer(string: #"{"login":"\#(login)","password":"\#(password)"}"#)) { ($0.status, String(buffer: $0.body)) }
    }

    @Test func theDatabaseKeepsNoPasswordCodeOrSessionTokenInTheClear() async throws {
        let (state, a, _) = try Self.twoStations()
        let code = try D.invite(state, provider: a)
        let session = try await F.app(state).test(.router) { client in try await D.accept(client, code: code, login: "station-a") }
        let secrets = [D.password, code, code.replacingOccurrences(of: "-", with: ""), String(session.cookie.split(separator: "=", maxSplits: 1)[1]), session.csrf]
        let text = try await state.database.reader.read { db in
            try ["desk_accounts", "desk_account_providers", "desk_invitations", "desk_sessions", "declarations", "audit_log"].map { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { row in row.databaseValues.map(\.description).joined(separator: " ") }.joined(separator: "\n")
            }.joined(separator: "\n")
        }
        #expect(text.contains("$2b$"))  // the password is there as a bcrypt hash
        for secret in secrets { #expect(!text.contains(secret), "a secret is kept in the clear") }
    }

    /// Attempts sent at once are counted before any password is checked: no more pass than the limit.
    @Test func simultaneousAttemptsCannotOutrunTheThrottle() async throws {
        let (state, _, _) = try Self.twoStations()
        let passed = (0..<30).filter { _ in state.desk.throttleBegin(login: "someone", address: "192.0.2.1") == nil }.count
        #expect(passed == 10)
    }

    /// A steward disables an account whose login is an e-mail address (percent-encoded in the path);
    /// its open invitations go with it.
    @Test func anEmailLoginCanBeDisabled() async throws {
        let (state, a, _) = try Self.twoStations()
        let stewardCode = try D.invite(state, provider: nil)
        try await F.app(state).test(.router) { client in
            let steward = try await D.accept(client, code: stewardCode, login: "steward@city.example.jp")
            _ = try await D.accept(client, code: try D.invite(state, provider: a), login: "Staff@Station.example.jp")
            let (made, body) = try await D.send(client, .post, "/v1/desk/steward/invitations", steward, body: #"{"provider_id":\#(a)}"#)
            #expect(made == .created)
            let code = try #require(try F.json(body)["code"] as? String)
            #expect(try await D.send(client, .post, "/v1/desk/steward/accounts/staff%40station.example.jp/disable", steward).0 == .noContent)
            #expect(try await D.send(client, .post, "/v1/desk/steward/accounts/steward%40city.example.jp/disable", steward).0 == .noContent)
            #expect(try await Self.accept(client, code, "too-late") == .forbidden)  // the disabled steward's invitation was revoked
        }
        #expect(try state.database.deskAccounts().allSatisfy { $0.disabledAt != nil })
    }

    /// Behind a trusted proxy the throttle counts each client's address, not the proxy's.
    @Test func behindATrustedProxyEachClientHasItsOwnBudget() async throws {
        var (state, _, _) = try Self.twoStations()
        state.trustedProxies = ["unknown"]  // the testing channel has no peer address
        let forwarded = HTTPField.Name("X-Forwarded-For")!
        try await F.app(state).test(.router) { client in
            func attempt(_ k: Int, from address: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/v1/desk/login", method: .post, headers: [.contentType: "application/json", forwarded: "198.51.100.9, \(address)"],
                                         body: ByteBuffer(string: #"{"login":"guess-\#(k)","password":"not-it-at-all"}"#)) { $0.status }
            }
            var fromA: [HTTPResponse.Status] = []
            for k in 0..<21 { fromA.append(try await attempt(k, from: "203.0.113.1")) }
            #expect(fromA.prefix(20).allSatisfy { $0 == .unauthorized } && fromA.last == .tooManyRequests)
            #expect(try await attempt(99, from: "203.0.113.2") == .unauthorized)
        }
    }
}
