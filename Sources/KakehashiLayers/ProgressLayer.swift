import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// The map of one (ア)–(ク) item in one fiscal year: each municipality's stage and its change since
/// the year before. A 政令市 records its progress as a whole; its wards show the city's stage.
extension LayerBuilder {
    public static let progressColumns = ["code", "name", "prefecture", "item", "fiscal_year", "stage", "stage_label", "stage_level",
                                         "recorded_on", "recorded_by_city", "previous_stage", "change"]

    public func progress(item: ProgressItem, fiscalYear: Int, box: GeoBox?) throws -> Layer {
        let entries = try database.progress(fiscalYears: [fiscalYear - 1, fiscalYear]).filter { $0.item == item }
        let now = Dictionary(entries.filter { $0.fiscalYear == fiscalYear }.map { ($0.municipalityCode, $0) }, uniquingKeysWith: { a, _ in a })
        let before = Dictionary(entries.filter { $0.fiscalYear == fiscalYear - 1 }.map { ($0.municipalityCode, $0.stage) }, uniquingKeysWith: { a, _ in a })
        let city = Dictionary(try database.progressAreas().compactMap { a in a.city.map { (a.code, $0) } }, uniquingKeysWith: { a, _ in a })
        var features: [Layer.Feature] = []
        for m in index.municipalityShapes {
            if let box {
                let points = m.boundary.allPoints
                let bounds = GeoBox(minLon: points.map(\.lon).min() ?? 0, minLat: points.map(\.lat).min() ?? 0,
                                    maxLon: points.map(\.lon).max() ?? 0, maxLat: points.map(\.lat).max() ?? 0)
                if !box.intersects(bounds) { continue }
            }
            // A ward without its own record shows its 政令市's.
            let code = now[m.code] == nil && before[m.code] == nil ? city[m.code] ?? m.code : m.code
            let entry = now[code], previous = before[code]
            var v: [String: LayerValue] = [
                "code": .text(m.code), "name": .text(m.name), "prefecture": .text(m.prefecture), "item": .text(item.rawValue),
                "fiscal_year": .integer(fiscalYear), "recorded_by_city": code == m.code ? .none : .text(code),
            ]
            if let entry {
                (v["stage"], v["stage_label"], v["stage_level"], v["recorded_on"]) =
                    (.text(entry.stage.rawValue), .text(entry.stage.label), .integer(entry.stage.level), .text(entry.recordedOn))
            }
            if let previous {
                v["previous_stage"] = .text(previous.rawValue)
                if let entry { v["change"] = .integer(entry.stage.level - previous.level) }
            }
            features.append(.init(id: m.code, geometry: m.boundary, values: v))
        }
        return Layer(name: "progress", columns: Self.progressColumns, features: features, indicators: [], datasets: [])
    }
}
