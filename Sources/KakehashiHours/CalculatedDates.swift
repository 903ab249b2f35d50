/// A day of the year as a date selector names it — a fixed date, the nth weekday of a month, or
/// easter — moved by a number of days (`Jan Su[1] +2 days`, `easter -2 days`).
struct YearDay: Sendable, Equatable {
    enum Anchor: Sendable, Equatable {
        case date(month: Int, day: Int)
        /// `nth` 1…5, or -1…-5 from the month's end.
        case weekday(month: Int, Weekday, nth: Int)
        case easter
    }

    var anchor: Anchor
    var days = 0

    /// Its day number in a year. Like the reference, a day past the month's end runs on
    /// (`Feb 29` of a common year is 1 March; `Su[5]` may fall in the next month).
    func dayNumber(in year: Int) -> Int {
        let base: Int
        switch anchor {
        case .date(let month, let day):
            base = CivilDate(year: year, month: month, day: 1).dayNumber + day - 1
        case .weekday(let month, let weekday, let nth):
            // From the first of the month (or of the next, counting back), to the weekday, then weeks.
            let first = nth > 0 ? CivilDate(year: year, month: month, day: 1).dayNumber
                                : CivilDate(year: month == 12 ? year + 1 : year, month: month % 12 + 1, day: 1).dayNumber
            let toWeekday = (weekday.rawValue - CivilDate.weekdayIndex(first) + 7) % 7
            base = first + toWeekday + (nth > 0 ? nth - 1 : nth) * 7
        case .easter:
            base = Self.easter(year).dayNumber
        }
        return base + days
    }

    /// Easter Sunday (Gregorian), by the anonymous algorithm the reference also uses.
    static func easter(_ y: Int) -> CivilDate {
        let a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4
        let f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30
        let i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7
        let m = (a + 11 * h + 22 * l) / 451
        let month = (h + l - 7 * m + 114) / 31, day = (h + l - 7 * m + 114) % 31 + 1
        return CivilDate(year: y, month: month, day: day)
    }
}

/// A range of days with a calculated end (`Jan 20-Jan Su[-1]`, `Dec 25-easter`,
/// `Mar Su[-1]-Oct Su[-1] -1 day`), or easter alone, read as the reference reads it: both ends in
/// the year of the day asked (or the years written, on both sides or neither); an end before the
/// start makes the range wrap the year end. An easter end is exclusive, as in the reference.
struct CalculatedRange: Sendable {
    var startYear: Int?
    var start: YearDay
    var endYear: Int?
    /// nil: the start day alone.
    var end: YearDay?

    func contains(_ d: CivilDate) -> Bool {
        let n = d.dayNumber
        let from = start.dayNumber(in: startYear ?? d.year)
        guard let end else { return n == from && (startYear == nil || startYear == d.year) }
        let to = end.dayNumber(in: endYear ?? d.year) + (end.anchor == .easter ? 0 : 1)
        return to < from ? !(to <= n && n < from) : (from <= n && n < to)
    }
}

/// What a rule's date selector lists: fixed ranges of months and days, or calculated ranges.
enum DateSelector: Sendable {
    case fixed(MonthDayRange)
    case calculated(CalculatedRange)

    func contains(_ d: CivilDate) -> Bool {
        switch self {
        case .fixed(let r): r.contains(d)
        case .calculated(let r): r.contains(d)
        }
    }
}
