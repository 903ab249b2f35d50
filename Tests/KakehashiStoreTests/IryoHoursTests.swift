import Foundation
import GRDB
import KakehashiHours
import Testing
@testable import KakehashiStore

/// The real 医療情報ネット rows of every file kind (高知, 2026-06-01): each imports, and the hours
/// Kakehashi converts say, at sample instants, what the raw columns say (issue #18).
@Suite struct IryoHoursTests {
    static let files = (clinics: "iryo/02-1_clinic_facility_info_20260601.kochi-excerpt.raw.csv",
                        hours: "iryo/02-2_clinic_speciality_hours_20260601.kochi-excerpt.raw.csv",
                        pharmacies: "iryo/05_pharmacy_20260601.kochi-excerpt.raw.csv",
                        hospitals: "iryo/01-1_hospital_facility_info_20260601.kochi-excerpt.raw.csv")

    static func loaded() throws -> (SpatialDatabase, [ImportReport]) {
        let db = try SpatialDatabase(path: try Fixtures.scratch().appendingPathComponent("iryo.sqlite").path)
        var reports = try DataImport.run(.iryo, files: [Fixtures.path(files.clinics), Fixtures.path(files.hours)], into: db)
        reports += try DataImport.run(.iryo, files: [Fixtures.path(files.pharmacies)], into: db)
        reports += try DataImport.run(.iryo, files: [Fixtures.path(files.hospitals)], into: db)
        return (db, reports)
    }

    static func table(_ path: String) throws -> CSVTable { try CSVTable(text: try Fixtures.text(path).replacingOccurrences(of: "\u{FEFF}", with: ""), file: path) }

    /// Monday first, as the columns are.
    static let days = ["月", "火", "水", "木", "金", "土", "日"]

    /// Sample instants (Tokyo): weekday mornings, a lunch break, afternoons, Saturdays, a Sunday,
    /// a public holiday (2026-07-20 海の日, a Monday) and 12/31.
    static let instants: [(date: String, minute: Int)] = [
        ("2026-06-08", 600), ("2026-06-08", 750), ("2026-06-10", 900), ("2026-06-11", 1_020), ("2026-06-13", 600),
        ("2026-06-13", 870), ("2026-06-14", 660), ("2026-07-20", 600), ("2026-12-31", 600), ("2026-06-27", 600),
    ]

    static func date(_ day: String, _ minute: Int) -> Date {
        let c = day.split(separator: "-").compactMap { Int($0) }
        let civil = CivilDate(year: c[0], month: c[1], day: c[2])
        return Date(timeIntervalSince1970: Double(civil.dayNumber * 86_400 + minute * 60 - 9 * 3600))
    }

    /// What the raw columns say of an instant, read without the converter: flags 1 = open.
    struct Raw {
        var weekly: [String] = []           // per weekday
        var monthly: [[String]] = []        // [week][weekday]
        var holidayFlag = ""
        var other = ""
        var slots: [String: [(Int, Int)]] = [:]   // day column → ranges in minutes

        static func minutes(_ t: String) -> Int? {
            let p = t.split(separator: ":").compactMap { Int($0) }
            return p.count == 2 ? p[0] * 60 + p[1] : nil
        }

        mutating func add(day: String, start: String, end: String) {
            guard let s = Self.minutes(start), let e = Self.minutes(end), !(s == 0 && e == 0) else { return }
            slots[day, default: []].append((s, e))
        }

        func within(_ day: String, _ m: Int) -> Bool { (slots[day] ?? []).contains { m >= $0.0 && m < $0.1 } }

        func open(_ day: String, _ minute: Int) -> Bool {
            let c = day.split(separator: "-").compactMap { Int($0) }
            let civil = CivilDate(year: c[0], month: c[1], day: c[2])
            let text = other.precomposedStringWithCompatibilityMapping
            if c[1] == 12, c[2] == 31, text.contains("12月31日") || text.range(of: #"12月(2\d|30)日[~〜]0?1月"#, options: .regularExpression) != nil { return false }
            let weekday = (civil.dayNumber + 3) % 7   // 1970-01-01 was a Thursday: Monday = 0
            if JapaneseHolidays.isHoliday(civil) {
                if slots["祝"] != nil { return within("祝", minute) }
                if holidayFlag != "1" { return false }
            }
            if weekly[weekday] == "0" { return false }
            if monthly[(c[2] - 1) / 7][weekday] == "0" { return false }
            return within(IryoHoursTests.days[weekday], minute)
        }
    }

    static func check(_ db: SpatialDatabase, id: String, label: String, raw: Raw) throws -> Int {
        let spec = try #require(try db.reader.read { db in
            try String.fetchOne(db, sql: """
                SELECT h.opening_hours FROM provider_hours h JOIN providers p ON p.id = h.provider_id WHERE p.official_id = ? AND h.label = ?
                """, arguments: [id, label])
        }, "\(id) \(label) has hours")
        let hours = try OpeningHours(spec)
        for (day, minute) in instants {
            let state = hours.state(at: date(day, minute)).state
            #expect(state == (raw.open(day, minute) ? .open : .closed), "\(id) \(label) \(day) \(minute / 60):\(minute % 60): \(spec)")
        }
        return instants.count
    }

    @Test func everyFileKindImportsAndHoursAgreeWithTheRawColumns() throws {
        let (db, reports) = try Self.loaded()
        #expect(reports.map(\.rowsLoaded) == [14, 6, 8, 2], "\(reports.map(\.rowsLoaded))")
        #expect(reports[1].warnings.filter { $0.message.contains("施設ファイルにない") }.count == 1, "the excerpt's hours file names one clinic its facility file lacks")

        let clinics = try Self.table(Self.files.clinics), hours = try Self.table(Self.files.hours)
        var checked = 0
        for row in clinics.rows {
            func text(_ name: String) -> String { clinics.column([name]).map { row.fields[$0] } ?? "" }
            var base = Raw()
            base.weekly = Self.days.map { text("毎週決まった曜日に休診（\($0)）") }
            base.monthly = (1...5).map { n in Self.days.map { text("決まった週に休診（定期週）第\(n)週（\($0)）") } }
            base.holidayFlag = text("祝日に休診")
            base.other = text("その他の休診日（gw、お盆等）")
            let id = row.fields[0]
            var bySpeciality: [String: Raw] = [:]
            for h in hours.rows where h.fields[0] == id && h.fields[1] != "09010" {
                var raw = bySpeciality[h.fields[2]] ?? base
                for d in Self.days + ["祝"] {
                    raw.add(day: d, start: h.fields[hours.column(["\(d)_診療開始時間"])!], end: h.fields[hours.column(["\(d)_診療終了時間"])!])
                }
                bySpeciality[h.fields[2]] = raw
            }
            for (label, raw) in bySpeciality { checked += try Self.check(db, id: id, label: label, raw: raw) }
        }

        let pharmacies = try Self.table(Self.files.pharmacies)
        for row in pharmacies.rows {
            func text(_ name: String) -> String { pharmacies.column([name]).map { row.fields[$0] } ?? "" }
            var raw = Raw()
            raw.weekly = Self.days.map { text("営業日（\($0)）") }
            raw.monthly = ["１", "２", "３", "４", "５"].map { n in Self.days.map { text("定期閉店第\(n)週（\($0)）") } }
            raw.holidayFlag = text("祝日")
            raw.other = text("その他の閉店日（gw、お盆等）")
            for n in 1...4 { for d in Self.days + ["祝"] { raw.add(day: d, start: text("\(d)_開店時間帯\(n)_開始時間"), end: text("\(d)_開店時間帯\(n)_終了時間")) } }
            checked += try Self.check(db, id: row.fields[0], label: "開店時間", raw: raw)
        }
        #expect(checked >= 13 * Self.instants.count, "checked \(checked) instants")
    }
}

/// The dental (03-1 facilities, 03-2 hours) and maternity-home (04) files are not among the
/// fixtures; these tests write them from the real clinic rows in the same layout (issue #18).
@Suite struct IryoFileKindTests {
    /// The clinic file's rows with 機関区分 set to `code` (nil: the column left out), written as published.
    static func rewrite(_ relative: String, code: String?, name: String, in dir: URL) throws -> String {
        let table = try IryoHoursTests.table(relative)
        let keep = table.header.indices.filter { code != nil || table.header[$0] != "機関区分" }
        let column = table.column(["機関区分"])
        func line(_ fields: [String]) -> String { keep.map { "\"" + fields[$0].replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ",") }
        let rows = table.rows.map { row in
            var fields = row.fields
            if let code, let column, column < fields.count { fields[column] = code }
            return line(fields)
        }
        return try Fixtures.write("\u{FEFF}" + ([line(table.header)] + rows).joined(separator: "\r\n") + "\r\n", name: name, in: dir)
    }

    static func kinds(_ db: SpatialDatabase) throws -> [String: Int] {
        try db.reader.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT kind, count(*) AS n FROM providers GROUP BY kind").map { ($0["kind"], $0["n"]) })
        }
    }

    @Test func dentalFilesImportWithTheirHours() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let facilities = try Self.rewrite(IryoHoursTests.files.clinics, code: "3", name: "03-1_dental_facility_info_20260601.csv", in: dir)
        let hours = try Fixtures.write(try Fixtures.text(IryoHoursTests.files.hours), name: "03-2_dental_speciality_hours_20260601.csv", in: dir)
        // Hours first: the pair is told apart by the header, not by order.
        let reports = try DataImport.run(.iryo, files: [hours, facilities], into: db)
        #expect(reports.map(\.rowsLoaded) == [14, 6])
        #expect(try Self.kinds(db) == ["dental_clinic": 14])
        let withHours = try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(DISTINCT provider_id) FROM provider_hours") }
        #expect(withHours == 5)
        try db.close()
    }

    /// The pair is told apart by its first line alone, decoded as the whole file would be: a
    /// Shift_JIS pair loads as the UTF-8 one does.
    @Test func aShiftJISPairIsToldApartByItsHeader() throws {
        let dir = try Fixtures.scratch()
        func cp932(_ relative: String, _ name: String) throws -> String {
            let text = try Fixtures.text(relative).replacingOccurrences(of: "\u{FEFF}", with: "")
            return try Fixtures.write(BadInputTests.iconv(text, to: "CP932"), name: name, in: dir)
        }
        let hours = try cp932(IryoHoursTests.files.hours, "02-2_sjis.csv"), clinics = try cp932(IryoHoursTests.files.clinics, "02-1_sjis.csv")
        let sjis = try SpatialDatabase(path: dir.appendingPathComponent("sjis.sqlite").path)
        let reports = try DataImport.run(.iryo, files: [hours, clinics], into: sjis)
        #expect(reports.map(\.file) == ["02-1_sjis.csv", "02-2_sjis.csv"])
        let (utf8, _) = try IryoHoursTests.loaded()
        let sql = "SELECT p.official_id || ' ' || h.opening_hours FROM provider_hours h JOIN providers p ON p.id = h.provider_id WHERE p.kind = 'clinic' ORDER BY 1"
        let read = try sjis.reader.read { try String.fetchAll($0, sql: sql) }
        #expect(!read.isEmpty)
        #expect(read == (try utf8.reader.read { try String.fetchAll($0, sql: sql) }))
        try sjis.close()
        try utf8.close()
    }

    /// その他の休診日 is the facility's: what cannot be read of it is a note on every speciality's
    /// hours, and one warning.
    @Test func aFacilitysUnreadClosuresAreWarnedOnce() throws {
        let dir = try Fixtures.scratch()
        // 3922393108110 writes 水曜午後休診、水曜隔週で午前休診; give it 3922393101010's two specialities.
        let hours = try Fixtures.write(try Fixtures.text(IryoHoursTests.files.hours).replacingOccurrences(of: "\"3922393101010\"", with: "\"3922393108110\""),
                                       name: "02-2_clinic_speciality_hours.csv", in: dir)
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let reports = try DataImport.run(.iryo, files: [Fixtures.path(IryoHoursTests.files.clinics), hours], into: db)
        #expect(reports[1].warnings.filter { $0.message.contains("水曜午後休診") }.count == 1)
        let notes = try db.reader.read {
            try String.fetchAll($0, sql: """
                SELECT h.source_text FROM provider_hours h JOIN providers p ON p.id = h.provider_id WHERE p.official_id = '3922393108110'
                """)
        }
        #expect(notes.count == 2 && notes.allSatisfy { $0.contains("水曜午後休診") }, "\(notes)")
        try db.close()
    }

    @Test func maternityHomesAreTheirOwnKind() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.iryo, files: [try Self.rewrite(IryoHoursTests.files.clinics, code: "4", name: "04_maternity_home_20260601.csv", in: dir)], into: db)
        #expect(try Self.kinds(db) == ["maternity_home": 14])
        try db.close()
    }

    /// Without 機関区分 the published file name's number says the kind.
    @Test func theFileNameSaysTheKindWithoutTheColumn() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.iryo, files: [try Self.rewrite(IryoHoursTests.files.clinics, code: nil, name: "03-1_dental_facility_info.csv", in: dir)], into: db)
        #expect(try Self.kinds(db) == ["dental_clinic": 14])
        try db.close()
    }

    @Test func anUnknownClassIsRefusedByLineAndColumn() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let file = try Self.rewrite(IryoHoursTests.files.clinics, code: "9", name: "02-1_clinic_facility_info.csv", in: dir)
        do {
            _ = try DataImport.run(.iryo, files: [file], into: db)
            Issue.record("a 機関区分 of 9 should be refused")
        } catch let failure as ImportFailure {
            let first = try #require(failure.issues.first)
            #expect(first.line == 2 && first.column == "機関区分" && first.message.contains("機関区分が不明"), "\(first)")
        }
        #expect(try Self.kinds(db).isEmpty)
        try db.close()
    }
}
