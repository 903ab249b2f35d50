import Foundation
import KakehashiModel
import Synchronization
import KakehashiDemo
import Testing
@testable import KakehashiStore

enum KakehashiDemoPlan {
    static func plan() -> [(SourceKind, [String])] {
        DemoRegion.importPlan(folder: Fixtures.packageRoot.appendingPathComponent("data").path).map { (SourceKind(rawValue: $0.0)!, $0.1) }
    }
}

@Suite struct DemoRegionTests {
    /// The CLI as `swift build` left it; recorded as a failure when missing.
    static func binary() -> String? {
        let binary = Fixtures.packageRoot.appendingPathComponent(".build/debug/kakehashi").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            Issue.record("kakehashi binary not built at \(binary): run `swift build` before `swift test`")
            return nil
        }
        return binary
    }

    /// The committed data/ is exactly what the generator writes for the default seed.
    @Test func committedFilesMatchTheGenerator() throws {
        let files = DemoRegion().files()
        let data = Fixtures.packageRoot.appendingPathComponent("data")
        for (name, content) in files {
            let committed = try String(contentsOf: data.appendingPathComponent(name), encoding: .utf8)
            #expect(committed == content, "data/\(name) differs from the generator's output; run `kakehashi demo generate`")
        }
        #expect(DemoRegion(seed: 1).files() != files)
    }

    @Test func everythingIsLabelledSynthetic() throws {
        let files = DemoRegion().files()
        for (name, content) in files where name.hasPrefix("kaigo") || name.hasPrefix("clinics") || name.hasPrefix("providers/pharm") {
            let rows = content.split(separator: "\n").dropFirst()
            #expect(rows.allSatisfy { $0.contains("（デモ）") }, "\(name) has a row without （デモ）")
        }
        #expect(files["boundaries/N03-20_99_200101_demo.geojson"]?.contains("架空県") == true)
    }

    /// `kakehashi demo` builds the region, says where to open it — also when its output is a pipe,
    /// as under a supervisor or `tee` — serves it, and stops cleanly on SIGTERM.
    @Test func demoServesAndPrintsItsAddressesWhilePiped() throws {
        guard let binary = Self.binary() else { return }
        let dir = try Fixtures.scratch()
        // A port nobody uses now.
        let free = try Shell.run("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        let port = try #require(Int(free.trimmingCharacters(in: .whitespacesAndNewlines)))
        let server = Process()
        server.executableURL = URL(fileURLWithPath: binary)
        server.arguments = ["demo", "build", "--data", Fixtures.packageRoot.appendingPathComponent("data").path,
                            "--db", dir.appendingPathComponent("demo.sqlite").path, "--port", String(port)]
        let out = Pipe()
        server.standardOutput = out
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if server.isRunning { server.terminate() } }
        // Collect what it prints as it comes (a handler, so that a silent server cannot block the
        // test), until the map's address appears or two minutes pass.
        let received = Mutex(Data())
        out.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            received.withLock { $0.append(chunk) }
        }
        defer { out.fileHandleForReading.readabilityHandler = nil }
        var printed = ""
        let deadline = Date().addingTimeInterval(120)
        while !printed.contains("/openapi.json"), Date() < deadline, server.isRunning {
            usleep(100_000)
            printed = received.withLock { String(decoding: $0, as: UTF8.self) }
        }
        #expect(printed.contains("地図: http://127.0.0.1:\(port)/"), "printed so far: \(printed.suffix(300))")
        let health = try Shell.run("python3", ["-c", "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:\(port)/health', timeout=10).read().decode())"])
        #expect(health.contains("\"ok\""))
        server.terminate()  // SIGTERM
        server.waitUntilExit()
        #expect(server.terminationStatus == 0)
    }

    @Test func cliBuildsTheDemoDatabase() throws {
        guard let binary = Self.binary() else { return }
        let dir = try Fixtures.scratch()
        let db = dir.appendingPathComponent("demo.sqlite").path
        let out = try Shell.run(binary, ["demo", "build", "--no-serve", "--data", Fixtures.packageRoot.appendingPathComponent("data").path, "--db", db])
        #expect(out.contains("デモ用データベースを作りました"))
        let json = try Shell.run(binary, ["datasets", "--db", db, "--json"])
        let list = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(list?.count == 16)  // one dataset per file of the import plan
        #expect(list?.allSatisfy { ($0["sha256"] as? String)?.count == 64 } == true)
        #expect(list?.allSatisfy { ($0["credit"] as? String) == DemoRegion.credit } == true)
        // The demo municipalities as MBTiles, opened by GDAL's MBTiles driver.
        let mbtiles = dir.appendingPathComponent("municipalities.mbtiles").path
        let built = try Shell.run(binary, ["tiles", "build", "--db", db, "--layer", "municipalities", "--minzoom", "5", "--maxzoom", "10", "--out", mbtiles])
        #expect(built.contains("タイル"))
        let info = try Shell.run("ogrinfo", ["-ro", "-so", mbtiles, "municipalities"])
        #expect(info.contains("format=pbf"))
        #expect(info.contains("code: String"))
        #expect(!info.contains("Feature Count: 0"))
        // MBTiles 1.3 `pbf` tiles are gzip members (magic 1F 8B), which GDAL read above.
        let magic = try Shell.run("spatialite", [mbtiles, "SELECT DISTINCT hex(substr(tile_data, 1, 2)) FROM tiles;"])
        #expect(magic.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } == ["1F8B"])
        // A refused import exits non-zero with the file and line on standard error.
        let bad = try Fixtures.write("id,name\nx,y\n", name: "bad.csv", in: dir)
        #expect(throws: Shell.Failure.self) { try Shell.run(binary, ["import", "kaigo", bad, "--db", db]) }
    }

    /// Operators read what happened in Japanese, with exit code 2 for bad input and 3 for the
    /// environment (issue #17): the old CLI printed "SQLite error 14: unable to open database file".
    @Test func cliSaysWhatWentWrong() throws {
        guard let binary = Self.binary() else { return }
        let dir = try Fixtures.scratch()
        let population = try Fixtures.path("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")
        func failure(_ args: [String]) -> Shell.Failure? {
            do { _ = try Shell.run(binary, args); Issue.record("\(args) should have failed"); return nil } catch let f as Shell.Failure { return f } catch { return nil }
        }
        let noFolder = failure(["import", "population", population, "--db", dir.appendingPathComponent("no/such/db.sqlite").path])
        #expect(noFolder?.status == 3 && noFolder?.standardError.contains("を開けません") == true, "\(noFolder?.description ?? "")")
        let notADatabase = try Fixtures.write("これはデータベースではありません\n", name: "text.sqlite", in: dir)
        let foreign = failure(["import", "population", population, "--db", notADatabase])
        #expect(foreign?.status == 3 && foreign?.standardError.contains("データベース（SQLite）ではない") == true, "\(foreign?.description ?? "")")
        let db = dir.appendingPathComponent("db.sqlite").path
        let header = try Fixtures.write("id,name,kind,services,lat,lon\n", name: "empty.csv", in: dir)
        let empty = failure(["import", "providers", header, "--db", db])
        #expect(empty?.status == 2 && empty?.standardError.contains("0 件") == true, "\(empty?.description ?? "")")
        let tokens = dir.appendingPathComponent("tokens").path
        _ = try Shell.run(binary, ["token", "add", "desk", "--tokens", tokens])
        let twice = failure(["token", "add", "desk", "--tokens", tokens])
        #expect(twice?.status == 2 && twice?.standardError.contains("すでにあります") == true)
        // A token without options keeps writing any provider's on-call, as tokens did before scopes.
        #expect(try Shell.run(binary, ["token", "list", "--tokens", tokens]) == "desk\tcoordinator\tすべての事業所\t期限なし\n")
        let unscoped = failure(["token", "add", "staff", "--tokens", tokens, "--role", "provider"])
        #expect(unscoped?.standardError.contains("--provider で事業所を指定してください") == true, "\(unscoped?.description ?? "")")
        _ = try Shell.run(binary, ["token", "remove", "desk", "--tokens", tokens])
        #expect(try Shell.run(binary, ["token", "list", "--tokens", tokens]).isEmpty)
        let long = failure(["hours", "24/7", "--from", "2026-01-01T00:00", "--to", "2100-01-01T00:00"])
        #expect(long?.standardError.contains("366 日まで") == true, "\(long?.description ?? "")")
        // Japanese read in part is shown, not evaluated: "Mo-Fr" would be lost ("every day").
        let partial = failure(["hours", "Mo-Fr 9時〜12時", "--from", "2026-12-07T00:00", "--to", "2026-12-08T00:00"])
        #expect(partial?.status == 2 && partial?.standardError.contains("読めなかった部分があるため評価しません") == true, "\(partial?.description ?? "")")
        let japanese = try Shell.run(binary, ["hours", "月〜金 9時〜12時", "--from", "2026-12-07T00:00", "--to", "2026-12-08T00:00"])
        #expect(japanese.contains("2026-12-07T09:00:00+09:00 〜 2026-12-07T12:00:00+09:00  営業"), "\(japanese)")
    }
}
