import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import KakehashiCoverage
import KakehashiHours
import KakehashiLayers
import KakehashiModel
import KakehashiGeo
import KakehashiStore
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing
@testable import KakehashiServer

/// The server's share of issue #17: bounded memory, clear 503s, tokens that change without a
/// restart, nothing of the client's text in logs or links.
@Suite struct ReliabilityTests {
    typealias F = ServerFixture

    /// 1,000 distinct coverage-variant tiles (every service, the nights allowed, several tiles
    /// each) keep the tile cache under its budget. The old cache held 50,000 tiles whatever their size.
    @Test func thousandVariantTilesStayWithinTheBudget() throws {
        let budget = 1 << 20
        let cache = TileCache(version: "v", budget: budget)
        let today = CoverageWindow.tokyoDate(of: Date())
        var asked = 0, bodies = 0
        for offset in -TileSource.Coverage.daysBefore...TileSource.Coverage.daysAfter {
            for service in ["home_visit_medical", "home_visit_nursing", "care_management"] {
                let variant = "meshes|" + TileSource.Coverage(service: ServiceKind(rawValue: service)!, date: CivilDate(dayNumber: today.dayNumber + offset)).description
                for x in 0..<5 where asked < 1_000 {
                    let size = 2_000 + (asked * 7_919) % 30_000
                    let tile = try cache.tile(layer: variant, id: TileID(z: 12, x: 3_630 + x, y: 1_610)!, gzip: asked % 3 == 0,
                                              lifetime: TileSource.coverageLifetime) { Data(count: size) }
                    bodies += tile.body.readableBytes
                    asked += 1
                    #expect(cache.usage.bytes <= budget)
                }
            }
        }
        #expect(asked == 1_000)
        #expect(bodies > 10 * budget)
        #expect(cache.usage.evicted > 900)
    }

    /// The server's variants of a layer stay within their budget: with room for one and a half
    /// variants, three nights leave one variant held.
    @Test func layerVariantsStayWithinTheirBudget() async throws {
        let (base, _, _) = try F.state()
        let today = CoverageWindow.tokyoDate(of: Date())
        let uris = (0..<3).map { "/tiles/municipalities/10/908/402.mvt?service=home_visit_nursing&date=\(CivilDate(dayNumber: today.dayNumber + $0))" }
        try await F.app(base).test(.router) { client in
            try await client.execute(uri: uris[0], method: .get) { r in #expect(r.status == .ok) }
        }
        let one = base.data.tileSource.variantUsage.bytes
        #expect(one > 0)
        let budgets = { var b = CacheBudgets(); b.layerVariants = one * 3 / 2; return b }()
        let state = try AppState(database: base.database, budgets: budgets, tokens: base.tokens)
        try await F.app(state).test(.router) { client in
            for uri in uris {
                try await client.execute(uri: uri, method: .get) { r in #expect(r.status == .ok) }
                #expect(state.data.tileSource.variantUsage.bytes <= budgets.layerVariants)
            }
        }
        #expect(state.data.tileSource.variantUsage.entries == 1)
        #expect(state.data.tileSource.variantUsage.evicted == 2)
    }

    @Test func variantNightsOutsideTheRangeAreRefused() async throws {
        let (state, _, _) = try F.state()
        let today = CoverageWindow.tokyoDate(of: Date())
        try await F.app(state).test(.router) { client in
            for offset in [-TileSource.Coverage.daysBefore - 1, TileSource.Coverage.daysAfter + 1, 3_650] {
                let date = CivilDate(dayNumber: today.dayNumber + offset)
                try await client.execute(uri: "/tiles/meshes/10/908/402.mvt?service=home_visit_nursing&date=\(date)", method: .get) { r in
                    #expect(r.status == .badRequest)
                    let problem = try F.json(r.body)
                    #expect(problem["parameter"] as? String == "date")
                }
            }
        }
    }

    /// The second request for a layer file is served from the cache of this data version.
    @Test func layerFilesAreCached() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            var first = ByteBuffer()
            try await client.execute(uri: "/v1/layers/municipalities.geojson?service=home_visit_nursing", method: .get) { r in
                #expect(r.status == .ok)
                first = r.body
            }
            #expect(state.data.layerFiles.usage.entries == 1)
            try await client.execute(uri: "/v1/layers/municipalities.geojson?service=home_visit_nursing", method: .get) { r in
                #expect(r.body == first)
            }
            try await client.execute(uri: "/v1/layers/municipalities.csv?service=home_visit_nursing", method: .get) { r in
                #expect(r.headers[.contentType]?.hasPrefix("text/csv") == true)
            }
            #expect(state.data.layerFiles.usage.entries == 2)
        }
    }

    /// A third build while two run is answered 503 with Retry-After, not queued.
    @Test func concurrencyLimitAnswers503() async throws {
        let limit = ConcurrencyLimit(name: "テスト", maximum: 2)
        let (gate, open) = AsyncStream<Void>.makeStream()
        let (started, start) = AsyncStream<Void>.makeStream()
        async let a: Void = limit.run { start.yield(); for await _ in gate { break } }
        async let b: Void = limit.run { start.yield(); for await _ in gate { break } }
        var count = 0
        for await _ in started { count += 1; if count == 2 { break } }
        do {
            _ = try await limit.run { Issue.record("a third run was admitted") }
        } catch let p as Problem {
            #expect(p.status == 503 && p.retryAfter == 5)
            #expect(p.response().headers[.retryAfter] == "5")
        }
        open.yield(); open.yield(); open.finish()
        try await a
        try await b
        try await limit.run {}  // admitted again once they finished
    }

    /// Holds a write lock on a thread of its own until `release` is signalled: the import's own
    /// transaction on the main file (`records: false`), or a plain one on the records file.
    static func holdWriteLock(of database: SpatialDatabase, records: Bool, release: DispatchSemaphore) throws {
        let locked = DispatchSemaphore(value: 0)
        if records {
            let other = try DatabaseQueue(path: database.recordsPath)
            Thread.detachNewThread {
                try? other.writeWithoutTransaction { db in
                    try db.execute(sql: "BEGIN IMMEDIATE")
                    locked.signal()
                    release.wait()
                    try db.execute(sql: "ROLLBACK")
                }
                locked.signal()  // in case BEGIN failed: the test then fails on the status, not a hang
            }
        } else {
            let importer = try SpatialDatabase(path: database.path)
            Thread.detachNewThread {
                _ = try? importer.writeReleases { _ in
                    locked.signal()
                    release.wait()
                    throw CancellationError()  // rolled back, as a refused import is
                }
                locked.signal()
            }
        }
        locked.wait()
    }

    /// An import holds the main file's lock for as long as it writes; on-call reports live in the
    /// records file, so a report during an import is written at once (it waited and answered 503
    /// when both were in one file).
    @Test func anImportDoesNotHoldUpAnOnCallWrite() async throws {
        let (state, token, path) = try F.state()
        let id = try F.id(of: "1166591085", in: state)
        let payload = #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00","contact":"090-0000-0000"}"#
        let release = DispatchSemaphore(value: 0)
        try Self.holdWriteLock(of: state.database, records: false, release: release)
        // Nothing else can write the main file meanwhile: the lock is really held.
        let probe = try DatabaseQueue(path: path)
        #expect(throws: DatabaseError.self) { try probe.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") } }
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                     body: ByteBuffer(string: payload)) { r in
                #expect(r.status == .ok)
            }
        }
        release.signal()
        let rows = try await state.database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM on_call_reports") }
        #expect(rows == 1)
    }

    /// A write while another connection holds the records file's lock waits a second, answers 503
    /// with Retry-After and a Japanese problem, and writes nothing.
    @Test func aBusyRecordsFileAnswers503() async throws {
        let (state, token, path) = try F.state()
        let id = try F.id(of: "1166591085", in: state)
        let payload = #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00","contact":"090-0000-0000"}"#
        let release = DispatchSemaphore(value: 0)
        try Self.holdWriteLock(of: state.database, records: true, release: release)
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                     body: ByteBuffer(string: payload)) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(r.headers[.retryAfter] == "2")
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let detail = try F.json(r.body)["detail"] as? String
                #expect(detail?.contains("ほかの書き込み") == true)
                #expect(detail?.contains(path) == false)
            }
        }
        release.signal()
        let rows = try await state.database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM on_call_reports") }
        #expect(rows == 0)
    }

    /// A full disk, as SQLite reports it (SQLITE_FULL, here from `max_page_count` on the server's
    /// writer: the same error a full file system gives): on-call writes answer 503 with
    /// `Retry-After: 60` and a Japanese problem, write nothing, and work again once there is room.
    @Test func aFullDiskAnswers503AndWritesNothing() async throws {
        let (state, token, _) = try F.state()
        let id = try F.id(of: "1166591085", in: state)
        try await state.database.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA records.page_count") ?? 0
            _ = try Int.fetchOne(db, sql: "PRAGMA records.max_page_count = \(pages)")
        }
        let database = state.database
        @Sendable func rows() throws -> [Int] {
            try database.reader.read { (db: Database) in
                [try Int.fetchOne(db, sql: "SELECT count(*) FROM on_call_reports") ?? -1, try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_log") ?? -1]
            }
        }
        let note = String(repeating: "夜間は携帯へ。", count: 70)  // 490 characters: the file fills within a few writes
        let payload = #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00","note":"\#(note)"}"#
        let (full, written) = try await F.app(state).test(.router) { client in
            var written = 0
            for _ in 0..<200 {
                let before = try rows()
                let ok = try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                                  body: ByteBuffer(string: payload)) { r in
                    if r.status == .ok { return true }
                    #expect(r.status == .serviceUnavailable)
                    #expect(r.headers[.retryAfter] == "60")
                    let detail = try F.json(r.body)["detail"] as? String
                    #expect(detail?.contains("ディスクがいっぱい") == true)
                    return false
                }
                if ok { written += 1; continue }
                #expect(try rows() == before, "the refused write left nothing")
                return (true, written)
            }
            return (false, written)
        }
        #expect(full, "the file never filled after \(written) writes")
        try await state.database.writer.writeWithoutTransaction { db in _ = try Int.fetchOne(db, sql: "PRAGMA records.max_page_count = 1073741823") }
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                     body: ByteBuffer(string: payload)) { r in #expect(r.status == .ok) }
        }
    }

    /// `bearer` is Bearer (RFC 9110: the scheme is case-insensitive); a token removed from the file
    /// stops working at the next reload, without a restart.
    @Test func tokensAreCaseInsensitiveAndReloaded() async throws {
        #expect(TokenFile.bearerToken("bearer abc") == "abc")
        #expect(TokenFile.bearerToken("BEARER  abc ") == "abc")
        #expect(TokenFile.bearerToken("Basic abc") == nil)
        #expect(TokenFile.bearerToken("Bearer") == nil)
        let (state, token, _) = try F.state()
        let id = try F.id(of: "1166591085", in: state)
        let payload = #"{"from":"2026-11-24T18:00:00+09:00","to":"2026-11-25T09:00:00+09:00"}"#
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "bearer \(token)"],
                                     body: ByteBuffer(string: payload)) { r in
                #expect(r.status == .ok)
            }
            let path = try #require(state.tokens.path)
            try Data("# emptied\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(try state.tokens.reload(force: true))
            try await client.execute(uri: "/v1/providers/\(id)/on-call", method: .put, headers: [.authorization: "Bearer \(token)"],
                                     body: ByteBuffer(string: payload)) { r in
                #expect(r.status == .forbidden)
            }
            // A file that no longer parses fails closed.
            try Data("broken line\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(throws: Problem.self) { try state.tokens.reload(force: true) }
            #expect(state.tokens.count == 0)
        }
    }

    @Test func clientTextNeverReachesTheLogOrTheLinks() async throws {
        typealias M = ProblemMiddleware<AppRequestContext>
        #expect(M.loggedPath("/v1/coverage;lat=35.78,lon=139.47") == "other")
        #expect(M.loggedPath("/v1/coverage/%E6%89%80%E6%B2%A2") == "other")
        #expect(M.loggedPath("/v1/providers/12") == "/v1/providers/12")
        #expect(M.loggedPath("/collections/%E6%89%80/items") == "/collections")
        for good in ["127.0.0.1:8080", "kakehashi.example", "[::1]:8080", "localhost"] { #expect(PublicBaseURL.isPlainAuthority(good), "\(good)") }
        for bad in ["evil.example/x?", "a b", "host:99999", "host:", "[zz]:1", "x\"onload=", "例え.jp"] { #expect(!PublicBaseURL.isPlainAuthority(bad), "\(bad)") }
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/coverage?lat=0x1.1cp5&lon=139.47", method: .get) { r in
                #expect(r.status == .badRequest)
                let problem = try F.json(r.body)
                #expect(problem["parameter"] as? String == "lat")
            }
        }
    }
}

/// A close asked for while a response is still queued waits for it (issue #17: SIGTERM cut a
/// 17 MB layer after 14.8 MB, because NIO drops queued writes when a channel closes).
@Suite struct DeferredCloseTests {
    @Test func queuedWritesReachTheSocketBeforeTheClose() throws {
        for deferring in [false, true] {
            let channel = EmbeddedChannel()
            if deferring { try channel.pipeline.syncOperations.addHandler(DeferredCloseHandler(grace: .seconds(30), logger: Logger(label: "test"))) }
            // Queued, not flushed, as a large body is while the socket is full.
            let body = channel.write(HTTPResponsePart.body(ByteBuffer(string: "the last part of a large response")))
            let end = channel.write(HTTPResponsePart.end(nil))
            _ = channel.close()
            var delivered = 0
            body.whenSuccess { delivered += 1 }
            end.whenSuccess { delivered += 1 }
            #expect(delivered == (deferring ? 2 : 0))
            #expect(!channel.isActive)
            if deferring {
                guard case .body(let sent)? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no body"); continue }
                #expect(sent == ByteBuffer(string: "the last part of a large response"))
            }
        }
    }
}

/// A request Hummingbird cannot parse gets a problem body too (issue #17: it was a bare 400).
@Suite struct ParserErrorProblemTests {
    @Test func theBare400BecomesAProblem() throws {
        let channel = EmbeddedChannel(handler: ParserErrorProblem())
        try channel.writeOutbound(HTTPResponsePart.head(.init(status: .badRequest, headerFields: [.connection: "close", .contentLength: "0"])))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
        guard case .head(let head)? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no head"); return }
        #expect(head.headerFields[.contentType] == "application/problem+json; charset=utf-8")
        guard case .body(let body)? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no body"); return }
        #expect(head.headerFields[.contentLength] == String(body.readableBytes))
        let problem = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        #expect(problem?["status"] as? Int == 400)
        #expect((problem?["title"] as? String)?.isEmpty == false)
        guard case .end? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no end"); return }
        // A route's own 400 (with its body and type) passes untouched.
        try channel.writeOutbound(HTTPResponsePart.head(.init(status: .badRequest, headerFields: [.contentType: "application/problem+json", .contentLength: "10"])))
        guard case .head(let own)? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no head"); return }
        #expect(own.headerFields[.contentLength] == "10")
    }
}

/// A missing database file is reported at once, then hourly, not at every check (issue #17).
@Suite struct MissingFileNoticeTests {
    @Test func saidOnceThenHourlyThenBack() {
        var notice = MissingFileNotice()
        let t0 = Date(timeIntervalSince1970: 1_800_000_000)
        let said = (0..<180).map { notice.missing(at: t0.addingTimeInterval(Double($0) * 60)) }  // three hours of minute checks
        #expect(said.enumerated().filter(\.element).map(\.offset) == [0, 60, 120])
        let back = notice.present(at: t0.addingTimeInterval(3 * 3600)), again = notice.present(at: t0.addingTimeInterval(3 * 3600 + 60))
        #expect(back == 3 * 3600 && again == nil)  // "back" said once
        let goneAgain = notice.missing(at: t0.addingTimeInterval(4 * 3600))
        #expect(goneAgain)  // gone again: said at once
    }
}

