import Testing
@testable import KakehashiGeo

@Suite struct ProjectionTests {
    @Test func planeRectangularZoneIXReference() throws {
        // Reference from ../shared/docs/swift-and-c-libraries.md.
        let projection = try Projection(to: "EPSG:6677")
        let (x, y) = projection.forward(GeoPoint(lon: 139.7, lat: 35.7))
        #expect(abs(x - -12065.9886) < 0.001)
        #expect(abs(y - -33275.3457) < 0.001)
        #expect(Projection.planeRectangularEPSG(prefectureCode: 11) == 6677)
    }

    @Test func unknownCRSIsAnError() {
        #expect(throws: Projection.Failure.self) { try Projection(to: "EPSG:999999") }
    }
}
