import ArgumentParser
import Foundation
import Hummingbird
import KakehashiServer
import KakehashiStore
import Logging
import NIOCore
import NIOEmbedded

/// The desk's two figures (issue #20): how long after a provider's declaration the lookup answers
/// from it (the whole data read again), and the sign-in's wall time for a wrong password against a
/// login that does not exist (bcrypt at the production cost either way), on a copy of a database.
struct DeskBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "desk", abstract: "Declaration-to-lookup delay and sign-in timing.")

    @Option(help: "A database with providers (copied first: it is not written)") var db: String
    @Option(help: "Sign-in attempts of each kind") var logins = 20

    func run() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-desk-bench-\(getpid()).sqlite")
        // The data file and its records file (declarations, accounts) together.
        let pairs = [(db, scratch.path), (SpatialDatabase.recordsPath(for: db), SpatialDatabase.recordsPath(for: scratch.path))]
        for (from, to) in pairs {
            try? FileManager.default.removeItem(atPath: to)
            if FileManager.default.fileExists(atPath: from) { try FileManager.default.copyItem(atPath: from, toPath: to) }
        }
        defer { for (_, to) in pairs { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: to + s) } } }
        let database = try SpatialDatabase(path: scratch.path, access: .server)
        var t0 = Date()
        let state = try AppState(database: database, tokens: try TokenRegistry(path: nil))
        print(String(format: "data read at start: %.2f s (%d providers)", Date().timeIntervalSince(t0), state.index.providerCount))
        guard let provider = try database.reader.read({ db in
            try Int64.fetchOne(db, sql: "SELECT provider_id FROM provider_services WHERE service = 'home_visit_nursing' ORDER BY provider_id LIMIT 1")
        }) else { throw BenchmarkFailure("no visiting-nurse station in \(db)") }
        var delays: [Double] = []
        for round in 1...3 {
            t0 = Date()
            try database.putDeclaration(provider: provider, fact: .hours, service: "home_visit_nursing",
                                        value: try DeclaredHours(openingHours: "Mo-Fr 18:00-09:0\(round)").declarationJSON(), actor: "bench", role: "steward")
            _ = try state.reloadIfChanged()
            delays.append(Date().timeIntervalSince(t0))
            print(String(format: "declaration %d: written and answered from after %.2f s", round, delays.last!))
        }
        print(String(format: "declaration to lookup: median %.2f s (the whole index built again)", delays.sorted()[1]))
        try signIns(state, provider: provider)
    }

    /// Wall time of failed sign-ins: a wrong password, and a login that does not exist.
    func signIns(_ state: AppState, provider: Int64) throws {
        let code = try state.database.createDeskInvitation(role: .provider, provider: provider, createdBy: "bench", validFor: 3600).code
        var quiet = Logger(label: "kakehashi-bench")
        quiet.logLevel = .warning
        let logger = quiet
        let responder = buildRouter(state, logger: logger).buildResponder()
        let count = logins
        try blocking {
            let context = AppRequestContext(source: .init(channel: NIOAsyncTestingChannel(), logger: logger))
            func post(_ path: String, _ body: String) async throws -> (HTTPResponse.Status, Double) {
                let t = Date()
                let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: path, headerFields: [.contentType: "application/json"])
                let request = Request(head: head, body: .init(buffer: ByteBuffer(string: body)))
                let response = try await responder.respond(to: request, context: context)
                return (response.status, Date().timeIntervalSince(t) * 1000)
            }
            let (accepted, _) = try await post("/v1/desk/invitations/accept", #"{"code":"\#(code)","login":"bench-staff","password":"bench-password-2026"}"#)
            guard accepted == .ok else { throw BenchmarkFailure("accept: \(accepted)") }
            var wrongPassword: [Double] = [], noSuchLogin: [Double] = []
            // Alternated, and fewer than the throttle allows per login (a new login each time for the unknown ones).
            for k in 0..<min(count, 9) {
                let (a, ta) = try await post("/v1/desk/login", #"{"login":"bench-staff","password":"wrong-password-\#(k)"}"#)
                let (b, tb) = try await post("/v1/desk/login", #"{"login":"nobody-\#(k)","password":"wrong-password-\#(k)"}"#)
                guard a == .unauthorized, b == .unauthorized else { throw BenchmarkFailure("sign-in answered \(a) and \(b)") }
                wrongPassword.append(ta)
                noSuchLogin.append(tb)
            }
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            print(String(format: "sign-in refused: wrong password %.0f ms, no such login %.0f ms (medians of %d each; bcrypt cost %d)",
                         median(wrongPassword), median(noSuchLogin), wrongPassword.count, state.desk.passwordCost))
        }
    }
}
