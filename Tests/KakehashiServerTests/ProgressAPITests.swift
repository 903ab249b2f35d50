import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import KakehashiStore
import KakehashiTestSupport
import NIOCore
import Testing

/// (ア)–(ク) progress (issue #21): a municipality's own steward writes its stages and no other's;
/// the matrix and the map layer show what was entered, with the change since the year before.
@Suite struct ProgressAPITests {
    typealias F = ServerFixture

    @Test func aMunicipalityWritesItsOwnProgressAndTheMatrixAndLayerShowIt() async throws {
        let (state, tokens) = try WriteScopeTests.state([
            ("tokorozawa", ["role=municipality", "municipalities=11208"]),
            ("steward", ["role=steward"]),
            ("coordinator", ["role=coordinator"]),
        ])
        func put(_ who: String?, _ path: String, _ body: String) async throws -> (HTTPResponse.Status, [String: Any]) {
            try await F.app(state).test(.router) { client in
                try await client.execute(uri: "/v1/progress/\(path)", method: .put,
                                         headers: who.map { [.authorization: "Bearer \(tokens[$0]!)"] } ?? [:], body: ByteBuffer(string: body)) { r in
                    (r.status, (try? F.json(r.body)) ?? [:])
                }
            }
        }
        // 所沢市's steward cannot write 柏市's progress: 403, nothing written, the refusal audited.
        let refused = try await put("tokorozawa", "12217/a/2025", #"{"stage":"implementing"}"#)
        #expect(refused.0 == .forbidden && (refused.1["detail"] as? String ?? "").contains("12217"))
        #expect(try await put("coordinator", "11208/a/2025", #"{"stage":"implementing"}"#).0 == .forbidden)
        #expect(try await put(nil, "11208/a/2025", #"{"stage":"implementing"}"#).0 == .unauthorized)
        #expect(try state.database.progress().isEmpty)
        #expect(try state.database.auditLog().map(\.action) == ["progress.put.refused", "progress.put.refused"])
        // Bad values are 400s naming the field; an unknown municipality 404.
        #expect(try await put("tokorozawa", "11208/z/2025", #"{"stage":"implementing"}"#).1["parameter"] as? String == "item")
        #expect(try await put("tokorozawa", "11208/a/1999", #"{"stage":"implementing"}"#).0 == .badRequest)
        #expect(try await put("tokorozawa", "11208/a/2025", #"{"stage":"done"}"#).0 == .badRequest)
        #expect(try await put("tokorozawa", "11208/a/2025", #"{"stage":"実施中","recorded_on":"2025-02-30"}"#).0 == .badRequest)
        #expect(try await put("steward", "99999/a/2025", #"{"stage":"considering"}"#).0 == .notFound)
        #expect(try state.database.progress().isEmpty)
        // Its own: accepted, in Japanese too, and audited with the stage it replaced.
        #expect(try await put("tokorozawa", "11208/a/2024", #"{"stage":"検討中","recorded_on":"2024-09-01"}"#).0 == .ok)
        let written = try await put("tokorozawa", "11208/a/2025", #"{"stage":"implementing","recorded_on":"2025-06-01","note":"資源マップを公開"}"#)
        #expect(written.0 == .ok && written.1["stage"] as? String == "implementing" && written.1["updated_by"] as? String == "tokorozawa")
        _ = try await put("tokorozawa", "11208/a/2025", #"{"stage":"evaluating","recorded_on":"2025-07-01"}"#)
        let audit = try state.database.auditLog().filter { $0.action == "progress.put" }
        #expect(audit.count == 3 && audit[0].detail.contains(#""previous":"implementing""#) && audit[0].actor == "tokorozawa")
        // A 政令市 records its progress as a whole (さいたま市, from the population), by a steward.
        #expect(try await put("steward", "11100/b/2025", #"{"stage":"considering"}"#).0 == .ok)

        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/progress?prefecture=11&fiscal_year=2025", method: .get) { r in
                #expect(r.status == .ok)
                let body = try F.json(r.body)
                let rows = body["municipalities"] as? [[String: Any]] ?? []
                let tokorozawa = rows.first { $0["code"] as? String == "11208" }
                let a = (tokorozawa?["entries"] as? [String: Any])?["a"] as? [String: Any]
                #expect(a?["stage"] as? String == "evaluating" && a?["stage_label"] as? String == "評価・改善")
                #expect(a?["previous_stage"] as? String == "considering" && a?["change"] as? Int == 2)
                #expect(a?["note"] == nil || a?["note"] is NSNull)
                // The 政令市 is a row; its wards are not (they do not run the 事業).
                #expect(rows.contains { $0["code"] as? String == "11100" } && !rows.contains { $0["code"] as? String == "11101" })
                #expect(rows.allSatisfy { ($0["code"] as? String ?? "").hasPrefix("11") } && rows.count > 60)
                let summary = body["summary"] as? [String: [String: Int]]
                #expect(summary?["a"]?["evaluating"] == 1 && summary?["a"]?["unrecorded"] == rows.count - 1)
                #expect((body["items"] as? [[String: Any]])?.map { $0["letter"] as? String } == ["ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク"])
            }
            try await client.execute(uri: "/v1/progress?prefecture=11&bogus=1", method: .get) { r in
                let problem = try F.json(r.body)
                #expect(r.status == .badRequest && problem["parameter"] as? String == "bogus")
            }
            // The layer: 所沢市 at 評価・改善, two stages up; a ward of さいたま市 shows the city's stage.
            try await client.execute(uri: "/v1/layers/progress.csv?item=a&fiscal_year=2025", method: .get) { r in
                let lines = String(buffer: r.body).split(separator: "\n").map(String.init)
                #expect(lines.first == "code,name,prefecture,item,fiscal_year,stage,stage_label,stage_level,recorded_on,recorded_by_city,previous_stage,change")
                #expect(lines.contains { $0.hasPrefix("11208,所沢市,埼玉県,a,2025,evaluating,評価・改善,3,2025-07-01,,considering,2") })
                #expect(lines.contains { $0.hasPrefix("12217,") && $0.hasSuffix(",a,2025,,,,,,,") })
            }
            try await client.execute(uri: "/v1/layers/progress.geojson?item=b&fiscal_year=2025", method: .get) { r in
                #expect(r.headers[.contentType] == "application/geo+json; charset=utf-8")
                let body = try F.json(r.body)
                let features = body["features"] as? [[String: Any]] ?? []
                let ward = features.first { ($0["properties"] as? [String: Any])?["code"] as? String == "11101" }?["properties"] as? [String: Any]
                #expect(ward?["stage"] as? String == "considering" && ward?["recorded_by_city"] as? String == "11100")
            }
        }
    }

    /// A steward's token limited to municipalities keeps to them on the desk's steward page too.
    @Test func aStewardTokenLimitedToAMunicipalityKeepsToItAtTheDesk() async throws {
        let (state, tokens) = try WriteScopeTests.state([("saitama-steward", ["role=steward", "municipalities=11208"])])
        func put(_ path: String) async throws -> HTTPResponse.Status {
            try await F.app(state).test(.router) { client in
                try await client.execute(uri: "/v1/desk/steward/progress/\(path)", method: .put,
                                         headers: [.authorization: "Bearer \(tokens["saitama-steward"]!)"],
                                         body: ByteBuffer(string: #"{"stage":"considering"}"#)) { $0.status }
            }
        }
        #expect(try await put("12217/a/2025") == .forbidden)
        #expect(try state.database.progress().isEmpty)
        #expect(try state.database.auditLog().map(\.action) == ["progress.put.refused"])
        #expect(try await put("11208/a/2025") == .ok)
        #expect(try state.database.progress().map(\.municipalityCode) == ["11208"])
    }

    /// A desk account of one municipality's steward (invited with `municipality`) records that
    /// municipality's progress and nothing else: another municipality is 403 (audited, nothing
    /// written), so are the region steward's pages and providers' desks; the session names it.
    @Test func aMunicipalStewardAccountKeepsToItsMunicipality() async throws {
        let state = try DeskTests.state()
        #expect(throws: DeskRefusal.municipalityMissing("99999")) {
            try state.database.createDeskInvitation(role: .steward, provider: nil, municipality: "99999", createdBy: "test", validFor: 86_400)
        }
        let code = try state.database.createDeskInvitation(role: .steward, provider: nil, municipality: "11208", createdBy: "test",
                                                           validFor: 86_400, at: state.clock()).code
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        try await F.app(state).test(.router) { client in
            let s = try await DeskTests.accept(client, code: code, login: "tokorozawa-steward")
            let (_, body) = try await DeskTests.send(client, .get, "/v1/desk/session", s)
            let session = try F.json(body)
            #expect(session["municipality"] as? String == "11208" && (session["providers"] as? [Any])?.isEmpty == true)
            let put = { (path: String) in
                try await DeskTests.send(client, .put, "/v1/desk/steward/progress/\(path)", s, body: #"{"stage":"implementing"}"#).0
            }
            #expect(try await put("12217/a/2025") == .forbidden)
            #expect(try state.database.progress().isEmpty)
            #expect(try await put("11208/a/2025") == .ok)
            #expect(try state.database.progress().map(\.municipalityCode) == ["11208"])
            #expect(try await DeskTests.send(client, .get, "/v1/desk/steward/providers", s).0 == .forbidden)
            #expect(try await DeskTests.send(client, .post, "/v1/desk/steward/invitations", s, body: #"{"provider_id":\#(n1)}"#).0 == .forbidden)
            #expect(try await DeskTests.send(client, .put, "/v1/desk/providers/\(n1)/hours", s,
                                             body: #"{"service":"home_visit_nursing","opening_hours":"24/7"}"#).0 == .forbidden)
        }
        let refused = try state.database.auditLog().filter { $0.action.hasSuffix(".refused") }.map(\.action)
        #expect(refused.contains("progress.put.refused") && refused.contains("desk.steward.refused"))
    }
}
