import Foundation
import KakehashiHours
import KakehashiModel
import KakehashiStore
import Testing
@testable import KakehashiCoverage

/// The three availability layers, merged over a window.
@Suite struct AvailabilityTests {
    /// 2026-11-24 (a Tuesday) 18:00 to 09:00 the next morning, Tokyo.
    let tonight = CoverageWindow.tonight(CivilDate(year: 2026, month: 11, day: 24))
    var from: Double { tonight.from.timeIntervalSince1970 }
    var to: Double { tonight.to.timeIntervalSince1970 }
    var now: Date { tonight.from.addingTimeInterval(-3_600) }

    func timeline(capability: Bool = false, night: Bool = false, hours: [String] = [], report: OnCallReport? = nil) throws -> Availability.Timeline {
        try Availability.timeline(roundTheClock: capability, nightService: night, hours: hours.map { try OpeningHours($0) }, report: report,
                                  from: from, to: to, now: now)
    }

    func report(hours: ClosedRange<Double>, endsBeforeNow: Bool = false) -> OnCallReport {
        let start = tonight.from.addingTimeInterval(hours.lowerBound * 3_600)
        let end = endsBeforeNow ? now.addingTimeInterval(-60) : tonight.from.addingTimeInterval(hours.upperBound * 3_600)
        return OnCallReport(id: 1, providerID: 5, service: nil, startsAt: start, endsAt: end, contact: "090-0000-0000", note: nil,
                            reportedBy: "test", reportedAt: now)
    }

    @Test func registrationsThatMeanRoundTheClock() {
        #expect(Availability.roundTheClock([.homeSupportClinic], .homeVisitMedical))
        #expect(Availability.roundTheClock([.homeSupportHospital], .homeVisitMedical))
        #expect(!Availability.roundTheClock([.nursing24h], .homeVisitMedical))
        #expect(Availability.roundTheClock([.nursing24h], .homeVisitNursing))
        #expect(Availability.roundTheClock([], .regularVisit24h))
        #expect(Availability.roundTheClock([.pharmacy24h], .homePharmacy))
        #expect(!Availability.roundTheClock([.homeSupportClinic], .careManagement))
    }

    @Test func aCapabilityCoversTheWholeWindowAndOutranksHours() throws {
        let t = try timeline(capability: true, hours: ["Mo-Fr 09:00-18:00"])
        #expect(t.status == .covered && t.basis == .capability && t.covered.count == 1 && t.nextChange == nil)
    }

    @Test func nothingPublishedIsUnknownNotClosed() throws {
        let t = try timeline()
        #expect(t.status == .unknown && t.basis == nil && t.covered.isEmpty)
    }

    @Test func hoursClosedAllWindowExcludeTheProvider() throws {
        #expect(try timeline(hours: ["Mo-Fr 09:00-18:00"]).status == nil)
    }

    @Test func hoursThatCoverPartOfTheNight() throws {
        let t = try timeline(hours: ["Mo-Su 17:00-24:00"])
        #expect(t.status == .partial && t.basis == .hours)
        #expect(t.covered.map(\.to) == [tonight.from.addingTimeInterval(6 * 3_600)])
        #expect(t.nextChange == tonight.from.addingTimeInterval(6 * 3_600))
    }

    @Test func theNightServiceIsItsOwnCapability() throws {
        let t = try timeline(night: true)
        #expect(t.status == .partial && t.basis == .capability)  // 18:00–08:00 of an 18:00–09:00 window
        #expect(t.covered.first?.to == tonight.from.addingTimeInterval(14 * 3_600))
    }

    @Test func anActiveOnCallReportCoversItsHours() throws {
        let t = try timeline(report: report(hours: 0...6))
        #expect(t.status == .partial && t.basis == .onCall && t.covered.count == 1)
        // Expired: ignored, and noted when it ended within a day before the window.
        let expired = report(hours: 0...6, endsBeforeNow: true)
        #expect(try timeline(report: expired).status == .unknown)
        #expect(Availability.notes(expired, from: from, now: now) == ["on_call_expired"])
    }

    @Test func aReportSpeaksForItsServiceOrForAll() {
        var r = report(hours: 0...6)
        #expect(Availability.report([5: r], 5, .homeVisitNursing) != nil)
        r.service = "home_visit_medical"
        #expect(Availability.report([5: r], 5, .homeVisitNursing) == nil)
        #expect(Availability.report([5: r], 5, .homeVisitMedical) != nil)
    }
}
