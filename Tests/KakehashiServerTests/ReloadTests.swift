import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import KakehashiStore
import KakehashiTestSupport
import Logging
import Testing

/// A running server reads the data again after an import lands in its database file.
@Suite struct ReloadTests {
    typealias F = ServerFixture

    /// Imports one native home-pharmacy provider into the database at `path`, as `kakehashi import` would.
    static func importPharmacy(_ id: String, lat: Double, lon: Double, into path: String) throws {
        let dir = try TestFixtures.scratch("reload")
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = dir.appendingPathComponent("\(id).csv")
        try Data("""
        id,name,kind,services,lat,lon,municipality_code,phone,capabilities
        \(id),読み直し試験薬局 \(id)（試験用）,pharmacy,home_pharmacy,\(lat),\(lon),11208,04-0000-0099,pharmacy_24h

        """.utf8).write(to: csv)
        let db = try SpatialDatabase(path: path)
        defer { try? db.close() }
        _ = try DataImport.run(.providers, files: [csv.path], into: db)
    }

    static func listed(_ name: String, in app: some ApplicationProtocol) async throws -> Bool {
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/coverage?lat=35.7994&lon=139.4689&service=home_pharmacy&window=tonight&limit=200", method: .get) { r in
                let results = try F.json(r.body)["results"] as? [[String: Any]] ?? []
                return results.contains { ($0["name"] as? String)?.hasPrefix(name) == true }
            }
        }
    }

    @Test func anImportIsSeenAfterReloadAndNotBefore() async throws {
        let (state, _, path) = try F.state()
        let before = state.index.providerCount
        #expect(try state.reloadIfChanged() == .unchanged)  // nothing new
        let version = state.index.dataVersion
        try Self.importPharmacy("RELOAD-1", lat: 35.7990, lon: 139.4700, into: path)
        #expect(try await !Self.listed("読み直し試験薬局 RELOAD-1", in: F.app(state)))
        #expect(try state.reloadIfChanged() == .reloaded(providers: before + 1))
        #expect(state.index.providerCount == before + 1)
        #expect(state.index.dataVersion != version)  // tile URLs and ETags change with it
        #expect(try await Self.listed("読み直し試験薬局 RELOAD-1", in: F.app(state)))
        #expect(try state.reloadIfChanged() == .unchanged)
    }

    /// A file put at the path with `mv` is opened and read; a deleted file stops writes (503) and
    /// turns `/health` unhealthy until a file is back. The old server kept writing to the deleted
    /// file (lost at restart) and never read the replacement.
    @Test func aReplacedOrDeletedFileIsNoticed() async throws {
        let (state, token, path) = try F.state()
        let before = state.index.providerCount
        let copy = path + ".next"
        try SpatialDatabase.copyFiles(from: path, to: copy)
        try Self.importPharmacy("REPLACED-1", lat: 35.7990, lon: 139.4700, into: copy)
        #expect(rename(copy, path) == 0)
        #expect(try state.reloadIfChanged() == .reopened(providers: before + 1))
        #expect(try await Self.listed("読み直し試験薬局 REPLACED-1", in: F.app(state)))
        #expect(try state.reloadIfChanged() == .unchanged)

        try FileManager.default.removeItem(atPath: path)
        #expect(try state.reloadIfChanged() == .missing)
        let id = try F.id(of: "REPLACED-1", in: state)
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in
                #expect(r.status == .serviceUnavailable)
                let body = try F.json(r.body)
                #expect(body["status"] as? String == "database_missing")
            }
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                     body: ByteBuffer(string: #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00"}"#)) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(r.headers[.retryAfter] == "60")
            }
        }
    }

    /// The records file (on-call reports, the desk, progress, the audit log) is watched as the data
    /// file is: deleted, writes stop and `/health` turns unhealthy; back, all is well again.
    @Test func aDeletedRecordsFileIsNoticed() async throws {
        let (state, token, _) = try F.state()
        let records = state.database.recordsPath
        #expect(FileManager.default.fileExists(atPath: records) && records.hasSuffix(".records.sqlite"))
        let kept = records + ".kept"
        #expect(rename(records, kept) == 0)
        #expect(try state.reloadIfChanged() == .missing)
        let id = try F.id(of: "1166591085", in: state)
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .serviceUnavailable) }
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                     body: ByteBuffer(string: #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00"}"#)) { r in
                #expect(r.status == .serviceUnavailable)
            }
        }
        #expect(rename(kept, records) == 0)
        #expect(try state.reloadIfChanged() != .missing)
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/health", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    @Test func theReloadServiceNoticesAnImport() async throws {
        let (state, _, path) = try F.state()
        let before = state.index.providerCount
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let service = DataReloadService(state: state, interval: .milliseconds(100), logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            try Self.importPharmacy("RELOAD-2", lat: 35.7995, lon: 139.4695, into: path)
            var seen = false
            // A wait, not a speed claim: on two cores under the whole suite a reload has taken over 10 s.
            for _ in 0..<1_200 where !seen {
                try await Task.sleep(for: .milliseconds(50))
                seen = state.index.providerCount == before + 1
            }
            group.cancelAll()
            #expect(seen, "the service read the new import (waited up to 60 s)")
            // Cancelled (as at graceful shutdown), the service ends normally: a service that throws
            // would make the server exit non-zero on SIGTERM.
            await #expect(throws: Never.self) { try await group.next() }
        }
    }
}
