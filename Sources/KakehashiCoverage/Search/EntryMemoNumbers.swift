import Foundation
import KakehashiModel

/// Numbers for "the same entry but for its distance". A provider that qualifies at every point of
/// a plan's cell shows the same entry there (area rule, availability, sources; the plan keeps
/// providers with on-call reports out of its qualified list) for one service, window and municipality,
/// whatever plan it comes from — so a presenter can write it once and copy it into every page that
/// shows it. Numbers are never reused; the table (≈ 80 bytes an entry) starts afresh past 250,000
/// (older numbers stay valid: they still name the same entry, it is only written again under a new
/// number).
final class EntryMemoNumbers: @unchecked Sendable {
    struct Key: Hashable {
        let provider: Int32
        let service: ServiceKind
        /// The declared area shown (-1: none declared).
        let area: Int32
        let from: Double
        let to: Double
        let municipality: String?
    }

    private let lock = NSLock()
    private var numbers: [Key: Int] = [:]
    private var next = 0

    func numbers(_ keys: [Key]) -> [Int] {
        let (result, dropped) = lock.withLock { () -> ([Int], [Key: Int]) in
            var dropped: [Key: Int] = [:]
            if numbers.count + keys.count > 250_000 { swap(&dropped, &numbers) }
            return (keys.map { key in
                if let n = numbers[key] { return n }
                next += 1
                numbers[key] = next
                return next
            }, dropped)
        }
        // A full table is freed here, outside the lock: 250,000 entries take milliseconds that
        // every other lookup would otherwise wait for.
        withExtendedLifetime(dropped) {}
        return result
    }
}
