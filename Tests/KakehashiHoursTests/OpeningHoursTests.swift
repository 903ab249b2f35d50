import Foundation
import Testing
import KakehashiTestSupport
@testable import KakehashiHours

/// Tokyo wall-clock text of an instant, `2026-11-30T17:00:00`.
private func Timestamp(_ d: Date) -> Substring {
    let f = ISO8601DateFormatter()
    f.timeZone = .tokyo
    f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
    return f.string(from: d).prefix(19)
}

@Suite struct OpeningHoursTests {
    /// Asia/Tokyo wall-clock time.
    static func at(_ s: String) -> Date {
        let f = ISO8601DateFormatter()
        return f.date(from: s + "+09:00")!
    }

    static func state(_ spec: String, _ time: String) throws -> OpeningState {
        try OpeningHours(spec).state(at: at(time)).state
    }

    @Test func weekdaysTimesAndOverride() throws {
        let spec = "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; PH off"
        #expect(try Self.state(spec, "2026-11-24T10:00:00") == .open)      // Tuesday
        #expect(try Self.state(spec, "2026-11-24T13:00:00") == .closed)
        #expect(try Self.state(spec, "2026-11-24T18:00:00") == .closed)    // end is exclusive
        #expect(try Self.state(spec, "2026-11-28T11:59:00") == .open)      // Saturday
        #expect(try Self.state(spec, "2026-11-29T10:00:00") == .closed)    // Sunday: nothing said
        #expect(try Self.state(spec, "2026-11-23T10:00:00") == .closed)    // 勤労感謝の日 (Monday)
    }

    /// "Dec 9999…" overflowed an Int while looking for a day number and stopped the process
    /// (found by fuzzing, issue #17); it is an error with a position now.
    @Test func longNumbersAreErrorsNotCrashes() {
        #expect(throws: OpeningHoursError.self) { try OpeningHours("Dec " + String(repeating: "9", count: 100)) }
        #expect(throws: OpeningHoursError.self) { try OpeningHours("Jan 01-" + String(repeating: "9", count: 40)) }
    }

    @Test func semicolonOverridesCommaAdds() throws {
        // ";" replaces Monday entirely when the rule opens; an "off" rule closes only its own times
        // (as opening_hours.js reads it: the lunch break of `Mo-Sa 09:00-18:00; We 12:00-13:00 off`).
        #expect(try Self.state("Mo-Fr 08:00-18:00; Mo 12:00-14:00 off", "2026-11-30T09:00:00") == .open)
        #expect(try Self.state("Mo-Fr 08:00-18:00; Mo 12:00-14:00 off", "2026-11-30T13:00:00") == .closed)
        #expect(try Self.state("Mo-Fr 08:00-18:00; Mo 12:00-14:00", "2026-11-30T09:00:00") == .closed)
        #expect(try Self.state("Mo-Fr 08:00-18:00, Mo 12:00-14:00 off", "2026-11-30T09:00:00") == .open)
        #expect(try Self.state("Mo-Fr 08:00-18:00, Mo 12:00-14:00 off", "2026-11-30T13:00:00") == .closed)
        #expect(try Self.state("Mo-Fr 08:00-12:00; We 14:00-16:00", "2026-12-02T09:00:00") == .closed)
        #expect(try Self.state("Mo-Fr 08:00-12:00, We 14:00-16:00", "2026-12-02T09:00:00") == .open)
    }

    @Test func fallbackAppliesWhereNothingElseSpoke() throws {
        let spec = #"Mo-Fr 09:00-17:00 || unknown "要予約""#
        let h = try OpeningHours(spec)
        #expect(h.state(at: Self.at("2026-11-24T10:00:00")).state == .open)
        let evening = h.state(at: Self.at("2026-11-24T20:00:00"))
        #expect(evening.state == .unknown)
        #expect(evening.comment == "要予約")
        #expect(h.state(at: Self.at("2026-11-29T10:00:00")).state == .unknown)
        // A fallback also speaks where a rule said closed, as the reference reads it.
        let said = try OpeningHours(#"Mo-Fr 09:00-17:00; We off || unknown "要予約""#)
        #expect(said.state(at: Self.at("2026-11-25T10:00:00")).state == .unknown)   // Wednesday
        #expect(said.state(at: Self.at("2026-11-24T10:00:00")).state == .open)
    }

    @Test func rangesPastMidnight() throws {
        let spec = "Fr 18:00-02:00"
        #expect(try Self.state(spec, "2026-11-27T23:00:00") == .open)     // Friday night
        #expect(try Self.state(spec, "2026-11-28T01:30:00") == .open)     // Saturday small hours
        #expect(try Self.state(spec, "2026-11-28T02:00:00") == .closed)
        #expect(try Self.state(spec, "2026-11-27T01:00:00") == .closed)   // Friday small hours: Thursday said nothing
        #expect(try Self.state("22:00-06:00", "2026-11-24T03:00:00") == .open)
        #expect(try Self.state("Mo-Su 18:00-26:00", "2026-11-24T01:59:00") == .open)
    }

    /// A night range on the eve of a holiday, and on a holiday: the spill belongs to the day it starts.
    @Test func midnightRangesAcrossAHoliday() throws {
        let spec = "Mo-Fr 18:00-02:00; PH off"
        // Fri 2026-09-18 night runs into Sat; Mon 2026-09-21 敬老の日 is off, so no night into Tue.
        #expect(try Self.state(spec, "2026-09-19T01:00:00") == .open)
        #expect(try Self.state(spec, "2026-09-21T20:00:00") == .closed)
        #expect(try Self.state(spec, "2026-09-22T01:00:00") == .closed)   // spill of the holiday Monday: none
        #expect(try Self.state(spec, "2026-09-22T20:00:00") == .closed)   // 国民の休日
        // 秋分の日 (Wed 23rd) is off all day, but the small hours of Thursday belong to Thursday's rules: the
        // range's spill is a rule of its own for the day after a weekday (as opening_hours.js builds it).
        #expect(try Self.state(spec, "2026-09-23T20:00:00") == .closed)
        #expect(try Self.state(spec, "2026-09-24T01:00:00") == .open)
        #expect(try Self.state(spec, "2026-09-25T01:00:00") == .open)     // Thursday night into Friday
    }

    @Test func midnightRangesAcrossTheYearEnd() throws {
        let spec = "Mo-Su 20:00-04:00; Dec 31 off; Jan 01 10:00-12:00"
        #expect(try Self.state(spec, "2026-12-30T23:00:00") == .open)
        // A rule for Dec 31 itself closes its small hours too: the spill of Dec 30 does not survive it.
        #expect(try Self.state(spec, "2026-12-31T02:00:00") == .closed)
        #expect(try Self.state(spec, "2026-12-30T02:00:00") == .open)     // spill of Dec 29
        #expect(try Self.state(spec, "2026-12-31T22:00:00") == .closed)   // Dec 31 off
        #expect(try Self.state(spec, "2027-01-01T01:00:00") == .closed)   // no spill from Dec 31
        #expect(try Self.state(spec, "2027-01-01T11:00:00") == .open)
        #expect(try Self.state(spec, "2027-01-01T21:00:00") == .closed)   // Jan 01 rule replaced the night
        #expect(try Self.state(spec, "2027-01-02T21:00:00") == .open)
    }

    /// The reference implementation's reading of `;` (issue #19): a rule drops what earlier rules
    /// said of its day only if it opens or says unknown, with a date selector of its own (or, with
    /// none, after a rule with none); ranges past midnight are dropped by a later rule of the next day.
    @Test func overwritingAsTheReferenceReadsIt() throws {
        #expect(try Self.state("10:00-14:00; 12:00-14:00 off", "2026-12-09T11:00:00") == .open)
        #expect(try Self.state("10:00-14:00; 12:00-14:00 off", "2026-12-09T12:30:00") == .closed)
        let lunch = "Mo-Sa 09:00-18:00; We 12:00-13:00 off"
        #expect(try Self.state(lunch, "2026-12-09T10:00:00") == .open)      // Wednesday morning
        #expect(try Self.state(lunch, "2026-12-09T12:30:00") == .closed)
        #expect(try Self.state(lunch, "2026-12-09T15:00:00") == .open)
        let bar = "Mo,Tu,We,Th,Fr,Su 11:00-01:00; Sa 11:00-02:00"
        #expect(try Self.state(bar, "2026-12-11T23:30:00") == .open)        // Friday night
        #expect(try Self.state(bar, "2026-12-12T00:30:00") == .closed)      // Saturday's rule replaced Friday's spill
        #expect(try Self.state(bar, "2026-12-13T01:30:00") == .open)        // Saturday's own spill into Sunday
        let night = "Mo-Fr 18:00-09:00; Sa 09:00-13:00"
        #expect(try Self.state(night, "2026-12-12T03:00:00") == .closed)    // Friday night ends at midnight
        #expect(try Self.state(night, "2026-12-10T03:00:00") == .open)      // Wednesday night runs into Thursday
        // Rules without date selectors: a later one replaces an earlier one; after a dated rule it adds.
        #expect(try Self.state("10:00-14:00; 12:00-16:00", "2026-12-09T11:00:00") == .closed)
        #expect(try Self.state("Mo-Fr 10:00-14:00; 12:00-16:00", "2026-12-07T11:00:00") == .open)
        #expect(try Self.state("Mo-Fr 09:00-18:00; We 12:00-13:00 unknown", "2026-12-09T10:00:00") == .closed)
    }

    @Test func datedClosuresAndNthWeekdays() throws {
        let spec = "Mo-Sa 09:00-17:00; Dec 29-Jan 03 off; 2026 Aug 13-16 off; Sa[2,4] off; Mo[-1] 09:00-12:00"
        #expect(try Self.state(spec, "2026-12-30T10:00:00") == .closed)
        #expect(try Self.state(spec, "2027-01-02T10:00:00") == .closed)
        #expect(try Self.state(spec, "2027-01-04T10:00:00") == .open)
        #expect(try Self.state(spec, "2026-08-14T10:00:00") == .closed)
        #expect(try Self.state(spec, "2027-08-13T10:00:00") == .open)    // only 2026
        #expect(try Self.state(spec, "2026-11-14T10:00:00") == .closed)  // 2nd Saturday
        #expect(try Self.state(spec, "2026-11-21T10:00:00") == .open)    // 3rd Saturday
        #expect(try Self.state(spec, "2026-11-30T13:00:00") == .closed)  // last Monday of November
        #expect(try Self.state(spec, "2026-11-30T10:00:00") == .open)
    }

    @Test func weeksYearsAndMonths() throws {
        #expect(try Self.state("week 01-10 Mo-Fr 09:00-17:00", "2026-01-05T10:00:00") == .open)
        #expect(try Self.state("week 01-10 Mo-Fr 09:00-17:00", "2026-03-09T10:00:00") == .closed) // week 11
        #expect(try Self.state("week 2-52/2 Mo 09:00-17:00", "2026-01-05T10:00:00") == .open)     // week 2
        #expect(try Self.state("week 2-52/2 Mo 09:00-17:00", "2026-01-12T10:00:00") == .closed)   // week 3
        #expect(try Self.state("2027-2028 Mo-Fr 09:00-17:00", "2026-11-24T10:00:00") == .closed)
        #expect(try Self.state("2026+ Mo-Fr 09:00-17:00", "2026-11-24T10:00:00") == .open)
        #expect(try Self.state("Nov-Feb Mo-Fr 09:00-17:00", "2027-01-05T10:00:00") == .open)
        #expect(try Self.state("Nov-Feb Mo-Fr 09:00-17:00", "2026-10-06T10:00:00") == .closed)
    }

    @Test func modifiersCommentsAndAlwaysOpen() throws {
        #expect(try Self.state("24/7", "2026-11-24T03:00:00") == .open)
        #expect(try Self.state("24/7; PH off", "2026-11-23T03:00:00") == .closed)
        #expect(try Self.state("off", "2026-11-24T03:00:00") == .closed)
        #expect(try Self.state("open", "2026-11-24T03:00:00") == .open)
        let u = try OpeningHours(#"Mo-Fr unknown "時間は要確認""#).state(at: Self.at("2026-11-24T03:00:00"))
        #expect(u.state == .unknown && u.comment == "時間は要確認")
        #expect(try Self.state(#""電話で確認""#, "2026-11-24T03:00:00") == .unknown)
        #expect(try Self.state("Mo-Fr 09:00+", "2026-11-24T08:00:00") == .closed)
        #expect(try Self.state("Mo-Fr 09:00+", "2026-11-24T15:00:00") == .unknown)
        #expect(try Self.state("Mo-Fr 09:00-17:00+", "2026-11-24T15:00:00") == .open)
        #expect(try Self.state("Mo-Fr 09:00-17:00+", "2026-11-24T18:00:00") == .unknown)
        #expect(try Self.state("PH,Sa 10:00-12:00", "2026-11-23T11:00:00") == .open)
        #expect(try Self.state("Mo-Fr 09:00-12:00;", "2026-11-24T10:00:00") == .open)   // trailing ";"
    }

    @Test func intervalsOfATonightWindow() throws {
        let h = try OpeningHours("Mo-Fr 09:00-18:00; Sa 09:00-12:00 \"土曜は午前のみ\"")
        let list = h.intervals(from: Self.at("2026-11-27T17:00:00"), to: Self.at("2026-11-28T13:00:00"))
        // A comment without `open` makes Saturday's hours unknown, as the reference reads them
        // (opening_hours.js: unknown "土曜は午前のみ"); this test once expected open.
        #expect(list.map(\.state) == [.open, .closed, .unknown, .closed])
        #expect(list[0].to == Self.at("2026-11-27T18:00:00"))
        #expect(list[2].from == Self.at("2026-11-28T09:00:00"))
        #expect(list[2].comment == "土曜は午前のみ")
        #expect(list.last?.to == Self.at("2026-11-28T13:00:00"))
        #expect(h.nextChange(after: Self.at("2026-11-27T17:00:00")) == Self.at("2026-11-27T18:00:00"))
        #expect(try OpeningHours("24/7").nextChange(after: Self.at("2026-11-27T17:00:00")) == nil)
    }

    /// Open ends as opening_hours.js reads them: unknown with its comment until the closing time it
    /// guesses (8 h after a start from 22:00, 10 h from 17:00, else midnight), after a range's end too.
    @Test(arguments: [
        // value, from, to (Tokyo, Monday 2026-11-30 onwards), the unknown and open stretches in order
        ("17:00+", "2026-11-30T00:00:00", "2026-12-01T05:00:00",
         ["u 2026-11-30T00:00:00 2026-11-30T03:00:00", "u 2026-11-30T17:00:00 2026-12-01T03:00:00"]),
        ("Mo 22:00-28:00+", "2026-11-30T00:00:00", "2026-12-02T00:00:00",
         ["o 2026-11-30T22:00:00 2026-12-01T04:00:00", "u 2026-12-01T04:00:00 2026-12-01T12:00:00"]),
        ("Mo 22:00-04:00+", "2026-11-30T00:00:00", "2026-12-02T00:00:00",
         ["o 2026-11-30T22:00:00 2026-12-01T04:00:00", "u 2026-12-01T04:00:00 2026-12-01T12:00:00"]),
        ("14:00-17:00+", "2026-11-30T00:00:00", "2026-12-01T00:00:00",
         ["u 2026-11-30T00:00:00 2026-11-30T03:00:00", "o 2026-11-30T14:00:00 2026-11-30T17:00:00",
          "u 2026-11-30T17:00:00 2026-12-01T00:00:00"]),
        ("07:00+,12:00-16:00", "2026-11-30T00:00:00", "2026-12-01T05:00:00",
         ["u 2026-11-30T07:00:00 2026-11-30T12:00:00", "o 2026-11-30T12:00:00 2026-11-30T16:00:00"]),
        ("Tu 23:59-40:00+", "2026-11-30T00:00:00", "2026-12-07T00:00:00",
         ["o 2026-12-01T23:59:00 2026-12-02T16:00:00", "u 2026-12-02T16:00:00 2026-12-03T00:00:00"]),
        ("17:00+ off", "2026-11-30T00:00:00", "2026-12-01T00:00:00", []),
    ])
    func openEndsAsTheReference(value: String, from: String, to: String, expected: [String]) throws {
        let h = try OpeningHours(value)
        let iso = { (d: Date) in String(Timestamp(d)) }
        let seen = h.intervals(from: Self.at(from), to: Self.at(to)).filter { $0.state != .closed }
            .map { "\($0.state == .open ? "o" : "u") \(iso($0.from)) \(iso($0.to))" }
        #expect(seen == expected)
        for i in h.intervals(from: Self.at(from), to: Self.at(to)) where i.state == .unknown {
            #expect(i.comment == "Specified as open end. Closing time was guessed.")
        }
    }

    /// Ranges ending on a calculated day, easter and year steps (the reference's answers for the
    /// same values are in Reference/cases.json; these say the same in words).
    @Test func calculatedDaysEasterAndYearSteps() throws {
        // Easter 2026 is Sunday 5 April; 2027, 28 March.
        #expect(YearDay.easter(2026) == CivilDate(year: 2026, month: 4, day: 5))
        #expect(YearDay.easter(2027) == CivilDate(year: 2027, month: 3, day: 28))
        #expect(try Self.state("easter off; Mo-Sa 09:00-18:00", "2026-04-05T10:00:00") == .closed)
        let holy = "09:00-17:00; easter -2 days-easter +1 day off"
        #expect(try Self.state(holy, "2026-04-03T10:00:00") == .closed)   // Good Friday
        #expect(try Self.state(holy, "2026-04-06T10:00:00") == .open)     // an easter end is exclusive, as in the reference
        // The last Sunday of January 2026 is the 25th: Jan 20-25.
        #expect(try Self.state("Jan 20-Jan Su[-1] 10:00-12:00", "2026-01-25T11:00:00") == .open)
        #expect(try Self.state("Jan 20-Jan Su[-1] 10:00-12:00", "2026-01-26T11:00:00") == .closed)
        // Summer time, as a European shop writes it: the Saturday before March's last Sunday to the Saturday before October's.
        let summer = "Mar Su[-1]-Oct Su[-1] -1 day 09:00-18:00; Oct Su[-1]-Mar Su[-1] -1 day 10:00-16:00"
        #expect(try Self.state(summer, "2026-07-01T17:00:00") == .open)
        #expect(try Self.state(summer, "2026-12-01T17:00:00") == .closed)
        #expect(try Self.state(summer, "2026-12-01T11:00:00") == .open)
        // Years: listed, ranged, every second from 2031, and from 2040 on.
        let years = "2026,2028-2030,2031/2,2040+ Jan 01-Jan 10 10:00-12:00"
        for (year, open) in [(2026, true), (2027, false), (2029, true), (2031, true), (2032, false), (2033, true), (2041, true)] {
            #expect(try Self.state(years, "\(year)-01-05T11:00:00") == (open ? .open : .closed), "\(year)")
        }
        #expect(try Self.state("week 01,03: 00:00-24:00", "2026-01-14T11:00:00") == .open)  // ISO week 3
        #expect(throws: OpeningHoursError.self) { try OpeningHours("2026 Jan 20-Jan Su[-1]") }  // a year on one side only
    }

    @Test func openEndsThatCrossTwoMidnightsAreRefused() {
        #expect(throws: OpeningHoursError.self) { try OpeningHours("20:00-41:00+") }
        #expect(throws: OpeningHoursError.self) { try OpeningHours("24:00+") }
    }

    @Test func otherTimeZones() throws {
        let h = try OpeningHours("Mo-Fr 09:00-17:00")
        let utc = TimeZone(identifier: "UTC")!
        // 2026-11-24 10:00 JST is 01:00 UTC: closed in a UTC reading of the same rules.
        #expect(h.state(at: Self.at("2026-11-24T10:00:00"), timeZone: utc).state == .closed)
        let ny = TimeZone(identifier: "America/New_York")!
        let f = ISO8601DateFormatter()
        // Across the US DST change of 2026-11-01.
        #expect(h.state(at: f.date(from: "2026-11-02T09:30:00-05:00")!, timeZone: ny).state == .open)
        #expect(h.state(at: f.date(from: "2026-10-30T09:30:00-04:00")!, timeZone: ny).state == .open)
    }

    @Test(arguments: [
        ("", 0, "規則"),
        ("Mo-Fr 9-17:00", 6, "時刻（HH:MM）"),  // hours with and without minutes in one range (`9-17` alone is read, with a warning)
        ("Mo-Fr sunrise-sunset", 6, "sunrise"),
        ("Mo-Fr 10:00-(sunset-01:00)", 12, "変動する時刻"),
        ("SH off", 0, "SH"),
        ("PH +1 day off", 2, "ずらし"),
        ("Mo-Fr 08:00-12:00/90", 17, "周期的"),
        ("Mo-Fr 25:00-26:00", 6, "24:00 までの時刻"),
        ("Dec 32 off", 4, "その月にある日"),
        ("Mo[6] off", 3, "第何週か"),
        ("Mo-Fr 09:00-17:00 \"unterminated", 18, "注記を閉じる"),
        ("Xy 09:00-17:00", 0, "曜日・日付・時刻"),
        ("Mo-Fr 09:00-17:00 maybe", 18, "規則の区切り"),
    ])
    func errorsSayWhereAndWhat(spec: String, position: Int, expected: String) {
        #expect {
            _ = try OpeningHours(spec)
        } throws: { error in
            guard let e = error as? OpeningHoursError else { return false }
            return e.position == position && e.description.contains(expected)
        }
    }

    /// Every spec of the 医療情報ネット fixture parses, and spot values hold.
    @Test func kochiFixture() throws {
        let url = Self.fixtures.appendingPathComponent("hours/kochi_clinic_opening_hours.csv")
        let text = try String(contentsOf: url, encoding: .utf8)
        let specs = text.split(separator: "\n").dropFirst().compactMap { line -> String? in
            let parts = line.split(separator: "\"", omittingEmptySubsequences: false)
            return parts.count >= 3 ? String(parts[1]) : nil
        }
        #expect(specs.count == 11)
        for s in specs { _ = try OpeningHours(s) }
        let first = try OpeningHours(specs[0])  // 潮見台診療所
        #expect(first.state(at: Self.at("2026-11-24T10:00:00")).state == .open)
        #expect(first.state(at: Self.at("2026-11-24T13:00:00")).state == .closed)
        #expect(first.state(at: Self.at("2026-11-23T10:00:00")).state == .closed)  // 勤労感謝の日
        #expect(first.state(at: Self.at("2026-12-30T10:00:00")).state == .closed)
        #expect(first.state(at: Self.at("2027-01-04T10:00:00")).state == .open)
        let last = try OpeningHours(specs[10])
        #expect(last.state(at: Self.at("2026-12-12T10:00:00")).state == .closed)   // Dec 12 off (a Saturday)
        #expect(last.state(at: Self.at("2026-12-19T10:00:00")).state == .open)
    }

    /// What the converters write always parses.
    @Test func converterOutputParses() throws {
        for text in ["月～金", "土日祝日を除く", "365日", "24時間365日", "平日 8:30～17:30", "月,水,金"] {
            let converted = try #require(AvailableDaysText.convert(text, note: "注記").openingHours)
            _ = try OpeningHours(converted)
        }
    }

    static var fixtures: URL { TestFixtures.root }
}
