import Foundation

/// The availability groups' timelines for the windows lookups ask about most recently.
///
/// A group's timeline depends only on the group and the window (an on-call report makes a
/// provider's own timeline, never a group's), and lookups across a region mostly ask one window —
/// tonight of one date. Worked out per lookup, the groups' opening hours took about a quarter of
/// the engine's CPU (0.72× with this cache, on the region workload). Each window keeps a group's timeline from its first use, up to
/// `windowBudget` bytes (about 60,000 groups' worth); the least recently asked window goes when
/// `windows` are kept. So at most `windows × windowBudget` bytes are held, a client asking ever new
/// windows costs an array of group numbers per window, and nothing is worked out that a lookup did
/// not need.
final class WindowTimelineCache: @unchecked Sendable {
    struct Window: Hashable {
        let from: Double
        let to: Double
    }

    /// One window's timelines, filled as lookups meet its groups.
    final class Timelines: @unchecked Sendable {
        private let lock = NSLock()
        /// Per group: its place in `kept`, or -1.
        private var slot: [Int32]
        private var kept: [Availability.Timeline] = []
        /// About what the window holds: its slots and each kept timeline with its intervals.
        private var bytes: Int
        private let budget: Int

        init(groups: Int, budget: Int) {
            slot = [Int32](repeating: -1, count: groups)
            bytes = groups * 4
            self.budget = budget
        }

        /// The group's timeline, worked out by `work` (outside the lock) at its first use.
        func timeline(_ group: UInt16, work: () -> Availability.Timeline) -> Availability.Timeline {
            lock.lock()
            let k = slot[Int(group)]
            if k >= 0 {
                defer { lock.unlock() }
                return kept[Int(k)]
            }
            lock.unlock()
            let t = work()
            lock.lock(); defer { lock.unlock() }
            let cost = 96 + 40 * t.covered.count
            if slot[Int(group)] < 0, bytes + cost <= budget {
                bytes += cost
                kept.append(t)
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
