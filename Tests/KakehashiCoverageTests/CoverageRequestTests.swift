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

    /// A Tokyo wall-clock instant.
    static func tokyo(_ y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int) -> Date {
        Date(timeIntervalSince1970: Double(CivilDate(year: y, month: mo, day: d).dayNumber * 86_400 + (h - 9) * 3600 + mi * 60))
    }

    /// Without a date, tonight is the night the coordinator is in: the rest of it until 09:00.
    @Test(arguments: [
        // asked at, the night (its evening), from, to
        ((2026, 12, 6, 2, 0), (2026, 12, 5), (2026, 12, 6, 2, 0), (2026, 12, 6, 9, 0)),
        ((2026, 12, 6, 8, 59), (2026, 12, 5), (2026, 12, 6, 8, 59), (2026, 12, 6, 9, 0)),
        ((2026, 12, 6, 9, 0), (2026, 12, 6), (2026, 12, 6, 18, 0), (2026, 12, 7, 9, 0)),
        ((2026, 12, 6, 17, 59), (2026, 12, 6), (2026, 12, 6, 18, 0), (2026, 12, 7, 9, 0)),
        ((2026, 12, 6, 22, 0), (2026, 12, 6), (2026, 12, 6, 22, 0), (2026, 12, 7, 9, 0)),
        // across a year end
        ((2026, 12, 31, 23, 30), (2026, 12, 31), (2026, 12, 31, 23, 30), (2027, 1, 1, 9, 0)),
        ((2027, 1, 1, 2, 0), (2026, 12, 31), (2027, 1, 1, 2, 0), (2027, 1, 1, 9, 0)),
        // a holiday (勤労感謝の日, a Monday) changes nothing in which night it is
        ((2026, 11, 23, 2, 0), (2026, 11, 22), (2026, 11, 23, 2, 0), (2026, 11, 23, 9, 0)),
        ((2026, 11, 23, 12, 0), (2026, 11, 23), (2026, 11, 23, 18, 0), (2026, 11, 24, 9, 0)),
    ])
    func tonightIsTheNightInProgress(asked: (Int, Int, Int, Int, Int), night: (Int, Int, Int), from: (Int, Int, Int, Int, Int),
                                     to: (Int, Int, Int, Int, Int)) throws {
        let at = Self.tokyo(asked.0, asked.1, asked.2, asked.3, asked.4).addingTimeInterval(25)  // seconds drop to the minute
        let w = try api.window(at: nil, from: nil, to: nil, tonight: "tonight", date: nil, now: at)
        #expect(w.night == CivilDate(year: night.0, month: night.1, day: night.2))
        #expect(w.from == Self.tokyo(from.0, from.1, from.2, from.3, from.4))
        #expect(w.to == Self.tokyo(to.0, to.1, to.2, to.3, to.4))
        #expect(try api.window(at: nil, from: nil, to: nil, tonight: nil, date: nil, now: at) == w)
        // A map of the night, and a night named by its date, are whole.
        #expect(try api.window(at: nil, from: nil, to: nil, tonight: nil, date: nil, now: at, wholeNight: true) == .tonight(w.night!))
        let named = try api.window(at: nil, from: nil, to: nil, tonight: "tonight", date: w.night, now: at)
        #expect(named.from == Self.tokyo(night.0, night.1, night.2, 18, 0) && named.to == w.to)
    }

    @Test func theNightIsNamed() {
        let rest = CoverageWindow.nightInProgress(at: Self.tokyo(2026, 12, 6, 2, 0))
        #expect(rest.nightName == "12月5日の夜（02:00 から）")
        #expect(CoverageWindow.tonight(CivilDate(year: 2026, month: 12, day: 5)).nightName == "12月5日の夜")
        #expect(CoverageWindow(from: Date(), to: Date()).nightName == nil)
    }

    @Test func pagesWithinBounds() throws {
        #expect(try api.limit(nil) == 20 && api.offset(nil) == 0 && api.limit(200) == 200)
        #expect(refusal { try cli.limit(201) }?.message == "--limit は 1〜200 の整数です")
        #expect(refusal { try api.offset(-1) }?.parameter == "offset")
    }
}
