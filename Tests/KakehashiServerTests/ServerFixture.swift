import Foundation
import KakehashiTestSupport
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import KakehashiStore
import Logging
import Testing
import GRDB

/// A database of the real fixtures (three prefectures' boundaries and towns, the 介護 and 在支診
/// files) plus a small native file the tests write: one visiting-nurse station with a drawn area and
/// weekday hours, built once; each test works on its own copy.
enum ServerFixture {
    static let packageRoot = TestFixtures.packageRoot
    static var fixtures: URL { TestFixtures.root }

    static func path(_ relative: String) throws -> String { try TestFixtures.path(relative) }

    /// Near 所沢駅: inside the drawn area of NATIVE-N1.
    static let inside = (lat: 35.7870, lon: 139.4730)
    /// 所沢市, west: outside NATIVE-N1's area.
    static let outside = (lat: 35.7720, lon: 139.4500)

    static let native = """
    id,name,kind,services,lat,lon,address,municipality_code,phone,fax,opening_hours,hours_service,area_radius_m
    NATIVE-N1,テスト訪問看護ステーション（試験用）,visiting_nurse_station,home_visit_nursing,35.7880,139.4700,所沢市日吉町1-1,11208,04-0000-0001,04-0000-0002,Mo-Fr 09:00-18:00; PH off; Dec 29-Jan 03 off,home_visit_nursing,
    NATIVE-N2,テスト夜間訪問看護（試験用）,visiting_nurse_station,home_visit_nursing,35.7890,139.4710,所沢市日吉町1-2,11208,04-0000-0003,,Mo-Su 20:00-02:00,home_visit_nursing,
    NATIVE-P1,テスト在宅訪問薬局（試験用）,pharmacy,home_pharmacy,35.7990,139.4690,所沢市並木1-1,11208,04-0000-0005,,,,3000
    """

    static let areas = #"""
    {"type":"FeatureCollection","features":[
     {"type":"Feature","properties":{"provider":"NATIVE-N1","service":"home_visit_nursing"},
      "geometry":{"type":"Polygon","coordinates":[[[139.455,35.775],[139.495,35.775],[139.495,35.800],[139.455,35.800],[139.455,35.775]]]}}]}
    """#

    static let base: Result<String, any Error> = Result {
        let dir = try TestFixtures.scratch("server")
        let dbPath = dir.appendingPathComponent("base.sqlite").path
        let db = try SpatialDatabase(path: dbPath)
        _ = try DataImport.run(.boundaries, files: ["11", "12", "13"].map { try path("boundaries/N03-21_\($0)_210101_s0010.geojson") }, into: db)
        _ = try DataImport.run(.towns, files: [path("towns/towns_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.population, files: [path("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.population, files: [path("planning/ipss2023_projection_11_12_13.csv")], into: db)
        _ = try DataImport.run(.medicalAreas, files: [path("planning/iryoken2_municipalities_11_12_13.csv")], into: db)
        _ = try DataImport.run(.demand, files: [path("planning/mhlw_r7_zaitaku_gairai_demand_forecast.xlsx")], into: db)
        _ = try DataImport.run(.meshPopulation, files: [path("mesh/mesh250m_2010_5339_population.csv")], into: db)
        _ = try DataImport.run(.kaigo, files: [path("kaigo/jigyosho_130_saitama_chiba_tokyo.csv")], into: db, options: ImportOptions(skipInvalid: true))
        _ = try DataImport.run(.zaishishin, files: [path("clinics/zaishishin_tokorozawa_iruma.csv")], into: db)
        let csv = dir.appendingPathComponent("native.csv"), geo = dir.appendingPathComponent("areas.geojson")
        try Data(native.utf8).write(to: csv)
        try Data(areas.utf8).write(to: geo)
        _ = try DataImport.run(.providers, files: [csv.path, geo.path], into: db)
        try db.close()
        return dbPath
    }

    /// A fresh copy of the base database, its app state and a token file with one writer.
    static func state() throws -> (AppState, token: String, path: String) {
        let base = try base.get()
        let dir = try TestFixtures.scratch("server")
        let path = dir.appendingPathComponent("db.sqlite").path
        try SpatialDatabase.copyFiles(from: base, to: path)
        let token = TokenFile.generate()
        let tokens = dir.appendingPathComponent("tokens").path
        try Data("# name sha256\ncoordinator-1 \(TokenFile.hash(token))\n".utf8).write(to: URL(fileURLWithPath: tokens))
        let db = try SpatialDatabase(path: path, access: .server)
        return (try AppState(database: db, tokens: try TokenRegistry(path: tokens)), token, path)
    }

    static func app(_ state: AppState) -> some ApplicationProtocol {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return Application(router: buildRouter(state, logger: logger), logger: logger)
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: buffer)) as? [String: Any])
    }

    static func id(of official: String, in state: AppState) throws -> Int64 {
        try #require(try state.database.reader.read { try Int64.fetchOne($0, sql: "SELECT id FROM providers WHERE official_id = ?", arguments: [official]) })
    }
}
