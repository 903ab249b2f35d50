import Foundation
import KakehashiCoverage

/// The JSON of whole coverage entries the engine marks as the same but for their distance (a
/// ``PageEntry/memo`` number: a provider a cell plan vouches for, for one service, window and
/// municipality), written once and copied into every page that shows them. Building and writing an
/// entry — its area rule, sources, availability, a dozen strings — cost about a microsecond and a
/// half; copying it costs a tenth of that. Kept per loaded data version (memo numbers belong to
/// one index).
///
/// Like ``EntryFragments``, an arena only appended to under the lock and read by pointer: a request
/// holds the arena it read from until it has copied the bytes. When the arena is full a fresh one
/// replaces it (memo numbers keep coming as plans are rebuilt), and the old one goes with its last
/// reader.
final class EntryMemos: @unchecked Sendable {
    /// One entry's bytes before `,"distance_m":…` (`head`) and after it (`tail`).
    struct Memo {
        let head: UnsafeBufferPointer<UInt8>
        let tail: UnsafeBufferPointer<UInt8>
    }

    final class Arena {
        fileprivate let storage: UnsafeMutableRawPointer
        fileprivate let capacity: Int
        fileprivate var used = 0
        fileprivate var count = 0
        // Memo number → offset, open addressing: numbers are handed out in sequence, so the number
        // itself spreads them over the slots (a `Dictionary` hashed each one with SipHash). A slot
        // packs the number (high bits; numbers are handed out one by one and stay far below the
        // 2^39 this leaves them) with the offset in 8-byte units (low 24 bits): one load per
        // probe — the table is megabytes, and a second array was a second cache miss per memo.
        private let slots: UnsafeMutablePointer<Int>
        private let mask: Int

        fileprivate init(capacity: Int) {
            precondition(capacity <= 8 << 24, "offsets in 8-byte units must fit in 24 bits")
            self.capacity = capacity
            storage = .allocate(byteCount: capacity, alignment: 8)
            // Twice as many slots as the smallest memos (≈ 400 bytes) could fill.
            var n = 1024
            while n < capacity / 200 { n *= 2 }
            mask = n - 1
            slots = .allocate(capacity: n)
            slots.initialize(repeating: 0, count: n)
        }

        deinit {
            storage.deallocate()
            slots.deallocate()
        }

        fileprivate func offset(of number: Int) -> Int? {
            var k = number & mask
            while true {
                let slot = slots[k]
                if slot >> 24 == number { return (slot & 0xFF_FFFF) * 8 }
                if slot == 0 { return nil }
                k = (k + 1) & mask
            }
        }

        fileprivate func memo(at offset: Int) -> Memo {
            let header = storage + offset
            let head = Int(header.load(as: Int32.self)), tail = Int(header.load(fromByteOffset: 4, as: Int32.self))
            let bytes = (header + 8).assumingMemoryBound(to: UInt8.self)
            return Memo(head: UnsafeBufferPointer(start: bytes, count: head), tail: UnsafeBufferPointer(start: bytes + head, count: tail))
        }

        /// Appends a memo; false when it does not fit.
        fileprivate func append(_ number: Int, head: [UInt8], tail: [UInt8]) -> Bool {
            let size = (8 + head.count + tail.count + 7) & ~7
            guard used + size <= capacity, count * 2 < mask else { return false }
            let header = storage + used
            header.storeBytes(of: Int32(head.count), as: Int32.self)
            header.storeBytes(of: Int32(tail.count), toByteOffset: 4, as: Int32.self)
            let bytes = header + 8
            head.withUnsafeBytes { bytes.copyMemory(from: $0.baseAddress!, byteCount: head.count) }
            tail.withUnsafeBytes { (bytes + head.count).copyMemory(from: $0.baseAddress!, byteCount: tail.count) }
            var k = number & mask
            while slots[k] != 0 { k = (k + 1) & mask }
            slots[k] = number << 24 | used / 8
            used += size
            count += 1
            return true
        }
    }

    private let lock = NSLock()
    private var arena: Arena
    private let capacity: Int

    /// `capacity` bytes per arena, resident as they are written.
    init(capacity: Int = 32 << 20) {
        self.capacity = capacity
        arena = Arena(capacity: capacity)
    }

    /// The memos of these numbers (0: none asked), and the arena to hold while reading them.
    func find(_ numbers: [Int]) -> (Arena, [Memo?]) {
        lock.lock(); defer { lock.unlock() }
        let a = arena
        return (a, numbers.map { n in n > 0 ? a.offset(of: n).map(a.memo(at:)) : nil })
    }

    /// Reads a byte of every cache line of the memos, all at once: the page's memos lie apart in
    /// the arena and mostly out of the cache, and copying them one by one waited for each in turn;
    /// loads that do not depend on each other are fetched side by side.
    static func touch(_ memos: [Memo?]) {
        var sum: UInt8 = 0
        for m in memos {
            guard let m else { continue }
            // Head and tail are contiguous.
            let start = m.head.baseAddress!, count = m.head.count + m.tail.count
            var k = 0
            while k < count { sum &+= start[k]; k += 64 }
        }
        consume(sum)
    }

    @inline(never) @_optimize(none) static func consume(_ value: UInt8) { _ = value }

    /// Keeps memos written for the next pages that show them.
    func store(_ memos: [(number: Int, head: [UInt8], tail: [UInt8])]) {
        lock.lock(); defer { lock.unlock() }
        for m in memos where arena.offset(of: m.number) == nil {
            if !arena.append(m.number, head: m.head, tail: m.tail) {
                guard 8 + m.head.count + m.tail.count <= capacity else { continue }
                arena = Arena(capacity: capacity)
                _ = arena.append(m.number, head: m.head, tail: m.tail)
            }
        }
    }

    /// How many memos the current arena holds and its bytes written (for tests).
    var usage: (memos: Int, bytes: Int) {
        lock.lock(); defer { lock.unlock() }
        return (arena.count, arena.used)
    }
}
