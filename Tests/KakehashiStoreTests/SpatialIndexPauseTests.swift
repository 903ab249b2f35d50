import Foundation
import GRDB
import Testing
@testable import KakehashiStore

/// A load of many providers writes with SpatiaLite's per-row index triggers off and fills the
/// R*Tree once (issue #18's import speed): afterwards the index must hold exactly the located
/// providers, the triggers must be back, and a load that fails must leave both as they were.
@Suite struct SpatialIndexPauseTests {
    static func providers(_ count: Int, from first: Int = 0) -> String {
        var out = "id,name,kind,services,lat,lon,municipality_code,phone,capabilities,opening_hours,hours_service,area_radius_m,area_municipalities\n"
        for i in first..<(first + count) {
            // Every 10th without a point: the index holds only those with one.
            let (lat, lon) = i % 10 == 0 ? ("", "") : (String(35.5 + Double(i % 500) * 0.001), String(139.3 + Double(i / 500) * 0.001))
            out += "p\(i),訪問看護ステーション\(i),visiting_nurse_station,home_visit_nursing,\(lat),\(lon),11208,,,,,,\n"
        }
        return out
    }

    static func state(_ db: SpatialDatabase) throws -> (triggers: Int, indexed: Int, located: Int) {
        try db.reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'providers'") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM idx_providers_location") ?? -1,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE location IS NOT NULL") ?? -1)
        }
    }

    @Test func aLargeLoadLeavesTheIndexWholeAndTheTriggersBack() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let before = try Self.state(db)
        let large = try Fixtures.write(Self.providers(SpatialIndexPause.worthFrom + 10), name: "large.csv", in: dir)
        _ = try DataImport.run(.providers, files: [large], into: db)
        let after = try Self.state(db)
        #expect(after.triggers == before.triggers && after.triggers == 8)
        #expect(after.located == 18_009 && after.indexed == after.located)
        // The index finds a provider by its box, as SpatiaLite's own queries use it.
        let found = try db.reader.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM providers p WHERE p.rowid IN (SELECT pkid FROM idx_providers_location
                    WHERE xmin <= 139.3005 AND xmax >= 139.2995 AND ymin <= 35.5015 AND ymax >= 35.5005)
                """)
        }
        #expect(found == 1)
        // Each box, packed at once, holds its point (rounded to 32-bit floats outwards, as SQLite does).
        let outside = try db.reader.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM providers p JOIN idx_providers_location i ON i.pkid = p.rowid
                WHERE NOT (i.xmin <= X(p.location) AND i.xmax >= X(p.location) AND i.ymin <= Y(p.location) AND i.ymax >= Y(p.location))
                """)
        }
        #expect(outside == 0)
        // A small load later goes through the triggers again.
        let small = try Fixtures.write(Self.providers(5, from: 30_000), name: "small.csv", in: dir)
        _ = try DataImport.run(.providers, files: [small], into: db)
        let more = try Self.state(db)
        #expect(more.triggers == 8 && more.indexed == more.located && more.located == after.located + 4)
        // The packed tree (RTreeBulkLoad), then written by the triggers, is one SQLite finds whole.
        #expect(try db.reader.read { db in try String.fetchOne(db, sql: "SELECT rtreecheck('idx_providers_location')") } == "ok")
    }

    /// A GeoJSON feature: provider `id`'s point, declaring a radius.
    static func feature(point id: Int) -> String {
        let lon = 139.3 + Double(id / 500) * 0.001, lat = 35.5 + Double(id % 500) * 0.001
        return #"{"type":"Feature","properties":{"id":"p\#(id)","name":"訪問看護ステーション\#(id)","kind":"visiting_nurse_station","services":"home_visit_nursing","municipality_code":"11208","area_radius_m":"3000"},"geometry":{"type":"Point","coordinates":[\#(lon),\#(lat)]}}"#
    }

    /// A GeoJSON feature: a drawn area of provider `id`, 0.1° square from (lon, lat).
    static func feature(drawnFor id: Int, lon: Double, lat: Double) -> String {
        let ring = [[lon, lat], [lon + 0.1, lat], [lon + 0.1, lat + 0.1], [lon, lat + 0.1], [lon, lat]].map { "[\($0[0]),\($0[1])]" }.joined(separator: ",")
        return #"{"type":"Feature","properties":{"provider":"p\#(id)","service":"home_visit_nursing"},"geometry":{"type":"Polygon","coordinates":[[\#(ring)]]}}"#
    }

    static func collection(_ features: [String]) -> String { #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",") + "]}" }

    @Test func aLargeLoadLeavesTheAreaIndexWholeAndItsTriggersBack() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        // A drawn area loaded before, through the triggers: the large load must keep it indexed.
        let first = try Fixtures.write(Self.providers(1, from: 40_001), name: "first.csv", in: dir)
        _ = try DataImport.run(.providers, files: [first], into: db)
        let drawn = try Fixtures.write(Self.collection([Self.feature(drawnFor: 40_001, lon: 139.4, lat: 35.7)]), name: "drawn.geojson", in: dir)
        _ = try DataImport.run(.providers, files: [drawn], into: db)
        func areas() throws -> (triggers: Int, indexed: Int, drawn: Int, radii: Int, deleted: String) {
            try db.reader.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'service_areas'") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM idx_service_areas_area") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM service_areas WHERE area IS NOT NULL") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT count(*) FROM service_areas WHERE rule = 'radius'") ?? -1,
                 try String.fetchOne(db, sql: "SELECT last_delete FROM geometry_columns_time WHERE f_table_name = 'service_areas'") ?? "none")
            }
        }
        let before = try areas()
        #expect(before.triggers == 8 && before.indexed == 1 && before.drawn == 1 && before.deleted.hasPrefix("0000"))
        // Every provider of the large load declares a radius, and two draw areas in the same file.
        let count = SpatialIndexPause.worthFrom + 10
        let large = Self.collection((0..<count).map { Self.feature(point: $0) }
                                    + [Self.feature(drawnFor: 7, lon: 139.9, lat: 35.9), Self.feature(drawnFor: 8, lon: 140.2, lat: 35.9)])
        _ = try DataImport.run(.providers, files: [try Fixtures.write(large, name: "large.geojson", in: dir)], into: db)
        let after = try areas()
        #expect(after.triggers == before.triggers && after.drawn == 3 && after.indexed == 3 && after.radii == count)
        // The areas' triggers did rest: nothing was deleted, yet the pause's end stamps deletions too.
        #expect(!after.deleted.hasPrefix("0000"), "last_delete: \(after.deleted)")
        // Each drawn area is found by its box, as SpatiaLite's own queries use the index.
        for (lon, lat) in [(139.45, 35.75), (139.95, 35.95), (140.25, 35.95)] {
            let found = try db.reader.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM idx_service_areas_area WHERE xmin <= ? AND xmax >= ? AND ymin <= ? AND ymax >= ?",
                                 arguments: [lon, lon, lat, lat])
            }
            #expect(found == 1, "\(lon), \(lat)")
        }
        #expect(try db.reader.read { db in try String.fetchOne(db, sql: "SELECT rtreecheck('idx_service_areas_area')") } == "ok")
    }

    /// A database holding five providers numbered from `first`.
    static func fiveProviders(from first: Int) throws -> SpatialDatabase {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.providers, files: [try Fixtures.write(Self.providers(5, from: first), name: "first.csv", in: dir)], into: db)
        return db
    }

    /// Runs `write` in one transaction with the providers' triggers resting, as a large load does.
    static func paused(_ db: SpatialDatabase, _ write: (Database) throws -> Void) throws {
        try db.writer.write { db in
            try SpatialIndexPause.around(table: "providers", column: "location", rows: SpatialIndexPause.worthFrom, db: db) { try write(db) }
        }
    }

    /// The geometry checks rest with the index triggers and are made once at the end: a geometry
    /// the column does not take still fails the load, which then changes nothing.
    @Test func aWrongGeometryWrittenDuringThePauseFailsTheLoad() throws {
        let db = try Self.fiveProviders(from: 60_000)
        let before = try Self.state(db)
        // A point in Web Mercator's SRID: the column takes only 4326.
        let mercator = "UPDATE providers SET location = MakePoint(15540000, 4250000, 3857) WHERE official_id = 'p60001'"
        let error = #expect(throws: DatabaseError.self) { try Self.paused(db) { try $0.execute(sql: mercator) } }
        #expect(error?.message?.contains("violates Geometry constraint") == true, "\(String(describing: error))")
        let after = try Self.state(db)
        #expect(after == before && after.triggers == 8 && after.indexed == 4)
        // Outside a pause, the trigger itself refuses it.
        #expect(throws: DatabaseError.self) { try db.writer.write { try $0.execute(sql: mercator) } }
    }

    @Test func aFailedLargeLoadChangesNothing() throws {
        let db = try Self.fiveProviders(from: 50_000)
        let before = try Self.state(db)
        struct Late: Error {}
        #expect(throws: Late.self) {
            try Self.paused(db) { db in
                try db.execute(sql: "DELETE FROM providers")
                throw Late()
            }
        }
        let after = try Self.state(db)
        #expect(after == before && after.triggers == 8 && after.indexed == 4)
    }
}
