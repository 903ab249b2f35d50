import Foundation
import KakehashiCoverage
import KakehashiModel
import KakehashiStore

/// A municipality's figures in every population year held, beside its 二次医療圏 and prefecture:
/// the trend a planner charts, downloads and prints. Each year's figures are the municipal layer's
/// of that year (``AreaFigures``: areas from sums, providers at today's count), so a trend row and
/// the layer with `year=` never disagree.
public struct MunicipalTrend: Sendable, Encodable {
    public struct Area: Sendable, Encodable {
        /// `municipality`, `medical_area` or `prefecture`.
        public var level: String
        public var code: String
        public var name: String
    }

    public struct Row: Sendable, Encodable {
        public var year: Int
        /// `census`, `estimate` or `projection`: the least certain kind among the area's members.
        public var kind: String?
        public var level: String
        public var code: String
        public var values: [String: LayerValue]
    }

    /// The 在宅（訪問診療） demand of the municipality's 構想区域 in one fiscal year (MHLW estimate).
    public struct Demand: Sendable, Encodable {
        public var areaCode: String
        public var areaName: String
        public var fiscalYear: Int
        public var projected: Bool
        public var receiptsPerMonth: Double
    }

    public var code: String
    public var name: String
    public var service: ServiceKind
    public var areas: [Area]
    public var columns: [String]
    public var rows: [Row]
    public var demand: [Demand]
    public var indicators: [Indicator]
    public var datasets: [SourceRef]

    /// The columns a trend shows: people, ratios and what today's providers mean in each year.
    public static let columns = [
        "population_total", "population_65_plus", "population_75_plus", "ratio_65_plus", "ratio_75_plus",
        "providers", "providers_per_1000_65_plus", "providers_more_to_keep_ratio",
        "home_support_clinics", "home_support_clinics_per_1000_65_plus", "home_support_clinics_more_to_keep_ratio",
        "home_visit_demand", "home_visit_demand_year",
    ]

    /// One row per year and area, for a spreadsheet: UTF-8 with a heading row.
    public func csv() -> String {
        let names = Dictionary(areas.map { ($0.level, $0.name) }, uniquingKeysWith: { a, _ in a })
        var out = (["year", "population_kind", "level", "code", "name"] + columns).joined(separator: ",") + "\n"
        for r in rows {
            let head: [LayerValue] = [.integer(r.year), r.kind.map { .text($0) } ?? .none, .text(r.level), .text(r.code), .text(names[r.level] ?? "")]
            out += (head + columns.map { r.values[$0] ?? .none }).map(\.csv).joined(separator: ",") + "\n"
        }
        return out
    }
}

extension LayerValue: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let s): try c.encode(s)
        case .number(let d): try c.encode(d)
        case .integer(let i): try c.encode(i)
        case .flag(let b): try c.encode(b)
        case .none: try c.encodeNil()
        }
    }
}

extension LayerBuilder {
    /// The trend of municipality `code` for `service`'s providers; nil when its boundary is not loaded.
    public func trend(code: String, service: ServiceKind, now: Date = Date()) throws -> MunicipalTrend? {
        guard let shape = index.municipalityShapes.first(where: { $0.code == code }) else { return nil }
        let prefecture = String(code.prefix(2))
        let medicalArea = try database.planningAreas(.secondaryMedicalArea).first { $0.members.contains(code) }
        var areas = [MunicipalTrend.Area(level: "municipality", code: code, name: shape.name)]
        if let medicalArea { areas.append(.init(level: "medical_area", code: medicalArea.code, name: medicalArea.name)) }
        areas.append(.init(level: "prefecture", code: prefecture + "000", name: shape.prefecture))

        // MHLW's demand is per 構想区域: the municipality's (its 二次医療圏 where the two coincide).
        let concept = try database.conceptAreas().first { $0.members.contains(code) }
        let held = try concept.map { try database.demand(.homeVisit)[$0.code] ?? [] } ?? []
        let demandOnMedicalArea = concept != nil && concept?.code == medicalArea?.code && concept?.members == medicalArea?.members
        var rows: [MunicipalTrend.Row] = [], datasetIDs = Set(held.map(\.datasetID))
        for year in try database.populationYears().map(\.year).sorted() {
            let r = LayerRequest(service: service, window: .nightInProgress(at: now), coverage: false, now: now, year: year)
            let (figures, ids) = try municipalFigures(r)
            datasetIDs.formUnion(ids)
            guard let own = figures[code] else { continue }
            var parts: [(String, String, AreaFigures)] = [("municipality", code, own)]
            if let medicalArea {
                parts.append(("medical_area", medicalArea.code, AreaFigures.sum(medicalArea.members.compactMap { figures[$0] })))
            }
            parts.append(("prefecture", prefecture + "000", AreaFigures.sum(figures.filter { $0.key.hasPrefix(prefecture) }.map(\.value))))
            for (level, areaCode, f) in parts {
                // A projection year without the area's figures says nothing rather than zero.
                guard f.total != nil else { continue }
                // Every column, null where there is no figure.
                let all = f.values(coverage: false)
                var v = Dictionary(uniqueKeysWithValues: MunicipalTrend.columns.map { ($0, all[$0] ?? LayerValue.none) })
                if level == "medical_area", demandOnMedicalArea, let shown = AreaDemand.shown(held, year: year) {
                    v["home_visit_demand"] = .number(shown.receiptsPerMonth)
                    v["home_visit_demand_year"] = .integer(shown.fiscalYear)
                }
                rows.append(.init(year: year, kind: f.populationKind?.rawValue, level: level, code: areaCode, values: v))
            }
        }
        let demand = held.map {
            MunicipalTrend.Demand(areaCode: concept!.code, areaName: concept!.name, fiscalYear: $0.fiscalYear, projected: $0.projected,
                                  receiptsPerMonth: $0.receiptsPerMonth)
        }
        return MunicipalTrend(code: code, name: shape.name, service: service, areas: areas, columns: MunicipalTrend.columns, rows: rows,
                              demand: demand, indicators: Indicators.all.filter { MunicipalTrend.columns.contains($0.id) },
                              datasets: datasetIDs.sorted().compactMap(index.dataset))
    }
}
