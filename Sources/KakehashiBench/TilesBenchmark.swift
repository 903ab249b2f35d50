import ArgumentParser
import Foundation
import KakehashiCoverage
import KakehashiGeo
import KakehashiLayers
import KakehashiStore

/// Tile generation per zoom (rate and p95) for the fixture region or, with `--stress`, the stress
/// region of the lookup benchmark (450,000 generated providers), then the server's cached tiles
/// against `/health` with wrk in the same run.
struct TilesBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tiles")

    @Option(help: "Fixture folder (default: $KAKEHASHI_FIXTURES or ../shared/data)")
    var fixtures = ProcessInfo.processInfo.environment["KAKEHASHI_FIXTURES"] ?? "../shared/data"
    @Option(help: "Keep the fixture database here (reused when it exists)") var keep: String?
    @Option(help: "Seconds per wrk run") var seconds = 5
    @Option(help: "Rounds of /health and tile runs (medians compared)") var rounds = 3
    @Option(help: "The server's --executor: event-loops or dispatch") var executor = "event-loops"
    @Option(help: "Port") var port = 18_911
    @Flag(help: "The stress region (boundaries, population, mesh and generated providers) instead of the fixtures") var stress = false
    @Option(help: "Providers to generate with --stress") var providers = 450_000

    func validate() throws {
        guard rounds >= 1, seconds >= 1, providers >= 1 else { throw ValidationError("--rounds, --seconds and --providers must be at least 1") }
    }

    func run() throws {
        let f = { (name: String) in (fixtures as NSString).appendingPathComponent(name) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-tiles-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = keep ?? dir.appendingPathComponent(stress ? "stress.sqlite" : "fixtures.sqlite").path
        if stress {
            try StressRegion.database(at: path, providers: providers, fixtures: fixtures, scratch: dir)
        } else if !FileManager.default.fileExists(atPath: path) {
            try Self.fixtureDatabase(at: path, fixtures: f)
        }
        let db = try SpatialDatabase(path: path, access: .readOnly)
        let index = CoverageIndex(try db.providerFacts())
        let source = TileSource(database: db, index: index, onCall: OnCallBoard())
        // The mesh fixture's first-level cell 5339 and its surroundings.
        let area = GeoBox(minLon: 139.0, minLat: 35.33, maxLon: 140.0, maxLat: 36.0)
        print("region: \(stress ? "stress (\(index.providerCount) providers)" : "three-prefecture fixtures (\(index.providerCount) providers)")")
        try Self.timeBuilds(source, area: area)
        try db.close()

        // Cached tiles against /health on the running server.
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kakehashi").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--db", path, "--port", String(port), "--log-level", "warning", "--executor", executor]
        server.standardOutput = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let lookup = LoadTools(connections: 32, seconds: seconds)
        var up = false
        for _ in 0..<300 where !up { up = lookup.reachable(port); if !up { usleep(200_000) } }
        guard up else { throw ValidationError("server did not start") }
        let tile = TileID.covering(GeoBox(minLon: 139.7, minLat: 35.73, maxLon: 139.7, maxLat: 35.73), zoom: 12)[0]
        let url = "http://127.0.0.1:\(port)/tiles/meshes/\(tile.z)/\(tile.x)/\(tile.y).mvt"
        let bench = lookup
        // Browsers and map clients send Accept-Encoding: gzip; the plain tile is measured too.
        let gzip = ["Accept-Encoding: gzip, deflate, br"]
        _ = try bench.wrk(url, script: nil)  // warm the cache
        _ = try bench.wrk(url, script: nil, headers: gzip)
        // Also what a map at z12 asks for: every z12 tile of the four layers over the area, in turn.
        let paths = ["meshes", "municipalities", "providers", "service_areas"].flatMap { layer in
            TileID.covering(area, zoom: 12).prefix(400).map { "/tiles/\(layer)/\($0.z)/\($0.x)/\($0.y).mvt" }
        }
        let lua = dir.appendingPathComponent("tiles.lua")
        try LoadTools.script(paths: paths, to: lua)
        _ = try bench.wrk("http://127.0.0.1:\(port)/", script: lua.path, headers: gzip)  // build and cache them
        // Rounds of the four runs in turn, compared by their medians: one pair of runs on this
        // shared machine varied by a third from one minute to the next.
        var runs: [[LoadTools.WrkResult]] = [[], [], [], []]
        for _ in 0..<rounds {
            runs[0].append(try bench.wrk("http://127.0.0.1:\(port)/health", script: nil))
            runs[1].append(try bench.wrk(url, script: nil, headers: gzip))
            runs[2].append(try bench.wrk(url, script: nil))
            runs[3].append(try bench.wrk("http://127.0.0.1:\(port)/", script: lua.path, headers: gzip))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        let health = median(runs[0].map(\.rps))
        print(String(format: "/health %.0f req/s (median of %d runs: %@)", health, rounds, runs[0].map { String(format: "%.0f", $0.rps) }.joined(separator: ", ")))
        for (k, label) in [(1, "densest z12 mesh tile, gzip (as browsers ask)"), (2, "densest z12 mesh tile, uncompressed"),
                           (3, "\(paths.count) z12 tiles of the four layers in turn, gzip")] {
            let rps = median(runs[k].map(\.rps))
            let ratios = zip(runs[k], runs[0]).map { String(format: "%.0f", $0.rps / $1.rps * 100) }.joined(separator: ", ")
            print(String(format: "cached %@: %.0f req/s (p99 %.2f ms) = %.1f %% of /health (target ≥ 80 %%; round by round %@ %%; errors: %@)",
                         label, rps, median(runs[k].map(\.p99)), rps / health * 100, ratios, runs[k].map(\.errors).joined(separator: ",")))
        }
    }

    /// Tiles built one after another, per layer and zoom, outside any server.
    static func timeBuilds(_ source: TileSource, area: GeoBox) throws {
    for layer in ["meshes", "municipalities", "providers", "service_areas"] {
        _ = try source.tile(layer, TileID(z: 5, x: 28, y: 12)!)  // build the layer's shapes once, outside the timing
        for z in [8, 10, 12, 14] {
            var times: [Double] = []
            var bytes = 0
            for id in TileID.covering(area, zoom: z).prefix(400) {
                let t0 = Date()
                bytes += try source.tile(layer, id).count
                times.append(Date().timeIntervalSince(t0) * 1000)
            }
            times.sort()
            let p95 = times[Int(Double(times.count - 1) * 0.95)]
            // Empty tiles take no measurable time: say so rather than divide by it.
            let seconds = times.reduce(0, +) / 1000
            let rate = seconds < 1e-4 ? "     (empty)" : String(format: "%12.0f", Double(times.count) / seconds)
            print(String(format: "%@ z%-2d: %5d tiles, %@ tiles/s, p95 %6.2f ms, %6.1f KB average",
                         layer, z, times.count, rate, p95, Double(bytes) / Double(times.count) / 1024))
        }
    }
    }

    /// The three prefectures' fixtures in one database.
    static func fixtureDatabase(at path: String, fixtures f: (String) -> String) throws {
        let db = try SpatialDatabase(path: path)
        _ = try DataImport.run(.boundaries, files: ["11", "12", "13"].map { f("boundaries/N03-21_\($0)_210101_s0010.geojson") }, into: db)
        _ = try DataImport.run(.population, files: [f("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.meshPopulation, files: [f("mesh/mesh250m_2010_5339_population.csv")], into: db)
        _ = try DataImport.run(.towns, files: [f("towns/towns_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.kaigo, files: [f("kaigo/jigyosho_130_saitama_chiba_tokyo.csv"), f("kaigo/jigyosho_430_saitama_chiba_tokyo.csv")],
                               into: db, options: ImportOptions(skipInvalid: true))
        _ = try DataImport.run(.zaishishin, files: [f("clinics/zaishishin_tokorozawa_iruma.csv")], into: db)
        try db.close()
    }
}
