import Foundation

/// Plans by key, within a memory budget. A plan is built at its key's second request: an instant
/// asked once, or a cell visited once, costs a plan more than the full scan it would save.
final class CellPlanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var plans: [CellPlan.Key: CellPlan] = [:]
    private var askedOnce: Set<CellPlan.Key> = []
    private var bytes = 0
    let budget: Int

    init(budget: Int) { self.budget = budget }

    /// The plan for the key, built now if it was asked for before; nil at its first request.
    func plan(_ key: CellPlan.Key, build: () -> CellPlan) -> CellPlan? {
        lock.lock()
        if let plan = plans[key] { lock.unlock(); return plan }
        guard askedOnce.remove(key) != nil else {
            if askedOnce.count >= 100_000 { askedOnce.removeAll() }
            askedOnce.insert(key)
            lock.unlock()
            return nil
        }
        lock.unlock()
        let plan = build()
        lock.lock(); defer { lock.unlock() }
        if plans[key] == nil {
            plans[key] = plan
            bytes += plan.bytes
            if bytes > budget {
                // Drop plans in the dictionary's (arbitrary) order down to three quarters of the budget.
                for (k, p) in plans where bytes > budget * 3 / 4 && k != key {
                    plans[k] = nil
                    bytes -= p.bytes
                }
            }
        }
        return plans[key] ?? plan
    }

    /// How many plans and bytes are held (for tests and metrics).
    var usage: (plans: Int, bytes: Int) {
        lock.lock(); defer { lock.unlock() }
        return (plans.count, bytes)
    }
}
