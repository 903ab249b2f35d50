import Foundation
import KakehashiDemo
import KakehashiStore

/// 医療情報ネット files of national size, made from the fixtures' real 高知 rows: 医療情報ネット publishes
/// one file per kind for all Japan (about 105,000 clinics and 62,000 pharmacies). Each fixture row
/// is repeated with a new 13-digit ID, a numbered name and its point moved by up to 300 m each way (a point
/// of 0,0, unknown, stays so); every clinic gets three specialities of two 診療時間帯 each, their
/// times taken in turn from the fixture's hours rows.
enum NationalIryoFiles {
    static let clinics = "iryo/02-1_clinic_facility_info_20260601.kochi-excerpt.raw.csv"
    static let hours = "iryo/02-2_clinic_speciality_hours_20260601.kochi-excerpt.raw.csv"
    static let pharmacies = "iryo/05_pharmacy_20260601.kochi-excerpt.raw.csv"
    static let specialitiesPerClinic = 3, bandsPerSpeciality = 2

    /// Writes the clinic facility and hours files and the pharmacy file; returns their paths.
    static func write(clinics clinicCount: Int, pharmacies pharmacyCount: Int, fixtures f: (String) -> String,
                      to dir: URL) throws -> (clinics: [String], pharmacies: String) {
        var rng = SeededRandom(seed: 39)
        let clinicTable = try table(f(clinics)), hoursTable = try table(f(hours)), pharmacyTable = try table(f(pharmacies))
        var clinicRows: [[String]] = [], hoursRows: [[String]] = []
        for i in 0..<clinicCount {
            let id = String(3_900_000_000_000 + i)
            clinicRows.append(moved(clinicTable, row: i, id: id, rng: &rng))
            for k in 0..<specialitiesPerClinic {
                for band in 1...bandsPerSpeciality {
                    var h = hoursTable.rows[(i + k + 7 * band) % hoursTable.rows.count].fields
                    // ID, 診療科目コード (01001…: never 救急科), 診療時間帯.
                    h[0] = id
                    h[1] = String(format: "%05d", 1001 + k)
                    h[3] = String(band)
                    hoursRows.append(h)
                }
            }
        }
        let pharmacyRows = (0..<pharmacyCount).map { moved(pharmacyTable, row: $0, id: String(3_950_000_000_000 + $0), rng: &rng) }
        let paths = [("02-1_clinic_facility_info_national.csv", clinicTable.header, clinicRows),
                     ("02-2_clinic_speciality_hours_national.csv", hoursTable.header, hoursRows),
                     ("05_pharmacy_national.csv", pharmacyTable.header, pharmacyRows)].map { name, header, rows in
            let url = dir.appendingPathComponent(name)
            // As published: UTF-8 with BOM, CRLF.
            let text = "\u{FEFF}" + ([header] + rows).map(CSVText.row).joined(separator: "\r\n") + "\r\n"
            FileManager.default.createFile(atPath: url.path, contents: Data(text.utf8))
            return url.path
        }
        return ([paths[0], paths[1]], paths[2])
    }

    private static func table(_ path: String) throws -> CSVTable {
        let (text, _) = try SourceFile(path: path).text()
        return try CSVTable(text: text, file: path)
    }

    /// Row `row` of the fixture (in turn) as facility `id`, moved up to about 300 m north–south and east–west.
    private static func moved(_ table: CSVTable, row: Int, id: String, rng: inout SeededRandom) -> [String] {
        var r = table.rows[row % table.rows.count].fields
        let name = table.header.firstIndex(of: "正式名称") ?? table.header.firstIndex(of: "名称")!
        let lat = table.header.firstIndex(of: "所在地座標（緯度）")!, lon = table.header.firstIndex(of: "所在地座標（経度）")!
        r[0] = id
        r[name] += " \(row)"
        if let y = Double(r[lat]), let x = Double(r[lon]), y != 0 || x != 0 {
            r[lat] = String(format: "%.6f", y + 0.0027 * (2 * unit(&rng) - 1))
            r[lon] = String(format: "%.6f", x + 0.0033 * (2 * unit(&rng) - 1))
        }
        return r
    }

    private static func unit(_ rng: inout SeededRandom) -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
}
