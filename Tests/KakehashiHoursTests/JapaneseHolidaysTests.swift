import Testing
@testable import KakehashiHours

/// Against the Cabinet Office's published list (内閣府「国民の祝日について」).
@Suite struct JapaneseHolidaysTests {
    static let published: [Int: [String]] = [
        2019: ["01-01", "01-14", "02-11", "03-21", "04-29", "04-30", "05-01", "05-02", "05-03", "05-04", "05-05", "05-06",
               "07-15", "08-11", "08-12", "09-16", "09-23", "10-14", "10-22", "11-03", "11-04", "11-23"],
        2020: ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
               "07-23", "07-24", "08-10", "09-21", "09-22", "11-03", "11-23"],
        2021: ["01-01", "01-11", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "07-22", "07-23",
               "08-08", "08-09", "09-20", "09-23", "11-03", "11-23"],
        2022: ["01-01", "01-10", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05", "07-18", "08-11",
               "09-19", "09-23", "10-10", "11-03", "11-23"],
        2023: ["01-01", "01-02", "01-09", "02-11", "02-23", "03-21", "04-29", "05-03", "05-04", "05-05", "07-17",
               "08-11", "09-18", "09-23", "10-09", "11-03", "11-23"],
        2024: ["01-01", "01-08", "02-11", "02-12", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
               "07-15", "08-11", "08-12", "09-16", "09-22", "09-23", "10-14", "11-03", "11-04", "11-23"],
        2025: ["01-01", "01-13", "02-11", "02-23", "02-24", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06",
               "07-21", "08-11", "09-15", "09-23", "10-13", "11-03", "11-23", "11-24"],
        2026: ["01-01", "01-12", "02-11", "02-23", "03-20", "04-29", "05-03", "05-04", "05-05", "05-06", "07-20",
               "08-11", "09-21", "09-22", "09-23", "10-12", "11-03", "11-23"],
        2027: ["01-01", "01-11", "02-11", "02-23", "03-21", "03-22", "04-29", "05-03", "05-04", "05-05", "07-19",
               "08-11", "09-20", "09-23", "10-11", "11-03", "11-23"],
    ]

    @Test(arguments: 2019...2027) func matchesThePublishedList(year: Int) {
        let dates = JapaneseHolidays.holidays(in: year).map { String($0.date.description.dropFirst(5)) }
        #expect(dates == Self.published[year])
    }

    @Test func namesOfMovedAndSpecialDays() {
        func name(_ y: Int, _ m: Int, _ d: Int) -> String? {
            JapaneseHolidays.holidays(in: y).first { $0.date == CivilDate(year: y, month: m, day: d) }?.name
        }
        #expect(name(2026, 9, 22) == "国民の休日")
        #expect(name(2026, 5, 6) == "振替休日")
        #expect(name(2021, 7, 23) == "スポーツの日")
        #expect(name(2019, 5, 1) == "天皇の即位の日")
        #expect(name(1959, 4, 10) == "皇太子明仁親王の結婚の儀")
        #expect(name(1989, 2, 24) == "昭和天皇の大喪の礼")
        #expect(name(1990, 11, 12) == "即位礼正殿の儀")
        #expect(name(1993, 6, 9) == "皇太子徳仁親王の結婚の儀")
        #expect(name(1988, 12, 23) == nil)
        #expect(name(1989, 12, 23) == "天皇誕生日")
        #expect(name(2019, 12, 23) == nil)
    }

    @Test func substituteHolidayRuleChanges() {
        // 1973-04-29 (Sun) gave the first 振替休日; before the law of 1973-04-12 there was none.
        #expect(JapaneseHolidays.isHoliday(CivilDate(year: 1973, month: 4, day: 30)))
        #expect(!JapaneseHolidays.isHoliday(CivilDate(year: 1972, month: 1, day: 17)))  // 1972-01-16 成人の日 was a Sunday
        // Before 2007 only the Monday could substitute: 2006-05-07 (Sun after こどもの日 on Fri) is nothing.
        // 2008-05-06: みどりの日 (May 4) on a Sunday moves past May 5 to May 6 under the 2007 rule.
        #expect(JapaneseHolidays.isHoliday(CivilDate(year: 2008, month: 5, day: 6)))
        // 1997: May 4 was a Sunday, so no 国民の休日 that year (the day was already a Sunday).
        #expect(!JapaneseHolidays.holidays(in: 1997).contains { $0.name == "国民の休日" })
        #expect(JapaneseHolidays.holidays(in: 1998).contains { $0.date == CivilDate(year: 1998, month: 5, day: 4) && $0.name == "振替休日" })
        #expect(JapaneseHolidays.holidays(in: 1999).contains { $0.date == CivilDate(year: 1999, month: 5, day: 4) && $0.name == "国民の休日" })
        // 年末年始 is not a holiday.
        #expect(!JapaneseHolidays.isHoliday(CivilDate(year: 2026, month: 12, day: 31)))
    }

    @Test func equinoxesAcrossTheRange() {
        #expect(JapaneseHolidays.vernalEquinox(1955) == 21)
        #expect(JapaneseHolidays.autumnalEquinox(1955) == 24)
        #expect(JapaneseHolidays.vernalEquinox(2099) == 20)
        #expect(JapaneseHolidays.autumnalEquinox(2099) == 23)
        for y in JapaneseHolidays.supportedYears {
            let count = JapaneseHolidays.holidays(in: y).count
            #expect((9...26).contains(count), "\(y): \(count) holidays")
        }
    }

    @Test func civilDateArithmetic() {
        let d = CivilDate(year: 2026, month: 11, day: 22)
        #expect(CivilDate(dayNumber: d.dayNumber) == d)
        #expect(d.weekday == .sunday)
        #expect(CivilDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(CivilDate(year: 2026, month: 1, day: 1).isoWeek == 1)
        #expect(CivilDate(year: 2027, month: 1, day: 1).isoWeek == 53)
    }
}
