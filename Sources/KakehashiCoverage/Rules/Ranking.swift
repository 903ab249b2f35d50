import Foundation
import KakehashiModel

/// The order of an answer: the better status first (covered, partial, unknown), then the stronger
/// basis (capability, on-call report, published hours, none), then the nearer provider by geodesic
/// distance — exact, never rounded — then the lower provider id and the service's name. Distances
/// therefore never decrease down a list of one status and basis.
enum Ranking {
    static func statusRank(_ s: CoverageStatus) -> Int { s == .covered ? 0 : s == .partial ? 1 : 2 }
    static func basisRank(_ b: AvailabilityBasis?) -> Int { b?.rank ?? 9 }

    /// Distances as answers show them: metres to one decimal.
    static func shown(_ d: Double) -> Double { (d * 10).rounded() / 10 }
}

/// The ranking packed into one integer, so that thousands of candidates compare as integers:
/// status (4 bits), basis (6 bits), then the distance in whole decimetres, rounded down. Equal keys
/// do not mean equal distances: the page's final order compares exact distances
/// (``CoverageIndex/precedesExactly(_:_:)``).
enum RankKey {
    /// The status and basis bits of a timeline's key (its status must not be nil).
    static func group(_ t: Availability.Timeline) -> UInt64 {
        group(status: Ranking.statusRank(t.status!), basis: Ranking.basisRank(t.basis))
    }

    static func group(status: Int, basis: Int) -> UInt64 { UInt64(status) << 60 | UInt64(basis) << 54 }

    /// The key of a candidate of the group at `distance` (nil: location unknown, after all others).
    static func key(group: UInt64, distance: Double?) -> UInt64 {
        group | (distance.map { UInt64(max(0, min($0 * 10, 1e14))) } ?? (1 << 50) - 1)
    }

    static func key(_ t: Availability.Timeline, distance: Double?) -> UInt64 { key(group: group(t), distance: distance) }

    /// The status and basis bits of a key.
    static func groupOf(_ key: UInt64) -> UInt64 { (key >> 54) << 54 }

    /// The key's distance in metres, rounded down to a decimetre (infinity: unknown).
    static func distance(_ key: UInt64) -> Double {
        let d = key & ((1 << 54) - 1)
        return d == (1 << 50) - 1 ? .infinity : Double(d) / 10
    }
}

extension CoverageIndex {
    /// The order of the candidates' packed keys (ties by provider id and service): good enough to
    /// keep a head, not to show it — see ``precedesExactly(_:_:)``.
    func precedes(_ a: RankedCandidate, _ b: RankedCandidate) -> Bool {
        if a.key != b.key { return a.key < b.key }
        return tieBreak(a, b)
    }

    /// The order of ``Ranking``: status and basis, then the exact distance where it was worked out
    /// (else the key's), then provider id and service.
    func precedesExactly(_ a: RankedCandidate, _ b: RankedCandidate) -> Bool {
        let ga = RankKey.groupOf(a.key), gb = RankKey.groupOf(b.key)
        if ga != gb { return ga < gb }
        let da = a.distance.isNaN ? RankKey.distance(a.key) : a.distance, db = b.distance.isNaN ? RankKey.distance(b.key) : b.distance
        if da != db { return da < db }
        return tieBreak(a, b)
    }

    private func tieBreak(_ a: RankedCandidate, _ b: RankedCandidate) -> Bool {
        let ia = providers[Int(a.provider)].facts.id, ib = providers[Int(b.provider)].facts.id
        return ia != ib ? ia < ib : a.service.rawValue < b.service.rawValue
    }
}
