import ArgumentParser
import Foundation
import GRDB
import Hummingbird
import KakehashiDemo
import KakehashiModel
import KakehashiServer
import KakehashiStore
import Logging
import NIOCore
import NIOEmbedded

/// The operator's experiments of issue #17, repeated deterministically: imports killed at seeded
/// moments, releases that would shrink or empty a source, and malformed requests through the
/// server's own router. `--long` for the figures in docs/performance.md; the default is quick
/// enough for CI. Exits non-zero on any failure.
struct ReliabilityBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reliability",
                                                    abstract: "Kill, shrink and fuzz experiments; prints what held.")

    @Option(help: "Fixture folder (default: $KAKEHASHI_FIXTURES or ../shared/data)")
    var fixtures = ProcessInfo.processInfo.environment["KAKEHASHI_FIXTURES"] ?? "../shared/data"
    @Option(help: "Seed of the kill moments and the fuzz cases") var seed: UInt64 = 20_261_206
    @Flag(help: "60 kills and 100,000 fuzz cases instead of 6 and 3,000") var long = false

    func run() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-reliability-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let f = { (name: String) in (fixtures as NSString).appendingPathComponent(name) }
        var failures: [String] = []

        let base = scratch.appendingPathComponent("base.sqlite").path
        let db = try SpatialDatabase(path: base)
        _ = try DataImport.run(.boundaries, files: ["11", "12", "13"].map { f("boundaries/N03-21_\($0)_210101_s0010.geojson") }, into: db)
        _ = try DataImport.run(.population, files: [f("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")], into: db)
        try db.close()

        let kills = try KillExperiment(base: base, scratch: scratch, file: f("kaigo/jigyosho_130_saitama_chiba_tokyo.csv"), seed: seed)
            .run(count: long ? 60 : 6)
        print("kills: \(kills.survived) of \(kills.tried) killed imports left the database consistent (whole load or none; integrity_check ok)")
        failures += kills.failures

        let shrink = try ShrinkExperiment(base: base, scratch: scratch, fixtures: f).run()
        print("bad releases: \(shrink.refused) of \(shrink.tried) refused, good data kept")
        failures += shrink.failures

        _ = try DataImport.run(.kaigo, files: [f("kaigo/jigyosho_130_saitama_chiba_tokyo.csv")], into: try SpatialDatabase(path: base),
                               options: ImportOptions(skipInvalid: true))
        let boundaries = ["11", "12", "13"].map { f("boundaries/N03-21_\($0)_210101_s0010.geojson") }
        let writes = try WritesDuringImport(base: base, scratch: scratch, boundaries: boundaries).run(providers: long ? 450_000 : 30_000)
        print(String(format: "writes during an import: %d on-call writes while a %@-provider import ran (%.1f s; it held the data file's lock up to %.1f s), all landed: %@, slowest %.0f ms",
                     writes.written, long ? "450,000" : "30,000", writes.importSeconds, writes.dataFileHeld, writes.failures.isEmpty ? "yes" : "no",
                     writes.slowestMs))
        failures += writes.failures.prefix(5)

        let fuzz = try RequestFuzz(database: base, scratch: scratch, seed: seed).run(count: long ? 100_000 : 3_000)
        print("fuzz: \(fuzz.tried) malformed requests, \(fuzz.statuses.sorted { $0.key < $1.key }.map { "\($0.key / 100)xx×\($0.value)" }.joined(separator: " ")); 5xx or bare 4xx: \(fuzz.failures.count)")
        failures += fuzz.failures.prefix(20)

        print(String(format: "peak RSS: %.0f MB", Double(Self.peakResidentKB()) / 1024))
        guard failures.isEmpty else {
            for failure in failures { FileHandle.standardError.write(Data("FAILED: \(failure)\n".utf8)) }
            throw ExitCode.failure
        }
    }

    /// VmHWM of /proc/self/status, in kB.
    static func peakResidentKB() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }
}

/// Seeded draws without the demo's generator internals.
struct Draw {
    var random: SeededRandom
    init(seed: UInt64) { random = SeededRandom(seed: seed) }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(random.next() % UInt64(range.count)) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    mutating func chance(_ p: Double) -> Bool { Double(random.next() >> 11) / Double(1 << 53) < p }
}

/// `kakehashi import` killed with SIGKILL at seeded moments of its run: afterwards the database must
/// pass `integrity_check` and hold the whole load or none of it.
struct KillExperiment {
    let base: String
    let scratch: URL
    let file: String
    let seed: UInt64

    func run(count: Int) throws -> (tried: Int, survived: Int, failures: [String]) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kakehashi").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw BenchmarkFailure("kakehashi not built beside kakehashi-bench: \(binary)") }
        // One whole run: how long an import takes, and how many providers it loads.
        let whole = try copy("whole")
        let start = Date()
        let p = try launch(binary, whole)
        p.waitUntilExit()
        let duration = Date().timeIntervalSince(start)
        let loaded = try providers(in: whole)
        guard p.terminationStatus == 0, loaded > 0 else { throw BenchmarkFailure("the uncut import failed (exit \(p.terminationStatus))") }
        var draw = Draw(seed: seed)
        var survived = 0, failures: [String] = []
        for n in 0..<count {
            let path = try copy("kill-\(n)")
            let delay = Double(draw.int(0...1_000)) / 1_000 * duration
            let process = try launch(binary, path)
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            do {
                let db = try SpatialDatabase(path: path)
                let check = try db.reader.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") }
                let count = try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM providers") ?? -1 }
                try db.close()
                if check == ["ok"], count == 0 || count == loaded { survived += 1 } else {
                    failures.append(String(format: "kill at %.2f s: integrity %@, %d providers (whole load: %d)", delay, check.joined(separator: ";"), count, loaded))
                }
            } catch {
                failures.append(String(format: "kill at %.2f s: the database no longer opens: %@", delay, String(describing: error)))
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        return (count, survived, failures)
    }

    func copy(_ name: String) throws -> String {
        let path = scratch.appendingPathComponent("\(name).sqlite").path
        try SpatialDatabase.copyFiles(from: base, to: path)
        return path
    }

    func launch(_ binary: String, _ path: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["import", "kaigo", file, "--db", path, "--skip-invalid", "--json"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    func providers(in path: String) throws -> Int {
        let db = try SpatialDatabase(path: path)
        defer { try? db.close() }
        return try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM providers") ?? 0 }
    }
}

/// Releases that would empty or shrink a source: each must be refused and leave the rows.
struct ShrinkExperiment {
    let base: String
    let scratch: URL
    let fixtures: (String) -> String

    func run() throws -> (tried: Int, refused: Int, failures: [String]) {
        let boundaries = try String(contentsOfFile: fixtures("boundaries/N03-21_11_210101_s0010.geojson"), encoding: .utf8)
        let kaigo = try String(contentsOfFile: fixtures("kaigo/jigyosho_130_saitama_chiba_tokyo.csv"), encoding: .utf8)
        let header = String(kaigo.prefix { $0 != "\n" && $0 != "\r\n" })
        let cases: [(SourceKind, String, String)] = [
            (.boundaries, "N03-21_11_rounded.geojson", boundaries.replacingOccurrences(of: #"(\d+)\.\d+"#, with: "$1", options: .regularExpression)),
            (.boundaries, "N03-21_11_collapsed.geojson", boundaries.replacingOccurrences(of: #"\d+\.\d+"#, with: "139", options: .regularExpression)),
            (.boundaries, "N03-21_11_empty.geojson", #"{"type":"FeatureCollection","features":[]}"#),
            (.population, "municipal_elderly_header_only.csv", "code,name,total\n"),
            (.kaigo, "jigyosho_130_header_only.csv", header + "\n"),
        ]
        let path = scratch.appendingPathComponent("shrink.sqlite").path
        try SpatialDatabase.copyFiles(from: base, to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try SpatialDatabase(path: path)
        defer { try? db.close() }
        let rows = { try db.reader.read { try Int.fetchOne($0, sql: "SELECT (SELECT count(*) FROM municipalities) + (SELECT count(*) FROM municipality_population)") ?? 0 } }
        let before = try rows()
        var refused = 0, failures: [String] = []
        for (kind, name, text) in cases {
            let file = scratch.appendingPathComponent(name)
            try Data(text.utf8).write(to: file)
            do {
                _ = try DataImport.run(kind, files: [file.path], into: db, options: ImportOptions(skipInvalid: true))
                failures.append("\(name) was loaded")
            } catch is ImportFailure {
                if try rows() == before { refused += 1 } else { failures.append("\(name): rows changed") }
            }
        }
        return (cases.count, refused, failures)
    }
}

/// Malformed requests through the server's router and middleware in this process: none may answer
/// 5xx, and every 4xx must be a problem+json.
struct RequestFuzz {
    let responder: RouterResponder<AppRequestContext>
    let logger: Logger
    let seed: UInt64
    let token: String

    init(database: String, scratch: URL, seed: UInt64) throws {
        var logger = Logger(label: "kakehashi-bench")
        logger.logLevel = .critical
        self.logger = logger
        self.seed = seed
        token = TokenFile.generate()
        let tokens = scratch.appendingPathComponent("tokens").path
        try Data("fuzz \(TokenFile.hash(token))\n".utf8).write(to: URL(fileURLWithPath: tokens))
        let state = try AppState(database: try SpatialDatabase(path: database, access: .server), tokens: try TokenRegistry(path: tokens))
        responder = buildRouter(state, logger: logger).buildResponder()
    }

    static let values = [
        "", "35.79", "139.47", "-0", "0x1.1cp5", "1e309", "NaN", "inf", "９９", "%00", "%ZZ", "%E6%89%80", "2026-02-30",
        "2026-12-06T25:00:00+09:00", "2026-12-06T18:00:00+09:00", "tonight", "home_visit_medical", "home_visit_nursing,x",
        "-1", "201", "99999999999999999999", "%27%3B%20DROP%20TABLE%20providers", "%E2%80%AE", "true", "1,2,3,4",
        "139,35,140,36", "139,36,138,35", String(repeating: "9", count: 300), String(repeating: "%E3%81%82", count: 700),
    ]
    static let names = ["lat", "lon", "address", "service", "window", "date", "at", "from", "to", "limit", "offset", "explain",
                        "bbox", "q", "indicator", "gap_threshold", "f", "v", "ooga"]

    func path(_ draw: inout Draw) -> String {
        var query: [String] = []
        for _ in 0..<draw.int(0...5) { query.append("\(draw.pick(Self.names))=\(draw.pick(Self.values))") }
        let q = query.isEmpty ? "" : "?" + query.joined(separator: "&")
        let id = draw.pick(["1", "0", "-1", "abc", "99999999999999999999", "1.5", "%00"])
        switch draw.int(0...9) {
        case 0, 1, 2: return "/v1/coverage" + q
        case 3: return "/v1/providers/\(id)" + draw.pick(["", "/service-area", "/on-call", "/x"]) + q
        case 4: return "/v1/providers" + q
        case 5: return "/v1/geocode" + q
        case 6: return "/v1/reverse" + q
        case 7: return "/tiles/\(draw.pick(["providers", "meshes", "x"]))/\(draw.pick(["0", "5", "23", "-1"]))/\(id)/\(id).mvt" + q
        case 8: return "/collections/\(draw.pick(["providers", "towns", "nope"]))/items" + q
        default: return draw.pick(["/v1/coverage;lat=35.7", "/%2e%2e/etc/passwd", "/web/..%2f..%2fetc", "/v1//coverage", "/health/x", "/"]) + q
        }
    }

    func run(count: Int) throws -> (tried: Int, statuses: [Int: Int], failures: [String]) {
        nonisolated(unsafe) var statuses: [Int: Int] = [:], failures: [String] = []
        let (responder, logger, seed, token) = (self.responder, self.logger, self.seed, self.token)
        var draw = Draw(seed: seed)
        let requests: [(HTTPRequest.Method, String, String?)] = (0..<count).map { _ in
            if draw.chance(0.05) {
                let body = draw.pick([#"{"from":"2026-12-06T18:00:00+09:00","to":"2026-12-07T09:00:00+09:00"}"#, "{", "[]", #"{"from":1,"to":2}"#,
                                      #"{"from":"2026-12-06T18:00:00+09:00","to":"2027-12-07T09:00:00+09:00"}"#, String(repeating: "x", count: 20_000)])
                return (.put, "/v1/providers/\(draw.pick(["1", "2", "-5", "x"]))/on-call", body)
            }
            return (.get, path(&draw), nil)
        }
        try blocking {
            let context = AppRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: logger))
            for (method, path, body) in requests {
                var head = HTTPRequest(method: method, scheme: "http", authority: "localhost", path: path)
                if body != nil { head.headerFields[.authorization] = "Bearer \(token)" }
                let request = Request(head: head, body: .init(buffer: ByteBuffer(string: body ?? "")))
                let response = try await responder.respond(to: request, context: context)
                let code = response.status.code
                statuses[code / 100 * 100, default: 0] += 1
                let problem = response.headers[.contentType]?.hasPrefix("application/problem+json") == true
                if code >= 500 || (code >= 400 && !problem) { failures.append("\(method) \(path.prefix(120)) → \(code)") }
            }
        }
        return (count, statuses, failures)
    }
}
