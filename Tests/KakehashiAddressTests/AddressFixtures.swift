import Foundation
import KakehashiTestSupport
@testable import KakehashiAddress

/// The real gazetteer and address cases of ../shared/data (or $KAKEHASHI_FIXTURES).
enum AddressFixtures {
    static var root: URL { TestFixtures.root }

    static func lines(_ relative: String) throws -> [[String]] {
        let text = try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            // These two files quote only the last "lon,lat" field.
            var fields: [String] = []
            var current = "", quoted = false
            for c in line {
                if c == "\"" { quoted.toggle() } else if c == "," && !quoted { fields.append(current); current = "" } else { current.append(c) }
            }
            fields.append(current)
            return fields
        }
    }

    /// Gazetteer from towns_saitama_chiba_tokyo.csv: cities from its city columns.
    static let gazetteer: Gazetteer = {
        let rows = (try? lines("towns/towns_saitama_chiba_tokyo.csv")) ?? []
        var cities: [String: (code: String, prefecture: String, name: String, point: Gazetteer.Place?)] = [:]
        var towns: [(cityCode: String, name: String, point: Gazetteer.Place?)] = []
        for r in rows where r.count >= 7 {
            cities[r[2]] = (r[2], r[0], r[1], nil)
            let point = Double(r[5]).flatMap { lat in Double(r[6]).map { Gazetteer.Place(lon: $0, lat: lat) } }
            towns.append((r[2], r[3], point))
        }
        return Gazetteer(cities: cities.values.sorted { $0.code < $1.code }, towns: towns)
    }()

    static let normaliser = AddressNormaliser(gazetteer: gazetteer)
}
