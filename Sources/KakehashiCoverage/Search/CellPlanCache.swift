import Foundation

/// Plans by key, within a memory budget. A plan is built at its key's `buildAt`-th request: a plan
/// costs several indexed searches to build, so a cell asked a few times — as coordinators across a
/// region ask — would pay for plans it never uses (measured: the region workload ran at half the
/// speed with plans built at the second request). Cells asked again and again (a town's desk, an
/// app polling) reach the count soon and are answered from their plan from then on.
///
/// Whether plans pay is also watched as they are used: over every ``window`` builds, plans must be
/// read ``paybackReads`` times a build, or the request count that builds one doubles (up to
/// ``maxBuildAt``); where they are read far more (four times that, counted over a window of builds or
/// as reads come), it halves back toward `buildAt`. Only reads of plans built in this window or the
/// one before count: a busy desk's old plan read all day must not pay for builds elsewhere. Questions spread
/// over a region (10,000 unique points, a few passes each) were twice as slow at 32 connections
/// with plans built at the 8th request than with none (p99 30 ms against 13, 2026-12-06).
final class CellPlanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var plans: [CellPlan.Key: Kept] = [:]
    /// A plan with the window it was built in.
    private struct Kept { let plan: CellPlan; let window: Int }
    /// Requests of keys without a plan (forgotten past 100,000 keys).
    private var requests: [CellPlan.Key: Int] = [:]
    private var bytes = 0
    let budget: Int
    let buildAt: Int
    /// The request count that builds a plan now (see the type's comment).
    private var threshold: Int
    private var builds = 0, reads = 0, readsSinceHalving = 0
    /// Which window of builds this is (see ``window``).
    private var windowNumber = 0
    static let window = 64
    static let paybackReads = 8
    static let maxBuildAt = 1 << 12

    let adapts: Bool

    init(budget: Int, buildAt: Int, adapts: Bool = true) {
        self.budget = budget
        self.buildAt = max(1, buildAt)
        self.adapts = adapts
        threshold = self.buildAt
    }

    /// The plan for the key, built now at its `buildAt`-th request; nil before.
    func plan(_ key: CellPlan.Key, build: () -> CellPlan) -> CellPlan? {
        lock.lock()
        if let kept = plans[key] {
            if kept.window >= windowNumber - 1 { weighRead() }
            lock.unlock()
            return kept.plan
        }
        let asked = (requests[key] ?? 0) + 1
        guard asked >= threshold else {
            if requests.count >= 100_000 { requests.removeAll() }
            requests[key] = asked
            lock.unlock()
            return nil
        }
        requests[key] = nil
        lock.unlock()
        let plan = build()
        lock.lock(); defer { lock.unlock() }
        if plans[key] == nil {
            plans[key] = Kept(plan: plan, window: windowNumber)
            bytes += plan.bytes
            weighBuild()
            if bytes > budget {
                // Drop plans in the dictionary's (arbitrary) order down to three quarters of the budget.
                for (k, p) in plans where bytes > budget * 3 / 4 && k != key {
                    plans[k] = nil
                    bytes -= p.plan.bytes
                }
            }
        }
        return plans[key]?.plan ?? plan
    }

    /// Counts a read; plans read far more than they are built bring the threshold back down without
    /// waiting for a window of builds (few come once a busy area's plans are all built).
    private func weighRead() {
        guard adapts else { return }
        reads += 1
        readsSinceHalving += 1
        guard readsSinceHalving >= Self.window * Self.paybackReads * 4 else { return }
        threshold = max(threshold / 2, buildAt)
        readsSinceHalving = 0
    }

    /// Counts a build; at the end of a window, moves the threshold by how often plans were read.
    private func weighBuild() {
        guard adapts else { return }
        builds += 1
        guard builds >= Self.window else { return }
        if reads < builds * Self.paybackReads {
            threshold = min(threshold * 2, Self.maxBuildAt)
        } else if reads > builds * Self.paybackReads * 4 {
            threshold = max(threshold / 2, buildAt)
        }
        (builds, reads, windowNumber) = (0, 0, windowNumber + 1)
    }

    /// The request count at which a key's plan is built now.
    var buildThreshold: Int {
        lock.lock(); defer { lock.unlock() }
        return threshold
    }

    /// How many plans and bytes are held (for tests and metrics).
    var usage: (plans: Int, bytes: Int) {
        lock.lock(); defer { lock.unlock() }
        return (plans.count, bytes)
    }
}
