import ArgumentParser
import Foundation
import KakehashiModel
import KakehashiStore

@main
struct KakehashiBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kakehashi-bench",
        abstract: "Benchmarks; each prints its figures for the README.",
        subcommands: [ImportBenchmark.self, HoursBenchmark.self, AddressBenchmark.self, LookupBenchmark.self, TilesBenchmark.self,
                      ReliabilityBenchmark.self, DeskBenchmark.self]
    )
}

/// Imports every fixture of ../shared/data into a fresh database and prints rows/s per file and the
/// database size.
struct ImportBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import")

    @Option(help: "Fixture folder (default: $KAKEHASHI_FIXTURES or ../shared/data)")
    var fixtures = ProcessInfo.processInfo.environment["KAKEHASHI_FIXTURES"] ?? "../shared/data"

    @Option(help: "Also time the native import of this many generated stress providers (the lookup benchmark's region; 0: no)")
    var stressProviders = 0

    @Flag(help: "Time only the generated imports (--stress-providers, --national-iryo), not the fixtures")
    var stressOnly = false

    @Flag(help: "Then time a newer release of the stress file (the same providers and one more) replacing it, as a monthly reload does")
    var stressReload = false

    @Option(help: "Also time 医療情報ネット files of national size made from the 高知 rows: this many clinics with six hours rows each, and 0.6 as many pharmacies, into a database holding Japan's boundaries (0: no)")
    var nationalIryo = 0

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("bench.sqlite").path
        let f = { (name: String) in (fixtures as NSString).appendingPathComponent(name) }
        if stressReload, stressProviders == 0 {
            throw ValidationError("--stress-reload には --stress-providers が要ります")
        }
        if stressOnly {
            guard stressProviders > 0 || nationalIryo > 0 else {
                throw ValidationError("--stress-only には --stress-providers か --national-iryo が要ります")
            }
            if stressProviders > 0 { try stress(in: dir, f: f) }
            if nationalIryo > 0 { try national(in: dir, f: f) }
            return
        }
        let plan: [(SourceKind, [String])] = [
            (.boundaries, [f("boundaries/N03-21_210101_japan_s0001.topojson")]),
            (.boundaries, ["boundaries/N03-21_11_210101_s0010.geojson", "boundaries/N03-21_12_210101_s0010.geojson", "boundaries/N03-21_13_210101_s0010.geojson"].map(f)),
            (.population, [f("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")]),
            (.meshPopulation, [f("mesh/mesh250m_2010_5339_population.csv")]),
            (.towns, [f("towns/towns_saitama_chiba_tokyo.csv")]),
            (.kaigo, [f("kaigo/jigyosho_130_saitama_chiba_tokyo.csv"), f("kaigo/jigyosho_430_saitama_chiba_tokyo.csv")]),
            (.zaishishin, [f("clinics/zaishishin_tokorozawa_iruma.csv")]),
            // The 厚生局 名簿 as published: xlsx read, one provider per institution, each address geocoded.
            (.todokede, [f("todokede/todokede_ika_11_saitama_r0710.xlsx")]),
            (.todokede, [f("todokede/todokede_shika_11_saitama_r0806.xlsx")]),
            (.iryo, ["iryo/02-1_clinic_facility_info_20260601.kochi-excerpt.raw.csv", "iryo/02-2_clinic_speciality_hours_20260601.kochi-excerpt.raw.csv"].map(f)),
            (.iryo, [f("iryo/05_pharmacy_20260601.kochi-excerpt.raw.csv")]),
            (.towns, ["所沢市", "柏市", "豊島区"].map { f("towns/api/\($0).json") }),
        ]
        let start = Date()
        let db = try SpatialDatabase(path: path)
        var totalRows = 0
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? String(s.prefix(n)) : s + String(repeating: " ", count: n - s.count) }
        print(pad("kind", 16) + pad("file", 52) + "    rows   seconds     rows/s")
        for (kind, files) in plan {
            let t0 = Date()
            // The real 介護 extracts hold geocoder placeholders outside Japan: loaded as --skip-invalid would.
            let reports = try DataImport.run(kind, files: files, into: db, options: ImportOptions(skipInvalid: kind == .kaigo))
            let t1 = Date()
        let seconds = t1.timeIntervalSince(t0)
            let rows = reports.reduce(0) { $0 + $1.rowsRead }
            totalRows += rows
            let name = files.map { ($0 as NSString).lastPathComponent }.joined(separator: " + ")
            print(pad(kind.rawValue, 16) + pad(name, 52) + String(format: "%8d %9.3f %10.0f", rows, seconds, Double(rows) / seconds))
        }
        try db.close()
        let seconds = Date().timeIntervalSince(start)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        print(String(format: "total: %d rows in %.2f s = %.0f rows/s; database %.1f MB", totalRows, seconds, Double(totalRows) / seconds, Double(size) / 1_048_576))
        if stressProviders > 0 { try stress(in: dir, f: f) }
        if nationalIryo > 0 { try national(in: dir, f: f) }
    }

    /// 医療情報ネット files of national size (NationalIryoFiles) into a database holding Japan's
    /// municipal boundaries (each point is checked against them): the clinic pair, then the pharmacies, each timed.
    func national(in dir: URL, f: (String) -> String) throws {
        let db = try SpatialDatabase(path: dir.appendingPathComponent("national.sqlite").path)
        _ = try DataImport.run(.boundaries, files: [f("boundaries/N03-21_210101_japan_s0001.topojson")], into: db)
        let files = try NationalIryoFiles.write(clinics: nationalIryo, pharmacies: nationalIryo * 6 / 10, fixtures: f, to: dir)
        for (label, paths) in [("医療情報ネット clinics + hours (national size)", files.clinics), ("医療情報ネット pharmacies (national size)", [files.pharmacies])] {
            let t0 = Date()
            let reports = try DataImport.run(.iryo, files: paths, into: db)
            let seconds = Date().timeIntervalSince(t0)
            let rows = reports.reduce(0) { $0 + $1.rowsRead }
            print(String(format: "%@: %d rows (%@) in %.1f s = %.0f rows/s", label, rows,
                         reports.map { "\($0.rowsLoaded)" }.joined(separator: " + "), seconds, Double(rows) / seconds))
        }
        try db.close()
    }

    /// The native import of the stress region's providers into a database holding the three
    /// prefectures' boundaries (each point is checked against them), timed alone.
    func stress(in dir: URL, f: (String) -> String) throws {
        let db = try SpatialDatabase(path: dir.appendingPathComponent("stress.sqlite").path)
        let boundaries = ["11", "12", "13"].map { f("boundaries/N03-21_\($0)_210101_s0010.geojson") }
        _ = try DataImport.run(.boundaries, files: boundaries, into: db)
        let csv = dir.appendingPathComponent("stress.csv")
        try StressRegion.write(stressProviders, boundaries: boundaries, to: csv)
        try timedLoad(csv, into: db, label: "native providers (stress region)")
        if stressReload {
            // A newer release under the same file name (its source key): every provider kept and one added.
            let text = try String(contentsOf: csv, encoding: .utf8)
            let last = text.split(separator: "\n").last!
            try (text + "reload-1" + last.drop { $0 != "," } + "\n").write(to: csv, atomically: true, encoding: .utf8)
            try timedLoad(csv, into: db, label: "native providers, a newer release replacing it")
        }
        try db.close()
    }

    /// Imports a native file and prints its rows per second and its phases.
    func timedLoad(_ csv: URL, into db: SpatialDatabase, label: String) throws {
        // The first write tick ends the reading; the last row written starts the index fill and the checks.
        let phases = PhaseClock()
        let t0 = Date()
        let report = try DataImport.run(.providers, files: [csv.path], into: db) { stage, done, total in
            if stage.hasPrefix("書き込み") { phases.note(done: done, total: total) }
        }
        let seconds = Date().timeIntervalSince(t0)
        let rows = report.reduce(0) { $0 + $1.rowsLoaded }
        print(String(format: "%@: %d rows in %.1f s = %.0f rows/s", label, rows, seconds, Double(rows) / seconds))
        phases.printPhases(from: t0, to: t0.addingTimeInterval(seconds))
    }
}

/// When an import's writing started and when its last row was written, from its progress calls.
final class PhaseClock: @unchecked Sendable {
    private let lock = NSLock()
    private var first: Date?, last: Date?

    func note(done: Int, total: Int) {
        lock.withLock {
            if first == nil { first = Date() }
            if done == total { last = Date() }
        }
    }

    private var marks: (Date?, Date?) { lock.withLock { (first, last) } }

    /// The import from `start` to `end` in its three phases, when the progress calls marked them.
    func printPhases(from start: Date, to end: Date) {
        guard case let (first?, last?) = marks else { return }
        print(String(format: "  read and checked %.1f s, rows written %.1f s, index, checks and commit %.1f s",
                     first.timeIntervalSince(start), last.timeIntervalSince(first), end.timeIntervalSince(last)))
    }
}
