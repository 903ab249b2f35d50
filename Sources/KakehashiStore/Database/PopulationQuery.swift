import Foundation
import GRDB
import KakehashiGeo
import KakehashiModel

/// Population rows for the map layers.
public struct MunicipalPopulation: Sendable {
    public var code: String
    public var year: Int
    public var total: Int
    public var age65Plus: Int?
    public var age75Plus: Int?
    public var datasetID: Int64
    public var kind: PopulationKind = .estimate
    public var area: PopulationArea = .municipality
}

public struct MeshPopulationRow: Sendable {
    public var mesh: MeshCode
    public var year: Int
    public var total: Int
    public var age65Plus: Int?
    public var age75Plus: Int?
    public var datasetID: Int64
}

extension SpatialDatabase {
    /// Each area's population in `year` (by ``PopulationYears/choose(_:asked:today:)`` when nil): the
    /// actual figure where one exists, else the projection — each row names its year and kind.
    public func municipalPopulation(year asked: Int? = nil) throws -> [String: MunicipalPopulation] {
        try reader.read { db in
            guard let year = try PopulationYears.choose(PopulationYears.held(db), asked: asked, today: Date()) else { return [:] }
            var result: [String: MunicipalPopulation] = [:]
            // Ordered so that the preferred kind of each area comes last and stays.
            for r in try Row.fetchAll(db, sql: "SELECT * FROM municipality_population WHERE reference_year = ?", arguments: [year])
                .sorted(by: { PopulationKind(rawValue: $0["kind"]) ?? .projection > PopulationKind(rawValue: $1["kind"]) ?? .projection }) {
                let code: String = r["code"]
                result[code] = MunicipalPopulation(code: code, year: r["reference_year"], total: r["total"], age65Plus: r["age_65_plus"],
                                                   age75Plus: r["age_75_plus"], datasetID: r["dataset_id"],
                                                   kind: PopulationKind(rawValue: r["kind"]) ?? .estimate,
                                                   area: PopulationArea(rawValue: r["area"]) ?? .municipality)
            }
            return result
        }
    }

    /// The years of population held, each with its kinds.
    public func populationYears() throws -> [PopulationYears.Year] {
        try reader.read { db in try PopulationYears.held(db) }
    }

    /// The datasets the current municipal boundaries come from.
    public func boundaryDatasetIDs() throws -> Set<Int64> {
        try reader.read { db in Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT dataset_id FROM municipalities")) }
    }

    /// Mesh cells (the latest year of each), optionally within a box.
    public func meshPopulation(in box: GeoBox? = nil) throws -> [MeshPopulationRow] {
        try reader.read { db in
            let rows: [Row]
            if let box {
                rows = try Row.fetchAll(db, sql: """
                    SELECT * FROM mesh_population WHERE ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'mesh_population'
                      AND f_geometry_column = 'cell' AND search_frame = BuildMbr(?, ?, ?, ?, 4326)) ORDER BY mesh_code, reference_year
                    """, arguments: [box.minLon, box.minLat, box.maxLon, box.maxLat])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM mesh_population ORDER BY mesh_code, reference_year")
            }
            var latest: [String: MeshPopulationRow] = [:]
            for r in rows {
                guard let mesh = MeshCode(r["mesh_code"] as String) else { continue }
                latest[mesh.code] = MeshPopulationRow(mesh: mesh, year: r["reference_year"], total: r["total"], age65Plus: r["age_65_plus"],
                                                      age75Plus: r["age_75_plus"], datasetID: r["dataset_id"])
            }
            return latest.values.sorted { $0.mesh.code < $1.mesh.code }
        }
    }
}

/// Which year of population a layer shows when none is asked: the latest year with an actual
/// figure (census or estimate), so that a projection never silently stands in for one; only where
/// nothing actual is held, the projection of the latest year up to today (else the first one).
public enum PopulationYears {
    public struct Year: Sendable, Equatable, Encodable {
        public let year: Int
        public let kinds: [PopulationKind]
    }

    static func held(_ db: Database) throws -> [Year] {
        var kinds: [Int: Set<PopulationKind>] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT DISTINCT reference_year, kind FROM municipality_population") {
            if let k = PopulationKind(rawValue: r["kind"]) { kinds[r["reference_year"], default: []].insert(k) }
        }
        return kinds.keys.sorted().map { Year(year: $0, kinds: kinds[$0]!.sorted()) }
    }

    /// The year to show: `asked` when it is held (nil otherwise), else the rule above.
    public static func choose(_ held: [Year], asked: Int?, today: Date) -> Int? {
        if let asked { return held.contains { $0.year == asked } ? asked : nil }
        if let actual = held.last(where: { $0.kinds.contains(where: \.isActual) }) { return actual.year }
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: today)
        return held.last(where: { $0.year <= thisYear })?.year ?? held.first?.year
    }
}
