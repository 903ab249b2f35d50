import Testing
@testable import KakehashiServer

/// The memo arena on its own: numbers found with their bytes, across arenas replaced when full.
@Suite struct EntryMemosTests {
    static func bytes(_ number: Int, _ part: String) -> [UInt8] { Array("{\"memo\":\(number),\"\(part)\":\"\(String(repeating: "x", count: number % 97))\"".utf8) }

    @Test func memosAreFoundWithTheirBytesAcrossFreshArenas() {
        // Small arenas, so that many replace each other; numbers large, as after months of plans.
        let memos = EntryMemos(capacity: 16 << 10)
        let first = 5_000_000_000
        var kept: [Int] = []
        for number in first..<first + 2_000 {
            memos.store([(number, Self.bytes(number, "head"), Self.bytes(number, "tail"))])
            kept.append(number)
        }
        // The last arena holds the latest memos; earlier ones went with their arena. Numbers never
        // stored are not found, also those that share the last one's slot and low bits.
        let absent = [0, first + 99_999, kept.last! + (1 << 24), kept.last! + (1 << 30)]
        let (arena, found) = memos.find(kept + absent)
        var held = 0
        for (k, m) in found.enumerated() {
            guard let m else { continue }
            held += 1
            let number = (kept + absent)[k]
            #expect(Array(m.head) == Self.bytes(number, "head") && Array(m.tail) == Self.bytes(number, "tail"), "memo \(number)")
        }
        withExtendedLifetime(arena) {}
        #expect(held == memos.usage.memos && held > 20, "held \(held)")
        #expect(found.suffix(absent.count).allSatisfy { $0 == nil })
        #expect(found[kept.count - 1] != nil && found[0] == nil)
    }

    @Test func memosDeepInAFullSizeArenaAreFound() {
        // Past 8 MB of the default 32 MB arena: every bit of the packed offsets in use.
        let memos = EntryMemos()
        let numbers = Array(1...24_000)
        let head = [UInt8](repeating: 0x61, count: 300), tail = [UInt8](repeating: 0x62, count: 200)
        for chunk in stride(from: 0, to: numbers.count, by: 1_000) {
            memos.store(numbers[chunk..<chunk + 1_000].map { n in (n, head + Self.bytes(n, "h"), Self.bytes(n, "t") + tail) })
        }
        #expect(memos.usage.memos == numbers.count && memos.usage.bytes > 10 << 20, "\(memos.usage)")
        let (arena, found) = memos.find(numbers)
        let wrong = numbers.indices.filter { k in
            let n = numbers[k]
            return found[k].map { Array($0.head) != head + Self.bytes(n, "h") || Array($0.tail) != Self.bytes(n, "t") + tail } ?? true
        }
        withExtendedLifetime(arena) {}
        #expect(wrong.isEmpty, "\(wrong.count) memos wrong or missing, first \(wrong.prefix(3).map { numbers[$0] })")
    }
}
