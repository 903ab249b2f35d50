import Foundation
import Hummingbird
import KakehashiHours

/// `GET /v1/opening-hours?value=…[&from=&to=]`: reads an `opening_hours` value as the lookup
/// will — its warnings, and its intervals in a window — for forms and apps that write hours. A
/// value in Japanese (`月〜金 9:00〜18:00、祝日休み`) is answered with the value it proposes.
struct OpeningHoursController<Context: RequestContext> {
    let state: AppState

    /// A window's longest span: a month of intervals is enough to check a value.
    static var longestWindow: TimeInterval { 31 * 86_400 }

    struct Reading: Encodable {
        var value: String
        /// For Japanese: the proposed value, how words were taken, what was not read.
        var canonical: String?
        var notes: [String]?
        var unread: [String]?
        var warnings: [OpeningHoursWarning]
        var intervals: [HoursInterval]?
    }

    func register(on router: Router<Context>) {
        router.get("/v1/opening-hours") { request, _ in try self.read(request) }
    }

    func read(_ request: Request) throws -> Response {
        let q = QueryParameters(request: request)
        guard let value = try q.string("value", max: 1000) else { throw Problem.badRequest("value", "value（opening_hours の文字列）が必要です") }
        let from = try q.date("from"), to = try q.date("to")
        let hours: OpeningHours
        var japanese: JapaneseHoursReading?
        do {
            hours = try OpeningHours(value)
        } catch {
            guard value.unicodeScalars.contains(where: { $0.value > 0x7F }) else { throw Problem.badRequest("value", error.description) }
            guard let read = JapaneseHoursText.proposal(value) else {
                // Neither form: say what the Japanese reader could not read, then the syntax error.
                let unread = JapaneseHoursText.read(value).unread.map { "「\($0.prefix(40))」" }.joined(separator: "、")
                throw Problem.badRequest("value", "日本語の書き方として読めない部分があります（\(unread)）。opening_hours としては: \(error.description)")
            }
            (hours, japanese) = read
        }
        var reading = Reading(value: value, canonical: japanese?.canonical, notes: japanese?.notes, unread: japanese?.unread,
                              warnings: hours.warnings(now: from ?? state.clock()))
        switch (from, to) {
        case (nil, nil): break
        case (let f?, let t?):
            guard f < t else { throw Problem.badRequest("from", "from は to より前にしてください") }
            // A Japanese reading that left words unread is not evaluated, as `kakehashi hours` does
            // not: its intervals would answer another value than the one written.
            if let unread = japanese?.unread, !unread.isEmpty {
                let list = unread.map { "「\($0.prefix(40))」" }.joined(separator: "、")
                throw Problem.badRequest("value", "読めなかった部分（\(list)）があるため評価しません。読めた部分は「\(japanese?.canonical ?? "")」です")
            }
            guard t.timeIntervalSince(f) <= Self.longestWindow else { throw Problem.badRequest("to", "期間は 31 日以内にしてください") }
            reading.intervals = hours.intervals(from: f, to: t)
        default:
            throw Problem.badRequest(from == nil ? "from" : "to", "from と to は組で指定してください")
        }
        return try JSON.response(reading)
    }
}
