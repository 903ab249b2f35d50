/// When a cell plan is worth building: the rule ``CellPlanCache`` keeps under its lock.
///
/// A plan is built at its key's `threshold`-th request (`--plan-cache-mb`'s companion, 8 by default).
/// Whether plans pay is watched as they are used: builds are counted in windows of ``window``; a
/// window's plans are given ``judgeAfter`` seconds to be read, then judged — read fewer than
/// ``paybackReads`` times a build, the threshold doubles (up to ``maxBuildAt``); read four times that,
/// it halves back toward `buildAt`. Only a window's own plans count for it, so a busy desk's plan read
/// all day does not pay for unread plans built elsewhere, and a burst of builds (every cell of a town
/// reaching the count at once) is judged by what its plans do afterwards, not before anyone could
/// read them. Where no window has closed for ``probeAfter`` seconds, the threshold halves, so that a
/// workload that has changed is tried again.
///
/// Measured (2026-12-06): questions spread over a region (10,000 unique points, a few passes each)
/// were twice as slow at 32 connections with plans built at the 8th request than with none (p99 30 ms
/// against 13), while 3,000 points packed into 300 cells ran at half the speed without plans.
struct PlanAdmission {
    static let window = 64
    static let paybackReads = 8
    static let maxBuildAt = 1 << 12
    static let judgeAfter: Double = 5
    static let probeAfter: Double = 60

    let buildAt: Int
    let adapts: Bool
    private(set) var threshold: Int
    private var current = 0, builds = 0
    /// Reads of each window's plans, until it is judged.
    private var reads: [Int: Int] = [:]
    /// Windows closed and not yet judged, with when they closed.
    private var closed: [(window: Int, at: Double)] = []
    private var lastClosed: Double

    init(buildAt: Int, adapts: Bool, now: Double) {
        self.buildAt = max(1, buildAt)
        self.adapts = adapts
        threshold = self.buildAt
        lastClosed = now
    }

    /// Counts a build; returns the window the plan belongs to.
    mutating func built(at now: Double) -> Int {
        guard adapts else { return 0 }
        let window = current
        reads[window, default: 0] += 0
        builds += 1
        if builds == Self.window {
            closed.append((window, now))
            (current, builds, lastClosed) = (current + 1, 0, now)
        }
        return window
    }

    /// Counts a read of a plan built in `window`.
    mutating func read(planOf window: Int) {
        if let n = reads[window] { reads[window] = n + 1 }
    }

    /// Judges the windows whose plans have had their time; probes a raised threshold that nothing tests.
    mutating func judge(now: Double) {
        guard adapts else { return }
        while let first = closed.first, now - first.at >= Self.judgeAfter {
            closed.removeFirst()
            let n = reads.removeValue(forKey: first.window) ?? 0
            if n < Self.window * Self.paybackReads {
                threshold = min(threshold * 2, Self.maxBuildAt)
            } else if n > Self.window * Self.paybackReads * 4 {
                threshold = max(threshold / 2, buildAt)
            }
        }
        if threshold > buildAt, closed.isEmpty, now - lastClosed >= Self.probeAfter {
            (threshold, lastClosed) = (max(threshold / 2, buildAt), now)
        }
    }
}
