import Foundation
import KakehashiGeo
import KakehashiModel
import Testing
@testable import KakehashiCoverage

/// An answer is a plain value: once made it needs nothing of the index that made it, so a presenter
/// never runs engine work and a reload may drop the old index while answers are being written.
@Suite struct AnswerValueTests {
    @Test func aPlannedAnswerOutlivesItsIndex() throws {
        let placed = (1...60).map { k in (Int64(k), EligibilityTests.north(of: RankingTests.patient, metres: Double(k) * 150)) }
        weak var gone: CoverageIndex?
        let (answer, fromPlan) = try {
            let index = RankingTests.index(placed, planCacheBytes: 8 << 20)
            gone = index
            let q = RankingTests.query(limit: 20)
            let place = index.locate(q)
            _ = index.answerFromPlans(q, place, reports: [:], version: 0)  // the first request of a key builds nothing
            let planned = try #require(index.answerFromPlans(q, place, reports: [:], version: 0))
            return (planned, index.answer(q, onCall: OnCallBoard()))
        }()
        #expect(gone == nil, "the answer keeps its index alive")
        #expect(answer.page.filter { $0.memo > 0 }.count == 20, "entries a plan vouches for")
        #expect(answer.results.map(\.providerID) == Array(1...20).map(Int64.init))
        #expect(answer.results.map(\.distanceM) == fromPlan.results.map(\.distanceM))
        #expect(answer.results.map(\.distanceM) == (1...20).map { Double($0) * 150 })
        #expect(answer.datasets.map(\.dataset) == [1])
    }
}
