import Foundation
import KakehashiModel

/// The order of an answer: the better status first (covered, partial, unknown), then the stronger
/// basis (capability, on-call report, published hours, none), then the service's preferred
/// registration (``preference(_:_:)``), then the nearer provider by geodesic distance — exact,
/// never rounded — then the lower provider id and the service's name. Distances therefore never
/// decrease down a list of one status, basis and preference.
enum Ranking {
    static func statusRank(_ s: CoverageStatus) -> Int { s == .covered ? 0 : s == .partial ? 1 : 2 }
    static func basisRank(_ b: AvailabilityBasis?) -> Int { b?.rank ?? 9 }

    /// 0 for the registration a service prefers, 1 for the others. For 急変時の入院受入れ, a
    /// 在宅療養後方支援病院 comes before a 在宅療養支援病院: admitting home patients of other
    /// doctors when their condition changes is what the former is registered for (特掲診療料の施設基準
    /// 第十六の三), while the latter keeps beds for its own patients (第九). Other services have no
    /// preference.
    static func preference(_ capabilities: Set<Capability>, _ service: ServiceKind) -> Int {
        guard service == .backupAdmission, !capabilities.contains(.backupHospital) else { return 0 }
        return capabilities.contains(.homeSupportHospital) ? 1 : 0
    }

    /// Distances as answers show them: metres to one decimal.
    static func shown(_ d: Double) -> Double { (d * 10).rounded() / 10 }
}

/// The ranking packed into one integer, so that thousands of candidates compare as integers:
/// status (4 bits), basis (6 bits), then the distance in whole decimetres, rounded down. Equal keys
/// do not mean equal distances: the page's final order compares exact distances
/// (``CoverageIndex/precedesExactly(_:_:)``).
enum RankKey {
    /// The status, basis and preference bits of a timeline's key (its status must not be nil).
    static func group(_ t: Availability.Timeline) -> UInt64 {
        group(status: Ranking.statusRank(t.status!), basis: Ranking.basisRank(t.basis), preference: t.preference)
    }

    static func group(status: Int, basis: Int, preference: Int = 0) -> UInt64 {
        UInt64(status) << 60 | UInt64(basis) << 54 | UInt64(preference) << distanceBits
    }

    /// The low bits hold the distance in decimetres (up to 1e14 dm) or ``unknownDistance``.
    static let distanceBits = 50
    static let unknownDistance: UInt64 = (1 << distanceBits) - 1

    /// The key of a candidate of the group at `distance` (nil: location unknown, after all others).
    static func key(group: UInt64, distance: Double?) -> UInt64 {
        group | (distance.map { UInt64(max(0, min($0 * 10, 1e14))) } ?? unknownDistance)
    }

    static func key(_ t: Availability.Timeline, distance: Double?) -> UInt64 { key(group: group(t), distance: distance) }

    /// The status, basis and preference bits of a key.
    static func groupOf(_ key: UInt64) -> UInt64 { (key >> distanceBits) << distanceBits }

    /// The key's distance in metres, rounded down to a decimetre (infinity: unknown).
    static func distance(_ key: UInt64) -> Double {
        let d = key & unknownDistance
        return d == unknownDistance ? .infinity : Double(d) / 10
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
