/// A calendar date without a time zone, with its day number (days since 1970-01-01) for fast
/// arithmetic. Proleptic Gregorian, by Howard Hinnant's civil-from-days algorithm.
public struct CivilDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01.
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber n: Int) {
        let z = n + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// Monday = 0 … Sunday = 6, as `opening_hours` orders days.
    public var weekday: Weekday { Weekday(rawValue: Self.weekdayIndex(dayNumber))! }

    static func weekdayIndex(_ dayNumber: Int) -> Int {
        // 1970-01-01 was a Thursday (index 3).
        ((dayNumber % 7) + 7 + 3) % 7
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public func adding(days: Int) -> CivilDate { CivilDate(dayNumber: dayNumber + days) }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    public var description: String {
        let m = month < 10 ? "0\(month)" : "\(month)", d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }

    /// The ISO 8601 week number (1–53) of the date.
    public var isoWeek: Int {
        let n = dayNumber
        let thursday = n - Self.weekdayIndex(n) + 3
        let thursdayYear = CivilDate(dayNumber: thursday).year
        let jan1 = CivilDate(year: thursdayYear, month: 1, day: 1).dayNumber
        return (thursday - jan1) / 7 + 1
    }
}
