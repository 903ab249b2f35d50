import Foundation
import Testing
import KakehashiCache

@Suite struct ByteBudgetCacheTests {
    @Test func staysWithinItsBudget() {
        let cache = ByteBudgetCache<Int, [UInt8]>(budget: 10_000)
        for i in 0..<1_000 {
            cache.store([UInt8](repeating: 1, count: 300), bytes: 300, for: i)
            #expect(cache.usage.bytes <= 10_000)
        }
        #expect(cache.usage.entries <= 33)
        #expect(cache.usage.evicted > 900)
        #expect(cache.value(999) != nil)
    }

    @Test func evictsTheLeastRecentlyUsed() {
        let cache = ByteBudgetCache<String, Int>(budget: 400)
        for k in ["a", "b", "c", "d"] { cache.store(0, bytes: 100, for: k) }
        _ = cache.value("a")  // a is now the most recent
        cache.store(0, bytes: 100, for: "e")
        #expect(cache.value("a") != nil)
        #expect(cache.value("b") == nil)
        #expect(cache.value("e") != nil)
    }

    @Test func aValueLargerThanTheBudgetIsNotKept() {
        let cache = ByteBudgetCache<Int, Int>(budget: 100)
        cache.store(1, bytes: 50, for: 1)
        #expect(cache.value(2) { (2, 101) } == 2)
        #expect(cache.value(2) == nil)
        #expect(cache.usage == .init(entries: 1, bytes: 50, budget: 100, evicted: 0))
        // Replacing a key frees its old bytes.
        cache.store(3, bytes: 60, for: 1)
        #expect(cache.usage.bytes == 60)
    }

    @Test func valuesExpireAfterTheirLifetime() {
        let cache = ByteBudgetCache<Int, Int>(budget: 100, lifetime: 60)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        cache.store(1, bytes: 10, for: 1, now: t0)
        #expect(cache.value(1, now: t0.addingTimeInterval(59)) == 1)
        #expect(cache.value(1, now: t0.addingTimeInterval(60)) == nil)
        #expect(cache.usage.bytes == 0)
    }
}
