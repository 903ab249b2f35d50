import Foundation
import KakehashiCoverage
import KakehashiGeo
import KakehashiModel
import KakehashiStore
import Testing
@testable import KakehashiServer

/// The hand-written coverage JSON says exactly what `JSONEncoder` says, on real answers.
@Suite struct CoverageJSONTests {
    typealias F = ServerFixture

    @Test func sameDocumentAsJSONEncoder() throws {
        let (state, _, _) = try F.state()
        let geocoded = try state.geocoder.geocode("埼玉県所沢市元町28-9")
        let cityOnly = try state.geocoder.geocode("所沢市")
        let now = try #require(Timestamps.parse("2026-11-24T12:00"))
        var compared = 0, withResults = 0, withExclusions = 0
        let fragments = EntryFragments()
        for (point, geocode) in [(GeoPoint(lon: try #require(geocoded.lon), lat: try #require(geocoded.lat)), Optional(geocoded)),
                                 (GeoPoint(lon: F.inside.lon, lat: F.inside.lat), nil),
                                 (GeoPoint(lon: try #require(cityOnly.lon), lat: try #require(cityOnly.lat)), Optional(cityOnly))] {
            for service in ServiceKind.allCases {
                for (window, explain) in [(CoverageWindow.tonight(CivilDateFixture.date), true),
                                          (CoverageWindow(from: now, to: now.addingTimeInterval(60)), false)] {
                    let q = CoverageQuery(point: point, municipalityCode: geocode?.cityCode, town: geocode?.town, services: [service],
                                          window: window, limit: 20, offset: 0, explain: explain, now: now)
                    let body = CoverageResponse(query: .init(services: q.services, from: window.from, to: window.to, lat: point.lat, lon: point.lon, geocode: geocode),
                                                answer: state.index.answer(q, onCall: state.onCall))
                    let fast = try JSONSerialization.jsonObject(with: Data(CoverageJSON.encode(body))) as? NSDictionary
                    let reference = try JSONSerialization.jsonObject(with: try JSON.encoder().encode(body)) as? NSDictionary
                    #expect(fast != nil && fast == reference, "\(service) explain=\(explain)")
                    // With the providers' pieces: written at the first answer, copied at the second.
                    let first = CoverageJSON.encode(body, fragments: fragments), second = CoverageJSON.encode(body, fragments: fragments)
                    #expect(first == CoverageJSON.encode(body) && second == first, "\(service) explain=\(explain) with fragments")
                    compared += 1
                    if !body.answer.results.isEmpty { withResults += 1 }
                    if !(body.answer.excluded ?? []).isEmpty { withExclusions += 1 }
                }
            }
        }
        #expect(compared == 3 * ServiceKind.allCases.count * 2)
        #expect(withResults >= 6 && withExclusions >= 3, "answers with results \(withResults), with exclusions \(withExclusions)")
    }

    @Test func decimetresAreWrittenAsDescriptionWritesThem() {
        var differ: [String] = []
        var values: [Double] = [0, 0.1, 0.05, 1, 9.95, 16_000, 15_999.9, 123_456.7, 1e11 + 0.3, 2.5e15, .infinity]
        var x: UInt64 = 88
        for _ in 0..<20_000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1
            values.append(((Double(x >> 11) / Double(1 << 53)) * 60_000 * 10).rounded() / 10)
        }
        for d in values {
            var w = CoverageJSON()
            w.decimetres(d)
            if String(decoding: w.bytes, as: UTF8.self) != d.description { differ.append("\(d)") }
        }
        #expect(differ.isEmpty, "\(differ.prefix(5))")
    }

    @Test func stringsAreEscaped() throws {
        var w = CoverageJSON()
        w.string("a\"b\\c\n\u{01}日本/")
        let back = try JSONSerialization.jsonObject(with: Data(("[" + String(decoding: w.bytes, as: UTF8.self) + "]").utf8)) as? [String]
        #expect(back == ["a\"b\\c\n\u{01}日本/"])
    }

    @Test func tokyoTimestamps() throws {
        for (text, expected) in [("2026-11-24T18:00", "2026-11-24T18:00:00+09:00"), ("2024-02-29T23:59:59", "2024-02-29T23:59:59+09:00"),
                                 ("2000-01-01T00:00Z", "2000-01-01T09:00:00+09:00"), ("2099-12-31T15:00:00Z", "2100-01-01T00:00:00+09:00")] {
            #expect(Timestamps.tokyo(try #require(Timestamps.parse(text))) == expected, "\(text)")
        }
    }
}

enum CivilDateFixture {
    static let date = CoverageWindow.tokyoDate(of: Timestamps.parse("2026-11-24T12:00")!)
}
