import Foundation
import KakehashiCoverage

/// The JSON of what a coverage entry shows of its provider alone — contact (without an on-call
/// number), kind, place, name, ids, source — written once per provider and copied into every
/// answer that shows it: writing those dozen values again for each of a page's twenty entries was
/// most of the response's cost. Kept per loaded data version (a reload starts a new set).
///
/// The pieces live in one arena that is only appended to, under the lock, and never moved: a
/// request reads them by pointer without reference counting (per-fragment arrays shared by both
/// event loops spent most of their time bouncing their reference counts between cores). When the
/// arena is full, further providers are written in full for every answer.
final class EntryFragments: @unchecked Sendable {
    /// One provider's pieces, in the order the sorted keys put them: `contact`'s object (up to
    /// `contactEnd`), `,"kind":…,"lat":…,"lon":…,"name":…` (to `placeEnd`),
    /// `,"official_id":…,"provider_id":…` (to `idsEnd`), `,"source":…` (to `end`).
    struct Fragment {
        let base: UnsafePointer<UInt8>
        let contactEnd: Int
        let placeEnd: Int
        let idsEnd: Int
        let end: Int

        func bytes(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base + range.lowerBound, count: range.count) }
    }

    private let lock = NSLock()
    private var offsets: [Int64: Int] = [:]
    private let arena: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var used = 0

    /// `capacity` bytes are reserved, and become resident as they are written.
    init(capacity: Int = 16 << 20) {
        self.capacity = capacity
        arena = .allocate(capacity: capacity)
    }

    deinit { arena.deallocate() }

    /// The pieces of each entry's provider, nil where it was not written yet (it is written now,
    /// for the next answer).
    func fragments(for entries: [CoverageEntry?]) -> [Fragment?] {
        var found = [Fragment?](repeating: nil, count: entries.count)
        var missing: [Int] = []
        lock.lock()
        for k in entries.indices {
            guard let e = entries[k] else { continue }
            if let o = offsets[e.providerID] { found[k] = fragment(at: o) } else { missing.append(k) }
        }
        lock.unlock()
        guard !missing.isEmpty else { return found }
        let written = missing.map { k -> (Int64, [Int], [UInt8]) in
            var w = CoverageJSON(capacity: 256)
            let e = entries[k]!
            w.contact(e.contact)
            let contactEnd = w.bytes.count
            w.place(e)
            let placeEnd = w.bytes.count
            w.ids(e)
            let idsEnd = w.bytes.count
            w.sourceMember(e)
            return (e.providerID, [contactEnd, placeEnd, idsEnd, w.bytes.count], w.bytes)
        }
        lock.lock()
        defer { lock.unlock() }
        for (id, ends, bytes) in written where offsets[id] == nil && used + 32 + bytes.count <= capacity {
            let header = UnsafeMutableRawPointer(arena + used)
            for (i, v) in ends.enumerated() { header.storeBytes(of: Int64(v), toByteOffset: i * 8, as: Int64.self) }
            bytes.withUnsafeBufferPointer { (arena + used + 32).update(from: $0.baseAddress!, count: bytes.count) }
            offsets[id] = used
            used += (32 + bytes.count + 7) & ~7
        }
        return found
    }

    private func fragment(at offset: Int) -> Fragment {
        let header = UnsafeRawPointer(arena + offset)
        func end(_ i: Int) -> Int { Int(header.load(fromByteOffset: i * 8, as: Int64.self)) }
        return Fragment(base: UnsafePointer(arena + offset + 32), contactEnd: end(0), placeEnd: end(1), idsEnd: end(2), end: end(3))
    }
}
