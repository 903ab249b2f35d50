import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiGeo
import KakehashiServer
import Testing
import GRDB

/// What the web page reads from the server: the page itself (content negotiation at `/`), its
/// libraries from Debian's packages, the service-area shapes and the 町字 names.
@Suite struct WebAPITests {
    typealias F = ServerFixture

    @Test func rootServesThePageToBrowsersAndJSONToClients() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/", method: .get, headers: [.accept: "text/html,application/xhtml+xml,*/*;q=0.8"]) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType] == "text/html; charset=utf-8")
                let html = String(buffer: r.body)
                #expect(html.contains(#"<html lang="ja">"#))
                #expect(html.contains("/vendor/leaflet/leaflet.js") && html.contains("/vendor/chart.js/chart.min.js"))
                #expect(!html.contains("https://"), "the page must work offline: no CDN")
            }
            for (uri, accept) in [("/", "application/json"), ("/", "*/*"), ("/?f=json", "text/html")] {
                try await client.execute(uri: uri, method: .get, headers: [.accept: accept]) { r in
                    #expect(r.headers[.contentType] == "application/json")
                    let landing = try F.json(r.body)
                    #expect(landing["links"] != nil)
                }
            }
        }
    }

    @Test func librariesComeFromDebianPackagesAndNothingElseIsServed() async throws {
        let (state, _, _) = try F.state()
        #expect(state.web.missingLibraries.isEmpty, "install libjs-leaflet libjs-leaflet.markercluster libjs-chart.js (bash .ci/setup): missing \(state.web.missingLibraries)")
        try await F.app(state).test(.router) { client in
            for path in ["leaflet/leaflet.js", "leaflet/leaflet.markercluster.js", "chart.js/chart.min.js"] {
                try await client.execute(uri: "/vendor/\(path)", method: .get) { r in
                    #expect(r.status == .ok, "\(path)")
                    #expect(r.headers[.contentType] == "text/javascript; charset=utf-8")
                    let disk = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/javascript/\(path)"))
                    #expect(Data(buffer: r.body) == disk, "served unchanged from the Debian package")
                }
            }
            try await client.execute(uri: "/vendor/leaflet/images/marker-icon.png", method: .get) { r in
                #expect(r.headers[.contentType] == "image/png")
            }
            for uri in ["/vendor/leaflet/leaflet.esm.js", "/vendor/..%2F..%2Fetc/passwd", "/vendor/chart.js/..%2Fleaflet%2Fleaflet.js", "/web/index.html", "/web/..%2FWebController.swift"] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .notFound, "\(uri)")
                    #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                }
            }
            try await client.execute(uri: "/web/app.js", method: .get) { r in
                #expect(String(buffer: r.body).contains("/v1/coverage"))
            }
            try await client.execute(uri: "/web/config.json", method: .get) { r in
                let config = try F.json(r.body)
                let bounds = try #require(config["bounds"] as? [Double])
                // Where the providers are (the islands far south do not set the first view).
                #expect(bounds[1] > 34.5 && bounds[3] < 36.5 && bounds[0] > 138.5 && bounds[2] < 141.0, "\(bounds)")
                #expect((config["credits"] as? [String])?.contains { $0.contains("介護サービス情報公表システム") } == true)
                #expect(config["basemap_url"] == nil, "no background map unless configured")
            }
        }
    }

    @Test func serviceAreasAreTheShapesTheLookupUses() async throws {
        let (state, _, _) = try F.state()
        let nurse = try F.id(of: "NATIVE-N1", in: state)
        let clinicID = try #require(try await state.database.reader.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM providers WHERE source = 'zaishishin' ORDER BY id LIMIT 1")
        })
        let clinic = try #require(try state.database.providerFacts(id: clinicID)?.0.location)
        let office = try #require(try await state.database.reader.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM providers WHERE source LIKE 'kaigo%' AND municipality_code = '11208' ORDER BY id LIMIT 1")
        })
        try await F.app(state).test(.router) { client in
            // A drawn area: the polygon as imported, and the lookup names the same rule.
            try await client.execute(uri: "/v1/providers/\(nurse)/service-area", method: .get) { r in
                #expect(r.headers[.contentType] == "application/geo+json")
                let features = try F.json(r.body)["features"] as? [[String: Any]] ?? []
                #expect(features.count == 1)
                let props = features.first?["properties"] as? [String: Any]
                #expect(props?["rule"] as? String == "polygon")
                let coordinates = (features.first?["geometry"] as? [String: Any])?["coordinates"]
                let ring = (coordinates as? [[[Double]]])?.first ?? (coordinates as? [[[[Double]]]])?.first?.first ?? []
                // The drawn rectangle (the store may start the ring at another corner).
                #expect(ring.count == 5)
                #expect(Set(ring.map { $0.map { ($0 * 1000).rounded() / 1000 } }) == [[139.455, 35.775], [139.495, 35.775], [139.495, 35.8], [139.455, 35.8]])
            }
            try await client.execute(uri: "/v1/coverage?lat=\(F.inside.lat)&lon=\(F.inside.lon)&service=home_visit_nursing&at=2026-11-25T10:00", method: .get) { r in
                let results = try F.json(r.body)["results"] as? [[String: Any]] ?? []
                let entry = results.first { $0["provider_id"] as? Int64 == nurse || ($0["provider_id"] as? Int).map(Int64.init) == nurse }
                #expect((entry?["area"] as? [String: Any])?["rule"] as? String == "polygon")
            }
            // No declared area, medical: the 16 km legal radius, drawn as a circle 16 km out.
            try await client.execute(uri: "/v1/providers/\(clinicID)/service-area", method: .get) { r in
                let features = try F.json(r.body)["features"] as? [[String: Any]] ?? []
                let circle = try #require(features.first { ($0["properties"] as? [String: Any])?["rule"] as? String == "legal_radius" })
                let ring = ((circle["geometry"] as? [String: Any])?["coordinates"] as? [[[Double]]])?.first ?? []
                #expect(ring.count == 73 && ring.first == ring.last)
                for p in ring {
                    let d = Geodesic.distance(clinic, GeoPoint(lon: p[0], lat: p[1]))
                    #expect(abs(d - 16_000) < 16_000 * 0.005, "vertex \(p) is \(d) m away")
                }
            }
            // No declared area, a 訪問看護 station of the 介護 file: its own municipality, outlined.
            try await client.execute(uri: "/v1/providers/\(office)/service-area", method: .get) { r in
                let features = try F.json(r.body)["features"] as? [[String: Any]] ?? []
                let props = features.first?["properties"] as? [String: Any]
                #expect(props?["rule"] as? String == "home_municipality")
                #expect(props?["label"] as? String == "所沢市")
                #expect(((features.first?["geometry"] as? [String: Any])?["type"] as? String)?.hasSuffix("Polygon") == true)
            }
            try await client.execute(uri: "/v1/providers/999999999/service-area", method: .get) { r in
                #expect(r.status == .notFound)
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
        }
    }

    @Test func townNamesForTheMap() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/collections/towns/items?bbox=139.455,35.780,139.475,35.800&limit=500", method: .get) { r in
                let fc = try F.json(r.body)
                let names = (fc["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["name"] as? String }
                #expect(names.contains("元町"), "\(names.prefix(20))")
                #expect(fc["numberMatched"] as? Int == names.count)
            }
        }
    }
}
