import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import Testing

/// `GET /v1/opening-hours`: a value read as the lookup reads it, with its warnings.
@Suite struct OpeningHoursAPITests {
    typealias F = ServerFixture

    static func get(_ client: some TestClientProtocol, _ query: String) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await client.execute(uri: "/v1/opening-hours?" + query, method: .get) { r in (r.status, try F.json(r.body)) }
    }

    @Test func warningsAndIntervals() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            // Saturday's rule cuts Friday's night at midnight: said, in Japanese and in the reference's words.
            let value = "Mo-Fr 18:00-09:00; Sa 09:00-13:00".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (status, body) = try await Self.get(client, "value=\(value)&from=2026-11-27T18:00:00%2B09:00&to=2026-11-28T18:00:00%2B09:00")
            #expect(status == .ok)
            let warnings = body["warnings"] as? [[String: Any]] ?? []
            #expect(warnings.count == 1 && warnings.first?["kind"] as? String == "overwrites_previous_night" && warnings.first?["rule"] as? Int == 1)
            #expect((warnings.first?["message"] as? String)?.contains("深夜") == true)
            #expect((warnings.first?["reference"] as? String)?.hasPrefix("This rule overwrites parts of the previous rule.") == true)
            let intervals = body["intervals"] as? [[String: Any]] ?? []
            #expect(intervals.map { $0["state"] as? String } == ["open", "closed", "open", "closed"])
            #expect(intervals.first?["to"] as? String == "2026-11-28T00:00:00+09:00")  // Friday night ends at midnight
            // A plain value: no warnings, no intervals without a window.
            let (_, plain) = try await Self.get(client, "value=Mo-Fr%2009:00-18:00")
            #expect((plain["warnings"] as? [Any])?.isEmpty == true && plain["intervals"] == nil)
        }
    }

    /// Japanese as people write it: answered with the value it proposes, and how it was read.
    @Test func japaneseIsReadIntoAProposal() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            let value = "月〜土 9:00〜18:00、土曜午前、祝日休み".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (status, body) = try await Self.get(client, "value=\(value)&from=2026-11-28T00:00:00%2B09:00&to=2026-11-29T00:00:00%2B09:00")
            #expect(status == .ok)
            #expect(body["canonical"] as? String == "Mo-Sa 09:00-18:00; Sa 09:00-12:00; PH off")
            #expect((body["notes"] as? [String])?.count == 1 && (body["unread"] as? [String])?.isEmpty == true)
            let intervals = body["intervals"] as? [[String: Any]] ?? []
            #expect(intervals.map { $0["state"] as? String } == ["closed", "open", "closed"])  // Saturday: the morning only
            // Words left unread: the reading is shown, but not evaluated over a window.
            let partial = "月〜金 9:00〜12:00、要相談の日あり".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (shown, reading) = try await Self.get(client, "value=\(partial)")
            #expect(shown == .ok && reading["canonical"] as? String == "Mo-Fr 09:00-12:00" && (reading["unread"] as? [String])?.isEmpty == false, "\(reading)")
            let (notEvaluated, why) = try await Self.get(client, "value=\(partial)&from=2026-11-28T00:00:00%2B09:00&to=2026-11-29T00:00:00%2B09:00")
            #expect(notEvaluated == .badRequest && (why["detail"] as? String)?.hasPrefix("読めなかった部分（「") == true, "\(why)")
            let unread = "お問い合わせください".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let (refused, problem) = try await Self.get(client, "value=\(unread)")
            #expect(refused == .badRequest && problem["parameter"] as? String == "value")
            #expect((problem["detail"] as? String)?.hasPrefix("日本語の書き方として読めない部分があります（「お問い合わせください」）") == true)
        }
    }

    @Test(arguments: [
        ("value=Mo-Fr%2009:00-18:", "value", "opening_hours の 13 文字目: 時刻（HH:MM）が必要です"),
        ("", "value", "value（opening_hours の文字列）が必要です"),
        ("value=24/7&from=2026-11-27T18:00:00%2B09:00", "to", "from と to は組で"),
        ("value=24/7&from=2026-11-01T00:00:00%2B09:00&to=2026-12-05T00:00:00%2B09:00", "to", "31 日以内"),
    ])
    func refusals(query: String, parameter: String, detail: String) async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/opening-hours?" + query, method: .get) { r in
                #expect(r.status == .badRequest)
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let body = try F.json(r.body)
                #expect(body["parameter"] as? String == parameter)
                #expect((body["detail"] as? String)?.contains(detail) == true, "\(body)")
            }
        }
    }
}
