import Foundation
import Testing
@testable import KakehashiHours

/// Warnings as the reference gives them (opening_hours.js, its English text kept beside ours),
/// and Kakehashi's own for rules a later rule hides.
@Suite struct WarningsTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)  // 2026-11-29

    @Test(arguments: [
        ("Mo-Fr 18:00-09:00; Sa 09:00-13:00", [OpeningHoursWarning.Kind.overwritesPreviousNight], [1]),
        ("22:00-02:00; Tu 12:00-14:00", [.overwritesPreviousNight], [1]),
        ("Mo 22:00-02:00; We 12:00-14:00", [], []),
        ("Mo 22:00-02:00, Tu 12:00-14:00", [], []),
        // Mo-Su replaces every day: the weekday hours and the Christmas closure both never apply.
        ("Mo-Fr 09:00-18:00; Dec 24 off; Mo-Su 10:00-12:00", [.hiddenByLaterRule, .hiddenByLaterRule], [0, 1]),
        ("Mo-Fr 09:00-18:00; Sa 10:00-12:00; Dec 24 off", [], []),
        ("Mo 10:00-12:00; Mo-Fr 09:00-18:00", [.hiddenByLaterRule], [0]),
        ("Mo-Fr 09:00-18:00; We 12:00-13:00 off", [], []),
        ("Mo,We", [.noTimes], [0]),
        ("Mo,We open", [.noTimes], [0]),
        ("Mo,We off", [], []),
        ("Mo \"要予約\"", [], []),
        ("Mo \"\"", [.emptyComment], [0]),
        ("Mo 10:00-12:00; off", [.stateAfterFirstRule], [1]),
        ("Mo-Fr 10:00-20:00, We off", [.addedClosedRule], [1]),
        ("Mo 10:00-12:00 || Tu 10:00-12:00, We off", [.addedClosedRule], [2]),
        ("24/7; Mo 15:00-16:00 off", [.notAlwaysOpen], [nil]),
        ("Mo 24/7", [.notAlwaysOpen], [nil]),
        ("24/7", [], []),
        ("08:00-09:00; 10:00-12:00", [.hiddenByLaterRule, .separateTimeRules], [0, nil]),
        ("10:00-12:00;", [.emptyRule], [1]),
        ("10:00-12:00,", [.trailingComma], [nil]),
        ("Mo: 10:00-12:00", [.misplacedColon], [0]),
        ("Dec 24: 18:00-22:00", [], []),
        // Japanese input's full-width colon, read as ":" as the reference reads it.
        ("Mo-Fr 09：00-12：00", [.colonNotation, .colonNotation], [0, 0]),
        ("Mo-Fr： 09:00-12:00", [.colonNotation, .misplacedColon], [0, 0]),
        ("Mo-Fr 09:00-12:00 \"受付：8時半\"", [], []),
        // Japanese weekday names and the full-width tilde, read as the reference reads them.
        ("月～金 09:00-18:00; 土 09:00-12:00", [.weekdayName, .rangeNotation, .weekdayName, .weekdayName], [0, 0, 0, 1]),
        // Another quote than " around a comment, as the reference reads it.
        ("Mo 10:00-12:00 「要予約」", [.quoteNotation, .quoteNotation], [0, 0]),
        ("Mo 10:00-12:00 \"要「予約」\"", [], []),
    ] as [(String, [OpeningHoursWarning.Kind], [Int?])])
    func warns(value: String, kinds: [OpeningHoursWarning.Kind], rules: [Int?]) throws {
        let found = try OpeningHours(value).warnings(now: Self.now)
        #expect(found.map(\.kind) == kinds, "\(value)")
        #expect(found.map(\.rule) == rules, "\(value)")
    }

    @Test func messagesAreJapaneseAndCarryTheReferenceText() throws {
        let w = try #require(try OpeningHours("Mo-Fr 18:00-09:00; Sa 09:00-13:00").warnings(now: Self.now).first)
        #expect(w.message.hasPrefix("規則 2は前の規則の日付をまたぐ時間"))
        #expect(w.reference?.hasPrefix("This rule overwrites parts of the previous rule.") == true)
        let json = String(decoding: try JSONEncoder().encode(w), as: UTF8.self)
        #expect(json.contains(#""kind":"overwrites_previous_night""#) && json.contains(#""rule":1"#))
        #expect(try OpeningHours("Mo 10:00-12:00; Mo-Fr 09:00-18:00").warnings(now: Self.now).first?.reference == nil)  // Kakehashi's own
        let day = try #require(try OpeningHours("土曜日 09:00-12:00").warnings(now: Self.now).first)
        #expect(day.message == "規則 1に日本語の曜日「土曜日」が使われています（Sa と読みました）。英語の略号「Sa」を使ってください")
        #expect(day.reference == "Please use the English abbreviation \"Sa\" for \"土曜日\".")
    }
}
