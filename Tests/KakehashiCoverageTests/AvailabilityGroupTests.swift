import Foundation
import KakehashiGeo
import KakehashiModel
import Testing
@testable import KakehashiCoverage
@testable import KakehashiStore

/// National data holds more distinct hours than 65,535: every provider still belongs to an
/// availability group, and the search over them gives the full scan's answer.
@Suite struct AvailabilityGroupTests {
    /// `count` medical providers within a few kilometres of the patient, each with its own hours.
    static func index(_ count: Int) -> CoverageIndex {
        func clock(_ quarter: Int) -> String { String(format: "%02d:%02d", quarter / 4, quarter % 4 * 15) }
        let providers = (0..<count).map { k in
            var p = ProviderFactsSnapshot.Provider(id: Int64(k + 1), source: "providers", officialID: "P\(k)", kind: "clinic", name: "診療所\(k)", datasetID: 1)
            p.location = EligibilityTests.north(of: RankingTests.patient, metres: Double(k % 5_000))
            p.services = [ServiceKind.homeVisitMedical.rawValue]
            // 48 × 48 × 48 distinct values: opening before noon, closing after it, Saturday's opening.
            let hours = k % 2_000 == 1_999 ? "24/7" : "Mo-Fr \(clock(k % 48))-\(clock(48 + k / 48 % 48)); Sa \(clock(k / 2_304 % 48))-12:00"
            p.hours = [.init(service: ServiceKind.homeVisitMedical.rawValue, scope: "service", label: nil, openingHours: hours, datasetID: 1)]
            return p
        }
        let dataset = ProviderFactsSnapshot.Dataset(id: 1, sourceKind: "providers", fileName: "test.csv", referenceDate: nil,
                                                    loadedAt: "2026-11-24T00:00:00Z", credit: "")
        return CoverageIndex(ProviderFactsSnapshot(providers: providers, municipalities: [], towns: [], datasets: [1: dataset]),
                             settings: .init(planCacheBytes: 0, planAfterRequests: 2))
    }

    /// 16 bits a cell until a group needs more; the cells before keep their groups when it widens.
    @Test func aGroupTableWidensAtTheFirstGroupPast16Bits() {
        var table = GroupTable()
        table.append(contentsOf: [0, CoverageIndex.ungrouped, 65_534])
        #expect([0, 1, 2].map { table[$0] } == [0, CoverageIndex.ungrouped, 65_534])
        table.append(contentsOf: [65_535, CoverageIndex.ungrouped, 70_000])
        #expect((0..<6).map { table[$0] } == [0, CoverageIndex.ungrouped, 65_534, 65_535, CoverageIndex.ungrouped, 70_000])
    }

    @Test func moreThan65535GroupsAreAllGrouped() throws {
        let index = Self.index(66_000)
        #expect(index.groupKeys.count > 65_535)
        let medical = ServiceKind.homeVisitMedical.ordinal, width = ServiceKind.allCases.count
        #expect((0..<66_000).allSatisfy { index.groups[$0 * width + medical] != CoverageIndex.ungrouped })
        // At the provider of the last group open tonight: it and its neighbours make the page.
        let window = RankingTests.window, (from, to) = (window.from.timeIntervalSince1970, window.to.timeIntervalSince1970)
        let last = (0..<66_000).filter {
            index.availability(index.providers[$0], service: .homeVisitMedical, from: from, to: to, report: nil, now: window.from).status != nil
        }.max { index.groups[$0 * width + medical] < index.groups[$1 * width + medical] }!
        let patient = try #require(index.providers[last].facts.location)
        let q = CoverageQuery(point: patient, services: [.homeVisitMedical], window: RankingTests.window, limit: 50, now: RankingTests.window.from)
        let searched = index.answer(q, onCall: OnCallBoard()), scanned = index.answerByFullScan(q, onCall: OnCallBoard())
        #expect(searched.total == scanned.total)
        #expect(searched.total > 0 && searched.total < 66_000)  // some open tonight, not all
        #expect(searched.results.map(\.providerID) == scanned.results.map(\.providerID))
        let numbers = searched.results.compactMap { index.index(of: $0.providerID) }
        #expect(numbers.contains { index.groups[Int($0) * width + medical] >= 65_535 })
        #expect(Set(searched.results.map(\.status)).count > 1)  // 24/7 first, then the evenings
        // Each entry as its own hours say, worked out apart from the window's shared timelines.
        for (entry, i) in zip(searched.results, numbers) {
            let own = index.availability(index.providers[Int(i)], service: .homeVisitMedical, from: from, to: to, report: nil, now: q.now)
            #expect(entry.status == own.status && entry.basis == own.basis, "\(entry.providerID)")
        }
    }
}
