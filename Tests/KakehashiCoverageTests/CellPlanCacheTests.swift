import Foundation
import KakehashiModel
import Testing
@testable import KakehashiCoverage

/// Plans are built only while they pay: the build threshold rises when plans go unread and comes
/// back when they are read again.
@Suite struct CellPlanCacheTests {
    static func key(_ cell: Int64) -> CellPlan.Key {
        CellPlan.Key(cell: cell, service: .homeVisitMedical, municipality: nil, from: 0, to: 3600, board: 0)
    }

    static func plan() -> CellPlan {
        CellPlan(service: .homeVisitMedical, timelines: [], qualified: [], undecided: [], towns: nil, memos: { _ in [] })
    }

    /// Asks each of `cells` (starting at `first`) `times` times; returns how many plans were built.
    static func ask(_ cache: CellPlanCache, cells: Range<Int64>, times: Int) -> Int {
        var built = 0
        for cell in cells {
            for _ in 0..<times { _ = cache.plan(key(cell)) { built += 1; return plan() } }
        }
        return built
    }

    @Test func spreadQuestionsRaiseTheThresholdUntilPlansStop() {
        let cache = CellPlanCache(budget: 64 << 20, buildAt: 2)
        let window = Int64(CellPlanCache.window)
        // Each cell asked three times: its plan is built at the 2nd request and read once.
        #expect(Self.ask(cache, cells: 0..<window, times: 3) == CellPlanCache.window)
        #expect(cache.buildThreshold == 4)
        // Asked five times: built at the 4th request, read once — still unpaid, so it doubles again.
        #expect(Self.ask(cache, cells: window..<2 * window, times: 5) == CellPlanCache.window)
        #expect(cache.buildThreshold == 8)
        // The same spread goes on, each cell asked seven times: no plan is built any more.
        var more = 0
        for round in 1...12 {
            more += Self.ask(cache, cells: Int64(round * 1_000)..<Int64(round * 1_000 + 200), times: 7)
        }
        #expect(more == 0)
        #expect(cache.buildThreshold == 8)
    }

    @Test func plansReadOftenKeepTheConfiguredThreshold() {
        let cache = CellPlanCache(budget: 64 << 20, buildAt: 2)
        let built = Self.ask(cache, cells: 0..<Int64(CellPlanCache.window * 2), times: 2 + CellPlanCache.paybackReads * 5)
        #expect(built == CellPlanCache.window * 2)
        #expect(cache.buildThreshold == 2)
    }

    @Test func thresholdComesBackWhenPlansArePaidAgain() {
        let cache = CellPlanCache(budget: 64 << 20, buildAt: 2)
        _ = Self.ask(cache, cells: 0..<Int64(CellPlanCache.window), times: 2)  // built, never read
        #expect(cache.buildThreshold == 4)
        // A town's desk: the same cells asked hundreds of times.
        _ = Self.ask(cache, cells: 10_000..<10_000 + Int64(CellPlanCache.window), times: 4 + CellPlanCache.paybackReads * 5)
        #expect(cache.buildThreshold == 2)
    }

    @Test func aBusyOldPlanDoesNotPayForBuildsElsewhere() {
        let cache = CellPlanCache(budget: 64 << 20, buildAt: 2)
        let desk = Int64(1_000_000)
        _ = Self.ask(cache, cells: desk..<desk + 1, times: 2)  // a desk's cell, asked all day from now on
        // Spread questions: each cell asked three times (built at the 2nd, read once), the desk read 100 times
        // between them. Once two windows of builds have passed, the desk's reads no longer count.
        for cell in 0..<Int64(4 * CellPlanCache.window) {
            _ = Self.ask(cache, cells: cell..<cell + 1, times: 3)
            _ = Self.ask(cache, cells: desk..<desk + 1, times: 100)
        }
        #expect(cache.buildThreshold > 2)
    }
}
