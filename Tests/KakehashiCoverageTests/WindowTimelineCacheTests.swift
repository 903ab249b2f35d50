import Foundation
import Testing
@testable import KakehashiCoverage

/// A group's timeline is worked out once per window and shared by the window's lookups; windows
/// are apart, and the least recently asked one goes first.
@Suite struct WindowTimelineCacheTests {
    static func timeline(_ seconds: Double) -> Availability.Timeline {
        Availability.Timeline(status: .covered, basis: .hours,
                              covered: [CoveredInterval(from: Date(timeIntervalSince1970: 0), to: Date(timeIntervalSince1970: seconds), basis: .hours)],
                              nextChange: nil)
    }

    @Test func aGroupIsWorkedOutOncePerWindow() {
        let cache = WindowTimelineCache(groups: 4)
        var worked = 0
        for _ in 0..<3 {
            let t = cache.timelines(from: 0, to: 3600).timeline(2) { worked += 1; return Self.timeline(3600) }
            #expect(t.covered.first?.to == Date(timeIntervalSince1970: 3600))
        }
        #expect(worked == 1)
        // Another group of the window, and the same group of another window, are worked out anew.
        _ = cache.timelines(from: 0, to: 3600).timeline(3) { worked += 1; return Self.timeline(1) }
        let other = cache.timelines(from: 0, to: 7200).timeline(2) { worked += 1; return Self.timeline(7200) }
        #expect(worked == 3)
        #expect(other.covered.first?.to == Date(timeIntervalSince1970: 7200))
    }

    @Test func aWindowKeepsNoMoreThanItsBudget() {
        // Slots and ranks of 4 groups (48 bytes) and room for one timeline of one interval (200 bytes).
        let cache = WindowTimelineCache(groups: 4, windowBudget: 48 + 200)
        var worked = 0
        for group: AvailabilityGroup in [0, 1, 0, 1] {
            _ = cache.timelines(from: 0, to: 60).timeline(group) { worked += 1; return Self.timeline(60 + Double(group)) }
        }
        #expect(worked == 3)  // group 1 found no room: worked out at each use
    }

    @Test func groupsWithEqualTimelinesShareOne() {
        let cache = WindowTimelineCache(groups: 4, windowBudget: 48 + 200)
        var worked = 0
        for group: AvailabilityGroup in [0, 1, 2, 1, 2] { _ = cache.timelines(from: 0, to: 60).timeline(group) { worked += 1; return Self.timeline(60) } }
        #expect(worked == 3)  // groups 1 and 2 kept past the budget: their timeline is group 0's
    }

    @Test func ranksAreKeptForEveryGroupOfAWindow() {
        let cache = WindowTimelineCache(groups: 3, windowBudget: 0)
        let window = cache.timelines(from: 0, to: 60)
        #expect(window.rank(2) == WindowTimelineCache.Timelines.unranked)
        window.setRank(2, 42)
        #expect(cache.timelines(from: 0, to: 60).rank(2) == 42)
        #expect(cache.timelines(from: 0, to: 120).rank(2) == WindowTimelineCache.Timelines.unranked)
    }

    @Test func theLeastRecentlyAskedWindowGoes() {
        let cache = WindowTimelineCache(groups: 1, windows: 2)
        var worked = 0
        func ask(_ to: Double) { _ = cache.timelines(from: 0, to: to).timeline(0) { worked += 1; return Self.timeline(to) } }
        ask(1); ask(2); ask(1)  // 1 asked after 2
        ask(3)  // 2 goes
        #expect(worked == 3)
        ask(1)
        #expect(worked == 3)
        ask(2)
        #expect(worked == 4)
    }
}
