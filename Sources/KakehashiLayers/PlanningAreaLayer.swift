import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

extension LayerBuilder {
    /// The 二次医療圏 layer: each area's outline dissolved from its municipalities' boundaries and
    /// every municipal figure summed over them (ratios from the sums). An area none of whose
    /// municipalities is loaded is left out.
    public func medicalAreas(_ r: LayerRequest) throws -> Layer {
        let areas = try database.planningAreas(.secondaryMedicalArea)
        let (figures, datasetIDs) = try municipalFigures(r)
        let demand = try database.demand(.homeVisit)
        var demandDatasets = Set<Int64>()
        let prefectures = Dictionary(index.municipalityShapes.map { (String($0.code.prefix(2)), $0.prefecture) }, uniquingKeysWith: { a, _ in a })
        var features: [Layer.Feature] = []
        for area in areas {
            let loaded = area.members.filter { figures[$0] != nil }
            guard !loaded.isEmpty, let outline = try database.dissolvedBoundary(of: loaded) else { continue }
            if let box = r.box, !outline.allPoints.contains(where: box.contains) { continue }
            var v = AreaFigures.sum(loaded.map { figures[$0]! }).values(coverage: r.coverage)
            v["code"] = .text(area.code)
            v["name"] = .text(area.name)
            v["prefecture"] = prefectures[area.prefectureCode].map { .text($0) } ?? .none
            v["municipalities"] = .integer(loaded.count)
            v["municipality_codes"] = .text(loaded.joined(separator: " "))
            // 構想区域 share the 二次医療圏's codes where they coincide (as in 埼玉・千葉・東京).
            let shown = AreaDemand.shown(demand[area.code] ?? [], year: r.year)
            v["home_visit_demand"] = shown.map { .number($0.receiptsPerMonth) } ?? .none
            v["home_visit_demand_year"] = shown.map { .integer($0.fiscalYear) } ?? .none
            v["home_visit_demand_kind"] = shown.map { .text($0.projected ? "projection" : "actual") } ?? .none
            if let shown { demandDatasets.insert(shown.datasetID) }
            features.append(.init(id: area.code, geometry: outline, values: v))
        }
        let columns = ["code", "name", "prefecture", "municipalities", "municipality_codes"] + AreaFigures.columns(coverage: r.coverage, estimate75Plus: r.estimate75Plus)
            + ["home_visit_demand", "home_visit_demand_year", "home_visit_demand_kind"]
        let areaDatasets = Set(areas.map(\.datasetID))
        return Layer(name: "medical_areas", columns: columns, features: features,
                     indicators: Indicators.all.filter { columns.contains($0.id) },
                     datasets: datasetIDs.union(areaDatasets).union(demandDatasets).sorted().compactMap(index.dataset))
    }

    /// The prefecture layer: each prefecture's outline dissolved from its loaded municipalities and
    /// their figures summed, ratios from the sums.
    public func prefectures(_ r: LayerRequest) throws -> Layer {
        let (figures, datasetIDs) = try municipalFigures(r)
        var byPrefecture: [String: (name: String, codes: [String])] = [:]
        for m in index.municipalityShapes {
            byPrefecture[String(m.code.prefix(2)), default: (m.prefecture, [])].codes.append(m.code)
        }
        var features: [Layer.Feature] = []
        for (code, p) in byPrefecture.sorted(by: { $0.key < $1.key }) {
            guard let outline = try database.dissolvedBoundary(of: p.codes) else { continue }
            if let box = r.box, !outline.allPoints.contains(where: box.contains) { continue }
            var v = AreaFigures.sum(p.codes.compactMap { figures[$0] }).values(coverage: r.coverage)
            v["code"] = .text(code + "000")
            v["name"] = .text(p.name)
            v["municipalities"] = .integer(p.codes.count)
            features.append(.init(id: code + "000", geometry: outline, values: v))
        }
        let columns = ["code", "name", "municipalities"] + AreaFigures.columns(coverage: r.coverage, estimate75Plus: r.estimate75Plus)
        return Layer(name: "prefectures", columns: columns, features: features, indicators: Indicators.all.filter { columns.contains($0.id) },
                     datasets: datasetIDs.sorted().compactMap(index.dataset))
    }
}
