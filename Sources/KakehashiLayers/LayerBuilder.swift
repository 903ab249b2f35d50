import Foundation
import KakehashiCoverage
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// A map layer: features with indicator values, and the datasets behind the numbers.
public struct Layer: Sendable {
    public struct Feature: Sendable {
        public var id: String
        public var geometry: Geometry
        /// Values in column order; nil is "no data".
        public var values: [String: LayerValue]
    }
    public var name: String
    public var columns: [String]
    public var features: [Feature]
    public var indicators: [Indicator]
    public var datasets: [SourceRef]

    public init(name: String, columns: [String], features: [Feature], indicators: [Indicator], datasets: [SourceRef]) {
        self.name = name
        self.columns = columns
        self.features = features
        self.indicators = indicators
        self.datasets = datasets
    }
}

public enum LayerValue: Sendable, Equatable {
    case text(String), number(Double), integer(Int), flag(Bool), none

    var csv: String {
        switch self {
        case .text(let s): s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        case .number(let d): String(format: "%.4f", d).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression)
        case .integer(let i): String(i)
        case .flag(let b): b ? "true" : "false"
        case .none: ""
        }
    }
}

/// What a layer request asks.
public struct LayerRequest: Sendable {
    public var service: ServiceKind
    public var window: CoverageWindow
    public var box: GeoBox?
    /// Include the coverage indicators (they evaluate the lookup at every mesh cell).
    public var coverage: Bool
    public var gapThreshold: Int
    public var now: Date
    /// The population year (nil: the latest actual one, see ``PopulationYears``).
    public var year: Int?
    /// Estimate 75+ where the year's source lacks it (labelled); otherwise it stays no data.
    public var estimate75Plus = false

    public init(service: ServiceKind = .homeVisitMedical, window: CoverageWindow, box: GeoBox? = nil, coverage: Bool = true, gapThreshold: Int = 10,
                now: Date = Date(), year: Int? = nil) {
        self.year = year
        self.service = service
        self.window = window
        self.box = box
        self.coverage = coverage
        self.gapThreshold = gapThreshold
        self.now = now
    }
}

/// Builds the municipal and mesh layers from the store and the coverage index.
public struct LayerBuilder: Sendable {
    public let database: SpatialDatabase
    public let index: CoverageIndex
    public let onCall: OnCallBoard

    public init(database: SpatialDatabase, index: CoverageIndex, onCall: OnCallBoard) {
        self.database = database
        self.index = index
        self.onCall = onCall
    }

    struct CellResult {
        var row: MeshPopulationRow
        var municipality: String?
        var age75: Double?
        var estimated: Bool
        var covered: Bool?
    }

    /// Every mesh cell in the box with its elderly population (estimated where the source has no
    /// age bands) and, when asked, whether anyone covers its centre.
    func cells(_ r: LayerRequest, population: [String: MunicipalPopulation]) throws -> [CellResult] {
        let reports = onCall.snapshot()
        var cache: [Int: CoverageStatus?] = [:]
        return try database.meshPopulation(in: r.box).map { row in
            let centre = row.mesh.bounds.center
            let m = index.municipalityOf(centre)
            var age75 = row.age75Plus.map(Double.init)
            var estimated = false
            if age75 == nil, let code = m?.code, let pop = population[code], let a = pop.age75Plus, pop.total > 0 {
                age75 = Double(row.total) * Double(a) / Double(pop.total)
                estimated = true
            }
            let covered = r.coverage ? index.anyCovers(centre, service: r.service, window: r.window, onCall: reports, now: r.now, cache: &cache) : nil
            return CellResult(row: row, municipality: m?.code, age75: age75, estimated: estimated, covered: covered)
        }
    }

    /// Each municipality's figures for the request, and the datasets behind them.
    func municipalFigures(_ r: LayerRequest) throws -> (figures: [String: AreaFigures], datasets: Set<Int64>) {
        let population = try database.municipalPopulation(year: r.year)
        let today = r.year == nil ? population : try database.municipalPopulation()
        let counts = index.providerCounts(), registered = index.capabilityCounts()
        // The boundaries are behind the shapes and the per-municipality counts.
        var datasetIDs = Set(population.values.map(\.datasetID)).union(try database.boundaryDatasetIDs())
        var figures: [String: AreaFigures] = [:]
        for m in index.municipalityShapes {
            var f = AreaFigures(population: population[m.code])
            f.today65Plus = today[m.code]?.age65Plus
            f.today75Plus = today[m.code]?.age75Plus
            if r.estimate75Plus { f.estimate75Plus() }
            f.providers = counts[m.code]?[r.service] ?? 0
            for (column, capabilities) in Indicators.registrations {
                f.registrations[column] = capabilities.reduce(0) { $0 + (registered[m.code]?[$1] ?? 0) }
            }
            figures[m.code] = f
        }
        if r.coverage {
            for c in try cells(LayerRequest(service: r.service, window: r.window, box: nil, coverage: true, now: r.now, year: r.year), population: population) {
                guard let code = c.municipality, let a = c.age75, var f = figures[code] else { continue }
                f.all75 = (f.all75 ?? 0) + a
                if c.covered == true { f.covered75 = (f.covered75 ?? 0) + a }
                figures[code] = f
                datasetIDs.insert(c.row.datasetID)
            }
        }
        let providerDatasets = Set(index.providerDatasetIDs).union(index.registrationDatasetIDs)
        return (figures, datasetIDs.union(providerDatasets))
    }

    /// The municipal layer's columns (what its queryables are, without building it).
    public static func municipalColumns(coverage: Bool, estimate75Plus: Bool = false) -> [String] {
        ["code", "name", "prefecture"] + AreaFigures.columns(coverage: coverage, estimate75Plus: estimate75Plus)
    }

    /// The mesh layer's columns.
    public static func meshColumns(coverage: Bool) -> [String] {
        ["mesh_code", "cell_size_m", "municipality_code", "population_total", "population_75_plus", "estimated"] + (coverage ? ["covered", "gap"] : [])
    }

    public func municipalities(_ r: LayerRequest) throws -> Layer {
        let (figures, datasetIDs) = try municipalFigures(r)
        var features: [Layer.Feature] = []
        for m in index.municipalityShapes {
            if let box = r.box {
                let pts = m.boundary.allPoints
                if pts.allSatisfy({ !box.contains($0) }) && !(box.minLon >= (pts.map(\.lon).min() ?? 0) && box.maxLon <= (pts.map(\.lon).max() ?? 0)) { continue }
            }
            var v = figures[m.code]?.values(coverage: r.coverage) ?? [:]
            (v["code"], v["name"], v["prefecture"]) = (.text(m.code), .text(m.name), .text(m.prefecture))
            features.append(.init(id: m.code, geometry: m.boundary, values: v))
        }
        let columns = Self.municipalColumns(coverage: r.coverage, estimate75Plus: r.estimate75Plus)
        return Layer(name: "municipalities", columns: columns, features: features,
                     indicators: Indicators.all.filter { columns.contains($0.id) },
                     datasets: datasetIDs.sorted().compactMap(index.dataset))
    }

    public func meshes(_ r: LayerRequest) throws -> Layer {
        let population = try database.municipalPopulation(year: r.year)
        let cells = try cells(r, population: population)
        var features: [Layer.Feature] = []
        var datasetIDs = Set<Int64>()
        for c in cells {
            datasetIDs.insert(c.row.datasetID)
            var v: [String: LayerValue] = ["mesh_code": .text(c.row.mesh.code), "cell_size_m": .integer(c.row.mesh.level.nominalMetres),
                                           "municipality_code": c.municipality.map { .text($0) } ?? .none,
                                           "population_total": .integer(c.row.total),
                                           "population_75_plus": c.age75.map { c.estimated ? .number($0) : .integer(Int($0)) } ?? .none,
                                           "estimated": .flag(c.estimated)]
            if r.coverage {
                v["covered"] = .flag(c.covered == true)
                v["gap"] = .flag(c.covered != true && (c.age75 ?? 0) >= Double(r.gapThreshold))
            }
            features.append(.init(id: c.row.mesh.code, geometry: .polygon([c.row.mesh.bounds.ring]), values: v))
        }
        let columns = Self.meshColumns(coverage: r.coverage)
        if cells.contains(where: \.estimated) {
            datasetIDs.formUnion(population.values.map(\.datasetID))
        }
        return Layer(name: "meshes", columns: columns, features: features, indicators: Indicators.all.filter { columns.contains($0.id) || $0.id == "gap" && r.coverage },
                     datasets: (r.coverage ? datasetIDs.union(index.providerDatasetIDs) : datasetIDs).sorted().compactMap(index.dataset))
    }
}

extension Layer {
    /// RFC 7946 FeatureCollection with the indicator definitions and datasets as foreign members
    /// (see ``LayerGeoJSON``, which also writes it piece by piece).
    public func geoJSON() -> Data { LayerGeoJSON.document(self) }

    /// The same rows as CSV (no geometry), UTF-8 with a heading row.
    public func csv() -> String {
        var out = columns.joined(separator: ",") + "\n"
        for f in features { out += columns.map { (f.values[$0] ?? .none).csv }.joined(separator: ",") + "\n" }
        return out
    }
}
