import Foundation
import KakehashiStore

/// The current on-call report of each provider, shared by every request and updated by writes.
public final class OnCallBoard: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Int64: OnCallReport] = [:]
    /// Counts writes, so that what was worked out from one state of the board is not reused after.
    private var version = 0

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

    /// Every current report and the board's version, read together.
    public func versionedSnapshot() -> (reports: [Int64: OnCallReport], version: Int) {
        lock.lock(); defer { lock.unlock() }
        return (reports, version)
    }

    /// Every report anew (the database file was replaced).
    public func replaceAll(_ current: [OnCallReport]) {
        lock.lock(); defer { lock.unlock() }
        reports = Dictionary(current.map { ($0.providerID, $0) }, uniquingKeysWith: { $1 })
        version += 1
    }

    public func put(_ r: OnCallReport) {
        lock.lock(); defer { lock.unlock() }
        reports[r.providerID] = r
        version += 1
    }
}
