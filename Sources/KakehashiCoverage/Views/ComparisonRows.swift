import Foundation
import KakehashiModel
import KakehashiStore

/// What another engine needs to answer the lookups Kakehashi answers, for benchmarks side by side:
/// per provider offering a service, its place, what decides whether it serves a point and its
/// rank group in a window.
public struct ComparisonRow: Sendable {
    public var id: Int64
    public var lat: Double?
    public var lon: Double?
    /// The one distance that decides (nil: the municipality decides).
    public var limitM: Double?
    /// The municipalities it serves where the municipality decides.
    public var municipalities: [String]
    /// Status and basis as one number, lower first (nil: closed all window).
    public var rankGroup: Int?
}

extension CoverageIndex {
    /// The rows of the providers offering `service`, or nil when some of them need the full rules
    /// (町字 lists, drawn areas, mixed rules: a plain table cannot say the same).
    public func comparisonRows(service s: ServiceKind, window: CoverageWindow) -> [ComparisonRow]? {
        var weighing = Weighing(self, window: window, now: window.from, reports: [:])
        let names = Dictionary(uniqueKeysWithValues: municipalityIndex.map { ($0.value, $0.key) })
        var rows: [ComparisonRow] = []
        for (i, h) in packed.enumerated() where h.services & s.bit != 0 {
            let group = groups[i * ServiceKind.allCases.count + s.ordinal]
            var row = ComparisonRow(id: providers[i].facts.id, lat: h.located ? h.lat : nil, lon: h.located ? h.lon : nil, limitM: nil,
                                    municipalities: [], rankGroup: nil)
            switch reachKind(Int32(i), s) {
            case .distance(let limit): row.limitM = limit
            case .municipalities(let codes): row.municipalities = codes.compactMap { names[$0] }
            case .weighed: return nil
            }
            row.rankGroup = weighing.groupRank(group).map { Int($0 >> RankKey.distanceBits) }
            rows.append(row)
        }
        return rows
    }
}
