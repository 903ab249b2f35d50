import GRDB
import KakehashiGeo

/// Population rows for the map layers.
public struct MunicipalPopulation: Sendable {
    public var code: String
    public var year: Int
    public var total: Int
    public var age65Plus: Int?
    public var age75Plus: Int?
    public var datasetID: Int64
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
    /// The latest reference year of each municipality's population.
    public func municipalPopulation() throws -> [String: MunicipalPopulation] {
        try reader.read { db in
            var result: [String: MunicipalPopulation] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT * FROM municipality_population ORDER BY code, reference_year") {
                let code: String = r["code"]
                result[code] = MunicipalPopulation(code: code, year: r["reference_year"], total: r["total"], age65Plus: r["age_65_plus"],
                                                   age75Plus: r["age_75_plus"], datasetID: r["dataset_id"])
            }
            return result
        }
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
