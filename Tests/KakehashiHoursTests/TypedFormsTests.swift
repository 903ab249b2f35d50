import Foundation
import Testing
@testable import KakehashiHours

/// Values as people type them — spaces of every kind, any case, full-width colons, Japanese weekday
/// names, other dashes and quotes — read as the reference reads them, and the forms it refuses
/// refused here too.
@Suite struct TypedFormsTests {
    /// Spaces as Japanese input and pasted text bring them — full-width, no-break, tabs, line breaks
    /// — are spaces, as the reference reads them (JavaScript's `\s`); inside a comment they stay.
    @Test func everySpaceTheReferenceSkips() throws {
        let plain = try OpeningHours("Mo-Fr 09:00-12:00; Sa 10:00-12:00")
        for value in ["Mo-Fr\u{3000}09:00-12:00;\u{3000}Sa 10:00-12:00", "Mo-Fr\u{A0}09:00-12:00; Sa\t10:00-12:00",
                      "Mo-Fr 09:00-12:00;\nSa 10:00-12:00", "Mo-Fr 09:00-12:00;\r\nSa 10:00-12:00", "\u{3000}Mo-Fr 09:00-12:00; Sa 10:00-12:00\u{3000}"] {
            let h = try OpeningHours(value)
            for t in ["2026-11-24T10:00:00", "2026-11-28T09:30:00", "2026-11-28T11:00:00", "2026-11-29T11:00:00"] {
                #expect(try h.state(at: OpeningHoursTests.at(t)).state == plain.state(at: OpeningHoursTests.at(t)).state, "\(value.debugDescription) at \(t)")
            }
            #expect(h.warnings().isEmpty, "\(value.debugDescription)")
        }
        let commented = try OpeningHours("Mo-Fr 09:00-12:00 \"受付\u{3000}8時半\"").state(at: OpeningHoursTests.at("2026-11-24T10:00:00"))
        #expect(commented.comment == "受付\u{3000}8時半")
        // Where the reader stops is still counted in characters.
        #expect(throws: OpeningHoursError.self) { try OpeningHours("Mo-Fr\u{3000}09:00-") }
        do { _ = try OpeningHours("Mo-Fr\u{3000}9X"); Issue.record("should have been refused") } catch let e as OpeningHoursError { #expect(e.position == 7, "\(e)") }
    }

    /// Spaces around a list's comma or a weekday range's dash do not matter to the reference: `, 14:00`
    /// after a space continued the times of Mo-Fr, not a rule of its own for every day.
    @Test(arguments: [
        ("Mo - Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Mo -Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Mo , We 09:00-12:00", "Mo,We 09:00-12:00"),
        ("Mo-Fr 09:00-12:00 , 14:00-18:00", "Mo-Fr 09:00-12:00,14:00-18:00"),
        ("Mo-Fr 09:00-12:00 ,14:00-18:00; Sa 10:00-12:00", "Mo-Fr 09:00-12:00,14:00-18:00; Sa 10:00-12:00"),
        ("Mo-Fr 10:00-20:00 , We off", "Mo-Fr 10:00-20:00, We off"),
        ("Mo-Fr 09:00- 18:00", "Mo-Fr 09:00-18:00"),
        ("Mo-Fr 09:00 - 18:00", "Mo-Fr 09:00-18:00"),
        ("Mo-Fr 09:00 ～ 18:00", "Mo-Fr 09:00～18:00"),
        ("Mo-Fr 09:00～ 18:00", "Mo-Fr 09:00～18:00"),
        ("Nov - Feb 10:00-12:00", "Nov-Feb 10:00-12:00"),
        ("2026 Dec 31 - 2027 Jan 02 10:00-12:00", "2026 Dec 31-2027 Jan 02 10:00-12:00"),
        ("Dec 11 , 15 - 17 10:00-12:00", "Dec 11,15-17 10:00-12:00"),
        ("Jan Su[2] - Jan 15 off; 2026 - 2027 Mo 10:00-12:00", "Jan Su[2]-Jan 15 off; 2026-2027 Mo 10:00-12:00"),
        ("week 01 - 53/2 Mo 10:00-12:00", "week 01-53/2 Mo 10:00-12:00"),
        ("Dec 24 - 26 18:00-22:00", "Dec 24-26 18:00-22:00"),
        ("Dec 24 -26: 18:00-22:00", "Dec 24-26: 18:00-22:00"),
        ("Jan～Mar 10:00-12:00", "Jan~Mar 10:00-12:00"),
    ])
    func spacesAroundCommasAndDashes(spaced: String, written: String) throws {
        try Self.expectSameReading(spaced, written)
    }

    /// Names and keywords in any case, as the reference reads them (without a warning).
    @Test(arguments: [
        ("mo-fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("MO-FR 09:00-12:00; SA 10:00-12:00", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"),
        ("jan-mar mo 10:00-12:00; Dec 25 OFF", "Jan-Mar Mo 10:00-12:00; Dec 25 off"),
        ("Mo-Fr 09:00-12:00; ph Closed", "Mo-Fr 09:00-12:00; PH closed"),
        ("su[1] 10:00-12:00", "Su[1] 10:00-12:00"),
    ])
    func namesInAnyCase(cased: String, written: String) throws {
        try Self.expectSameReading(cased, written)
    }

    /// The full-width colon is a clock's wherever ":" would be: `Dec 9：00+` is 09:00 on every day of
    /// December, not the 9th from midnight; `Dec 24,25：00+` is refused as `Dec 24,25:00+` is.
    @Test func fullWidthColonsAsTheReferenceReadsThem() throws {
        let from = OpeningHoursTests.at("2026-12-01T00:00:00"), to = OpeningHoursTests.at("2027-01-05T00:00:00")
        for (fullWidth, written) in [("Dec 9：00+", "Dec 9:00+"), ("Jan 02：00-03：00", "Jan 02:00-03:00")] {
            #expect(try OpeningHours(fullWidth).intervals(from: from, to: to) == OpeningHours(written).intervals(from: from, to: to), "\(fullWidth)")
        }
        #expect(throws: OpeningHoursError.self) { try OpeningHours("Dec 24,25:00+") }
        #expect(throws: OpeningHoursError.self) { try OpeningHours("Dec 24,25：00+") }
        #expect(throws: OpeningHoursError.self) { try OpeningHours("Dec 20-24:00+") }  // a time, not the range's end day
    }

    /// Japanese weekday names, as the reference reads them (each with a warning): the kanji or the
    /// whole name, as words of their own; and any dash it reads between two weekdays.
    @Test(arguments: [
        ("月-金 09:00-18:00", "Mo-Fr 09:00-18:00"),
        ("月曜日-金曜日 09:00-18:00; 土曜日 09:00-12:00", "Mo-Fr 09:00-18:00; Sa 09:00-12:00"),
        ("月～金 9:00～18:00", "Mo-Fr 9:00-18:00"),
        ("月,水,金 09:00-12:00", "Mo,We,Fr 09:00-12:00"),
        ("Mo,月,金 10:00-12:00", "Mo,Mo,Fr 10:00-12:00"),  // two Japanese names: not a slip
        ("月 09:00-18:00; Sa 10:00-12:00", "Mo 09:00-18:00; Sa 10:00-12:00"),  // another rule
        ("Mo 09:00-18:00 || 土 10:00-12:00", "Mo 09:00-18:00 || Sa 10:00-12:00"),
        ("日[1] 10:00-12:00; Dec 日[-1] off", "Su[1] 10:00-12:00; Dec Su[-1] off"),
        ("Jan 月 10:00-12:00", "Jan Mo 10:00-12:00"),
        ("月-金: 10:00-12:00", "Mo-Fr: 10:00-12:00"),
        ("Mo～Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Mo–Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("Mo to Fr 09:00-12:00", "Mo-Fr 09:00-12:00"),
        ("月 ー 金 09:00-12:00", "Mo-Fr 09:00-12:00"),
    ])
    func japaneseWeekdayNames(japanese: String, written: String) throws {
        let a = try OpeningHours(japanese), b = try OpeningHours(written)
        let from = OpeningHoursTests.at("2026-11-23T00:00:00"), to = OpeningHoursTests.at("2026-12-31T00:00:00")
        #expect(a.intervals(from: from, to: to) == b.intervals(from: from, to: to), "\(japanese)")
        let names = japanese.replacingOccurrences(of: "曜日", with: "").filter { "月火水木金土日".contains($0) }.count
        #expect(a.warnings().filter { $0.kind == .weekdayName }.count == names, "\(japanese)")
    }

    /// What the reference refuses: a lone Japanese name beside English ones in a rule group (`,`
    /// joins rules into one group), names that are not whole words, the wave dash 〜.
    @Test(arguments: ["Mo-金 09:00-18:00", "Mo,水 09:00-12:00", "Mo 09:00-18:00, 土 10:00-12:00", "mo,月 10:00-12:00",
                      "土曜 09:00-12:00", "土日 10:00-12:00", "月曜-金曜 09:00-18:00", "月ー金 09:00-12:00", "月、水 09:00-12:00",
                      "月〜金 09:00-12:00", "月Mo 10:00-12:00", "祝 off", "Mo,金 10:00-12:00,"])
    func japaneseNamesTheReferenceRefuses(value: String) {
        #expect(throws: OpeningHoursError.self, "\(value)") { try OpeningHours(value) }
    }

    /// Forms the reference refuses, which had been read here: a "," after days or dates alone (not an
    /// added rule), a day range in the wrong order, a year on one end of a range of days, years
    /// around a range of months, an nth after a weekday range.
    @Test(arguments: ["Mo-Fr, 09:00-18:00", "月-金, 09:00-18:00", "Dec 25, Mo 10:00-12:00", "week 50, Mo 10:00-12:00",
                      "2026, Mo 10:00-12:00", "Mo,Dec 25 10:00-12:00", "Dec 08-1 10:00-12:00", "Dec 08-2027 Jan 05 10:00-12:00",
                      "2026 Dec 07-Dec 09 10:00-12:00", "2026 Dec-2027 Jan 10:00-12:00", "Nov-2026 Dec 10:00-12:00", "Mo-Fr[1] 10:00-12:00",
                      "24/7, Mo off", "Mo 24/7, Tu off", "Mo 24/7,", "Sa-Su 24:00-12:00", "week 30-40/1 Mo", "week 30-40/27 Mo",
                      "Dec 08,Jul Tu[1] 18:30-05:00", "Dec Su[2],Jan 10:00-12:00", "Nov,easter 10:00-12:00", "Dec-Jan,easter 10:00-12:00"])
    func formsTheReferenceRefuses(value: String) {
        #expect(throws: OpeningHoursError.self, "\(value)") { try OpeningHours(value) }
    }

    /// Comments in the quotes Japanese (and other) input gives, read as the reference reads them.
    @Test(arguments: [
        ("Mo 10:00-12:00 「要予約」", "要予約"),
        ("Mo 10:00-12:00 『要　予約』", "要　予約"),
        ("Mo 10:00-12:00 “by appointment”", "by appointment"),
        ("Mo 10:00-12:00 'x'", "x"),
        ("Mo 10:00-12:00 \"要「予約」\"", "要「予約」"),
        ("Mo open 「要予約」; Tu 10:00-12:00", "要予約"),
    ])
    func commentsInOtherQuotes(value: String, comment: String) throws {
        let state = try OpeningHours(value).state(at: OpeningHoursTests.at("2026-11-23T11:00:00"))
        #expect(state.comment == comment, "\(value)")
        #expect(try OpeningHoursTests.state(value, "2026-11-24T11:00:00") == (value.contains("Tu") ? .open : .closed))
    }

    static func expectSameReading(_ value: String, _ written: String) throws {
        let a = try OpeningHours(value), b = try OpeningHours(written)
        let from = OpeningHoursTests.at("2026-11-23T00:00:00"), to = OpeningHoursTests.at("2026-12-31T00:00:00")
        #expect(a.intervals(from: from, to: to) == b.intervals(from: from, to: to), "\(value)")
        #expect(a.warnings().map(\.kind) == b.warnings().map(\.kind), "\(value)")
    }

    /// Rules added with "," after a "||" are fallback rules, up to the next ";", as the reference
    /// reads them: the open end of Tuesday's first rule is not cut by the added hours.
    @Test func commaAfterAFallbackAddsAFallback() throws {
        try Self.expectSameReading("Tu 10:00+ || Mo closed, Tu 08:30-17:30", "Tu 10:00+ || Mo closed || Tu 08:30-17:30")
        #expect(try OpeningHoursTests.state("Tu 10:00+ || Mo closed, Tu 08:30-17:30", "2026-11-24T11:00:00") == .unknown)
        #expect(try OpeningHoursTests.state("Tu 10:00+ || Mo closed; Tu 08:30-17:30, We 10:00-11:00", "2026-11-24T11:00:00") == .open)
    }
}
