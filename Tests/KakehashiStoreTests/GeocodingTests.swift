import Foundation
import KakehashiAddress
import Testing
@testable import KakehashiStore

/// Geocoding against the gazetteer the store builds from the imported fixtures.
@Suite struct GeocodingTests {
    static let geocoder: Result<Geocoder, any Error> = Result {
        let db = try Fixtures.loadedDatabase()
        defer { try? db.close() }
        return Geocoder(gazetteer: try db.gazetteer())
    }

    @Test func townLevelPoint() throws {
        let g = try Self.geocoder.get()
        let r = try g.geocode("所沢市元町２８番９号")
        #expect(r.prefecture == "埼玉県" && r.cityCode == "11208" && r.town == "元町" && r.level == 3)
        #expect(r.pointLevel == "town" && r.message == nil)
        #expect(abs((r.lat ?? 0) - 35.789209) < 1e-6 && abs((r.lon ?? 0) - 139.465026) < 1e-6)
    }

    @Test func cityLevelSaysSo() throws {
        let g = try Self.geocoder.get()
        let r = try g.geocode("千葉県柏市どこにもない町1-1")
        #expect(r.level == 2 && r.cityCode == "12217" && r.town == nil)
        #expect(r.pointLevel == "city")
        #expect(r.message?.contains("訪問先の位置ではありません") == true)
        let none = try g.geocode("どこでもない場所")
        #expect(none.level == 0 && none.lat == nil && none.message != nil)
    }

    @Test func countyTownsAreSpelledWithTheirCounty() throws {
        let r = try Self.geocoder.get().geocode("三芳町藤久保1100")
        #expect(r.city == "入間郡三芳町" && r.cityCode == "11324" && r.town == "大字藤久保")
    }

    @Test func threeCitiesThroughTheStore() throws {
        let g = try Self.geocoder.get()
        var matched = 0, rows = 0
        let text = try Fixtures.text("address_cases/three_cities.csv")
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            rows += 1
            let r = try g.geocode(f[0])
            if r.prefecture == f[1] && r.city == f[2] && r.town == f[3] { matched += 1 }
        }
        #expect(rows == 169)
        #expect(Double(matched) / Double(rows) >= 0.99)
    }

    @Test func reverseFindsTheMunicipalityAndNearestTown() throws {
        let db = try Fixtures.loadedDatabase()
        defer { try? db.close() }
        let r = try db.reverseGeocode(lat: 35.7994, lon: 139.4689)  // 所沢市役所
        #expect(r.cityCode == "11208" && r.city == "所沢市" && r.prefecture == "埼玉県")
        #expect(r.town != nil && (r.townDistanceM ?? .infinity) < 2_000)
        #expect(r.level == 3)
        let sea = try db.reverseGeocode(lat: 34.0, lon: 141.5)
        #expect(sea.cityCode == nil && sea.level == 0)
    }
}
