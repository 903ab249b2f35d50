import Foundation

/// Plans by key, within a memory budget. A plan is built at its key's `buildAt`-th request: a plan
/// costs several indexed searches to build, so a cell asked a few times — as coordinators across a
/// region ask — would pay for plans it never uses (measured: the region workload ran at half the
/// speed with plans built at the second request). Cells asked again and again (a town's desk, an
/// app polling) reach the count soon and are answered from their plan from then on.
///
/// Which plans are built at all is ``PlanAdmission``'s rule.
final class CellPlanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var plans: [CellPlan.Key: Kept] = [:]
    /// A plan with the window it was built in.
    private struct Kept { let plan: CellPlan; let window: Int }
    /// Requests of keys without a plan (forgotten past 100,000 keys).
    private var requests: [CellPlan.Key: Int] = [:]
    private var bytes = 0
    let budget: Int
    private var admission: PlanAdmission
    /// Seconds on a monotonic clock (a parameter for tests).
    private let clock: @Sendable () -> Double

    init(budget: Int, buildAt: Int, adapts: Bool = true, clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.budget = budget
        self.clock = clock
        admission = PlanAdmission(buildAt: buildAt, adapts: adapts, now: clock())
    }

    /// The plan for the key, built now at its `buildAt`-th request; nil before.
    func plan(_ key: CellPlan.Key, build: () -> CellPlan) -> CellPlan? {
        lock.lock()
        if admission.adapts { admission.judge(now: clock()) }
        if let kept = plans[key] {
            admission.read(planOf: kept.window)
            lock.unlock()
            return kept.plan
        }
        let asked = (requests[key] ?? 0) + 1
        guard asked >= admission.threshold else {
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
            plans[key] = Kept(plan: plan, window: admission.built(at: clock()))
            bytes += plan.bytes
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

    /// The request count at which a key's plan is built now.
    var buildThreshold: Int {
        lock.lock(); defer { lock.unlock() }
        return admission.threshold
    }

    /// How many plans and bytes are held (for tests and metrics).
    var usage: (plans: Int, bytes: Int) {
        lock.lock(); defer { lock.unlock() }
        return (plans.count, bytes)
    }
}
