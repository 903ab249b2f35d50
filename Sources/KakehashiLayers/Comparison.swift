import Foundation
import KakehashiModel
import KakehashiStore

/// A municipality beside its prefecture, its 二次医療圏 and its peers, for one indicator, in the
/// manner of 見える化's comparisons. Areas are compared by their sums (ratios from sums); peers are
/// the municipalities of the same population band, as the planning guides group them.
public struct Comparison: Sendable, Encodable {
    public struct Area: Sendable, Encodable {
        public var code: String
        public var name: String
        public var value: Double?
    }

    public struct Peers: Sendable, Encodable {
        /// `under_50000`, `50000_to_100000` or `over_100000` (total population of the year shown).
        public var band: String
        public var count: Int
        /// 1 for the highest value among the peers with one; nil when the municipality has none.
        public var rank: Int?
        /// The share of the other peers (with a value) whose value is lower, in %.
        public var percentile: Double?
        public var median: Double?
    }

    public var indicator: String
    public var populationYear: Int?
    public var populationKind: String?
    public var municipality: Area
    public var prefecture: Area?
    public var medicalArea: Area?
    public var peers: Peers?

    enum CodingKeys: String, CodingKey {
        case indicator, municipality, prefecture, peers
        case populationYear = "population_year", populationKind = "population_kind", medicalArea = "medical_area"
    }

    /// The population band of a municipality of `total` people.
    static func band(_ total: Int) -> String {
        total < 50_000 ? "under_50000" : total <= 100_000 ? "50000_to_100000" : "over_100000"
    }
}

extension LayerBuilder {
    /// The comparison of municipality `code` for `indicator` (a column of the municipal layer);
    /// nil when no such municipality is loaded.
    public func comparison(code: String, indicator: String, _ r: LayerRequest) throws -> Comparison? {
        let (figures, _) = try municipalFigures(r)
        guard let own = figures[code], let shape = index.municipalityShapes.first(where: { $0.code == code }) else { return nil }
        func value(_ f: AreaFigures) -> Double? {
            switch f.values(coverage: r.coverage)[indicator] {
            case .number(let d)?: d
            case .integer(let i)?: Double(i)
            default: nil
            }
        }
        var c = Comparison(indicator: indicator, populationYear: own.populationYear, populationKind: own.populationKind?.rawValue,
                           municipality: .init(code: code, name: shape.name, value: value(own)))
        let prefecture = String(code.prefix(2))
        let inPrefecture = figures.filter { $0.key.hasPrefix(prefecture) }.map(\.value)
        c.prefecture = .init(code: prefecture + "000", name: shape.prefecture, value: value(AreaFigures.sum(inPrefecture)))
        if let area = try database.planningAreas(.secondaryMedicalArea).first(where: { $0.members.contains(code) }) {
            c.medicalArea = .init(code: area.code, name: area.name, value: value(AreaFigures.sum(area.members.compactMap { figures[$0] })))
        }
        if let total = own.total {
            let band = Comparison.band(total)
            let peers = figures.values.filter { $0.total.map(Comparison.band) == band }.compactMap(value)
            let mine = value(own)
            c.peers = .init(band: band, count: peers.count, rank: mine.map { m in peers.filter { $0 > m }.count + 1 },
                            percentile: mine.flatMap { m in peers.count > 1 ? Double(peers.filter { $0 < m }.count) / Double(peers.count - 1) * 100 : nil },
                            median: peers.isEmpty ? nil : peers.sorted()[peers.count / 2])
        }
        return c
    }
}
