import Foundation
import KakehashiGeo
import KakehashiModel
import Testing
@testable import KakehashiCoverage
@testable import KakehashiStore

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

    /// An entry's sources: one dataset shares a prepared reference; several are sorted, each once,
    /// and a dataset the index does not know is left out, whichever way they are gathered.
    @Test func anEntryCitesEachOfItsDatasetsOnce() {
        let datasets = Dictionary(uniqueKeysWithValues: [2, 5, 9].map { (Int64($0), ProviderFactsSnapshot.Dataset(
            id: Int64($0), sourceKind: "providers", fileName: "f\($0).csv", referenceDate: nil, loadedAt: "2026-12-07T00:00:00Z", credit: "")) })
        let index = CoverageIndex(ProviderFactsSnapshot(providers: [], municipalities: [], towns: [], datasets: datasets), settings: .init())
        for ids in [[5], [5, 5], [5, 2], [9, 5, 2, 5], [7], [7, 2], [5, 7]] as [[Int64]] {
            var gathered = CoverageIndex.SourceIDs(first: ids[0])
            for id in ids.dropFirst() { gathered.add(id) }
            let refs = index.sourceRefs(gathered)
            #expect(refs == index.sourceRefs(ids), "\(ids)")
            #expect(refs.map(\.dataset) == Array(Set(ids.filter { datasets[$0] != nil })).sorted(), "\(ids)")
        }
    }
}
