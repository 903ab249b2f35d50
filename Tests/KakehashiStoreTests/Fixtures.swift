import Foundation
import KakehashiTestSupport
import Testing
@testable import KakehashiStore

/// The real fixtures in ../shared/data (or $KAKEHASHI_FIXTURES). A missing fixture fails the test
/// loudly; it never skips.
enum Fixtures {
    static let packageRoot = TestFixtures.packageRoot
    static var root: URL { TestFixtures.root }
    typealias Missing = TestFixtures.Missing

    static func path(_ relative: String) throws -> String { try TestFixtures.path(relative) }

    static let boundaries = ["boundaries/N03-21_11_210101_s0010.geojson", "boundaries/N03-21_12_210101_s0010.geojson", "boundaries/N03-21_13_210101_s0010.geojson"]

    /// A fresh temporary folder for one test.
    static func scratch() throws -> URL { try TestFixtures.scratch() }

    /// A database with every fixture of ../shared/data loaded, built once per test run.
    static let loaded: Result<String, any Error> = Result {
        let dir = try scratch()
        let dbPath = dir.appendingPathComponent("fixtures.sqlite").path
        let db = try SpatialDatabase(path: dbPath)
        _ = try DataImport.run(.boundaries, files: boundaries.map(Fixtures.path), into: db)
        _ = try DataImport.run(.population, files: [Fixtures.path("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.meshPopulation, files: [Fixtures.path("mesh/mesh250m_2010_5339_population.csv")], into: db)
        _ = try DataImport.run(.towns, files: [Fixtures.path("towns/towns_saitama_chiba_tokyo.csv")], into: db)
        // The kaigo extracts hold geocoder placeholders outside Japan: loaded with --skip-invalid semantics.
        _ = try DataImport.run(.kaigo, files: [Fixtures.path("kaigo/jigyosho_130_saitama_chiba_tokyo.csv"), path("kaigo/jigyosho_430_saitama_chiba_tokyo.csv")],
                               into: db, options: ImportOptions(skipInvalid: true))
        _ = try DataImport.run(.zaishishin, files: [Fixtures.path("clinics/zaishishin_tokorozawa_iruma.csv")], into: db)
        try db.close()
        return dbPath
    }

    static func loadedDatabase() throws -> SpatialDatabase {
        try SpatialDatabase(path: try loaded.get(), access: .readOnly)
    }

    /// Writes `text` into a scratch file and returns its path.
    static func write(_ text: String, name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func write(_ data: Data, name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try data.write(to: url)
        return url.path
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOfFile: try path(relative), encoding: .utf8)
    }
}
