import Foundation

/// A stage of (ア)–(ク) progress (`PUT /v1/progress/{code}/{item}/{fiscal_year}`).
struct ProgressInput: Decodable {
    var stage: String?
    var recordedOn: String?
    var note: String?
    static let shape = #"{"stage": "not_started|considering|implementing|evaluating"（未着手・検討中・実施中・評価・改善も可）, "recorded_on": "YYYY-MM-DD", "note": 備考}"#
}
