import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

extension LayerBuilder {
    /// The 二次医療圏 layer: each area's outline dissolved from its municipalities' boundaries and
    /// every municipal figure summed over them (ratios from the sums). An area none of whose
    /// municipalities is loaded is left out. MHLW's demand is per 構想区域: shown here where the
    /// prefecture's 構想区域 are its 二次医療圏 (the 構想区域 layer shows it everywhere).
    public func medicalAreas(_ r: LayerRequest) throws -> Layer {
        let drawnApart = Set(try database.planningAreas(.conceptArea).map(\.prefectureCode))
        return try planningAreaLayer("medical_areas", areas: try database.planningAreas(.secondaryMedicalArea), r) { !drawnApart.contains($0.prefectureCode) }
    }

    /// The 地域医療構想区域 layer (see ``SpatialDatabase/conceptAreas()``), with MHLW's demand.
    public func conceptAreas(_ r: LayerRequest) throws -> Layer {
        try planningAreaLayer("concept_areas", areas: try database.conceptAreas(), r) { _ in true }
    }

    private func planningAreaLayer(_ name: String, areas: [PlanningArea], _ r: LayerRequest,
                                   showsDemand: (PlanningArea) -> Bool) throws -> Layer {
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
            v["prefecture"] = prefectures[area.prefectureCode].map { .text($0) } ?? LayerValue.none
            v["municipalities"] = .integer(loaded.count)
            v["municipality_codes"] = .text(loaded.joined(separator: " "))
            let shown = showsDemand(area) ? AreaDemand.shown(demand[area.code] ?? [], year: r.year) : nil
            v["home_visit_demand"] = shown.map { .number($0.receiptsPerMonth) } ?? LayerValue.none
            v["home_visit_demand_year"] = shown.map { .integer($0.fiscalYear) } ?? LayerValue.none
            v["home_visit_demand_kind"] = shown.map { .text($0.projected ? "projection" : "actual") } ?? LayerValue.none
            if let shown { demandDatasets.insert(shown.datasetID) }
            features.append(.init(id: area.code, geometry: outline, values: v))
        }
        let columns = ["code", "name", "prefecture", "municipalities", "municipality_codes"] + AreaFigures.columns(coverage: r.coverage, estimate75Plus: r.estimate75Plus)
            + ["home_visit_demand", "home_visit_demand_year", "home_visit_demand_kind"]
        let areaDatasets = Set(areas.map(\.datasetID))
        return Layer(name: name, columns: columns, features: features,
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
