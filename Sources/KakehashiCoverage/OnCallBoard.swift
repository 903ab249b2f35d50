import Foundation
import KakehashiStore

/// The current on-call report of each provider, shared by every request and updated by writes.
public final class OnCallBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Int64: OnCallReport] = [:]

    public init(_ current: [OnCallReport] = []) {
        for r in current { reports[r.providerID] = r }
    }

    public func report(for provider: Int64) -> OnCallReport? {
        lock.lock(); defer { lock.unlock() }
        return reports[provider]
    }

    /// Every current report at once (one lock per request, not per provider).
    public func snapshot() -> [Int64: OnCallReport] {
        lock.lock(); defer { lock.unlock() }
        return reports
    }

    public func put(_ r: OnCallReport) {
        lock.lock(); defer { lock.unlock() }
        reports[r.providerID] = r
    }
}
