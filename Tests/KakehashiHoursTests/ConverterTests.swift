import Foundation
import Testing
@testable import KakehashiHours

@Suite struct AvailableDaysTextTests {
    @Test(arguments: [
        ("月～金", "Mo-Fr unknown"),
        ("月〜金", "Mo-Fr unknown"),
        ("月曜日～土曜日", "Mo-Sa unknown"),
        ("月,水,金", "Mo,We,Fr unknown"),
        ("月・水・金", "Mo,We,Fr unknown"),
        ("毎日", "Mo-Su unknown"),
        ("365日", "Mo-Su unknown; PH unknown"),
        ("24時間365日", "24/7"),
        ("土日祝日を除く", "Mo-Fr unknown; PH off"),
        ("月～土（祝日を除く）", "Mo-Sa unknown; PH off"),
        ("平日 8:30～17:30", "Mo-Fr 08:30-17:30"),
        ("月～金 ９：００～１８：００", "Mo-Fr 09:00-18:00"),
        ("金～月", "Mo,Fr-Su unknown"),
    ])
    func converts(text: String, expected: String) {
        let result = AvailableDaysText.convert(text)
        #expect(result.openingHours == expected)
        #expect(result.unconverted == nil)
    }

    @Test func keepsWhatItCannotRead() {
        let r = AvailableDaysText.convert("要相談")
        #expect(r.openingHours == nil)
        #expect(r.unconverted == "要相談")
        let withNote = AvailableDaysText.convert("月～金", note: "緊急時は24時間連絡可")
        #expect(withNote.openingHours == "Mo-Fr unknown \"緊急時は24時間連絡可\"")
        #expect(withNote.unconverted == "緊急時は24時間連絡可")
        // Known times keep their note without becoming unknown: a bare comment would make them so.
        let timed = AvailableDaysText.convert("月～金 9:00～17:00", note: "祝日も営業")
        #expect(timed.openingHours == "Mo-Fr 09:00-17:00 open \"祝日も営業\"")
        let tuesday = try? OpeningHours(timed.openingHours ?? "").state(at: Date(timeIntervalSince1970: 1_764_036_000))  // Tue 2025-11-25 11:00 JST
        #expect(tuesday?.state == .open && tuesday?.comment == "祝日も営業")
    }
}

@Suite struct MedicalInformationNetHoursTests {
    typealias Slot = MedicalInformationNetHours.Slot

    static func slot(_ days: [String], _ start: String, _ end: String) -> Slot {
        Slot(start: Dictionary(uniqueKeysWithValues: days.map { ($0, start) }),
             end: Dictionary(uniqueKeysWithValues: days.map { ($0, end) }))
    }

    @Test func groupsDaysWithTheSameHours() {
        let r = MedicalInformationNetHours.convert([
            Self.slot(["月", "火", "水", "木", "金", "土"], "09:00", "12:00"),
            Self.slot(["月", "火", "水", "木", "金"], "16:00", "18:00"),
        ], closedYearEnd: true)
        #expect(r.openingHours == "Mo-Fr 09:00-12:00,16:00-18:00; Sa 09:00-12:00; PH off; Dec 29-Jan 03 off")
    }

    @Test func holidayColumnAndNightRange() throws {
        let r = MedicalInformationNetHours.convert([
            Self.slot(["土", "祝"], "0900", "1200"),
            Self.slot(["金"], "18:00", "02:00"),
        ])
        // Friday night is an added rule after Saturday's, so that Saturday's rule does not cut it at
        // midnight (as `Fr 18:00-02:00; Sa 09:00-12:00` would, read as the reference reads it).
        #expect(r.openingHours == "Sa 09:00-12:00, Fr 18:00-02:00; PH 09:00-12:00")
        let hours = try #require(try? OpeningHours(r.openingHours ?? ""))
        let saturday1am = Date(timeIntervalSince1970: 1_764_345_600)  // Sat 2025-11-29 01:00 JST
        #expect(hours.state(at: saturday1am).state == .open)
        // Only the holiday rule may cut a night (on a holiday the holiday's hours rule), as the reference warns.
        #expect(hours.warnings().filter { $0.kind == .overwritesPreviousNight || $0.kind == .hiddenByLaterRule }
                == [OpeningHoursWarning(.overwritesPreviousNight, rule: 2)])
    }

    @Test func nightsOfSeveralDaysAreNotCut() throws {
        let r = MedicalInformationNetHours.convert([
            Self.slot(["月", "火", "水", "木"], "18:00", "02:00"),
            Self.slot(["金"], "18:00", "04:00"),
            Self.slot(["月", "火", "水", "木", "金"], "09:00", "12:00"),
        ])
        let text = try #require(r.openingHours)
        let hours = try OpeningHours(text)
        #expect(!hours.warnings().contains { $0.kind == .hiddenByLaterRule }, "\(text)")
        #expect(hours.warnings().filter { $0.kind == .overwritesPreviousNight }.allSatisfy { $0.rule == 2 }, "\(text)")  // PH off, the third rule
        // Fri 2025-11-28 01:00 (Thursday's night) and 10:00; Sat 03:00 (Friday's night).
        for t in [1_764_259_200.0, 1_764_291_600, 1_764_352_800] {
            #expect(hours.state(at: Date(timeIntervalSince1970: t)).state == .open, "\(text) at \(t)")
        }
    }

    @Test func reportsUnreadableTimes() {
        let r = MedicalInformationNetHours.convert([Self.slot(["月"], "朝", "12:00"), Self.slot(["火"], "09:00", "12:00")])
        #expect(r.openingHours == "Tu 09:00-12:00; PH off")
        #expect(r.unconverted == "月 朝-12:00")
    }
}

/// その他の休診日 as published: what is unambiguous becomes dated `off` rules.
@Suite struct ClosureDatesTests {
    @Test func freeTextAsPublished() {
        #expect(ClosureDates.read("12月31日 1月3日 1月2日 1月1日 12月30日 12月29日") == (["Dec 29-Jan 03"], []))
        #expect(ClosureDates.read("１２月３０日午後（改行）１２月３１日（改行）０１月０１日（改行）０１月０２日（改行）０１月０３日")
                == (["Dec 31-Jan 03"], ["12月30日午後"]))
        #expect(ClosureDates.read("８月９日～１５日") == (["Aug 09-Aug 15"], []))
        #expect(ClosureDates.read("5月3日,5月5日 お盆") == (["May 03", "May 05"], ["お盆"]))
        #expect(ClosureDates.read("") == ([], []))
        #expect(ClosureDates.read("GW、年末年始（12月30日、12月31日、1月1日、1月2日、1月3日）") == (["Dec 30-Jan 03"], ["GW", "年末年始"]))
    }

    /// `（改行）` is the source's line break, only when written so; a quoted cell's own CRLF is one too.
    @Test func lineBreaks() {
        #expect(ClosureDates.read("（改行）") == ([], []))
        #expect(ClosureDates.read("（（改行））１２月３１日") == (["Dec 31"], []))
        #expect(ClosureDates.read("改行") == ([], ["改行"]))
        #expect(ClosureDates.read("(改行 )1月1日") == (["Jan 01"], ["改行"]))
        #expect(ClosureDates.read("[改行]") == ([], ["改行"]))
        #expect(ClosureDates.read("改行)1月1日") == (["Jan 01"], ["改行"]))
        #expect(ClosureDates.read("(改行1月1日)") == ([], ["改行1月1日"]))
        #expect(ClosureDates.read("、、1月1日,,") == (["Jan 01"], []))
        #expect(ClosureDates.read("12月31日\r\n1月1日") == (["Dec 31-Jan 01"], []))
    }
}

/// Clock times as the sources write them; `HH:MM` in ASCII is read from its bytes.
@Suite struct ClockTextTests {
    @Test(arguments: [("09:00", 540), ("00:00", 0), ("24:00", 1440), ("9:00", 540), ("09:00 ", 540), ("０９:００", 540),
                      ("09:000", 540), ("0900", 540), ("9時30分", 570)])
    func reads(text: String, minutes: Int) {
        #expect(TimeRange.minutes(from: text) == minutes)
    }

    @Test(arguments: ["24:01", "12:60", "99:99", "09-00", "ab:cd", ""])
    func refuses(text: String) {
        #expect(TimeRange.minutes(from: text) == nil)
    }
}
