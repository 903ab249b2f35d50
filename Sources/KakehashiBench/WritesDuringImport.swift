import Foundation
import GRDB
import KakehashiStore

/// On-call reports written while `kakehashi import` (a process of its own, as in production) loads
/// a large native release into the same database: every write must land, none may wait for the
/// import (the records have their own file; see `RecordsFile`). Prints how many were written, the
/// slowest, and the longest the import held the data file's lock — what a write waited (and then
/// answered 503 after 1 s) when the records were kept in the data file.
struct WritesDuringImport {
    let base: String
    let scratch: URL
    let boundaries: [String]

    func run(providers: Int) throws -> (written: Int, slowestMs: Double, importSeconds: Double, dataFileHeld: Double, failures: [String]) {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("kakehashi").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw BenchmarkFailure("kakehashi not built beside kakehashi-bench: \(binary)") }
        let path = scratch.appendingPathComponent("writes-during-import.sqlite").path
        try SpatialDatabase.copyFiles(from: base, to: path)
        let csv = scratch.appendingPathComponent("writes-during-import.csv")
        try StressRegion.write(providers, boundaries: boundaries, to: csv)

        // The server's side: the store with the server's access (a write waits 1 s at most).
        let server = try SpatialDatabase(path: path, access: .server)
        defer { try? server.close() }
        guard let provider = try server.reader.read({ try Int64.fetchOne($0, sql: "SELECT min(id) FROM providers") }) else {
            throw BenchmarkFailure("writes during an import: the base database has no provider to report for")
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = ["import", "providers", csv.path, "--db", path, "--json"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        let start = Date()
        try p.run()
        // What an on-call write would have waited when the records shared the data file: the longest
        // stretch in which the data file's write lock could not be taken.
        var config = Configuration()
        config.busyMode = .immediateError
        let probe = try DatabaseQueue(path: path, configuration: config)
        var heldSince: Date?, heldLongest = 0.0
        var written = 0, slowest = 0.0, failures: [String] = []
        while p.isRunning {
            let t0 = Date()
            let free: Bool
            do {
                try probe.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    try db.execute(sql: "ROLLBACK")
                }
                free = true
            } catch {
                free = false
            }
            if free, let since = heldSince { heldLongest = max(heldLongest, t0.timeIntervalSince(since)); heldSince = nil }
            if !free, heldSince == nil { heldSince = t0 }
            do {
                _ = try server.putOnCallReport(provider: provider, service: nil, startsAt: t0, endsAt: t0.addingTimeInterval(3_600),
                                               contact: "090-0000-0000", note: "import running", actor: "bench")
                written += 1
            } catch {
                failures.append("on-call write \(written + 1) during the import failed: \(error)")
            }
            slowest = max(slowest, Date().timeIntervalSince(t0) * 1_000)
            Thread.sleep(forTimeInterval: 0.05)
        }
        let seconds = Date().timeIntervalSince(start)
        if let since = heldSince { heldLongest = max(heldLongest, Date().timeIntervalSince(since)) }
        try probe.close()
        if p.terminationStatus != 0 { failures.append("the import failed (exit \(p.terminationStatus))") }
        if written == 0 { failures.append("no write was tried while the import ran") }
        return (written, slowest, seconds, heldLongest, failures)
    }
}
