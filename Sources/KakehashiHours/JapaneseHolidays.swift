/// Japanese public holidays under the 国民の祝日に関する法律 (1948) across its amendments: fixed days,
/// Happy Monday days (2000, 2003), the equinox days, 振替休日 (from 1973-04-12; extended in 2007 to
/// the next non-holiday), 国民の休日 (from 1985-12-27), and the one-off and moved days of 1959, 1989,
/// 1990, 1993, 2019, 2020 and 2021.
///
/// Equinox days follow the approximation the 国立天文台 uses for planning (valid 1900–2099); the
/// authoritative dates are announced each February for the next year. 年末年始 is not a holiday.
public enum JapaneseHolidays {
    public struct Holiday: Sendable, Hashable, Comparable {
        public let date: CivilDate
        public let name: String

        public static func < (a: Holiday, b: Holiday) -> Bool { a.date < b.date }
    }

    /// Years this calendar is checked for.
    public static let supportedYears = 1955...2099

    /// The holidays of a year, in date order.
    public static func holidays(in year: Int) -> [Holiday] {
        var fixed = statutory(year)
        var days = Set(fixed.map(\.date))
        // 振替休日: a holiday on a Sunday moves to the next day that is not a holiday (2007 rule) or
        // to the Monday when that is not one (1973 rule).
        let substituteStart = CivilDate(year: 1973, month: 4, day: 12)
        for h in fixed.sorted() where h.date.weekday == .sunday && h.date >= substituteStart {
            var d = h.date.adding(days: 1)
            if year >= 2007 {
                while days.contains(d) { d = d.adding(days: 1) }
            } else if days.contains(d) {
                continue
            }
            if d.year == year {
                fixed.append(Holiday(date: d, name: "振替休日"))
                days.insert(d)
            }
        }
        // 国民の休日: a day between two 国民の祝日 that is neither a holiday nor a Sunday.
        if year >= 1986 {
            let national = Set(statutory(year).map(\.date))
            for date in national {
                let d = date.adding(days: 1)
                if !days.contains(d), d.weekday != .sunday, national.contains(d.adding(days: 1)) {
                    fixed.append(Holiday(date: d, name: "国民の休日"))
                    days.insert(d)
                }
            }
        }
        return fixed.sorted()
    }

    /// Whether a date is a public holiday (振替休日 and 国民の休日 included).
    public static func isHoliday(_ date: CivilDate) -> Bool {
        table.contains(date.dayNumber)
    }

    /// Day numbers of every holiday of the supported years, computed once.
    static let table: Set<Int> = {
        var s = Set<Int>()
        for y in supportedYears.lowerBound - 1...supportedYears.upperBound + 1 {
            for h in holidays(in: y) { s.insert(h.date.dayNumber) }
        }
        return s
    }()

    /// The 国民の祝日 named by the law (and the special laws) for a year, without 振替休日 or 国民の休日.
    static func statutory(_ year: Int) -> [Holiday] {
        var list: [Holiday] = []
        func add(_ month: Int, _ day: Int, _ name: String) {
            list.append(Holiday(date: CivilDate(year: year, month: month, day: day), name: name))
        }
        func nthMonday(_ month: Int, _ n: Int) -> Int {
            let first = CivilDate(year: year, month: month, day: 1)
            let offset = (7 - first.weekday.rawValue) % 7  // days to the first Monday
            return 1 + offset + (n - 1) * 7
        }
        guard year >= 1949 else { return [] }
        add(1, 1, "元日")
        if year < 2000 { add(1, 15, "成人の日") } else { add(1, nthMonday(1, 2), "成人の日") }
        if year >= 1967 { add(2, 11, "建国記念の日") }
        if year >= 2020 { add(2, 23, "天皇誕生日") }
        add(3, vernalEquinox(year), "春分の日")
        switch year {
        case ..<1989: add(4, 29, "天皇誕生日")
        case 1989...2006: add(4, 29, "みどりの日")
        default: add(4, 29, "昭和の日")
        }
        add(5, 3, "憲法記念日")
        if year >= 2007 { add(5, 4, "みどりの日") }
        add(5, 5, "こどもの日")
        switch year {
        case 1996...2002: add(7, 20, "海の日")
        case 2020: add(7, 23, "海の日")
        case 2021: add(7, 22, "海の日")
        case 2003...: add(7, nthMonday(7, 3), "海の日")
        default: break
        }
        switch year {
        case 2020: add(8, 10, "山の日")
        case 2021: add(8, 8, "山の日")
        case 2016...: add(8, 11, "山の日")
        default: break
        }
        switch year {
        case 1966...2002: add(9, 15, "敬老の日")
        case 2003...: add(9, nthMonday(9, 3), "敬老の日")
        default: break
        }
        add(9, autumnalEquinox(year), "秋分の日")
        switch year {
        case 1966...1999: add(10, 10, "体育の日")
        case 2000...2019: add(10, nthMonday(10, 2), "体育の日")
        case 2020: add(7, 24, "スポーツの日")
        case 2021: add(7, 23, "スポーツの日")
        case 2022...: add(10, nthMonday(10, 2), "スポーツの日")
        default: break
        }
        add(11, 3, "文化の日")
        add(11, 23, "勤労感謝の日")
        if (1989...2018).contains(year) { add(12, 23, "天皇誕生日") }
        // Days fixed by special laws.
        switch year {
        case 1959: add(4, 10, "皇太子明仁親王の結婚の儀")
        case 1989: add(2, 24, "昭和天皇の大喪の礼")
        case 1990: add(11, 12, "即位礼正殿の儀")
        case 1993: add(6, 9, "皇太子徳仁親王の結婚の儀")
        case 2019:
            add(5, 1, "天皇の即位の日")
            add(10, 22, "即位礼正殿の儀")
        default: break
        }
        return list
    }

    /// 春分日 (day of March).
    static func vernalEquinox(_ year: Int) -> Int {
        let y = Double(year - 1980)
        if year <= 1979 { return Int(20.8357 + 0.242194 * y) - (year - 1983) / 4 }
        return Int(20.8431 + 0.242194 * y) - (year - 1980) / 4
    }

    /// 秋分日 (day of September).
    static func autumnalEquinox(_ year: Int) -> Int {
        let y = Double(year - 1980)
        if year <= 1979 { return Int(23.2588 + 0.242194 * y) - (year - 1983) / 4 }
        return Int(23.2488 + 0.242194 * y) - (year - 1980) / 4
    }
}
