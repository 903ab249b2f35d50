import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KakehashiCoverage
import KakehashiDemo
import KakehashiHours
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// Generates a stress region — hundreds of thousands of providers placed inside the three
/// prefectures of the fixtures — starts the real server on it, and drives it with `wrk` on loopback:
/// `/health` and `/v1/coverage` in the same run. Prints throughput, latency percentiles and RSS.
struct LookupBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lookup")

    @Option(help: "Fixture folder (default: $KAKEHASHI_FIXTURES or ../shared/data)")
    var fixtures = ProcessInfo.processInfo.environment["KAKEHASHI_FIXTURES"] ?? "../shared/data"
    @Option(help: "How many providers to generate") var providers = 450_000
    @Option(help: "Distinct opening_hours strings among the generated providers (0: three; national data holds tens of thousands)")
    var hoursVariety = 0
    @Option(help: "Seconds per wrk run") var seconds = 10
    @Option(help: "Rounds of /health and lookup runs (medians compared)") var rounds = 3
    @Option(help: "wrk connections") var connections = 32
    @Option(help: "Keep the generated database here (reused when it exists)") var keep: String?
    @Option(help: "The server's --executor: event-loops or dispatch") var executor = "event-loops"
    @Option(help: "Port") var port = 18_901
    @Flag(help: "Also time the lookup engine per service, and /health and the lookups through the server's router, in this process (no sockets)")
    var inProcess = false
    @Flag(help: "Only time the engine in this process (no server; for profiling)") var engineOnly = false
    @Flag(help: "Only time the server's router in this process (no server; for comparing changes)") var routerOnly = false
    @Option(help: "How many times the engine timing goes over the server run's queries (region workload: rounds of the indexed search)") var engineRounds = 2
    @Option(help: "The server's --plan-cache-mb (0: no cell plans)") var planCacheMb = 32
    @Option(help: "cells: 3,000 points in 300 cells of three towns, five services in turn; region: unique points over the three prefectures by population, each service separately, 50 to a page, at 2 and at --connections")
    var workload = "cells"
    @Option(help: "How many points the region workload draws") var points = 10_000
    @Flag(help: "With --workload region: the same lookups of PostGIS 3 in a throwaway cluster (installs postgresql-15-postgis-3 when missing)")
    var postgis = false

    func validate() throws {
        guard ["cells", "region"].contains(workload) else { throw ValidationError("--workload is cells or region") }
        guard rounds >= 1, engineRounds >= 1, seconds >= 1, connections >= 1, providers >= 1, planCacheMb >= 0, points >= 1, hoursVariety >= 0 else {
            throw ValidationError("--rounds, --engine-rounds, --seconds, --connections and --providers must be at least 1, --plan-cache-mb and --hours-variety at least 0")
        }
    }

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-stress-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let dbPath = keep ?? dir.appendingPathComponent("stress.sqlite").path
        try StressRegion.database(at: dbPath, providers: providers, hoursVariety: hoursVariety, fixtures: fixtures, scratch: dir)
        let size = (try FileManager.default.attributesOfItem(atPath: dbPath)[.size] as? NSNumber)?.intValue ?? 0
        print(String(format: "database: %.0f MB", Double(size) / 1_048_576))

        if workload == "region" { return try runRegion(dbPath, dir: dir) }
        let paths = Self.queries.map { q in
            "/v1/coverage?lat=\(q.lat)&lon=\(q.lon)&service=\(q.service.rawValue)&window=tonight&date=2026-11-24&limit=20"
        }
        if inProcess || engineOnly { try timeEngine(dbPath) }
        if engineOnly { return }
        if inProcess || routerOnly { try RouterTiming(database: dbPath, planCacheBytes: planCacheMb << 20).run(lookups: paths, rounds: max(rounds, 5)) }
        if routerOnly { return }

        let server = try startServer(dbPath)
        defer { server.terminate(); server.waitUntilExit() }

        let lua = dir.appendingPathComponent("lookup.lua")
        try LoadTools.script(paths: paths, to: lua)

        // Rounds of the two runs in turn, compared by their medians: single runs on this shared
        // machine varied by a third from one minute to the next. Every round is printed.
        var health: [LoadTools.WrkResult] = [], lookup: [LoadTools.WrkResult] = []
        var peak = 0.0
        for round in 1...rounds {
            health.append(try wrk("http://127.0.0.1:\(port)/health", script: nil))
            lookup.append(try wrk("http://127.0.0.1:\(port)/", script: lua.path))
            peak = max(peak, rss(server.processIdentifier))
            let h = health[round - 1], l = lookup[round - 1]
            print(String(format: "round %d: /health %6.0f req/s (p99 %5.2f ms); /v1/coverage %5.0f req/s p50 %6.2f ms p99 %7.2f ms (errors: %@); ratio %.3f",
                         round, h.rps, h.p99, l.rps, l.p50, l.p99, l.errors, l.rps / h.rps))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print(String(format: "/health:      %9.0f req/s  p50 %6.2f ms  p99 %7.2f ms  (medians of %d runs)",
                     median(health.map(\.rps)), median(health.map(\.p50)), median(health.map(\.p99)), health.count))
        print(String(format: "/v1/coverage: %9.0f req/s  p50 %6.2f ms  p99 %7.2f ms  (medians; worst p99 %.2f ms)",
                     median(lookup.map(\.rps)), median(lookup.map(\.p50)), median(lookup.map(\.p99)), lookup.map(\.p99).max() ?? 0))
        print(String(format: "lookup/health throughput: %.3f (target ≥ 0.5); p99 %.1f ms (target ≤ 20); RSS %.0f MB (target ≤ 500)",
                     median(lookup.map(\.rps)) / median(health.map(\.rps)), median(lookup.map(\.p99)), peak))
    }

    /// The release `kakehashi serve` beside this benchmark, on the database, once it accepts connections.
    func startServer(_ dbPath: String) throws -> Process {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kakehashi").path
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["serve", "--db", dbPath, "--port", String(port), "--log-level", "warning", "--executor", executor,
                            "--plan-cache-mb", String(planCacheMb)]
        server.standardOutput = FileHandle.nullDevice
        let loadStart = Date()
        try server.run()
        var up = false
        for _ in 0..<600 where !up {
            up = reachable(port)
            if !up { usleep(200_000) }
        }
        guard up else {
            server.terminate()
            throw ValidationError("server did not start")
        }
        print(String(format: "server ready in %.1f s; RSS after start %.0f MB", Date().timeIntervalSince(loadStart), rss(server.processIdentifier)))
        return server
    }

    /// The region workload: the engine alone (with `--in-process`), then the server under wrk for
    /// each service at 2 connections and at `--connections`, beside `/health` in the same run.
    func runRegion(_ dbPath: String, dir: URL) throws {
        let db = try SpatialDatabase(path: dbPath, access: .readOnly)
        let facts = try db.providerFacts(), population = try db.municipalPopulation()
        try db.close()
        let region = RegionWorkload(count: points, index: CoverageIndex(facts, settings: .init(planCacheBytes: 0)), population: population)
        print("region workload: \(region.points.count) unique points by municipal population, limit \(RegionWorkload.limit), plan cache \(planCacheMb) MB")
        if inProcess || engineOnly { region.timeEngine(facts: facts, planCacheBytes: planCacheMb << 20, rounds: engineRounds) }
        if engineOnly { return }
        if inProcess || routerOnly {
            let router = try RouterTiming(database: dbPath, planCacheBytes: planCacheMb << 20)
            for service in RegionWorkload.services {
                print("router, region workload, \(service.rawValue):")
                try router.run(lookups: region.paths(service), rounds: max(rounds, 3), warmUps: 1)
            }
        }
        if routerOnly { return }
        let served = try serveRegion(region, dbPath: dbPath, dir: dir)
        if postgis {
            let index = CoverageIndex(facts, settings: .init(planCacheBytes: 0))
            try PostGISComparison(dir: dir.appendingPathComponent("postgis"), port: port + 1, seconds: seconds)
                .run(index: index, region: region, kakehashi: served)
        }
    }

    /// The server under wrk for each service of the region workload; its req/s at 2 connections.
    func serveRegion(_ region: RegionWorkload, dbPath: String, dir: URL) throws -> [ServiceKind: Double] {
        let server = try startServer(dbPath)
        defer { server.terminate(); server.waitUntilExit() }
        var peak = 0.0
        var atTwo: [ServiceKind: Double] = [:]
        for c in Array(Set([2, connections])).sorted() {
            let tools = LoadTools(connections: c, seconds: seconds)
            let health = try tools.wrk("http://127.0.0.1:\(port)/health", script: nil)
            print(String(format: "%2d connections: /health %6.0f req/s p99 %6.2f ms", c, health.rps, health.p99))
            for service in RegionWorkload.services {
                let lua = dir.appendingPathComponent("region-\(service.rawValue).lua")
                try LoadTools.script(paths: region.paths(service), to: lua)
                let r = try tools.wrk("http://127.0.0.1:\(port)/", script: lua.path)
                peak = max(peak, rss(server.processIdentifier))
                if c == 2 { atTwo[service] = r.rps }
                print(String(format: "%2d connections: %-18@ %7.0f req/s p50 %6.2f ms p99 %7.2f ms (%.1f passes over the points; errors: %@)",
                             c, service.rawValue, r.rps, r.p50, r.p99, r.rps * Double(seconds) / Double(region.points.count), r.errors))
            }
        }
        print(String(format: "peak RSS %.0f MB", peak))
        return atTwo
    }

    /// Milliseconds per query of the engine alone, per service, and how many qualify: by the indexed
    /// search (plans off), then from cell plans once they are built.
    func timeEngine(_ dbPath: String) throws {
        let db = try SpatialDatabase(path: dbPath, access: .readOnly)
        let facts = try db.providerFacts()
        try db.close()
        let board = OnCallBoard()
        let window = CoverageWindow.tonight(CivilDate(year: 2026, month: 11, day: 24))
        func time(_ index: CoverageIndex, _ label: String) {
            // One query first: the first touches every table cold and sets up lazy state.
            _ = index.answer(CoverageQuery(point: GeoPoint(lon: 139.46, lat: 35.80), services: [.homeVisitMedical], window: window), onCall: board)
            // The server run's own queries, `engineRounds` times over, timed per service.
            var seconds: [ServiceKind: Double] = [:], counts: [ServiceKind: Int] = [:], qualifying: [ServiceKind: Int] = [:]
            for q in Array(repeating: Self.queries, count: engineRounds).joined() {
                let t0 = Date()
                let total = index.answer(CoverageQuery(point: GeoPoint(lon: q.lon, lat: q.lat), services: [q.service], window: window), onCall: board).total
                seconds[q.service, default: 0] += Date().timeIntervalSince(t0)
                counts[q.service, default: 0] += 1
                qualifying[q.service, default: 0] += total
            }
            for service in Self.services {
                let n = Double(counts[service] ?? 1)
                print(String(format: "engine (%@) %@: %.3f ms per query, %.0f qualifying on average", label, service.rawValue,
                             (seconds[service] ?? 0) * 1000 / n, Double(qualifying[service] ?? 0) / n))
            }
            print(String(format: "engine (%@), the server run's mix: %.3f ms per query", label,
                         seconds.values.reduce(0, +) * 1000 / Double(engineRounds * Self.queries.count)))
        }
        time(CoverageIndex(facts, settings: .init(planCacheBytes: 0)), "indexed search")
        let planned = CoverageIndex(facts, settings: .init(planCacheBytes: planCacheMb << 20))
        // A plan is built at its key's `planAfterRequests`-th request: as many passes build them all, untimed but counted.
        let t0 = Date()
        for _ in 0..<planned.settings.planAfterRequests {
            for q in Self.queries {
                _ = planned.answer(CoverageQuery(point: GeoPoint(lon: q.lon, lat: q.lat), services: [q.service], window: window), onCall: board)
            }
        }
        let usage = planned.planUsage
        print(String(format: "cell plans: %d built for the %d queries (%.1f MB) in %d passes of %.1f s", usage.plans, Self.queries.count,
                     Double(usage.bytes) / 1_048_576, planned.settings.planAfterRequests, Date().timeIntervalSince(t0)))
        time(planned, "cell plans")
    }

    static let services: [ServiceKind] = [.homeVisitMedical, .homeVisitNursing, .homeCare, .careManagement, .homePharmacy]
    /// Random points around 所沢市, 柏市 and 豊島区 (0.1° squares, 300 cells of the lookup's plans)
    /// with the services coordinators ask most, in turn.
    static let queries: [(lat: Double, lon: Double, service: ServiceKind)] = {
        var rng = SeededRandom(seed: 11)
        let centres = [(35.80, 139.46), (35.86, 139.97), (35.73, 139.71)]
        return (0..<3_000).map { k in
            let c = centres[k % 3]
            let lat = c.0 + Double(rng.next() % 10_000) / 100_000 - 0.05, lon = c.1 + Double(rng.next() % 10_000) / 100_000 - 0.05
            return (lat, lon, services[k % services.count])
        }
    }()

    var tools: LoadTools { LoadTools(connections: connections, seconds: seconds) }
    func wrk(_ url: String, script: String?) throws -> LoadTools.WrkResult { try tools.wrk(url, script: script) }
    func reachable(_ port: Int) -> Bool { tools.reachable(port) }
    func rss(_ pid: Int32) -> Double { tools.rss(pid) }
}

/// wrk runs, port probes and RSS readings shared by the server benchmarks.
struct LoadTools {
    var connections: Int
    var seconds: Int

    struct WrkResult { var rps: Double; var p50: Double; var p99: Double; var errors: String }

    /// A wrk script that asks for the paths in turn. The requests are formatted once, in `init`:
    /// wrk shares the cores with the server, and formatting one per request cost it about 2 µs
    /// of CPU a request that a run of one fixed URL (`/health`) does not pay.
    static func script(paths: [String], to file: URL) throws {
        let list = paths.map { "\"\($0)\"" }.joined(separator: ",")
        try Data(("""
            paths = {\(list)}
            requests = {}
            counter = 0
            init = function(args)
              for i, p in ipairs(paths) do requests[i] = wrk.format("GET", p) end
            end
            request = function()
              counter = counter + 1
              return requests[(counter % #requests) + 1]
            end

            """).utf8).write(to: file)
    }

    func wrk(_ url: String, script: String?, headers: [String] = []) throws -> WrkResult {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["wrk", "-t2", "-c\(connections)", "-d\(seconds)s", "--latency"] + (script.map { ["-s", $0] } ?? [])
            + headers.flatMap { ["-H", $0] } + [url]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        func ms(_ label: String) -> Double {
            guard let line = out.split(separator: "\n").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(label) }),
                  let v = line.split(separator: " ", omittingEmptySubsequences: true).last else { return .nan }
            let s = String(v)
            if s.hasSuffix("us") { return Double(s.dropLast(2))! / 1000 }
            if s.hasSuffix("ms") { return Double(s.dropLast(2))! }
            if s.hasSuffix("s") { return Double(s.dropLast(1))! * 1000 }
            return .nan
        }
        let rps = out.split(separator: "\n").first { $0.hasPrefix("Requests/sec:") }.flatMap { Double($0.split(separator: " ").last!) } ?? .nan
        let errors = out.split(separator: "\n").filter { $0.contains("Non-2xx") || $0.contains("Socket errors") }.joined(separator: "; ")
        return WrkResult(rps: rps, p50: ms("50%"), p99: ms("99%"), errors: errors.isEmpty ? "none" : errors)
    }

    /// Whether something accepts TCP connections on the loopback port.
    func reachable(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    func rss(_ pid: Int32) -> Double {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true)[1]) else { return .nan }
        return kb / 1024
    }
}
