import Foundation
import GRDB
import KakehashiGeo
import KakehashiModel

/// The writers of what is counted per area rather than per provider: population by municipality
/// and by mesh cell, towns, and the planning areas municipalities belong to.
extension DatasetWriter {
    static func writePopulation(_ part: ParsedDataset, dataset: Int64, db: Database, tick: () -> Void) throws -> Int {
        guard !part.population.isEmpty else { return 0 }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO municipality_population (code, reference_year, kind, area, name, total, age_0_14, age_15_64, age_65_plus,
                                                 age_75_plus, age_65_74, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(code, reference_year, kind) DO UPDATE SET area = excluded.area, name = excluded.name, total = excluded.total,
                age_0_14 = excluded.age_0_14, age_15_64 = excluded.age_15_64, age_65_plus = excluded.age_65_plus,
                age_75_plus = excluded.age_75_plus, age_65_74 = excluded.age_65_74, dataset_id = excluded.dataset_id
            """)
        for p in part.population {
            try upsert.execute(arguments: [p.code, p.year, p.kind.rawValue, p.area.rawValue, p.name, p.total, p.age0To14, p.age15To64,
                                           p.age65Plus, p.age75Plus, p.age65To74, dataset])
            tick()
        }
        return part.population.count
    }

    static func writeMesh(_ part: ParsedDataset, dataset: Int64, db: Database, tick: () -> Void) throws -> Int {
        guard !part.meshPopulation.isEmpty else { return 0 }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO mesh_population (mesh_code, reference_year, cell_size_m, total, male, female, households,
                                         age_65_plus, age_75_plus, dataset_id, cell)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, BuildMbr(?, ?, ?, ?, 4326))
            ON CONFLICT(mesh_code, reference_year) DO UPDATE SET cell_size_m = excluded.cell_size_m, total = excluded.total,
                male = excluded.male, female = excluded.female, households = excluded.households,
                age_65_plus = excluded.age_65_plus, age_75_plus = excluded.age_75_plus, dataset_id = excluded.dataset_id,
                cell = excluded.cell
            """)
        for m in part.meshPopulation {
            let b = m.mesh.bounds
            try upsert.execute(arguments: [m.mesh.code, m.year, m.mesh.level.nominalMetres, m.total, m.male, m.female, m.households,
                                           m.age65Plus, m.age75Plus, dataset, b.minLon, b.minLat, b.maxLon, b.maxLat])
            tick()
        }
        return part.meshPopulation.count
    }

    static func writeTowns(_ part: ParsedDataset, dataset: Int64, db: Database, tick: () -> Void) throws -> Int {
        guard !part.towns.isEmpty else { return 0 }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO towns (municipality_code, prefecture, city, town, koaza, dataset_id, point)
            VALUES (?, ?, ?, ?, ?, ?, MakePoint(?, ?, 4326))
            ON CONFLICT(municipality_code, town, koaza) DO UPDATE SET prefecture = excluded.prefecture,
                city = excluded.city, dataset_id = excluded.dataset_id, point = excluded.point
            """)
        for t in part.towns {
            try upsert.execute(arguments: [t.municipalityCode, t.prefecture, t.city, t.town, t.koaza, dataset, t.point?.lon, t.point?.lat])
            tick()
        }
        return part.towns.count
    }

    static func writePlanningAreas(_ part: ParsedDataset, dataset: Int64, db: Database, tick: () -> Void) throws -> Int {
        guard !part.planningAreas.isEmpty else { return 0 }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO planning_area_members (kind, municipality_code, area_code, area_name, prefecture_code, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(kind, municipality_code) DO UPDATE SET area_code = excluded.area_code, area_name = excluded.area_name,
                prefecture_code = excluded.prefecture_code, dataset_id = excluded.dataset_id
            """)
        for a in part.planningAreas {
            try upsert.execute(arguments: [a.kind.rawValue, a.municipalityCode, a.areaCode, a.areaName, a.prefectureCode, dataset])
            tick()
        }
        return part.planningAreas.count
    }

    static func writeDemand(_ part: ParsedDataset, dataset: Int64, db: Database, tick: () -> Void) throws -> Int {
        guard !part.demand.isEmpty else { return 0 }
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO area_demand (area_code, care, fiscal_year, area_name, projected, receipts_per_month, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(area_code, care, fiscal_year) DO UPDATE SET area_name = excluded.area_name, projected = excluded.projected,
                receipts_per_month = excluded.receipts_per_month, dataset_id = excluded.dataset_id
            """)
        for d in part.demand {
            try upsert.execute(arguments: [d.areaCode, d.care.rawValue, d.fiscalYear, d.areaName, d.projected, d.receiptsPerMonth, dataset])
            tick()
        }
        return part.demand.count
    }
}
