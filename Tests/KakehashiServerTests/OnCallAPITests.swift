import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import NIOCore
import Testing

@Suite struct OnCallAPITests {
    typealias F = ServerFixture

    static func body(_ json: String) -> ByteBuffer { ByteBuffer(string: json) }

    static func placedStation(_ state: AppState) throws -> Int64? {
        try state.database.reader.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM providers WHERE source = 'kaigo:130' AND municipality_code = '11208' AND location IS NOT NULL ORDER BY official_id LIMIT 1")
        }
    }

    static func onCallRows(_ state: AppState) throws -> Int {
        try state.database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM on_call_reports") ?? -1 }
    }

    @Test func writesNeedAValidToken() async throws {
        let (state, _, _) = try F.state()
        let id = try F.id(of: "1166591085", in: state)
        let payload = #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00","contact":"090-0000-0000"}"#
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, body: Self.body(payload)) { r in
                #expect(r.status == .unauthorized)
                #expect(r.headers[.wwwAuthenticate] == "Bearer")
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer not-a-token"], body: Self.body(payload)) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Basic dXNlcjpwYXNz"], body: Self.body(payload)) { r in
                #expect(r.status == .forbidden)
            }
        }
        #expect(try Self.onCallRows(state) == 0)
        #expect(try state.database.auditLog().isEmpty)
    }

    /// An on-call report makes a station available tonight; once expired it is ignored and explained,
    /// and stays in the audit log.
    @Test func onCallReportsAndTheirExpiry() async throws {
        let (state, token, _) = try F.state()
        // A 所沢市 station of the 介護 file: placed, no published hours, no capability.
        let id = try #require(try Self.placedStation(state))
        let now = Date()
        let from = now.addingTimeInterval(-3600), to = now.addingTimeInterval(6 * 3600)
        let f: @Sendable (Date) -> String = { $0.formatted(.iso8601) }
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                     body: Self.body(#"{"from":"\#(f(from))","to":"\#(f(to))","contact":"090-1111-2222","note":"夜間当番"}"#)) { r in
                #expect(r.status == .ok)
                let b = try F.json(r.body)
                #expect(b["status"] as? String == "active")
            }
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .get) { r in
                let b = try F.json(r.body)
                #expect((b["report"] as? [String: Any])?["reported_by"] as? String == "coordinator-1")
            }
            let p = try state.database.reader.read { db in try Row.fetchOne(db, sql: "SELECT X(location) AS x, Y(location) AS y FROM providers WHERE id = ?", arguments: [id]) }!
            let lat: Double = p["y"], lon: Double = p["x"]
            let window = "from=\(f(now).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&to=\(f(now.addingTimeInterval(3600)).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
            try await client.execute(uri: "/v1/coverage?lat=\(lat)&lon=\(lon)&service=home_visit_nursing&\(window)&limit=200", method: .get) { r in
                let list = try F.json(r.body)["results"] as? [[String: Any]] ?? []
                var entry: [String: Any]?
                for e in list where (e["provider_id"] as? NSNumber)?.int64Value == id { entry = e }
                #expect(entry?["status"] as? String == "covered")
                #expect(entry?["basis"] as? String == "on_call")
                #expect((entry?["contact"] as? [String: Any])?["on_call"] as? String == "090-1111-2222")
            }
            // Replace it with a report that has already ended.
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                     body: Self.body(#"{"from":"\#(f(now.addingTimeInterval(-7200)))","to":"\#(f(now.addingTimeInterval(-60)))"}"#)) { r in
                #expect(r.status == .ok)
                let status = try F.json(r.body)["status"] as? String
                #expect(status == "expired")
            }
            try await client.execute(uri: "/v1/coverage?lat=\(lat)&lon=\(lon)&service=home_visit_nursing&\(window)&limit=200&explain=true", method: .get) { r in
                let list = try F.json(r.body)["results"] as? [[String: Any]] ?? []
                var entry: [String: Any]?
                for e in list where (e["provider_id"] as? NSNumber)?.int64Value == id { entry = e }
                #expect(entry?["status"] as? String == "unknown")
                #expect(entry?["basis"] == nil)
                #expect((entry?["notes"] as? [String])?.contains("on_call_expired") == true)
            }
        }
        #expect(try Self.onCallRows(state) == 2)
        let audit = try state.database.auditLog()
        #expect(audit.count == 2)
        #expect(audit.allSatisfy { $0.actor == "coordinator-1" && $0.action == "on_call.put" && $0.target == "provider:\(id)" })
    }

    @Test func badWritesChangeNothing() async throws {
        let (state, token, _) = try F.state()
        let id = try F.id(of: "1166591085", in: state)
        let auth: HTTPFields = [.authorization: "Bearer \(token)"]
        try await F.app(state).test(.router) { client in
            for bad in [#"{"from":"yesterday","to":"2026-11-25T09:00:00+09:00"}"#, #"{"from":"2026-11-25T09:00:00+09:00","to":"2026-11-24T09:00:00+09:00"}"#,
                        "not json", #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00","service":"pizza"}"#] {
                try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: auth, body: Self.body(bad)) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                }
            }
            try await client.execute(uri: "/v1/providers/99999999/on-call", method: .put, headers: auth,
                                     body: Self.body(#"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00"}"#)) { r in
                #expect(r.status == .notFound)
            }
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: auth,
                                     body: ByteBuffer(string: String(repeating: "x", count: 40_000))) { r in
                #expect(r.status == .contentTooLarge)
            }
        }
        #expect(try Self.onCallRows(state) == 0)
    }
}

@Suite struct OperationsAPITests {
    typealias F = ServerFixture

    @Test func healthMetricsAndOpenAPI() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.status == .ok)
                let status = try F.json(r.body)["status"] as? String
                #expect(status == "ok")
            }
            try await client.execute(uri: "/openapi.json", method: .get) { r in
                let doc = try F.json(r.body)
                #expect(doc["openapi"] as? String == "3.1.0")
                let paths = Set((doc["paths"] as? [String: Any] ?? [:]).keys)
                #expect(paths == ["/health", "/metrics", "/openapi.json", "/v1/coverage", "/v1/providers", "/v1/providers/{id}", "/v1/providers/{id}/on-call", "/v1/providers/{id}/audit",
                                  "/v1/geocode", "/v1/reverse", "/v1/opening-hours", "/v1/indicators", "/v1/layers", "/v1/layers/{file}", "/v1/compare/{code}", "/v1/trends/{file}", "/profile",
                                  "/v1/progress", "/v1/progress/{code}/{item}/{fiscal_year}",
                                  "/", "/conformance", "/collections", "/collections/{collectionId}", "/collections/{collectionId}/items", "/collections/{collectionId}/items/{featureId}", "/collections/{collectionId}/queryables",
                                  "/tiles/{layer}", "/tiles/{layer}/{z}/{x}/{file}", "/v1/providers/{id}/service-area",
                                  "/web/{file}", "/vendor/{package}/{file}", "/vendor/{package}/images/{file}",
                                  "/desk", "/v1/desk/login", "/v1/desk/logout", "/v1/desk/session", "/v1/desk/invitations/accept",
                                  "/v1/desk/providers/{id}", "/v1/desk/providers/{id}/hours", "/v1/desk/providers/{id}/area",
                                  "/v1/desk/providers/{id}/capabilities", "/v1/desk/providers/{id}/contact", "/v1/desk/providers/{id}/confirm",
                                  "/v1/desk/providers/{id}/on-call", "/v1/desk/providers/{id}/preview", "/v1/desk/steward/invitations",
                                  "/v1/desk/steward/accounts", "/v1/desk/steward/accounts/{login}/disable", "/v1/desk/steward/declarations", "/v1/desk/steward/providers",
                                  "/v1/desk/steward/invitations/{invitation}/revoke", "/v1/desk/steward/progress/{code}/{item}/{fiscal_year}"])
            }
            for uri in ["/tiles/municipalities/10/908/403.mvt", "/v1/providers/1", "/v1/providers/1/on-call", "/v1/providers/x/on-call",
                        "/no/such/thing", "/health/extra"] {
                try await client.execute(uri: uri, method: .get) { _ in }
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(text.contains("kakehashi_http_requests_total"))
                #expect(text.contains(#"route="/health""#))
                // Ids fold into {id}; tiles are one route; unknown paths are "other" (bounded labels).
                for label in ["/tiles", "/v1/providers/{id}", "/v1/providers/{id}/on-call", "/openapi.json", "other"] {
                    #expect(text.contains(#"kakehashi_http_requests_total{route="\#(label)""#), "no series for \(label)")
                }
                // (The tile's path, not any number with those digits: a duration or byte count can have them.)
                #expect(!text.contains("route=\"/v1/providers/1") && !text.contains("/908/"))
                #expect(text.contains(#"kakehashi_http_request_duration_seconds_bucket{route="/tiles""#))
                // Errors are counted with their status: the bad id and the unknown paths answered 4xx.
                #expect(text.contains(#"kakehashi_http_requests_total{route="other",status="404"}"#))
            }
        }
    }

    @Test func providersAsJSONAndGeoJSON() async throws {
        let (state, _, _) = try F.state()
        let id = try F.id(of: "NATIVE-N1", in: state)
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/providers/\(id)", method: .get) { r in
                let p = try F.json(r.body)
                #expect(p["official_id"] as? String == "NATIVE-N1")
                #expect((p["service_areas"] as? [[String: Any]])?.first?["rule"] as? String == "polygon")
                #expect((p["hours"] as? [[String: Any]])?.first?["opening_hours"] as? String == "Mo-Fr 09:00-18:00; PH off; Dec 29-Jan 03 off")
            }
            try await client.execute(uri: "/v1/providers/99999999", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/v1/providers?bbox=139.40,35.75,139.55,35.85&service=home_visit_medical", method: .get) { r in
                #expect(r.headers[.contentType]?.hasPrefix("application/geo+json") == true)
                let fc = try F.json(r.body)
                #expect(fc["type"] as? String == "FeatureCollection")
                let features = fc["features"] as? [[String: Any]] ?? []
                #expect(!features.isEmpty)
                #expect(features.allSatisfy { (($0["properties"] as? [String: String])?["services"] ?? "").contains("home_visit_medical") })
            }
            try await client.execute(uri: "/v1/geocode?q=%E6%89%80%E6%B2%A2%E5%B8%82%E5%85%83%E7%94%BA28-9", method: .get) { r in
                let g = try F.json(r.body)
                #expect(g["city_code"] as? String == "11208" && g["town"] as? String == "元町" && g["level"] as? Int == 3)
            }
            try await client.execute(uri: "/v1/reverse?lat=35.7994&lon=139.4689", method: .get) { r in
                let code = try F.json(r.body)["city_code"] as? String
                #expect(code == "11208")
            }
        }
    }
}
