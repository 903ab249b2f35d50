import Testing
@testable import KakehashiGeo

@Suite struct MeshCodeTests {
    @Test func firstLevelBounds() throws {
        let m = try #require(MeshCode("5339"))
        #expect(m.level == .first)
        #expect(abs(m.bounds.minLat - 35.333333) < 1e-6)
        #expect(m.bounds.minLon == 139)
        #expect(abs(m.bounds.maxLat - 36.0) < 1e-9)
    }

    @Test func quarterMeshOfTheFixture() throws {
        // 5339030011: the first row of the 250 m fixture; 1/4 of a 1 km cell, SW then SW.
        let m = try #require(MeshCode("5339030011"))
        #expect(m.level == .quarter)
        #expect(m.level.nominalMetres == 250)
        #expect(abs((m.bounds.maxLat - m.bounds.minLat) - 0.5 / 60 / 4) < 1e-12)
        #expect(abs((m.bounds.maxLon - m.bounds.minLon) - 1.0 / 80 / 4) < 1e-12)
        #expect(MeshCode(containing: m.bounds.center, level: .quarter) == m)
    }

    @Test func roundTripsEveryLevel() {
        let p = GeoPoint(lon: 139.7671, lat: 35.6812)  // Tokyo station
        for level in MeshCode.Level.allCases {
            let m = MeshCode(containing: p, level: level)
            #expect(m.level == level)
            #expect(m.bounds.contains(p))
        }
        #expect(MeshCode(containing: p, level: .third).code == "53394611")
    }

    @Test func rejectsInvalidCodes() {
        #expect(MeshCode("") == nil)
        #expect(MeshCode("53390") == nil)          // 5 digits is no level
        #expect(MeshCode("533990") == nil)         // second-level digits run 0–7
        #expect(MeshCode("533903005") == nil)      // subdivisions run 1–4
        #expect(MeshCode("5339O3001") == nil)
    }
}
