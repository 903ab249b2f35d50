import ArgumentParser
import Foundation
import KakehashiAddress
import KakehashiStore

/// Accuracy and speed of the address normaliser on the real fixtures, through the gazetteer the
/// store builds from them.
struct AddressBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "address")

    @Option(help: "Fixture folder (default: $KAKEHASHI_FIXTURES or ../shared/data)")
    var fixtures = ProcessInfo.processInfo.environment["KAKEHASHI_FIXTURES"] ?? "../shared/data"

    @Option(help: "Seconds to time normalisation for")
    var seconds = 3.0

    @Option(help: "Print this many 介護 addresses that were not read to town level")
    var showUnread = 0

    func run() throws {
        let f = { (name: String) in (fixtures as NSString).appendingPathComponent(name) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kakehashi-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = try SpatialDatabase(path: dir.appendingPathComponent("a.sqlite").path)
        _ = try DataImport.run(.boundaries, files: ["11", "12", "13"].map { f("boundaries/N03-21_\($0)_210101_s0010.geojson") }, into: db)
        _ = try DataImport.run(.towns, files: [f("towns/towns_saitama_chiba_tokyo.csv")], into: db)
        let gazetteer = try db.gazetteer()
        try db.close()
        let normaliser = AddressNormaliser(gazetteer: gazetteer)

        // three_cities.csv: address, prefecture, city, 町字, 番地号, その他, …
        let rows = try csvRows(f("address_cases/three_cities.csv"))
        var townHits = 0, blockHits = 0
        var misses: [String] = []
        for r in rows {
            let expectedBlock = r[4].isEmpty ? r[5] : r[4]
            let a = try? normaliser.normalise(r[0])
            if a?.prefecture == r[1] && a?.city == r[2] && a?.town == r[3] { townHits += 1 } else {
                misses.append("  町字: \(r[0]) → \(a?.prefecture ?? "-") \(a?.city ?? "-") \(a?.town ?? "-")（期待 \(r[1]) \(r[2]) \(r[3])）")
            }
            if (a?.blockNumber ?? "") == expectedBlock { blockHits += 1 } else {
                misses.append("  番地号: \(r[0]) → \(a?.blockNumber ?? "-")（期待 \(expectedBlock)）")
            }
        }
        print("three_cities.csv: \(rows.count) addresses")
        print(String(format: "  prefecture+city+town: %d/%d = %.1f %% (target ≥ 99 %%)", townHits, rows.count, 100 * Double(townHits) / Double(rows.count)))
        print(String(format: "  番地号:               %d/%d = %.1f %% (target ≥ 97 %%)", blockHits, rows.count, 100 * Double(blockHits) / Double(rows.count)))
        print(misses.isEmpty ? "  misses: none" : "  misses:\n" + misses.joined(separator: "\n"))

        // The 介護 office addresses: many omit the prefecture and city, as coordinators' notes do.
        // Where they do, the row's own prefecture and city are put in front, as an importer would.
        let kaigo = try csvRows(f("kaigo/jigyosho_430_saitama_chiba_tokyo.csv"))
        var cityAgree = 0, townLevel = 0, counted = 0
        for r in kaigo where r.count > 7 && r[0].count == 6 {
            counted += 1
            let address = r[7].contains(r[3]) ? r[7] : r[2] + r[3] + r[7]
            guard let a = try? normaliser.normalise(address) else { continue }
            if a.cityCode == String(r[0].prefix(5)) { cityAgree += 1 }
            if a.level == .town { townLevel += 1 } else if counted % max(1, 6000 / max(showUnread, 1)) == 0, showUnread > 0 {
                print("  not to town level: \(address) → \(a.city ?? "-") / \(a.other ?? "")")
            }
        }
        print("jigyosho_430 addresses: \(counted)")
        print(String(format: "  city agrees with the file's code: %.1f %%; read to town level: %.1f %%",
                     100 * Double(cityAgree) / Double(counted), 100 * Double(townLevel) / Double(counted)))

        // Speed: one core, the mixed inputs of both files.
        let inputs = rows.map { $0[0] } + kaigo.prefix(2000).map { $0.count > 7 ? $0[2] + $0[3] + $0[7] : "" }
        var n = 0
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            for s in inputs { _ = try? normaliser.normalise(s); n += 1 }
        }
        let elapsed = Date().timeIntervalSince(start)
        print(String(format: "normalisations: %.0f per second on one core (target ≥ 50,000)", Double(n) / elapsed))
    }

    func csvRows(_ path: String) throws -> [[String]] {
        var text = try String(contentsOfFile: path, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            var fields: [String] = [], current = "", quoted = false
            for c in line {
                if c == "\"" { quoted.toggle() } else if c == "," && !quoted { fields.append(current); current = "" } else { current.append(c) }
            }
            fields.append(current)
            return fields
        }
    }
}
