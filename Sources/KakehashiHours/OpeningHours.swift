/// An OSM `opening_hours` value (specification v0.7.2), parsed once into rules that can be
/// evaluated many times. See <https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification>.
///
/// Supported: `24/7`; year lists, ranges and steps (`2026,2028-2030,2031/2,2040+`); month and
/// month-day ranges with optional years (`Dec 29-Jan 03`, `2026 Aug 13-16`, `Jan-Mar`), ending on a
/// calculated day (`Jan 20-Jan Su[-1]`) or `easter` with offsets; ISO week numbers (`week 01-10/2`);
/// weekday ranges and lists with nth-in-month (`Sa[1,3]`, `Mo[-1]`) and a day offset (`Su[-1] -1 day`);
/// days of a month as lists and steps (`Dec 24,25`, `Jan 01-31/8`); `PH`; time ranges, past midnight
/// (`22:00-06:00`, `18:00-26:00`) and open ended (`18:00+`, `14:00-18:00+`); the modifiers `open`,
/// `closed`/`off`, `unknown` and `"comments"`; rules joined by `;` (override), `,` (additional) and
/// `||` (fallback). Anything else — sunrise and other variable times, `SH`, holiday offsets,
/// periodic times — is refused with its position, never misread.
public struct OpeningHours: Sendable, CustomStringConvertible {
    public let source: String
    let rules: [Rule]
    /// Warnings found while reading (see ``warnings(now:)`` for all of them).
    let readingNotes: [OpeningHoursWarning]

    public var description: String { source }

    public init(_ text: String) throws(OpeningHoursError) {
        source = text
        var parser = OpeningHoursParser(text)
        rules = try parser.parse()
        readingNotes = parser.notes
    }
}

/// Whether a place is open.
public enum OpeningState: String, Sendable, Codable {
    case open, closed, unknown
}

/// A parse error: the position (0-based, in characters) and what was expected there.
public struct OpeningHoursError: Error, Sendable, Equatable, CustomStringConvertible {
    public let position: Int
    public let expected: String
    public let found: String

    public var description: String {
        "opening_hours の \(position + 1) 文字目: \(expected)が必要です（\(found.isEmpty ? "文字列の終わり" : "「\(found)」")があります）"
    }
}

struct Rule: Sendable {
    enum Join: Sendable { case normal, additional, fallback }

    var join: Join = .normal
    var years: [YearRange] = []
    var monthDays: [DateSelector] = []
    var weeks: [StepRange] = []
    var weekdays: [WeekdayRange] = []
    var holidays = false
    /// Minutes from the day's midnight; `end` may pass 1440 (runs into the next day).
    var times: [TimeSpan] = []
    var state: OpeningState = .open
    var comment: String?
    /// The modifier as written (`open`, `off`…), nil when none was.
    var writtenState: OpeningState?
    /// `24/7` was written.
    var writtenAlways = false
    /// Joined to the rule before by `,` (an added rule, or after `||` a fallback one).
    var addedWithComma = false
    /// Days or dates alone, with no times, state, comment or 24/7 after them (`Mo-Fr`, `Dec 25`).
    var endsWithSelector: Bool { times.isEmpty && !writtenAlways && writtenState == nil && comment == nil && !everyDay }
    /// `24/7` last, with no state or comment after it (`24/7`, `Mo 24/7`).
    var endsWithAlways: Bool { writtenAlways && writtenState == nil && comment == nil }
    /// No selector at all (`24/7`, a bare modifier, a bare comment): every day, all day.
    var everyDay: Bool { years.isEmpty && monthDays.isEmpty && weeks.isEmpty && weekdays.isEmpty && !holidays }
}

struct YearRange: Sendable {
    var start: Int
    var end: Int
    var step = 1
    func contains(_ y: Int) -> Bool { y >= start && y <= end && (y - start) % step == 0 }
}

struct StepRange: Sendable {
    var start: Int
    var end: Int
    var step = 1
    func contains(_ v: Int) -> Bool { v >= start && v <= end && (v - start) % step == 0 }
}

/// A month, a date, or a range of them; years optional. Day 0 means "the whole month".
struct MonthDayRange: Sendable {
    var startYear: Int?
    var startMonth: Int
    var startDay: Int
    var endYear: Int?
    var endMonth: Int
    var endDay: Int
    /// Every `step`th day from `startDay` (`Jan 01-31/8`); only within one month.
    var step = 1

    func contains(_ d: CivilDate) -> Bool {
        if step > 1, (d.day - startDay) % step != 0 { return false }
        let lastEndDay = endDay == 0 ? 31 : endDay
        let from = (startMonth, startDay == 0 ? 1 : startDay)
        let to = (endMonth, lastEndDay)
        if let startYear {
            let endYear = self.endYear ?? (to < from ? startYear + 1 : startYear)
            let a = (startYear, from.0, from.1), b = (endYear, to.0, to.1)
            let x = (d.year, d.month, d.day)
            return a <= x && x <= b
        }
        let x = (d.month, d.day)
        return from <= to ? (from <= x && x <= to) : (x >= from || x <= to)
    }
}

struct WeekdayRange: Sendable {
    var start: Weekday
    var end: Weekday
    /// nth occurrences in the month (1…5, or -1…-5 from the end); empty means every week.
    var nth: [Int] = []
    /// Days after the nth weekday (`Su[-1] -1 day`: the Saturday before the month's last Sunday);
    /// only with `nth`. The day it lands on may lie in the next or the previous month.
    var offset = 0

    func contains(_ day: CivilDate) -> Bool {
        let d = offset == 0 ? day : day.adding(days: -offset)
        let w = d.weekday.rawValue
        let inRange = start.rawValue <= end.rawValue ? (w >= start.rawValue && w <= end.rawValue)
                                                     : (w >= start.rawValue || w <= end.rawValue)
        guard inRange else { return false }
        if nth.isEmpty { return true }
        let forward = (d.day - 1) / 7 + 1
        let backward = -((CivilDate.daysIn(month: d.month, year: d.year) - d.day) / 7 + 1)
        return nth.contains(forward) || nth.contains(backward)
    }
}

struct TimeSpan: Sendable {
    var start: Int
    var end: Int
    /// An open end (`18:00+`, or what follows `14:00-18:00+`): unknown, with the reference's comment,
    /// until the closing time the reference guesses (``init(openEndFrom:)``).
    var openEnd = false

    init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// An open end from a time (minutes, up to 48:00): the reference guesses it closes 8 hours later
    /// when it starts from 22:00, 10 hours later from 17:00, and at midnight when earlier.
    init(openEndFrom start: Int) {
        self.start = start
        end = start >= 22 * 60 ? start + 8 * 60 : start >= 17 * 60 ? start + 10 * 60 : 1440
        openEnd = true
    }
}
