import Foundation
import KakehashiCache

/// The written entries of providers a cell plan vouches for, by their ``EntryMemoNumbers`` number:
/// such an entry is the same at every point of the plan's cell but for its distance, so it is
/// written once and shared by every answer that shows it (writing one — area rule, sources,
/// availability, a dozen strings — costs about a microsecond, as much as the rest of a warm lookup
/// for a page of twenty).
///
/// Bounded by bytes like every cache of built things, but not a ``ByteBudgetCache``: that generic
/// class, called from this module, runs unspecialised (metadata looked up on every call), which
/// cost more than writing the entry. Two generations instead: entries are kept in the young one;
/// when it is full the old one is dropped and the young one becomes old; an old entry read again
/// moves back to the young one. What is held stays under the budget, and what pages keep showing
/// stays held.
final class PlannedEntryCache: @unchecked Sendable {
    /// About what one entry holds with its arrays and strings.
    static let entryBytes = 640

    private let lock = NSLock()
    private var young: [Int: PageEntry.Written] = [:]
    private var old: [Int: PageEntry.Written] = [:]
    /// Entries per generation.
    private let generation: Int

    init(budget: Int) { generation = max(0, budget / Self.entryBytes / 2) }

    /// The entry of memo number `memo`, kept or written now; nil (and nothing kept) where `write`
    /// finds the provider does not serve the point after all.
    func entry(_ memo: Int, write: () -> CoverageEntry?) -> PageEntry.Written? {
        if let kept = kept(memo) { return kept }
        guard let e = write() else { return nil }
        let written = PageEntry.Written(e)
        lock.lock(); defer { lock.unlock() }
        keep(written, memo)
        return written
    }

    private func kept(_ memo: Int) -> PageEntry.Written? {
        lock.lock(); defer { lock.unlock() }
        if let w = young[memo] { return w }
        guard let w = old.removeValue(forKey: memo) else { return nil }
        keep(w, memo)
        return w
    }

    private func keep(_ written: PageEntry.Written, _ memo: Int) {
        guard generation > 0 else { return }
        if young.count >= generation {
            old = young
            young = Dictionary(minimumCapacity: generation)
        }
        young[memo] = written
    }

    var usage: CacheUsage {
        lock.lock(); defer { lock.unlock() }
        let n = young.count + old.count
        return CacheUsage(entries: n, bytes: n * Self.entryBytes, budget: generation * 2 * Self.entryBytes, evicted: 0)
    }
}
