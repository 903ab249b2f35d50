import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import Testing
@testable import KakehashiCoverage

/// One set of rules for a coverage question, whoever asks: the API names parameters as they are,
/// the CLI as its options.
@Suite struct CoverageRequestTests {
    let api = CoverageRequest()
    let cli = CoverageRequest(naming: { "--" + $0 })
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func refusal(_ body: () throws -> Any) -> CoverageRequest.Invalid? {
        do { _ = try body(); return nil } catch { return error as? CoverageRequest.Invalid }
    }

    @Test func anAddressOrAPointNeverBoth() throws {
        #expect(refusal { try api.place(address: "所沢市", lat: 35.8, lon: 139.5) }?.message == "address と lat/lon は同時に指定できません")
        #expect(refusal { try cli.place(address: nil, lat: 35.8, lon: nil) }?.parameter == "lon")
        #expect(refusal { try cli.place(address: nil, lat: nil, lon: nil) }?.message == "--address か、--lat と --lon の組のどちらかが必要です")
        #expect(refusal { try api.place(address: nil, lat: 10, lon: 10) }?.message == "座標が日本の範囲外です")
        guard case .point(let p) = try api.place(address: nil, lat: 35.8, lon: 139.5) else { Issue.record("not a point"); return }
        #expect(p == GeoPoint(lon: 139.5, lat: 35.8))
    }

    @Test func servicesAreKnownAndAtMostTwelve() throws {
        #expect(try api.services(["home_care,care_management", "home_visit_medical"]) == [.homeCare, .careManagement, .homeVisitMedical])
        #expect(refusal { try api.services([]) }?.parameter == "service")
        #expect(try api.services([], required: false).isEmpty)
        #expect(refusal { try cli.services(["home_care,nope"]) }?.message.hasPrefix("--service「nope」は未知です") == true)
        #expect(refusal { try api.services([String](repeating: "home_care", count: 13)) } != nil)
        #expect(refusal { try api.services([""]) }?.message == "service が空です")
    }

    @Test func oneFormOfWindow() throws {
        let day = CivilDate(year: 2026, month: 11, day: 24)
        #expect(try api.window(at: nil, from: nil, to: nil, tonight: nil, date: day, now: now) == .tonight(day))
        #expect(try api.window(at: now, from: nil, to: nil, tonight: nil, date: nil, now: now) == CoverageWindow(from: now, to: now.addingTimeInterval(60)))
        #expect(refusal { try api.window(at: now, from: nil, to: nil, tonight: "tonight", date: nil, now: now) }?.parameter == "at")
        #expect(refusal { try api.window(at: nil, from: now, to: now, tonight: nil, date: nil, now: now) }?.parameter == "from")
        #expect(refusal { try api.window(at: nil, from: now, to: now.addingTimeInterval(15 * 86_400), tonight: nil, date: nil, now: now) }?.parameter == "to")
        #expect(try api.window(at: nil, from: now, to: now.addingTimeInterval(14 * 86_400), tonight: nil, date: nil, now: now).to == now.addingTimeInterval(14 * 86_400))
        #expect(refusal { try cli.window(at: nil, from: now, to: nil, tonight: nil, date: nil, now: now) }?.message.hasPrefix("--from と --to は組で") == true)
        #expect(refusal { try api.window(at: nil, from: nil, to: nil, tonight: "today", date: nil, now: now) }?.parameter == "window")
    }

    @Test func pagesWithinBounds() throws {
        #expect(try api.limit(nil) == 20 && api.offset(nil) == 0 && api.limit(200) == 200)
        #expect(refusal { try cli.limit(201) }?.message == "--limit は 1〜200 の整数です")
        #expect(refusal { try api.offset(-1) }?.parameter == "offset")
    }
}
