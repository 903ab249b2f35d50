import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import Testing

/// OGC API – Features, read by GDAL's own OAPIF driver over a real socket.
@Suite struct FeaturesAPITests {
    typealias F = ServerFixture

    static func ogrinfo(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ogrinfo"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func gdalReadsTheCollections() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.live) { client in
            let port = try #require(client.port)
            let listing = try Self.ogrinfo(["-ro", "OAPIF:http://127.0.0.1:\(port)"])
            #expect(listing.contains("1: providers"))
            #expect(listing.contains("2: municipalities"))
            #expect(listing.contains("3: meshes"))
            let summary = try Self.ogrinfo(["-ro", "-so", "OAPIF:http://127.0.0.1:\(port)", "municipalities"])
            #expect(summary.contains("Feature Count: 193"), "\(summary.prefix(600))")
            let one = try Self.ogrinfo(["-ro", "-q", "-where", "code = '11208'", "OAPIF:http://127.0.0.1:\(port)", "municipalities"])
            #expect(one.contains("population_total (Integer") || one.contains("population_total (Integer64") || one.contains("339782"), "\(one.prefix(800))")
            #expect(one.contains("339782"))
        }
    }

    @Test func itemsPageWithNumberMatchedAndLinks() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/collections/providers/items?bbox=139.40,35.75,139.55,35.85&limit=10&offset=0", method: .get) { r in
                #expect(r.headers[.contentType] == "application/geo+json")
                let fc = try F.json(r.body)
                #expect(fc["numberReturned"] as? Int == 10)
                #expect(((fc["numberMatched"] as? Int) ?? 0) > 10)
                let links = fc["links"] as? [[String: Any]] ?? []
                #expect(links.contains { $0["rel"] as? String == "next" && ($0["href"] as? String)?.contains("offset=10") == true })
            }
            try await client.execute(uri: "/collections/rivers/items", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/conformance", method: .get) { r in
                let c = try F.json(r.body)["conformsTo"] as? [String] ?? []
                #expect(c.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"))
            }
        }
    }

    /// Part 1 Core (issue #22): one feature by its id in every collection, with self, alternate and
    /// collection links; an unknown parameter is a 400; HTML for people who open the links.
    @Test func oneFeatureByIdAndUnknownParametersRefused() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            var first: [String: [String: Any]] = [:]
            for c in ["providers", "municipalities", "meshes", "towns"] {
                try await client.execute(uri: "/collections/\(c)/items?limit=1&bbox=139.40,35.75,139.55,35.85", method: .get) { r in
                    first[c] = (try F.json(r.body)["features"] as? [[String: Any]])?.first
                }
                let feature = try #require(first[c], "\(c)")
                let id = "\(feature["id"]!)"
                let path = "/collections/\(c)/items/\(id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)"
                try await client.execute(uri: path, method: .get) { r in
                    #expect(r.status == .ok && r.headers[.contentType] == "application/geo+json", "\(c) \(id)")
                    let one = try F.json(r.body)
                    #expect("\(one["id"]!)" == id && one["type"] as? String == "Feature")
                    #expect(NSDictionary(dictionary: one["properties"] as? [String: Any] ?? [:]) == NSDictionary(dictionary: feature["properties"] as? [String: Any] ?? [:]))
                    let rels = (one["links"] as? [[String: Any]] ?? []).compactMap { $0["rel"] as? String }
                    #expect(rels == ["self", "alternate", "collection"])
                }
                try await client.execute(uri: path + "?f=html", method: .get) { r in
                    #expect(r.headers[.contentType] == "text/html; charset=utf-8" && String(buffer: r.body).contains("<html lang=\"ja\">"))
                }
            }
            for missing in ["/collections/providers/items/999999999", "/collections/municipalities/items/99999",
                            "/collections/meshes/items/notamesh", "/collections/towns/items/11208-存在しない町"] {
                let uri = missing.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .notFound, "\(missing)") }
            }
            for bad in ["/collections/providers/items?ooga=booga", "/collections?ooga=booga", "/collections/providers/items/1?limit=1",
                        "/collections/providers/items?datetime=yesterday", "/collections/providers/items?f=xml",
                        "/collections/providers/items?service=home_visit_medicel", "/collections/providers/items?filter=name%3D%27a%27&filter=kind%3D%27b%27",
                        "/collections/providers/items?filter=name%3D%27%E3%81%27"] {
                try await client.execute(uri: bad, method: .get) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                    #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                }
            }
            try await client.execute(uri: "/collections/providers/items?limit=2&datetime=2026-12-01T00:00:00Z/..", method: .get) { r in
                let fc = try F.json(r.body)
                #expect(r.status == .ok && fc["numberReturned"] as? Int == 2)
                let rels = (fc["links"] as? [[String: Any]] ?? []).compactMap { $0["rel"] as? String }
                #expect(Set(rels).isSuperset(of: ["self", "alternate", "collection", "next"]))
            }
            try await client.execute(uri: "/collections?f=html", method: .get) { r in
                let page = String(buffer: r.body)
                #expect(page.contains("コレクション") && page.contains("/collections/providers/items?f=html"))
            }
        }
    }

    /// `cs2cs` of PROJ, the reference the API's coordinates must equal.
    static func cs2cs(_ target: String, _ lon: Double, _ lat: Double) throws -> (Double, Double) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["cs2cs", "-f", "%.9f", "OGC:CRS84", target]
        let input = Pipe(), output = Pipe()
        (p.standardInput, p.standardOutput) = (input, output)
        try p.run()
        input.fileHandleForWriting.write(Data("\(lon) \(lat)\n".utf8))
        try input.fileHandleForWriting.close()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let v = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).compactMap { Double($0) }
        return (v[0], v[1])
    }

    /// Part 2 (issue #22): JGD2011 and its plane rectangular zones, as PROJ's `cs2cs` writes them (its
    /// authority axis order), named by `Content-Crs`; `bbox-crs` finds the same features.
    @Test func coordinatesInJGD2011AsCs2csWritesThem() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            var feature: [String: Any] = [:]
            try await client.execute(uri: "/collections/providers/items?limit=1&bbox=139.40,35.75,139.55,35.85", method: .get) { r in
                #expect(r.headers[HTTPField.Name("Content-Crs")!] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>")
                feature = (try F.json(r.body)["features"] as? [[String: Any]])?.first ?? [:]
            }
            let id = try #require(feature["id"] as? Int)
            let lonLat = try #require((feature["geometry"] as? [String: Any])?["coordinates"] as? [Double])
            for code in [6668, 6677] {
                let uri = "http://www.opengis.net/def/crs/EPSG/0/\(code)"
                let expected = try Self.cs2cs("EPSG:\(code)", lonLat[0], lonLat[1])
                try await client.execute(uri: "/collections/providers/items/\(id)?crs=\(uri)", method: .get) { r in
                    #expect(r.status == .ok && r.headers[HTTPField.Name("Content-Crs")!] == "<\(uri)>")
                    let xy = (try F.json(r.body)["geometry"] as? [String: Any])?["coordinates"] as? [Double] ?? []
                    #expect(abs(xy[0] - expected.0) < 1e-6 && abs(xy[1] - expected.1) < 1e-6, "\(code): \(xy) against cs2cs \(expected)")
                }
            }
            // A box of 2 km around the provider in zone IX (northing, easting) finds it.
            let (x, y) = try Self.cs2cs("EPSG:6677", lonLat[0], lonLat[1])
            let zone = "http://www.opengis.net/def/crs/EPSG/0/6677"
            try await client.execute(uri: "/collections/providers/items?limit=10000&bbox-crs=\(zone)&crs=\(zone)&bbox=\(x - 1000),\(y - 1000),\(x + 1000),\(y + 1000)", method: .get) { r in
                let features = try F.json(r.body)["features"] as? [[String: Any]] ?? []
                #expect(features.contains { $0["id"] as? Int == id })
                // Every position it returns is in metres of the zone, near the box.
                #expect(features.allSatisfy { f in
                    let c = (f["geometry"] as? [String: Any])?["coordinates"] as? [Double] ?? []
                    return c.count == 2 && abs(c[0] - x) < 1_100 && abs(c[1] - y) < 1_100
                })
            }
            // A box far off the globe in a bbox-crs is searched as the globe's edge, not without end.
            try await client.execute(uri: "/collections/providers/items?limit=1&bbox-crs=http://www.opengis.net/def/crs/EPSG/0/6668&bbox=0,0,1e20,1e20", method: .get) { r in
                #expect(r.status == .ok)
            }
            for bad in ["/collections/providers/items?crs=EPSG:4301", "/collections/providers/items?bbox-crs=http://www.opengis.net/def/crs/EPSG/0/3857&bbox=1,2,3,4"] {
                try await client.execute(uri: bad, method: .get) { r in #expect(r.status == .badRequest, "\(bad)") }
            }
            try await client.execute(uri: "/collections/municipalities", method: .get) { r in
                let c = try F.json(r.body)
                #expect((c["crs"] as? [String])?.count == 21 && c["storageCrs"] as? String == "http://www.opengis.net/def/crs/OGC/1.3/CRS84")
            }
        }
    }

    /// Part 3 (issue #22): queryables, property parameters and CQL2 text; each answer equals what the
    /// unfiltered listing gives when filtered here; what is not supported is a 400 naming `filter`.
    @Test func queryablesAndCQL2Filters() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            func get(_ path: String, _ query: [String: String]) async throws -> (HTTPResponse.Status, [String: Any]) {
                var c = URLComponents()
                c.path = path
                c.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
                return try await client.execute(uri: c.string!, method: .get) { r in (r.status, (try? F.json(r.body)) ?? [:]) }
            }
            let (_, queryables) = try await get("/collections/municipalities/queryables", [:])
            let properties = queryables["properties"] as? [String: [String: Any]] ?? [:]
            #expect(properties["population_total"]?["type"] as? String == "number" && properties["prefecture"]?["type"] as? String == "string")
            // Every municipality once, then filtered here and by the server.
            let (_, all) = try await get("/collections/municipalities/items", ["limit": "1000"])
            let rows = (all["features"] as? [[String: Any]] ?? []).map { $0["properties"] as? [String: Any] ?? [:] }
            let expected = rows.filter { ($0["prefecture"] as? String) == "埼玉県" && (($0["population_total"] as? NSNumber)?.doubleValue ?? 0) >= 300_000 }
            let (status, filtered) = try await get("/collections/municipalities/items", ["filter": "prefecture = '埼玉県' AND population_total >= 300000", "limit": "1000"])
            #expect(status == .ok && filtered["numberMatched"] as? Int == expected.count && expected.count > 3)
            // The next page keeps the filter.
            let (_, first) = try await get("/collections/municipalities/items", ["filter": "prefecture = '埼玉県'", "limit": "5"])
            let next = ((first["links"] as? [[String: Any]]) ?? []).first { $0["rel"] as? String == "next" }?["href"] as? String ?? ""
            #expect(next.contains("filter=") && next.contains("offset=5"), "\(next)")
            let (_, either) = try await get("/collections/municipalities/items", ["filter": "code = '11208' OR (name = '柏市' AND NOT prefecture <> '千葉県')"])
            #expect(Set((either["features"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == ["11208", "12217"])
            // The municipality holding 所沢市役所.
            let (_, holding) = try await get("/collections/municipalities/items", ["filter": "S_INTERSECTS(geometry, POINT(139.4689 35.7994))"])
            #expect((holding["features"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == ["11208"])
            // A property as a parameter; providers' service= by the services they offer.
            let (_, clinics) = try await get("/collections/providers/items", ["kind": "clinic", "limit": "10000"])
            let kinds = Set((clinics["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["kind"] as? String })
            #expect(kinds == ["clinic"] && (clinics["numberMatched"] as? Int ?? 0) > 10)
            let (_, nursing) = try await get("/collections/providers/items", ["service": "home_visit_nursing", "bbox": "139.40,35.75,139.55,35.85", "limit": "10000"])
            let services = (nursing["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["services"] as? String }
            #expect(!services.isEmpty && services.allSatisfy { $0.split(separator: ";").contains("home_visit_nursing") })
            for (query, says) in [(["filter": "name LIKE '所%'"], "LIKE"), (["filter": "height > 3"], "height"), (["filter-lang": "cql2-json", "filter": "code = '1'"], "cql2-text"),
                                  (["filter": "S_INTERSECTS(geometry, POLYGON((0 0, 1 0, 1 1, 0 0)))"], "BBOX")] {
                let (status, problem) = try await get("/collections/municipalities/items", query)
                #expect(status == .badRequest && (problem["detail"] as? String ?? "").contains(says), "\(query): \(problem)")
            }
        }
    }
}
