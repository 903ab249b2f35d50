import KakehashiGeo
import KakehashiModel
import Testing
@testable import KakehashiCoverage

/// The legal limit and the service-area rules, at a point and over a plan's cell.
@Suite struct EligibilityTests {
    let rules = Eligibility(medicalRadiusM: 16_000)
    static let clinic = GeoPoint(lon: 139.47, lat: 35.80)

    /// A point `metres` north of the clinic (by bisection on the exact geodesic distance).
    static func north(of p: GeoPoint, metres: Double) -> GeoPoint {
        var lo = 0.0, hi = 1.0
        for _ in 0..<80 {
            let mid = (lo + hi) / 2
            if Geodesic.distance(p, GeoPoint(lon: p.lon, lat: p.lat + mid)) < metres { lo = mid } else { hi = mid }
        }
        return GeoPoint(lon: p.lon, lat: p.lat + (lo + hi) / 2)
    }

    /// The patient at `metres` from the clinic, in municipality 11208 (interned as 3).
    func patient(_ metres: Double, town: String? = "緑町一丁目") -> (PatientPoint, ProviderPosition) {
        let point = Self.north(of: Self.clinic, metres: metres)
        return (PatientPoint(point: point, code: "11208", home: 3, town: town),
                ProviderPosition(location: Self.clinic, distance: Geodesic.approximate(Self.clinic, point)))
    }

    func area(_ rule: Area.Rule, for service: ServiceKind? = nil) -> Area { Area(service: service, rule: rule, datasetID: 7) }

    @Test func medicalVisitsReachSixteenKilometresWithoutADeclaredArea() {
        for (metres, serves) in [(15_990.0, true), (16_010.0, false)] {
            let (point, position) = patient(metres)
            let v = rules.verdict(service: .homeVisitMedical, position: position, home: 9, declared: nil, at: point)
            #expect((v.reach == .everywhere) == serves, "\(metres) m")
            if serves {
                #expect(rules.matchedArea(v, service: .homeVisitMedical, declared: nil, at: point)?.match == .legalRadius)
            } else {
                #expect(rules.refusal(v, position: position, declared: false) == .beyondLegalRadius(position.distance))
            }
        }
    }

    /// Within 2 m of the limit the exact distance decides, whatever the approximation says.
    @Test func theExactDistanceDecidesAtTheLimit() {
        let point = Self.north(of: Self.clinic, metres: 16_000.4)
        let (inside, outside) = (ProviderPosition(location: Self.clinic, distance: 15_999.5), ProviderPosition(location: Self.clinic, distance: 16_001))
        let p = PatientPoint(point: point, code: nil, home: -2, town: nil)
        #expect(p.within(16_000, of: inside) == .nowhere)
        #expect(p.within(16_001, of: outside) == .everywhere)
    }

    @Test func theLegalLimitCapsDeclaredAreas() {
        let (point, position) = patient(17_000)
        let declared = [area(.radius(20_000)), area(.municipalities(["11208"]))]
        let medical = rules.verdict(service: .homeVisitMedical, position: position, home: 9, declared: declared, at: point)
        #expect(medical.reach == .nowhere && rules.refusal(medical, position: position, declared: true) == .beyondLegalRadius(position.distance))
        // Nursing has no legal limit: the same areas serve.
        let nursing = rules.verdict(service: .homeVisitNursing, position: position, home: 9, declared: declared, at: point)
        #expect(nursing.reach == .everywhere && nursing.shown == 0)
    }

    @Test func withoutADeclaredAreaOtherServicesServeTheirOwnMunicipality() {
        let (point, position) = patient(3_000)
        let home = rules.verdict(service: .careManagement, position: position, home: 3, declared: nil, at: point)
        #expect(home.reach == .everywhere)
        #expect(rules.matchedArea(home, service: .careManagement, declared: nil, at: point)?.match == .homeMunicipality("11208"))
        let elsewhere = rules.verdict(service: .careManagement, position: position, home: 4, declared: nil, at: point)
        #expect(rules.refusal(elsewhere, position: position, declared: false) == .outsideArea(declared: false))
        // A provider whose municipality is unknown (-1) serves no place by that default, even a place with none (-2).
        let nowhere = PatientPoint(point: point.point, code: nil, home: -1, town: nil)
        #expect(rules.verdict(service: .careManagement, position: position, home: -1, declared: nil, at: nowhere).reach == .nowhere)
    }

    @Test func theFirstDeclaredAreaThatHoldsIsShown() {
        let (point, position) = patient(3_000)
        let declared = [area(.radius(1_000)), area(.towns(["11208/本町"])), area(.towns(["11208/緑町一丁目"])), area(.municipalities(["11208"]))]
        let v = rules.verdict(service: .homeCare, position: position, home: 9, declared: declared, at: point)
        #expect(v.reach == .everywhere && v.shown == 2)
        let match = rules.matchedArea(v, service: .homeCare, declared: declared, at: point)
        #expect(match?.match == .towns("緑町一丁目") && match?.dataset == 7)
        // Areas for another service do not count.
        let other = [area(.municipalities(["11208"]), for: .homeBathing)]
        let refused = rules.verdict(service: .homeCare, position: position, home: 3, declared: other, at: point)
        #expect(rules.refusal(refused, position: position, declared: true) == .outsideArea(declared: true))
    }

    @Test func anUnknownLocationNeverMeetsADistanceRule() {
        let (point, _) = patient(1_000)
        let v = rules.verdict(service: .homeVisitMedical, position: nil, home: 3, declared: nil, at: point)
        #expect(rules.refusal(v, position: nil, declared: false) == .locationUnknown)
        let radius = rules.verdict(service: .homeCare, position: nil, home: 3, declared: [area(.radius(5_000))], at: point)
        #expect(radius.reach == .nowhere)
    }

    @Test func drawnAreasHoldInsideTheirOutline() {
        let (point, position) = patient(500)
        let square = GeoBox(minLon: point.point.lon - 0.01, minLat: point.point.lat - 0.01, maxLon: point.point.lon + 0.01, maxLat: point.point.lat + 0.01)
        let inside = rules.verdict(service: .homeCare, position: position, home: 9, declared: [area(.polygon(.polygon([square.ring]), square))], at: point)
        #expect(inside.reach == .everywhere)
        let away = GeoBox(minLon: square.minLon + 0.05, minLat: square.minLat, maxLon: square.maxLon + 0.05, maxLat: square.maxLat)
        #expect(rules.verdict(service: .homeCare, position: position, home: 9, declared: [area(.polygon(.polygon([away.ring]), away))], at: point).reach == .nowhere)
    }

    /// Over a cell: everywhere, nowhere, or within a limit the cell straddles; 町字 lists depend on the point.
    @Test func overACellTheRulesSayWhereTheyHold() {
        let box = GeoBox(minLon: 139.47, minLat: 35.95, maxLon: 139.48, maxLat: 35.96)
        let cell = PatientCell(box: box, reach: 800, code: "11208", home: 3)
        func at(_ metres: Double) -> ProviderPosition { ProviderPosition(location: Self.clinic, distance: metres) }
        #expect(rules.verdict(service: .homeVisitMedical, position: at(10_000), home: 9, declared: nil, at: cell).reach == .everywhere)
        #expect(rules.verdict(service: .homeVisitMedical, position: at(16_300), home: 9, declared: nil, at: cell).reach == .within(16_000))
        #expect(rules.verdict(service: .homeVisitMedical, position: at(17_000), home: 9, declared: nil, at: cell).reach == .nowhere)
        #expect(rules.verdict(service: .homeCare, position: at(1_000), home: 9, declared: [area(.towns(["11208/本町"]))], at: cell).reach == .unsure)
        // The first area that holds somewhere holds only near the radius: entries would differ within the cell.
        let mixed = [area(.radius(1_200)), area(.municipalities(["11208"]))]
        let v = rules.verdict(service: .homeCare, position: at(1_000), home: 9, declared: mixed, at: cell)
        #expect(v.reach == .unsure && v.shown == 0)
    }

    @Test func reachesCombine() {
        let all: [Reach] = [.everywhere, .nowhere, .within(5), .unsure]
        for r in all {
            #expect(r.and(.everywhere) == r && r.and(.nowhere) == .nowhere)
            #expect(r.or(.nowhere) == r && r.or(.everywhere) == .everywhere)
        }
        #expect(Reach.within(5).and(.within(6)) == .unsure && Reach.within(5).or(.unsure) == .unsure)
    }
}
