import Foundation
import KakehashiCoverage
import KakehashiModel

/// An on-call report's form (`PUT /v1/providers/{id}/on-call`, the desk's "on call tonight"),
/// checked before anything is written.
struct OnCallInput: Decodable {
    var from: String?
    var to: String?
    var contact: String?
    var note: String?
    var service: String?

    static let shape = #"{"from": 日時, "to": 日時, "contact": 連絡先, "note": 備考, "service": サービス}"#

    /// The period, or a 400 problem. Without times, `night` (the night in progress) where given;
    /// `now`: a report must not end before it, where given.
    func period(night: CoverageWindow? = nil, now: Date? = nil) throws -> (from: Date, to: Date) {
        guard let from = from.map(Timestamps.parse) ?? night?.from else { throw Problem.badRequest("from", "from は ISO 8601 の日時です") }
        guard let to = to.map(Timestamps.parse) ?? night?.to else { throw Problem.badRequest("to", "to は ISO 8601 の日時です") }
        guard from < to else { throw Problem.badRequest("from", "from は to より前にしてください") }
        if let now, to <= now { throw Problem.badRequest("to", "to は今より後にしてください") }
        guard to.timeIntervalSince(from) <= 7 * 86_400 else { throw Problem.badRequest("to", "当番の期間は 7 日以内です") }
        if let s = service, ServiceKind(rawValue: s) == nil { throw Problem.badRequest("service", "service「\(s.prefix(40))」は未知です") }
        for (name, value) in [("contact", contact), ("note", note)] where (value?.count ?? 0) > 500 {
            throw Problem.badRequest(name, "\(name) は 500 文字までです")
        }
        return (from, to)
    }
}
