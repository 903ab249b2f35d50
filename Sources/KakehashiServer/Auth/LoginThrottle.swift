import Foundation

/// Slows guessing: after ``perLogin`` failed sign-ins for one login, or ``perAddress`` from one
/// address, within ``window``, further attempts are refused until the oldest failure leaves the
/// window. Held in memory: a restart forgets, which costs a guesser a restart per window at most.
final class LoginThrottle: @unchecked Sendable {
    let perLogin: Int
    let perAddress: Int
    let window: TimeInterval
    private let lock = NSLock()
    private var failures: [String: [Date]] = [:]

    init(perLogin: Int = 10, perAddress: Int = 20, window: TimeInterval = 15 * 60) {
        self.perLogin = perLogin
        self.perAddress = perAddress
        self.window = window
    }

    /// Counts an attempt as failed before the password is checked, so that attempts sent at once
    /// cannot all pass; returns the seconds to wait instead when over the limit (nothing counted).
    func begin(login: String, address: String, now: Date = Date()) -> Int? {
        let keys = Self.keys(login, address)
        return lock.withLock {
            var wait: TimeInterval = 0
            for (key, limit) in zip(keys, [perLogin, perAddress]) {
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                if recent.count >= limit, let oldest = recent.first { wait = max(wait, window - now.timeIntervalSince(oldest)) }
            }
            if wait > 0 { return Int(wait.rounded(.up)) }
            if failures.count > 50_000 { prune(now) }
            for key in keys {
                failures[key, default: []].append(now)
                if failures[key]!.count > 100 { failures[key]!.removeFirst(failures[key]!.count - 100) }
            }
            return nil
        }
    }

    /// A successful sign-in: the login's failures are cleared, and the attempt no longer counts
    /// against the address.
    func succeeded(login: String, address: String) {
        let keys = Self.keys(login, address)
        lock.withLock {
            failures.removeValue(forKey: keys[0])
            if var list = failures[keys[1]], !list.isEmpty { list.removeLast(); failures[keys[1]] = list }
        }
    }

    /// Keys of bounded length, whatever a client sends.
    static func keys(_ login: String, _ address: String) -> [String] { ["login:" + login.prefix(100), "address:" + address.prefix(64)] }

    private func prune(_ now: Date) {
        failures = failures.compactMapValues { list in
            let recent = list.filter { now.timeIntervalSince($0) < window }
            return recent.isEmpty ? nil : recent
        }
        // Still too many (a flood of distinct logins): forget the oldest half rather than grow.
        if failures.count > 50_000 {
            let kept = failures.sorted { ($0.value.last ?? .distantPast) > ($1.value.last ?? .distantPast) }.prefix(25_000)
            failures = Dictionary(uniqueKeysWithValues: kept.map { ($0.key, $0.value) })
        }
    }
}
