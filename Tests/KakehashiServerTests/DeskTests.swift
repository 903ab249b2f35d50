import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import KakehashiStore
import KakehashiTestSupport
import NIOCore
import Testing

/// The provider desk (issue #20): a steward invites, the provider's staff sign in and keep their own
/// nights and area, the lookup answers from them; nobody else can touch them.
@Suite struct DeskTests {
    typealias F = ServerFixture
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!
    static let password = "tokorozawa-night-2026"

    /// A server with a cheaper bcrypt cost than production's (still bcrypt), its clock on a
    /// Wednesday evening, 2026-11-25 19:00 in Japan.
    static func state() throws -> AppState {
        var (state, _, _) = try F.state()
        state.desk.passwordCost = 10
        let clock = ClockSetting()
        clock.now = try Date("2026-11-25T19:00:00+09:00", strategy: .iso8601)
        state.clock = { clock.now }
        return state
    }

    /// A signed-in session: the cookie to send and the CSRF token.
    struct Session { var cookie: String; var csrf: String }

    static func invite(_ state: AppState, provider: Int64?, validFor: TimeInterval = 86_400, at: Date? = nil) throws -> String {
        try state.database.createDeskInvitation(role: provider == nil ? .steward : .provider, provider: provider, createdBy: "test-steward",
                                                validFor: validFor, at: at ?? state.clock()).code
    }

    static func session(_ r: TestResponse) throws -> Session {
        let cookie = try #require(r.headers[.setCookie])
        #expect(cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Strict"))
        let token = String(cookie.split(separator: ";")[0])
        let csrf = try #require(try F.json(r.body)["csrf_token"] as? String)
        return Session(cookie: token, csrf: csrf)
    }

    static func accept(_ client: some TestClientProtocol, code: String, login: String) async throws -> Session {
        let body = ByteBuffer(string: #"{"code":"\#(code)","login":"\#(login)","password":"\#(password)"}"#)
        return try await client.execute(uri: "/v1/desk/invitations/accept", method: .post, headers: [.contentType: "application/json"], body: body) { r in
            #expect(r.status == .ok)
            return try session(r)
        }
    }

    static func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, _ s: Session?, csrf: String? = nil,
                     body: String? = nil) async throws -> (HTTPResponse.Status, ByteBuffer) {
        var headers: HTTPFields = [:]
        if let s { headers[.cookie] = s.cookie; headers[csrfHeader] = csrf ?? s.csrf }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { ($0.status, $0.body) }
    }

    static func coverage(_ client: some TestClientProtocol, _ point: (lat: Double, lon: Double)) async throws -> [String: Any]? {
        try await client.execute(uri: "/v1/coverage?lat=\(point.lat)&lon=\(point.lon)&service=home_visit_nursing&window=tonight&limit=200", method: .get) { r in
            (try F.json(r.body)["results"] as? [[String: Any]] ?? []).first { $0["official_id"] as? String == "NATIVE-N1" }
        }
    }

    /// A polygon around the fixture's inside point, west of which the outside point lies.
    static let drawn = #"{"type":"Polygon","coordinates":[[[139.465,35.780],[139.485,35.780],[139.485,35.795],[139.465,35.795],[139.465,35.780]]]}"#

    @Test func theProviderKeepsItsNightsAndTheLookupAnswersFromThem() async throws {
        let state = try Self.state()
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        let code = try Self.invite(state, provider: n1)
        try await F.app(state).test(.router) { client in
            // Before: weekday office hours only, closed tonight, so not listed.
            #expect(try await Self.coverage(client, F.inside) == nil)
            let s = try await Self.accept(client, code: code, login: "n1-staff@example.jp")
            let (status, body) = try await Self.send(client, .put, "/v1/desk/providers/\(n1)/hours", s,
                                                     body: #"{"service":"home_visit_nursing","opening_hours":"Mo-Fr 18:00-09:00"}"#)
            #expect(status == .ok, "\(String(buffer: body))")
            #expect(try await Self.send(client, .put, "/v1/desk/providers/\(n1)/area", s,
                                        body: #"{"area":{"rule":"polygon","polygon":\#(Self.drawn)}}"#).0 == .ok)
            #expect(try await Self.send(client, .put, "/v1/desk/providers/\(n1)/contact", s,
                                        body: #"{"phone":"04-2900-0001","preferred":"phone","note":"夜間は代表番号から当番へ転送します"}"#).0 == .ok)
            // A write has the data read again at once, off the request; waiting for that reading here
            // (a reload runs one at a time) keeps the test deterministic.
            _ = try state.reloadIfChanged()
            let inside = try #require(try await Self.coverage(client, F.inside))
            #expect(inside["status"] as? String == "covered")
            #expect(inside["basis"] as? String == "hours")
            let declared = inside["declared"] as? [[String: Any]] ?? []
            #expect(declared.contains { $0["fact"] as? String == "hours" && ($0["days_since_confirmed"] as? NSNumber)?.intValue == 0 })
            #expect(declared.contains { $0["fact"] as? String == "area" && $0["stale"] as? Bool == false })
            // The contact coordinators see is the one the station keeps, with its note.
            let contact = inside["contact"] as? [String: Any]
            #expect(contact?["phone"] as? String == "04-2900-0001" && contact?["note"] as? String == "夜間は代表番号から当番へ転送します")
            #expect(try await Self.coverage(client, F.outside) == nil)
            // On call tonight in one request (the night in progress by default): the stronger layer.
            #expect(try await Self.send(client, .post, "/v1/desk/providers/\(n1)/on-call", s, body: #"{"contact":"090-1111-2222"}"#).0 == .ok)
            #expect(try await Self.coverage(client, F.inside)?["basis"] as? String == "on_call")
            // The desk shows the declarations beside the official facts, and previews the nights.
            let (_, desk) = try await Self.send(client, .get, "/v1/desk/providers/\(n1)", s)
            let view = try F.json(desk)
            #expect((view["declarations"] as? [[String: Any]])?.count == 3)  // hours, area, contact
            #expect(((view["official"] as? [String: Any])?["hours"] as? [[String: Any]])?.isEmpty == false)
            let (_, preview) = try await Self.send(client, .get, "/v1/desk/providers/\(n1)/preview?service=home_visit_nursing", s)
            let nights = try F.json(preview)["nights"] as? [[String: Any]] ?? []
            // Wednesday to next Tuesday: Mo–Fr evenings to 09:00 the next morning; Saturday and Sunday nights closed.
            #expect(nights.map { $0["status"] as? String ?? "" } == ["covered", "covered", "covered", "closed", "closed", "covered", "covered"])
        }
        let audit = try state.database.auditLog(provider: n1).map(\.action)
        #expect(audit.contains("declaration.put") && audit.contains("desk.invitation.accept") && audit.contains("on_call.put"))
    }

    @Test func hoursTheParserCannotReadAreRefusedWithTheirPosition() async throws {
        let state = try Self.state()
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        let code = try Self.invite(state, provider: n1)
        try await F.app(state).test(.router) { client in
            let s = try await Self.accept(client, code: code, login: "n1-staff")
            let (status, body) = try await Self.send(client, .put, "/v1/desk/providers/\(n1)/hours", s,
                                                     body: #"{"service":"home_visit_nursing","opening_hours":"Mo-Fr 18:00-"}"#)
            #expect(status == .badRequest)
            #expect(try F.json(body)["position"] as? Int == 12)
            #expect(try state.database.declarations(provider: n1).isEmpty)
        }
    }

    /// A new release of the official file keeps the provider's id, so its declarations stay in force.
    @Test func declarationsSurviveAReimportOfTheOfficialFile() async throws {
        let (base, _, path) = try F.state()
        var state = base
        state.clock = { try! Date("2026-11-25T19:00:00+09:00", strategy: .iso8601) }
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        try state.database.putDeclaration(provider: n1, fact: .hours, service: "home_visit_nursing",
                                          value: try DeclaredHours(openingHours: "Mo-Fr 18:00-09:00").declarationJSON(),
                                          actor: "desk:n1", role: "provider", at: state.clock())
        let dir = try TestFixtures.scratch("reimport")
        let csv = dir.appendingPathComponent("native.csv"), geo = dir.appendingPathComponent("areas.geojson")
        try Data(F.native.replacingOccurrences(of: "04-0000-0001", with: "04-0000-0011").utf8).write(to: csv)
        try Data(F.areas.utf8).write(to: geo)
        let db = try SpatialDatabase(path: path)
        _ = try DataImport.run(.providers, files: [csv.path, geo.path], into: db)
        try db.close()
        #expect(try state.reloadIfChanged() == .reloaded(providers: state.index.providerCount))
        #expect(try F.id(of: "NATIVE-N1", in: state) == n1)
        try await F.app(state).test(.router) { client in
            let entry = try #require(try await Self.coverage(client, F.inside))
            #expect(entry["status"] as? String == "covered" && entry["basis"] as? String == "hours")
            #expect((entry["contact"] as? [String: Any])?["phone"] as? String == "04-0000-0011")
        }
    }

    /// The steward finds providers by name and follows the desk: invited, never confirmed, confirmed, stale.
    @Test func theStewardFollowsWhoConfirmedWhat() async throws {
        let state = try Self.state()
        let (n1, n2) = (try F.id(of: "NATIVE-N1", in: state), try F.id(of: "NATIVE-N2", in: state))
        let stewardCode = try Self.invite(state, provider: nil)
        _ = try Self.invite(state, provider: n2)
        let n1Code = try Self.invite(state, provider: n1)
        try await F.app(state).test(.router) { client in
            let steward = try await Self.accept(client, code: stewardCode, login: "city-steward")
            _ = try await Self.accept(client, code: n1Code, login: "n1-staff")
            func statuses(_ query: String) async throws -> [Int64: String] {
                let (status, body) = try await Self.send(client, .get, "/v1/desk/steward/providers" + query, steward)
                #expect(status == .ok)
                let rows = try #require(try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [[String: Any]])
                return Dictionary(uniqueKeysWithValues: rows.compactMap { r in
                    ((r["provider"] as? [String: Any])?["id"] as? NSNumber).map { ($0.int64Value, r["status"] as? String ?? "") }
                })
            }
            #expect(try await statuses("") == [n1: "never_confirmed", n2: "invited"])
            let byName = try await statuses("?q=" + "試験用".addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed)!)
            #expect(byName[n1] == "never_confirmed" && byName[n2] == "invited")
            try state.database.putDeclaration(provider: n1, fact: .hours, service: nil, value: try DeclaredHours(openingHours: "24/7").declarationJSON(),
                                              actor: "desk:n1-staff", role: "provider", at: state.clock().addingTimeInterval(-100 * 86_400))
            #expect(try await statuses("")[n1] == "confirmation_due")
            // Provider staff cannot read the steward's lists.
            let staff = try await Self.accept(client, code: try Self.invite(state, provider: n1), login: "n1-second")
            #expect(try await Self.send(client, .get, "/v1/desk/steward/providers", staff).0 == .forbidden)
            // An invitation not yet used can be revoked; its code then opens nothing.
            let (made, invitation) = try await Self.send(client, .post, "/v1/desk/steward/invitations", steward, body: #"{"provider_id":\#(n2)}"#)
            let made2 = try F.json(invitation)
            let (invitationID, n2Code) = (try #require(made2["id"] as? Int), try #require(made2["code"] as? String))
            #expect(made == .created)
            #expect(try await Self.send(client, .post, "/v1/desk/steward/invitations/\(invitationID)/revoke", steward).0 == .noContent)
            #expect(try await Self.send(client, .post, "/v1/desk/steward/invitations/\(invitationID)/revoke", steward).0 == .notFound)
            #expect(try await DeskSecurityTests.accept(client, n2Code, "n2-staff") == .forbidden)
            // The steward signed in at the desk exports a provider's audit; its staff cannot.
            let (read, csv) = try await Self.send(client, .get, "/v1/providers/\(n1)/audit?format=csv", steward)
            #expect(read == .ok && String(buffer: csv).contains(",desk:n1-staff,desk.invitation.accept,"))
            #expect(try await Self.send(client, .get, "/v1/providers/\(n1)/audit", staff).0 == .forbidden)
        }
    }

    /// A report a coordinator heard on the phone is marked as such in the answer.
    @Test func anOnCallReportHeardByPhoneIsMarked() async throws {
        var (state, writer, _) = try F.state()
        state.clock = { try! Date("2026-11-25T19:00:00+09:00", strategy: .iso8601) }
        let token = writer
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        try await F.app(state).test(.router) { client in
            let body = ByteBuffer(string: #"{"from":"2026-11-25T18:00:00+09:00","to":"2026-11-26T09:00:00+09:00","contact":"090-0000-1111"}"#)
            try await client.execute(uri: "/v1/providers/\(n1)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"], body: body) {
                #expect($0.status == .ok)
            }
            let entry = try await Self.coverage(client, F.inside)
            #expect(entry?["basis"] as? String == "on_call")
            #expect((entry?["notes"] as? [String])?.contains("on_call_heard_by_phone") == true)
        }
    }

    /// An area made of 町字 from the list: the 町字 of the point (as the lookup finds it) is served, another is not.
    @Test func anAreaOf町字() async throws {
        let state = try Self.state()
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        let code = try Self.invite(state, provider: n1)
        try await F.app(state).test(.router) { client in
            let s = try await Self.accept(client, code: code, login: "n1-staff")
            let place = try await client.execute(uri: "/v1/reverse?lat=\(F.inside.lat)&lon=\(F.inside.lon)", method: .get) { try F.json($0.body) }
            let town = try #require(place["town"] as? String), city = try #require(place["city_code"] as? String)
            _ = try await Self.send(client, .put, "/v1/desk/providers/\(n1)/hours", s, body: #"{"opening_hours":"Mo-Fr 18:00-09:00"}"#)
            let (status, body) = try await Self.send(client, .put, "/v1/desk/providers/\(n1)/area", s,
                                                     body: #"{"area":{"rule":"towns","towns":[{"municipality_code":"\#(city)","town":"\#(town)"}]}}"#)
            #expect(status == .ok, "\(String(buffer: body))")
            _ = try state.reloadIfChanged()
            let entry = try #require(try await Self.coverage(client, F.inside))
            #expect((entry["area"] as? [String: Any])?["rule"] as? String == "towns")
            #expect(try await Self.coverage(client, F.outside) == nil)
            // A 町字 of an unknown municipality is refused with the field named.
            let (refused, problem) = try await Self.send(client, .put, "/v1/desk/providers/\(n1)/area", s,
                                                         body: #"{"area":{"rule":"towns","towns":[{"municipality_code":"99999","town":"x"}]}}"#)
            let parameter = try F.json(problem)["parameter"] as? String
            #expect(refused == .badRequest && parameter == "area.towns")
        }
    }
}
