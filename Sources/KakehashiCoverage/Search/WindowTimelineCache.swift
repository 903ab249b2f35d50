import Foundation
import Synchronization

/// The availability groups' timelines for the windows lookups ask about most recently.
///
/// A group's timeline depends only on the group and the window (an on-call report makes a
/// provider's own timeline, never a group's), and lookups across a region mostly ask one window —
/// tonight of one date. Worked out per lookup, the groups' opening hours took about a quarter of
/// the engine's CPU (0.72× with this cache, on the region workload). Each window keeps every
/// group's rank from its first use, and its timeline up to `windowBudget` bytes; groups with equal
/// timelines share one (in one window most groups' are alike: closed tonight until one of a few
/// opening times), so the budget holds far more than its 60,000 timelines' worth. The least
/// recently asked window goes when `windows` are kept. So at most `windows × windowBudget` bytes
/// are held (or 12 bytes a group per window, where the groups' slots and ranks alone pass the
/// budget: past 700,000 groups at 8 MB), a client asking ever new windows costs those 12 bytes a
/// group per window, and nothing is worked out that a lookup did not need.
final class WindowTimelineCache: @unchecked Sendable {
    struct Window: Hashable {
        let from: Double
        let to: Double
    }

    /// One window's timelines and ranks, filled as lookups meet its groups.
    final class Timelines: @unchecked Sendable {
        private let lock = NSLock()
        /// Per group: its place in `kept`, or -1. Read and written under the lock only (unchecked:
        /// the runtime's exclusivity checks cost each page entry two thread-local lookups).
        @exclusivity(unchecked) private var slot: [Int32]
        @exclusivity(unchecked) private var kept: [Availability.Timeline] = []
        private var keptPlace: [Availability.Timeline: Int32] = [:]
        /// Per group: its rank bits (``Weighing/groupRank(_:)``) or ``unranked``; read and written
        /// without the lock, as every writer of a group writes the same bits. Kept for every group,
        /// past the budget too: a lookup's count asks the rank of each group near the point.
        private let ranks: UnsafeMutablePointer<Atomic<UInt64>>
        private let groups: Int
        static let unranked = UInt64.max
        /// About what the window holds: its slots and ranks, and each kept timeline with its intervals.
        private var bytes: Int
        private let budget: Int

        init(groups: Int, budget: Int) {
            slot = [Int32](repeating: -1, count: groups)
            ranks = .allocate(capacity: groups)
            for g in 0..<groups { (ranks + g).initialize(to: Atomic(Self.unranked)) }
            self.groups = groups
            bytes = groups * 12
            self.budget = budget
        }

        deinit {
            ranks.deinitialize(count: groups)
            ranks.deallocate()
        }

        func rank(_ group: AvailabilityGroup) -> UInt64 {
            precondition(Int(group) < groups)  // a raw pointer: no array's bounds check
            return ranks[Int(group)].load(ordering: .relaxed)
        }

        func setRank(_ group: AvailabilityGroup, _ rank: UInt64) {
            precondition(Int(group) < groups)
            ranks[Int(group)].store(rank, ordering: .relaxed)
        }

        /// The group's timeline, worked out by `work` (outside the lock) at its first use.
        func timeline(_ group: AvailabilityGroup, work: () -> Availability.Timeline) -> Availability.Timeline {
            lock.lock()
            let k = slot[Int(group)]
            if k >= 0 {
                defer { lock.unlock() }
                return kept[Int(k)]
            }
            lock.unlock()
            let t = work()
            lock.lock(); defer { lock.unlock() }
            guard slot[Int(group)] < 0 else { return t }
            if let k = keptPlace[t] {
                slot[Int(group)] = k
                return kept[Int(k)]
            }
            let cost = 160 + 40 * t.covered.count  // in `kept` and as a key of `keptPlace`
            if bytes + cost <= budget {
                bytes += cost
                kept.append(t)
                keptPlace[t] = Int32(kept.count - 1)
                slot[Int(group)] = Int32(kept.count - 1)
            }
            return t
        }
    }

    private let lock = NSLock()
    private let groups: Int
    private let windows: Int
    private let windowBudget: Int
    private var held: [Window: (timelines: Timelines, used: UInt64)] = [:]
    private var clock: UInt64 = 0

    init(groups: Int, windows: Int = 4, windowBudget: Int = 8 << 20) {
        self.groups = groups
        self.windows = max(1, windows)
        self.windowBudget = windowBudget
    }

    /// The timelines of a window, kept or new.
    func timelines(from: Double, to: Double) -> Timelines {
        let w = Window(from: from, to: to)
        lock.lock(); defer { lock.unlock() }
        clock += 1
        if let h = held[w] {
            held[w] = (h.timelines, clock)
            return h.timelines
        }
        if held.count >= windows, let oldest = held.min(by: { $0.value.used < $1.value.used })?.key { held[oldest] = nil }
        let t = Timelines(groups: groups, budget: windowBudget)
        held[w] = (t, clock)
        return t
    }
}
