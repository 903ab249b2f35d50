import Foundation
import KakehashiTestSupport
import Hummingbird
import HummingbirdTesting
import KakehashiGeo
import KakehashiCoverage
import KakehashiHours
@testable import KakehashiServer
import KakehashiLayers
import Testing
import GRDB

/// Vector tiles decoded by an independent decoder (the `mapbox-vector-tile` Python package).
@Suite struct TilesAPITests {
    typealias F = ServerFixture

    /// A Tuesday night (as the fixed 2026-11-24 these tests were written for) within the nights
    /// coverage variants are built for: the next Tuesday from today in Tokyo.
    static let night: CivilDate = {
        let today = CoverageWindow.tokyoDate(of: Date())
        return (0..<7).lazy.map { CivilDate(dayNumber: today.dayNumber + $0) }.first { $0.weekday == .tuesday }!
    }()

    /// Decodes a tile with mapbox-vector-tile (y down) and answers, for a layer, each feature's
    /// properties and whether the given tile pixel lies inside its polygon.
    static let decoder = #"""
    import json, sys, mapbox_vector_tile
    tile = mapbox_vector_tile.decode(open(sys.argv[1], 'rb').read(), default_options={'y_coord_down': True})
    layer, px, py = sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
    def inside(ring):
        c = False
        for i in range(len(ring)):
            (x1, y1), (x2, y2) = ring[i], ring[i - 1]
            if (y1 > py) != (y2 > py) and px < (x2 - x1) * (py - y1) / (y2 - y1) + x1:
                c = not c
        return c
    out = []
    for f in tile.get(layer, {}).get('features', []):
        g = f['geometry']
        polys = [g['coordinates']] if g['type'] == 'Polygon' else (g['coordinates'] if g['type'] == 'MultiPolygon' else [])
        out.append({'properties': f['properties'], 'contains': any(inside(p[0]) for p in polys), 'type': g['type'],
                    'extent': tile[layer]['extent']})
    print(json.dumps(out))
    """#

    static func decode(_ data: Data, layer: String, pixel: (Double, Double)) throws -> [[String: Any]] {
        let out = try python(decoder, reading: data, [layer, String(pixel.0), String(pixel.1)], failure: "mapbox-vector-tile failed")
        return try #require(try JSONSerialization.jsonObject(with: out) as? [[String: Any]])
    }

    /// The tile inside a gzip member, unpacked by Python's gzip module.
    static func gunzip(_ data: Data) throws -> Data {
        try python("import gzip, sys; sys.stdout.buffer.write(gzip.open(sys.argv[1]).read())", reading: data, [], failure: "not a gzip member")
    }

    /// Runs a Python script on `data` (written to a scratch file, its path the first argument) and
    /// answers what it printed.
    static func python(_ script: String, reading data: Data, _ arguments: [String], failure: String) throws -> Data {
        let dir = try TestFixtures.scratch("python")
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("input.bin")
        try data.write(to: file)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, file.path] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "\(failure): \(errText)")
        return printed
    }

    /// The pixel of a point in a tile, from the Web Mercator formulas.
    static func pixel(_ p: GeoPoint, in tile: TileID) -> (Double, Double) {
        let n = Double(1 << tile.z)
        let r = p.lat * .pi / 180
        return (((p.lon + 180) / 360 * n - Double(tile.x)) * 4096, ((1 - log(tan(r) + 1 / cos(r)) / .pi) / 2 * n - Double(tile.y)) * 4096)
    }

    @Test func serviceAreaTilesDrawDeclaredRadiusCircles() async throws {
        let (state, _, _) = try F.state()
        let pharmacy = try F.id(of: "NATIVE-P1", in: state)
        let centre = GeoPoint(lon: 139.4690, lat: 35.7990)
        // 2.9 km and 3.1 km north of the pharmacy: inside and outside its declared 3 km.
        let near = GeoPoint(lon: centre.lon, lat: centre.lat + 2_900 / 110_950), far = GeoPoint(lon: centre.lon, lat: centre.lat + 3_100 / 110_950)
        #expect(Geodesic.distance(centre, near) < 3_000 && Geodesic.distance(centre, far) > 3_000)
        let tile = try #require(TileID.covering(GeoBox(minLon: near.lon, minLat: near.lat, maxLon: near.lon, maxLat: near.lat), zoom: 12).first)
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/tiles/service_areas/\(tile.z)/\(tile.x)/\(tile.y).mvt", method: .get) { resp in
                let body = Data(buffer: resp.body)
                for (point, inside) in [(near, true), (far, false)] {
                    let features = try Self.decode(body, layer: "service_areas", pixel: Self.pixel(point, in: tile))
                    let circle = try #require(features.first { ($0["properties"] as? [String: Any])?["provider_id"] as? Int == Int(pharmacy) })
                    #expect((circle["properties"] as? [String: Any])?["rule"] as? String == "radius")
                    #expect(circle["contains"] as? Bool == inside, "\(point) should be \(inside ? "inside" : "outside") the 3 km circle")
                }
            }
            // Below z9 the circles are left out; drawn polygons (NATIVE-N1's) stay.
            let low = try #require(TileID.covering(GeoBox(minLon: centre.lon, minLat: centre.lat, maxLon: centre.lon, maxLat: centre.lat), zoom: 8).first)
            try await client.execute(uri: "/tiles/service_areas/\(low.z)/\(low.x)/\(low.y).mvt", method: .get) { resp in
                let features = try Self.decode(Data(buffer: resp.body), layer: "service_areas", pixel: (0, 0))
                #expect(!features.isEmpty && features.allSatisfy { ($0["properties"] as? [String: Any])?["rule"] as? String == "polygon" })
            }
        }
    }

    @Test func meshTilesCarryCoverageForAServiceAndNight() async throws {
        let (state, _, _) = try F.state()
        let tile = try #require(TileID.covering(GeoBox(minLon: 139.53, minLat: 35.80, maxLon: 139.53, maxLat: 35.80), zoom: 12).first)
        let b = tile.bounds
        try await F.app(state).test(.router) { client in
            var tilesURL = ""
            try await client.execute(uri: "/tiles/meshes.json?service=home_visit_nursing&date=\(Self.night)", method: .get) { resp in
                tilesURL = ((try F.json(resp.body))["tiles"] as? [String])?.first ?? ""
            }
            #expect(tilesURL.contains("service=home_visit_nursing&date=\(Self.night)"))
            // The same night from the GeoJSON layer, over a box a little larger than the tile.
            var expected: [String: Bool] = [:]
            try await client.execute(uri: "/v1/layers/meshes.geojson?service=home_visit_nursing&date=\(Self.night)&bbox=\(b.minLon - 0.01),\(b.minLat - 0.01),\(b.maxLon + 0.01),\(b.maxLat + 0.01)", method: .get) { resp in
                for f in (try F.json(resp.body))["features"] as? [[String: Any]] ?? [] {
                    let p = f["properties"] as? [String: Any] ?? [:]
                    if let code = p["mesh_code"] as? String, let gap = p["gap"] as? Bool { expected[code] = gap }
                }
            }
            try await client.execute(uri: "/tiles/meshes/\(tile.z)/\(tile.x)/\(tile.y).mvt?service=home_visit_nursing&date=\(Self.night)", method: .get) { resp in
                #expect(resp.headers[.cacheControl] == "public, max-age=600")
                #expect(resp.headers[.eTag]?.contains("home_visit_nursing-\(Self.night)") == true)
                let features = try Self.decode(Data(buffer: resp.body), layer: "meshes", pixel: (0, 0))
                let flags = features.compactMap { f -> (String, Bool)? in
                    let p = f["properties"] as? [String: Any] ?? [:]
                    guard let code = p["mesh_code"] as? String, let gap = p["gap"] as? Bool else { return nil }
                    return (code, gap)
                }
                #expect(flags.count == features.count && !flags.isEmpty)
                #expect(flags.contains { $0.1 }, "訪問看護 tonight leaves gaps in the fixture")
                for (code, gap) in flags { #expect(expected[code] == gap, "\(code)") }
            }
            // Without a service the tile has no coverage fields; with one on the provider layer, 400.
            try await client.execute(uri: "/tiles/meshes/\(tile.z)/\(tile.x)/\(tile.y).mvt", method: .get) { resp in
                let features = try Self.decode(Data(buffer: resp.body), layer: "meshes", pixel: (0, 0))
                #expect(features.allSatisfy { ($0["properties"] as? [String: Any])?["gap"] == nil })
                // 所沢's estimated 75+ from its own ratio, to the seven digits of the tile's 32-bit floats.
                let tokorozawa = features.compactMap { $0["properties"] as? [String: Any] }.filter { $0["municipality_code"] as? String == "11208" }
                #expect(tokorozawa.count > 20)
                for p in tokorozawa {
                    let expected = Double((p["population_total"] as? Int) ?? -1) * 60_467 / 339_782
                    let value = (p["population_75_plus"] as? Double) ?? -1
                    #expect(abs(value - expected) <= expected * 1e-6 + 1e-6, "\(p["mesh_code"] ?? "")")
                }
            }
            try await client.execute(uri: "/tiles/providers/\(tile.z)/\(tile.x)/\(tile.y).mvt?service=home_care", method: .get) { resp in
                #expect(resp.status == .badRequest)
            }
        }
    }

    @Test func busyLowZoomServiceAreaTilesCarryCircleCentres() throws {
        let (state, _, _) = try F.state()
        let pharmacy = try F.id(of: "NATIVE-P1", in: state)
        let centre = GeoPoint(lon: 139.4690, lat: 35.7990)
        // The fixtures hold one radius area; a threshold of 0 makes any tile "busy".
        let busy = TileSource(database: state.database, index: state.index, onCall: state.onCall, circlesAsCentresAbove: 0)
        let low = try #require(TileID.covering(GeoBox(minLon: centre.lon, minLat: centre.lat, maxLon: centre.lon, maxLat: centre.lat), zoom: 10).first)
        let high = try #require(TileID.covering(GeoBox(minLon: centre.lon, minLat: centre.lat, maxLon: centre.lon, maxLat: centre.lat), zoom: 12).first)
        let feature = { (data: Data) throws -> [String: Any]? in
            try Self.decode(data, layer: "service_areas", pixel: (0, 0)).first { ($0["properties"] as? [String: Any])?["provider_id"] as? Int == Int(pharmacy) }
        }
        let point = try #require(try feature(try busy.tile("service_areas", low)))
        #expect(point["type"] as? String == "Point")
        #expect((point["properties"] as? [String: Any])?["radius_m"] as? Double == 3000)
        // From z12, and below the threshold, the ring itself.
        #expect(try feature(try busy.tile("service_areas", high))?["type"] as? String == "Polygon")
        let normal = TileSource(database: state.database, index: state.index, onCall: state.onCall)
        #expect(try feature(try normal.tile("service_areas", low))?["type"] as? String == "Polygon")
    }

    @Test func lowZoomProviderTilesAggregateEveryProvider() async throws {
        let (state, _, _) = try F.state()
        let tile = try #require(TileID.covering(GeoBox(minLon: 139.47, minLat: 35.80, maxLon: 139.47, maxLat: 35.80), zoom: 8).first)
        let b = tile.bounds
        let pad = (b.maxLon - b.minLon) * 64 / 4096
        // Counted independently: positions from SQL, projected here, within the 64-unit buffer.
        let rows = try await state.database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT X(location) AS x, Y(location) AS y FROM providers WHERE location IS NOT NULL AND X(location) BETWEEN ? AND ? AND Y(location) BETWEEN ? AND ?",
                             arguments: [b.minLon - pad, b.maxLon + pad, b.minLat - pad, b.maxLat + pad])
        }
        let expected = rows.filter { r in
            let (px, py) = Self.pixel(GeoPoint(lon: r["x"], lat: r["y"]), in: tile)
            return px >= -64 && px <= 4160 && py >= -64 && py <= 4160
        }.count
        #expect(expected > 2_000, "the z8 tile around 所沢 should hold thousands of providers (\(expected))")
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/tiles/providers/\(tile.z)/\(tile.x)/\(tile.y).mvt", method: .get) { resp in
                let features = try Self.decode(Data(buffer: resp.body), layer: "providers", pixel: (0, 0))
                let counts = features.compactMap { ($0["properties"] as? [String: Any])?["count"] as? Int }
                #expect(counts.count == features.count && features.count < expected, "aggregated: \(features.count) points for \(expected) providers")
                #expect(counts.reduce(0, +) == expected)
                #expect(features.allSatisfy { ($0["properties"] as? [String: Any])?["kind"] is String })
            }
        }
    }

    @Test func cachedTilesAnsweredBeforeRoutingAreTheRoutesOwn() async throws {
        let (state, _, _) = try F.state()
        let tile = try #require(TileID.covering(GeoBox(minLon: 139.53, minLat: 35.80, maxLon: 139.53, maxLat: 35.80), zoom: 12).first)
        let uri = "/tiles/meshes/\(tile.z)/\(tile.x)/\(tile.y).mvt"
        try await F.app(state).test(.router) { client in
            // The first of each is built by the tile route, the second comes from the cache before routing.
            for headers: HTTPFields in [[:], [.acceptEncoding: "gzip"]] {
                var first: (HTTPFields, ByteBuffer)?
                for _ in 0..<2 {
                    try await client.execute(uri: uri + "?v=\(state.tiles.version)", method: .get, headers: headers) { resp in
                        #expect(resp.status == .ok)
                        var h = resp.headers
                        h[.date] = nil
                        if let first {
                            #expect(h == first.0)
                            #expect(resp.body == first.1)
                        } else {
                            first = (h, resp.body)
                        }
                    }
                }
            }
            // A cached plain tile does not stand in for its coverage variant, however the query is written.
            for query in ["service=home_visit_nursing&date=\(Self.night)", "v=\(state.tiles.version)&service=home_visit_nursing&date=\(Self.night)",
                          "service=home%5Fvisit%5Fnursing&date=\(Self.night)"] {
                try await client.execute(uri: uri + "?" + query, method: .get) { resp in
                    #expect(resp.headers[.eTag]?.contains("home_visit_nursing-\(Self.night)") == true, "\(query)")
                    let features = try Self.decode(Data(buffer: resp.body), layer: "meshes", pixel: (0, 0))
                    #expect(!features.isEmpty && features.allSatisfy { ($0["properties"] as? [String: Any])?["gap"] != nil }, "\(query)")
                }
            }
        }
        #expect(CachedTileMiddleware<AppRequestContext>.tile("/tiles/meshes/12/3637/1612.mvt").map { "\($0.0) \($0.1)" } == "meshes 12/3637/1612")
        for path in ["/tiles/meshes/12/3637/1612.pbf", "/tiles/rivers/1/0/0.mvt", "/tiles/meshes/23/0/0.mvt", "/tiles/meshes/3/9/0.mvt",
                     "/tiles/meshes//1/0.mvt", "/tiles/meshes/1/0/0.mvt/x", "/tiles/meshes/+1/0/0.mvt", "/tiles/meshes/1/0/0.mvtx", "/tiles/meshes.json"] {
            #expect(CachedTileMiddleware<AppRequestContext>.tile(path) == nil, "\(path)")
        }
        for (query, plain) in [(nil, true), ("", true), ("v=9-9474", true), ("v=9&service=home_care", false), ("service=home_care", false), ("%76=1", false)] {
            #expect(CachedTileMiddleware<AppRequestContext>.onlyVersion(query) == plain, "\(query ?? "nil")")
        }
    }

    /// The planning areas as tiles (issue #21): the 二次医療圏 holding 所沢市役所 is 西部 with the
    /// layer's figures, for a population year too; TileJSON names their fields.
    @Test func planningAreaTilesCarryTheLayersFigures() async throws {
        let (state, _, _) = try F.state()
        let hall = GeoPoint(lon: 139.4689, lat: 35.7994)
        let tile = try #require(TileID.covering(GeoBox(minLon: hall.lon, minLat: hall.lat, maxLon: hall.lon, maxLat: hall.lat), zoom: 8).first)
        let n = Double(1 << tile.z), r = hall.lat * .pi / 180
        let pixel = (((hall.lon + 180) / 360 * n - Double(tile.x)) * 4096, ((1 - log(tan(r) + 1 / cos(r)) / .pi) / 2 * n - Double(tile.y)) * 4096)
        try await F.app(state).test(.router) { client in
            for (layer, year) in [("medical_areas", ""), ("medical_areas", "2040"), ("concept_areas", ""), ("prefectures", "")] {
                let csv = try await client.execute(uri: "/v1/layers/\(layer).csv" + (year.isEmpty ? "" : "?year=\(year)"), method: .get) {
                    PopulationYearAPITests.rows($0.body)
                }
                try await client.execute(uri: "/tiles/\(layer)/\(tile.z)/\(tile.x)/\(tile.y).mvt" + (year.isEmpty ? "" : "?year=\(year)"), method: .get) { resp in
                    #expect(resp.status == .ok, "\(layer)")
                    let features = try Self.decode(Data(buffer: resp.body), layer: layer, pixel: pixel)
                    let holding = features.filter { $0["contains"] as? Bool == true }
                    #expect(holding.count == 1, "\(layer) \(year)")
                    let p = holding.first?["properties"] as? [String: Any]
                    let code = p?["code"] as? String ?? ""
                    #expect(code == (layer == "prefectures" ? "11000" : "1107"), "\(layer)")
                    #expect((p?["population_total"] as? Int).map(String.init) == csv[code]?["population_total"], "\(layer) \(year)")
                }
            }
            try await client.execute(uri: "/tiles/concept_areas.json", method: .get) { resp in
                let fields = ((try F.json(resp.body)["vector_layers"] as? [[String: Any]])?.first?["fields"] as? [String: String]) ?? [:]
                #expect(fields["home_visit_demand"] != nil && fields["municipality_codes"] != nil)
            }
        }
    }

    @Test func municipalTileDecodesWithTheRightShapeAndValues() async throws {
        let (state, _, _) = try F.state()
        let hall = GeoPoint(lon: 139.4689, lat: 35.7994)  // 所沢市役所
        let tile = try #require(TileID.covering(GeoBox(minLon: hall.lon, minLat: hall.lat, maxLon: hall.lon, maxLat: hall.lat), zoom: 10).first)
        // The town hall's pixel in the tile, computed here from the Web Mercator formulas.
        let n = Double(1 << tile.z)
        let px = ((hall.lon + 180) / 360 * n - Double(tile.x)) * 4096
        let r = hall.lat * .pi / 180
        let py = ((1 - log(tan(r) + 1 / cos(r)) / .pi) / 2 * n - Double(tile.y)) * 4096
        try await F.app(state).test(.router) { client in
            var tilesURL = ""
            try await client.execute(uri: "/tiles/municipalities.json", method: .get) { resp in
                let doc = try F.json(resp.body)
                #expect(doc["tilejson"] as? String == "3.0.0")
                tilesURL = (doc["tiles"] as? [String])?.first ?? ""
                #expect(tilesURL.contains("/tiles/municipalities/{z}/{x}/{y}.mvt?v="))
                #expect(((doc["vector_layers"] as? [[String: Any]])?.first?["id"] as? String) == "municipalities")
            }
            var etag = ""
            var length = 0
            let uri = "/tiles/municipalities/\(tile.z)/\(tile.x)/\(tile.y).mvt"
            try await client.execute(uri: uri, method: .get) { resp in
                #expect(resp.status == .ok)
                #expect(resp.headers[.contentType] == "application/vnd.mapbox-vector-tile")
                #expect(resp.headers[.cacheControl]?.contains("max-age") == true)
                etag = resp.headers[.eTag] ?? ""
                #expect(!etag.isEmpty)
                length = resp.body.readableBytes
                let features = try Self.decode(Data(buffer: resp.body), layer: "municipalities", pixel: (px, py))
                let tokorozawa = features.filter { ($0["properties"] as? [String: Any])?["code"] as? String == "11208" }
                #expect(tokorozawa.count == 1)
                #expect(tokorozawa.first?["contains"] as? Bool == true)
                #expect(tokorozawa.first?["extent"] as? Int == 4096)
                let ratio = (tokorozawa.first?["properties"] as? [String: Any])?["ratio_75_plus"] as? Double
                #expect(ratio.map { abs($0 - 60_467.0 / 339_782.0 * 100) < 0.001 } == true)
                // Only 所沢 holds the town hall.
                #expect(features.filter { $0["contains"] as? Bool == true }.count == 1)
            }
            try await client.execute(uri: uri, method: .get, headers: [.ifNoneMatch: etag]) { resp in
                #expect(resp.status == .notModified)
            }
            // Clients that accept gzip get the same tile compressed, under its own ETag.
            for accept in ["gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "*", " X-GZIP ", "identity;q=0.5, GZip ; Q=0.1"] {
                try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: accept]) { resp in
                    #expect(resp.status == .ok)
                    #expect(resp.headers[.contentEncoding] == "gzip")
                    #expect(resp.headers[.vary] == "Accept-Encoding")
                    #expect(resp.headers[.eTag] != etag)
                    #expect(resp.body.readableBytes < length)
                    let unpacked = try Self.gunzip(Data(buffer: resp.body))
                    #expect(unpacked.count == length)
                }
            }
            for accept in ["gzip;q=0", "identity", "br", "*;q=0", "gzipped", "deflate, gzip;q=0.0"] {
                try await client.execute(uri: uri, method: .get, headers: [.acceptEncoding: accept]) { resp in
                    #expect(resp.headers[.contentEncoding] == nil)
                    #expect(resp.headers[.eTag] == etag)
                    #expect(resp.body.readableBytes == length)
                }
            }
            // HEAD answers like GET without the body (the 405 handler lists HEAD as allowed).
            try await client.execute(uri: uri, method: .head) { resp in
                #expect(resp.status == .ok)
                #expect(resp.headers[.eTag] == etag)
                #expect(resp.headers[.contentLength] == String(length))
                #expect(resp.body.readableBytes == 0)
            }
            try await client.execute(uri: "/tiles/providers/\(tile.z)/\(tile.x)/\(tile.y).mvt", method: .get) { resp in
                let features = try Self.decode(Data(buffer: resp.body), layer: "providers", pixel: (0, 0))
                #expect(features.count > 10)
                #expect(features.allSatisfy { $0["type"] as? String == "Point" })
            }
            try await client.execute(uri: "/tiles/rivers/1/0/0.mvt", method: .get) { resp in #expect(resp.status == .notFound) }
            try await client.execute(uri: "/tiles/municipalities/3/9/0.mvt", method: .get) { resp in #expect(resp.status == .notFound) }
        }
    }
}
