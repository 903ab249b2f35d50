import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import KakehashiTestSupport
import NIOCore
import Testing

/// Tokens carry a scope (issue #20): a token without the provider in its scope gets 403 and writes
/// nothing; an expired token writes nothing; every write is audited with the role and what it replaced.
@Suite struct WriteScopeTests {
    typealias F = ServerFixture

    /// A server whose token file holds one token per scope; returns the tokens by name.
    static func state(_ lines: [(String, [String])]) throws -> (AppState, [String: String]) {
        let (base, _, _) = try F.state()
        let dir = try TestFixtures.scratch("scopes")
        var tokens: [String: String] = [:]
        var text = "# name sha256 scope\n"
        for (name, fields) in lines {
            let t = TokenFile.generate()
            tokens[name] = t
            text += ([name, TokenFile.hash(t)] + fields).joined(separator: " ") + "\n"
        }
        let path = dir.appendingPathComponent("tokens").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return (try AppState(database: base.database, tokens: try TokenRegistry(path: path)), tokens)
    }

    static let payload = ByteBuffer(string: #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00","contact":"090-0000-0000"}"#)

    @Test func scopesDecideWhoWritesWhat() async throws {
        let (probe, _, _) = try F.state()
        let mine = try F.id(of: "1166591085", in: probe)
        let found = try await probe.database.reader.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM providers WHERE id != ? ORDER BY id LIMIT 1", arguments: [mine])
        }
        let other = try #require(found)
        let (state, tokens) = try Self.state([
            ("station-staff", ["role=provider", "providers=\(mine)"]),
            ("app-readonly", ["role=app"]),
            ("app-scoped", ["role=app", "providers=\(mine)"]),
            ("expired", ["role=steward", "expires=2020-01-01T00:00:00+09:00"]),
            ("steward", ["role=steward"]),
            ("legacy", []),
        ])
        func put(_ who: String, _ id: Int64) async throws -> HTTPResponse.Status {
            try await F.app(state).test(.router) { client in
                try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put,
                                         headers: [.authorization: "Bearer \(tokens[who]!)"], body: Self.payload) { $0.status }
            }
        }
        #expect(try await put("station-staff", other) == .forbidden)
        #expect(try await put("app-readonly", mine) == .forbidden)
        #expect(try await put("expired", mine) == .forbidden)
        // Nothing written by any refused token; each refusal of a scope is audited.
        #expect(try state.database.currentOnCallReports().isEmpty)
        #expect(try state.database.auditLog().map(\.action) == ["on_call.put.refused", "on_call.put.refused"])
        #expect(try await put("station-staff", mine) == .ok)
        #expect(try await put("app-scoped", mine) == .ok)
        #expect(try await put("steward", other) == .ok)
        #expect(try await put("legacy", other) == .ok)  // a line without a scope keeps writing, as a coordinator
        let audit = try state.database.auditLog().filter { $0.action == "on_call.put" }
        #expect(audit.map(\.actor) == ["legacy", "steward", "app-scoped", "station-staff"])
        #expect(audit[0].detail.contains(#""role":"coordinator""#) && audit[1].detail.contains(#""role":"steward""#))
        // The second write to the station says what it replaced.
        #expect(audit[2].detail.contains(#""before":{"#) && audit[2].detail.contains("station-staff"))
        // The report says who wrote it in which role: a coordinator's was heard by phone.
        for (id, role) in [(mine, "app"), (other, "coordinator")] {
            try await F.app(state).test(.router) { client in
                try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .get) { r in
                    let report = try F.json(r.body)["report"] as? [String: Any]
                    #expect(report?["reported_role"] as? String == role)
                }
            }
        }
    }

    /// The steward reads a provider's audit, as JSON or CSV; other tokens cannot.
    @Test func theStewardReadsTheAudit() async throws {
        let (probe, _, _) = try F.state()
        let id = try F.id(of: "1166591085", in: probe)
        let (state, tokens) = try Self.state([("steward", ["role=steward"]), ("coordinator", ["role=coordinator"]),
                                              ("other-steward", ["role=steward", "providers=\(id + 1)"])])
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put,
                                     headers: [.authorization: "Bearer \(tokens["coordinator"]!)"], body: Self.payload) { #expect($0.status == .ok) }
            try await client.execute(uri: "/v1/providers/\(id)/audit", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/v1/providers/\(id)/audit", method: .get,
                                     headers: [.authorization: "Bearer \(tokens["coordinator"]!)"]) { #expect($0.status == .forbidden) }
            // A steward's token limited to other providers reads none of this one's.
            try await client.execute(uri: "/v1/providers/\(id)/audit", method: .get,
                                     headers: [.authorization: "Bearer \(tokens["other-steward"]!)"]) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/v1/providers/\(id)/audit", method: .get, headers: [.authorization: "Bearer \(tokens["steward"]!)"]) { r in
                #expect(r.status == .ok)
                let list = try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [[String: Any]])
                // The refused reads are audited too, newest first.
                #expect(list.map { $0["action"] as? String } == ["audit.read.refused", "audit.read.refused", "on_call.put"])
                #expect(list.last?["actor"] as? String == "coordinator")
            }
            try await client.execute(uri: "/v1/providers/\(id)/audit?format=csv", method: .get, headers: [.authorization: "Bearer \(tokens["steward"]!)"]) { r in
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                let lines = String(buffer: r.body).split(separator: "\r\n")
                #expect(lines.first == "at,actor,action,detail" && lines.count == 4 && lines[3].contains(",coordinator,on_call.put,\""))
            }
        }
    }

    @Test func unknownScopeFieldsFailClosed() throws {
        let dir = try TestFixtures.scratch("scopes")
        let path = dir.appendingPathComponent("tokens").path
        for bad in ["role=admin", "providers=1,x", "expires=tomorrow", "colour=blue", "providers=1"] {
            try Data("w \(TokenFile.hash("t")) \(bad)\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: (any Error).self, "\(bad)") { try TokenFile(path: path) }
        }
        try Data("w \(TokenFile.hash("t")) role=app providers=3,1 expires=2030-01-01T00:00:00+09:00\n".utf8).write(to: URL(fileURLWithPath: path))
        let scope = try #require(try TokenFile(path: path).writer(for: "t")?.scope)
        #expect(scope == WriteScope(role: .app, providers: [1, 3], expires: Date(timeIntervalSince1970: 1_893_423_600)))
        #expect(scope.fileFields == ["role=app", "providers=1,3", "expires=2030-01-01T00:00:00+09:00"])
    }
}
