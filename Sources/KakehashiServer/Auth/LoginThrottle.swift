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

    /// Seconds to wait before trying again, or nil when an attempt may be made.
    func retryAfter(login: String, address: String, now: Date = Date()) -> Int? {
        lock.withLock {
            var wait: TimeInterval = 0
            for (key, limit) in [("login:" + login, perLogin), ("address:" + address, perAddress)] {
                let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
                if recent.count >= limit, let oldest = recent.first { wait = max(wait, window - now.timeIntervalSince(oldest)) }
            }
            return wait > 0 ? Int(wait.rounded(.up)) : nil
        }
    }

    func failed(login: String, address: String, now: Date = Date()) {
        lock.withLock {
            if failures.count > 50_000 { prune(now) }
            for key in ["login:" + login, "address:" + address] {
                failures[key, default: []].append(now)
                if failures[key]!.count > 100 { failures[key]!.removeFirst(failures[key]!.count - 100) }
            }
        }
    }

    /// A successful sign-in clears the login's failures (not the address's).
    func succeeded(login: String) {
        _ = lock.withLock { failures.removeValue(forKey: "login:" + login) }
    }

    private func prune(_ now: Date) {
        failures = failures.compactMapValues { list in
            let recent = list.filter { now.timeIntervalSince($0) < window }
            return recent.isEmpty ? nil : recent
        }
    }
}
