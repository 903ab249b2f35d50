import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KakehashiCoverage
import KakehashiGeo
import KakehashiHours
import KakehashiModel

/// The region workload asked of PostGIS 3 on the same providers: a throwaway PostgreSQL 15 cluster
/// on loopback (Debian's `postgresql-15-postgis-3`, installed when missing), geography points with
/// a GiST index per service, the equivalent top-50 and count queries driven by `pgbench` with two
/// clients, the answers checked against Kakehashi's, and the cluster removed.
struct PostGISComparison {
    static let bin = "/usr/lib/postgresql/15/bin"
    let dir: URL
    let port: Int
    let seconds: Int

    /// Runs the comparison for each service; `kakehashi`: the server's req/s at 2 connections.
    func run(index: CoverageIndex, region: RegionWorkload, kakehashi: [ServiceKind: Double]) throws {
        signal(SIGPIPE, SIG_IGN)  // a psql that stops reading its input is an error to report, not a signal that ends the benchmark
        try Self.install()
        try start()
        defer { stop() }
        let window = CoverageWindow.tonight(CivilDate(year: 2026, month: 11, day: 24))
        try psql("CREATE EXTENSION postgis; CREATE TABLE p (id bigint, service text, geog geography(Point, 4326), limit_m float8, munis text[], grank int);"
                 + "CREATE TABLE q (n int PRIMARY KEY, geog geography(Point, 4326), code text);")
        var points = "", n = 0
        for p in region.points {
            n += 1
            points += "\(n)\tSRID=4326;POINT(\(p.lon) \(p.lat))\t\(index.municipalityOf(p)?.code ?? "\\N")\n"
        }
        try copy("q", points)
        var compared: [String] = []
        for service in RegionWorkload.services {
            guard let rows = index.comparisonRows(service: service, window: window) else {
                print("postgis: \(service.rawValue) has providers a plain table cannot answer for; left out")
                continue
            }
            var text = ""
            for r in rows {
                let geog = r.lat.map { "SRID=4326;POINT(\(r.lon!) \($0))" } ?? "\\N"
                let munis = "{" + r.municipalities.joined(separator: ",") + "}"
                text += "\(r.id)\t\(service.rawValue)\t\(geog)\t\(r.limitM.map { String($0) } ?? "\\N")\t\(munis)\t\(r.rankGroup.map(String.init) ?? "\\N")\n"
            }
            try copy("p", text)
            try psql("CREATE INDEX ON p USING gist (geog) WHERE service = '\(service.rawValue)'; CREATE INDEX ON p USING gin (munis) WHERE service = '\(service.rawValue)';")
            compared.append(service.rawValue)
        }
        try psql("ANALYZE p; ANALYZE q;")
        print("postgis: \(region.points.count) points, services \(compared.joined(separator: ", ")) loaded")
        for service in RegionWorkload.services where compared.contains(service.rawValue) {
            let agreement = try check(service, index: index, region: region, window: window, sample: 200)
            let script = dir.appendingPathComponent("\(service.rawValue).sql")
            try Data(("\\set n random(1, \(region.points.count))\n" + Self.query(service, count: false, n: ":n") + ";\n"
                      + Self.query(service, count: true, n: ":n") + ";\n").utf8).write(to: script)
            let tps = try pgbench(script.path, clients: 2)
            let ours = kakehashi[service] ?? .nan
            print(String(format: "postgis %-18@ %8.1f lookups/s (2 clients); Kakehashi %7.0f req/s: %6.1f×; answers: %@",
                         service.rawValue, tps, ours, ours / tps, agreement))
        }
    }

    /// The top-50 (or the count) for point number `n`, in Kakehashi's order: rank group, exact
    /// distance (the spheroid's), id.
    static func query(_ service: ServiceKind, count: Bool, n: String) -> String {
        let filter = "p.service = '\(service.rawValue)' AND p.grank IS NOT NULL AND q.n = \(n) AND "
            + (service == .homeVisitMedical ? "ST_DWithin(p.geog, q.geog, 16000) AND ST_Distance(p.geog, q.geog) <= p.limit_m"
                                             : "p.munis @> ARRAY[q.code]")
        if count { return "SELECT count(*) FROM p, q WHERE \(filter)" }
        return "SELECT p.id FROM p, q WHERE \(filter) ORDER BY p.grank, ST_Distance(p.geog, q.geog) NULLS LAST, p.id LIMIT \(RegionWorkload.limit)"
    }

    /// Compares the totals and top-50 lists of `sample` points with Kakehashi's answers; lists that
    /// differ only where distances tie within a millimetre count as agreeing.
    func check(_ service: ServiceKind, index: CoverageIndex, region: RegionWorkload, window: CoverageWindow, sample: Int) throws -> String {
        let board = OnCallBoard()
        var totals = 0, lists = 0, checked = 0
        for k in stride(from: 0, to: region.points.count, by: max(1, region.points.count / sample)).prefix(sample) {
            let point = region.points[k]
            let answer = index.answer(CoverageQuery(point: point, services: [service], window: window, limit: RegionWorkload.limit, now: window.from),
                                      onCall: board)
            let out = try psql(Self.query(service, count: true, n: String(k + 1)) + "; " + Self.query(service, count: false, n: String(k + 1)) + ";")
            let numbers = out.split(separator: "\n").compactMap { Int64($0.trimmingCharacters(in: .whitespaces)) }
            checked += 1
            if numbers.first == Int64(answer.total) { totals += 1 }
            let theirs = Array(numbers.dropFirst()), ours = answer.results.map(\.providerID)
            if theirs == ours || Self.tiesOnly(ours, theirs, answer.results.map { $0.distanceM ?? -1 }) { lists += 1 }
        }
        return "totals \(totals)/\(checked), top-\(RegionWorkload.limit) \(lists)/\(checked) agree"
    }

    /// Whether two lists hold the same ids in the same places but where shown distances are equal.
    static func tiesOnly(_ ours: [Int64], _ theirs: [Int64], _ distances: [Double]) -> Bool {
        guard ours.count == theirs.count, Set(ours) == Set(theirs) else { return false }
        return ours.indices.allSatisfy { k in ours[k] == theirs[k] || distances.indices.contains { $0 != k && distances[$0] == distances[k] } }
    }

    // MARK: The cluster

    static func install() throws {
        guard !FileManager.default.fileExists(atPath: "/usr/share/postgresql/15/extension/postgis.control") else { return }
        print("postgis: installing postgresql-15-postgis-3")
        let sudo = getuid() == 0 ? [] : ["sudo"]
        // A fresh machine may not have the package lists yet.
        try run(sudo + ["apt-get", "update", "-qq"])
        try run(sudo + ["apt-get", "install", "-y", "-qq", "postgresql-15-postgis-3"])
    }

    /// As the `postgres` user when run as root (PostgreSQL refuses root), else as ourselves.
    func asOwner(_ args: [String]) -> [String] { getuid() == 0 ? ["runuser", "-u", "postgres", "--"] + args : args }

    func start() throws {
        let data = dir.appendingPathComponent("pgdata").path
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        if getuid() == 0 { try Self.run(["chown", "-R", "postgres", dir.path]) }
        try Self.run(asOwner(["\(Self.bin)/initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8"]), quiet: true)
        let log = dir.appendingPathComponent("pg.log").path
        // Through system(3): Foundation's Process learns of an exit when a descriptor the child
        // inherits closes, and the server pg_ctl leaves running would hold it open for ever.
        let command = asOwner(["\(Self.bin)/pg_ctl", "-D", data, "-l", log, "-w", "start", "-o",
                               "'-p \(port) -k \(dir.path) -c listen_addresses=127.0.0.1 -c shared_buffers=256MB -c jit=off'"])
        guard system(command.joined(separator: " ") + " > /dev/null") == 0 else {
            throw BenchmarkFailure("pg_ctl could not start the cluster: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
    }

    func stop() {
        _ = system(asOwner(["\(Self.bin)/pg_ctl", "-D", dir.appendingPathComponent("pgdata").path, "-w", "stop", "-m", "fast"]).joined(separator: " ") + " > /dev/null")
        try? FileManager.default.removeItem(at: dir)
    }

    @discardableResult
    func psql(_ sql: String, input: String? = nil) throws -> String {
        try Self.run(["\(Self.bin)/psql", "-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
                      "-c", sql], input: input)
    }

    func copy(_ table: String, _ text: String) throws {
        try Self.run(["\(Self.bin)/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
                      "-c", "COPY \(table) FROM STDIN"], input: text)
    }

    func pgbench(_ script: String, clients: Int) throws -> Double {
        let out = try Self.run(["\(Self.bin)/pgbench", "-n", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres", "-c", String(clients),
                                "-j", String(clients), "-T", String(seconds), "-f", script, "postgres"])
        let line = out.split(separator: "\n").first { $0.hasPrefix("tps =") } ?? ""
        return Double(line.split(separator: " ").dropFirst(2).first ?? "") ?? .nan
    }

    /// Runs a command and returns its output (`quiet`: discarded).
    @discardableResult
    static func run(_ args: [String], input: String? = nil, quiet: Bool = false) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = args
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        p.standardOutput = quiet ? FileHandle.nullDevice : out
        p.standardError = quiet ? FileHandle.nullDevice : err
        p.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        try p.run()
        if let input {
            try inPipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
            try inPipe.fileHandleForWriting.close()
        }
        let data = quiet ? Data() : out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let message = quiet ? "" : String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw BenchmarkFailure("\(args.prefix(3).joined(separator: " ")) … failed (\(p.terminationStatus)): \(message.prefix(500))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
