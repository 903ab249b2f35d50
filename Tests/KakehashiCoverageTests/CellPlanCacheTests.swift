import Foundation
import KakehashiModel
import Testing
@testable import KakehashiCoverage

/// Plans are built only while they pay (``PlanAdmission``): a window of builds whose plans go unread
/// for their first seconds raises the build threshold; plans read often bring it back.
@Suite struct CellPlanCacheTests {
    /// A clock the test moves.
    final class Clock: @unchecked Sendable {
        var now = 0.0
    }

    static func key(_ cell: Int64) -> CellPlan.Key {
        CellPlan.Key(cell: cell, service: .homeVisitMedical, municipality: nil, from: 0, to: 3600, board: 0)
    }

    static func plan() -> CellPlan {
        CellPlan(service: .homeVisitMedical, timelines: [], qualified: [], undecided: [], towns: nil, memos: { _ in [] })
    }

    static func cache(_ clock: Clock) -> CellPlanCache {
        CellPlanCache(budget: 64 << 20, buildAt: 2, clock: { clock.now })
    }

    /// Asks each of `cells` `times` times; returns how many plans were built.
    @discardableResult
    static func ask(_ cache: CellPlanCache, cells: Range<Int64>, times: Int) -> Int {
        var built = 0
        for cell in cells {
            for _ in 0..<times { _ = cache.plan(key(cell)) { built += 1; return plan() } }
        }
        return built
    }

    static let window = Int64(PlanAdmission.window)

    @Test func spreadQuestionsRaiseTheThresholdUntilPlansStop() {
        let clock = Clock(), cache = Self.cache(clock)
        // Each cell asked three times: built at the 2nd request, read once.
        #expect(Self.ask(cache, cells: 0..<Self.window, times: 3) == Int(Self.window))
        #expect(cache.buildThreshold == 2)  // not judged before its plans have had their time
        clock.now = 10
        Self.ask(cache, cells: 999_999..<1_000_000, times: 1)
        #expect(cache.buildThreshold == 4)
        // Asked five times: built at the 4th request, read once — unpaid again.
        #expect(Self.ask(cache, cells: Self.window..<2 * Self.window, times: 5) == Int(Self.window))
        clock.now = 20
        Self.ask(cache, cells: 999_999..<1_000_000, times: 1)
        #expect(cache.buildThreshold == 8)
        // The spread goes on, each cell asked seven times: no plan is built any more.
        var more = 0
        for round in 1...12 {
            clock.now += 1
            more += Self.ask(cache, cells: Int64(round * 1_000)..<Int64(round * 1_000 + 200), times: 7)
        }
        #expect(more == 0 && cache.buildThreshold == 8)
        // A minute with nothing built: the threshold is tried lower again.
        clock.now += PlanAdmission.probeAfter
        Self.ask(cache, cells: 999_999..<1_000_000, times: 1)
        #expect(cache.buildThreshold == 4)
    }

    @Test func aBurstOfBuildsIsJudgedByTheReadsThatFollow() {
        // A town's cells all reach the count at once (every key built within a moment), then are read.
        let clock = Clock(), cache = Self.cache(clock)
        #expect(Self.ask(cache, cells: 0..<10 * Self.window, times: 2) == Int(10 * Self.window))
        clock.now = 1
        Self.ask(cache, cells: 0..<10 * Self.window, times: 40)
        clock.now = 6
        Self.ask(cache, cells: 0..<1, times: 1)
        #expect(cache.buildThreshold == 2)
    }

    @Test func aThresholdRaisedComesBackWhenPlansArePaidAgain() {
        let clock = Clock(), cache = Self.cache(clock)
        Self.ask(cache, cells: 0..<Self.window, times: 2)  // built, never read
        clock.now = 10
        Self.ask(cache, cells: 0..<1, times: 1)
        #expect(cache.buildThreshold == 4)
        // A town's desk: the same cells asked over and over.
        Self.ask(cache, cells: 10_000..<10_000 + Self.window, times: 4 + 40)
        clock.now = 20
        Self.ask(cache, cells: 0..<1, times: 1)
        #expect(cache.buildThreshold == 2)
    }

    @Test func aBusyOldPlanDoesNotPayForBuildsElsewhere() {
        let clock = Clock(), cache = Self.cache(clock)
        let desk = Int64(1_000_000)
        Self.ask(cache, cells: desk..<desk + 1, times: 2)  // a desk's cell, asked all day from now on
        clock.now = 10
        // Spread questions: each cell asked three times (built at the 2nd, read once), the desk read 100 times
        // between them. Only each window's own plans count for it.
        for cell in 0..<4 * Self.window {
            Self.ask(cache, cells: cell..<cell + 1, times: 3)
            Self.ask(cache, cells: desk..<desk + 1, times: 100)
        }
        clock.now = 20
        Self.ask(cache, cells: desk..<desk + 1, times: 1)
        #expect(cache.buildThreshold > 2)
    }
}
