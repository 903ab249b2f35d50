/// The wide-range selectors of ``OpeningHoursParser``: years, months and days, calculated days
/// (`Jan Su[-1]`, `easter`), in a file of their own.
extension OpeningHoursParser {
    func yearStartsMonthDay() -> Bool {
        var j = i + 4
        while j < chars.count, chars[j] == 0x20 { j += 1 }
        return Self.months.contains { matchesInAnyCase($0, at: j) } || matchesInAnyCase("easter".utf8, at: j)
    }

    mutating func parseYears() throws(OpeningHoursError) -> [YearRange] {
        var list: [YearRange] = []
        repeat {
            guard let start = takeNumber(digits: 4) else { throw fail("年（4 桁）") }
            var range = YearRange(start: start, end: start)
            if take("/") {
                // "2055/2": every second year from 2055.
                guard let step = takeNumber(), step > 0 else { throw fail("年の間隔") }
                (range.end, range.step) = (Int.max, step)
            } else if take("+") {
                range.end = Int.max
            } else if takeRangeDash(before: { $0.peekNumber(digits: 4) != nil }) {
                guard let end = takeNumber(digits: 4), end >= start else { throw fail("終わりの年（4 桁、始まり以後）") }
                range.end = end
                if take("/") {
                    guard let step = takeNumber(), step > 0 else { throw fail("年の間隔") }
                    range.step = step
                }
            }
            list.append(range)
        } while takeCommaBefore { $0.peekNumber(digits: 4) != nil }  // "2026,2029 Dec": both years, then the month
        return list
    }

    mutating func parseMonthDays() throws(OpeningHoursError) -> [DateSelector] {
        var list: [DateSelector] = []
        var bareMonths = false  // the last item is months without days: easter cannot follow ("Nov,easter")
        repeat {
            bareMonths = false
            let itemAt = i
            var startYear: Int?
            if peekNumber(digits: 4) != nil { startYear = takeNumber(digits: 4); skipSpaces() }
            if let calculated = try parseCalculatedRange(startYear: startYear, at: itemAt) {
                list.append(.calculated(calculated))
                continue
            }
            guard let startMonth = takeMonth() else { throw fail("月（Jan〜Dec）または easter") }
            var startDay = 0
            var dayAt = i
            if peek == " ", let d = peekDayAfterSpace() { skipSpaces(); dayAt = i; _ = takeNumber(); startDay = d }
            var range = MonthDayRange(startYear: startYear, startMonth: startMonth, startDay: startDay,
                                      endYear: nil, endMonth: startMonth, endDay: startDay)
            if startDay != 0, !(1...CivilDate.daysIn(month: startMonth, year: 2024)).contains(startDay) { throw fail("その月にある日", at: dayAt) }
            if takeRangeDash(before: { $0.peekMonth() != nil || $0.peekWord("easter") || ($0.peekNumber() != nil && !$0.looksLikeTimeStrict()) }) {
                // "Jan 20-Jan Su[-1]", "Dec 25-easter": a calculated end.
                if startDay != 0, let end = try parseCalculatedEnd(startYear: startYear, at: itemAt) {
                    list.append(.calculated(CalculatedRange(startYear: startYear, start: YearDay(anchor: .date(month: startMonth, day: startDay)),
                                                            endYear: end.year, end: end.day)))
                    continue
                }
                if peekNumber(digits: 4) != nil && !isDayNumberAhead() {
                    range.endYear = takeNumber(digits: 4)
                    skipSpaces()
                }
                let endAt = i
                if let m = takeMonth() {
                    // Years as the reference takes them: on both ends of a range of days or on
                    // neither ("2026 Dec 07-Dec 09" and "Dec 08-2027 Jan 05" are refused), and before a
                    // range of months only once ("2026 Nov-Dec", not "2026 Dec-2027 Jan").
                    if startDay != 0 ? (startYear == nil) != (range.endYear == nil) : range.endYear != nil {
                        throw fail(startDay != 0 ? "範囲の両端に年（または両端とも年なし）" : "月の範囲の前に一つだけの年（2026 Nov-Dec）", at: endAt)
                    }
                    range.endMonth = m
                    if startDay != 0 {
                        skipSpaces()
                        guard let d = takeNumber(), (1...31).contains(d) else { throw fail("日（1〜31）") }
                        range.endDay = d
                    } else {
                        range.endDay = 0
                    }
                } else if startDay != 0, range.endYear == nil, !looksLikeTimeStrict(), let d = takeNumber(), (1...31).contains(d) {
                    // "Aug 13-16": same month ("Dec 20-24:00+" is refused, as by the reference, and so is
                    // "Dec 08-1", a range in the wrong order, not one across the year end).
                    guard d >= startDay else { throw fail("始まりの日以後の終わりの日", at: endAt) }
                    range.endDay = d
                } else {
                    throw fail("終わりの月または日")
                }
            }
            try parseDayStep(&range)
            list.append(.fixed(range))
            bareMonths = range.startDay == 0
            // More days of the range's last month: "Dec 24,25", "Dec 11,15-17,19-23/2".
            while range.endDay != 0, takeCommaBefore({ $0.peekSameMonthDay() }) {
                guard let d = takeNumber(), (1...CivilDate.daysIn(month: range.endMonth, year: 2024)).contains(d) else { throw fail("日（1〜31）") }
                var more = MonthDayRange(startYear: range.endYear ?? range.startYear, startMonth: range.endMonth, startDay: d,
                                         endYear: nil, endMonth: range.endMonth, endDay: d)
                if takeRangeDash(before: { $0.peekNumber() != nil && !$0.looksLikeTimeStrict() }) {
                    guard let e = takeNumber(), e >= d, e <= 31 else { throw fail("終わりの日") }
                    more.endDay = e
                }
                try parseDayStep(&more)
                list.append(.fixed(more))
                range = more
            }
        } while takeCommaBefore { ($0.peekMonth() != nil && (bareMonths || !$0.monthStartsNthWeekday())) || ($0.peekWord("easter") && !bareMonths)
            || ($0.peekNumber(digits: 4) != nil && $0.yearStartsMonthDay()) }
        return list
    }

    /// `Jul Tu[1]` after a dated item's comma, unless it starts a range (`Feb Su[-2]-Feb Su[-1]`): the
    /// reference takes it for a second month selector (`Dec 08,Jul Tu[1]` is Dec 08 and July at
    /// once, never), so it is not read as the list's. After months alone it is (`Nov,Dec Tu[2]`).
    func monthStartsNthWeekday() -> Bool {
        var probe = self
        guard probe.takeMonth() != nil else { return false }
        probe.skipSpaces()
        guard let name = probe.peekDayName(), probe.i + name.length < chars.count, chars[probe.i + name.length] == 0x5B else { return false }
        var range = self
        return (try? range.parseCalculatedRange(startYear: nil, at: i)) == nil
    }

    /// A range that starts on a calculated day (`easter`, `Jan Su[1] +2 days`) and whatever day ends
    /// it, or easter alone. nil, the cursor left alone, for anything else — `Jan Su[1]` without a
    /// range is the month and a weekday selector, as the reference reads it.
    mutating func parseCalculatedRange(startYear: Int?, at itemAt: Int) throws(OpeningHoursError) -> CalculatedRange? {
        let before = self
        guard let start = try parseYearDay(calculatedOnly: true, maxEasterDays: 200) else { return nil }
        guard takeRangeDash(before: { $0.peekMonth() != nil || $0.peekWord("easter") || $0.peekNumber(digits: 4) != nil }) else {
            if start.anchor == .easter { return CalculatedRange(startYear: startYear, start: start, endYear: nil, end: nil) }
            self = before
            return nil
        }
        let endAt = i
        var endYear: Int?
        if peekNumber(digits: 4) != nil { endYear = takeNumber(digits: 4); skipSpaces() }
        guard let end = try parseYearDay(calculatedOnly: false, maxEasterDays: 366) else { throw fail("終わりの日（Mon DD、Mon Su[n]、easter）", at: endAt) }
        guard (startYear == nil) == (endYear == nil) else { throw fail("範囲の両端に年（または両端とも年なし）", at: itemAt) }
        return CalculatedRange(startYear: startYear, start: start, endYear: endYear, end: end)
    }

    /// After a fixed date's `-`: a calculated end (`Jan Su[-1]`, `easter +1 day`), else nil with
    /// the cursor left alone.
    mutating func parseCalculatedEnd(startYear: Int?, at itemAt: Int) throws(OpeningHoursError) -> (year: Int?, day: YearDay)? {
        let before = self
        var endYear: Int?
        if peekNumber(digits: 4) != nil, !isDayNumberAhead() { endYear = takeNumber(digits: 4); skipSpaces() }
        guard let end = try parseYearDay(calculatedOnly: true, maxEasterDays: 366) else { self = before; return nil }
        guard (startYear == nil) == (endYear == nil) else { throw fail("範囲の両端に年（または両端とも年なし）", at: itemAt) }
        return (endYear, end)
    }

    /// `easter [±N days]`, `Mon Wd[n] [±N days]` or (unless `calculatedOnly`) `Mon DD`; nil, the
    /// cursor left alone, when none of them is here.
    mutating func parseYearDay(calculatedOnly: Bool, maxEasterDays: Int) throws(OpeningHoursError) -> YearDay? {
        if peekWord("easter") {
            i += 6
            return YearDay(anchor: .easter, days: try parseDayOffset(max: maxEasterDays))
        }
        let before = self
        guard let month = takeMonth() else { return nil }
        skipSpaces()
        if let name = peekDayName(), i + name.length < chars.count, chars[i + name.length] == 0x5B, let weekday = takeDay() {
            i += 1
            let at = i
            let negative = take("-")
            guard let n = takeNumber(), (1...5).contains(n), take("]") else { throw fail("第何週か（[1]〜[5] または [-1]〜[-5]）", at: at) }
            return YearDay(anchor: .weekday(month: month, weekday, nth: negative ? -n : n), days: try parseDayOffset())
        }
        if !calculatedOnly, let d = takeNumber(), (1...31).contains(d) {
            return YearDay(anchor: .date(month: month, day: d))
        }
        self = before
        return nil
    }

    /// "Dec 25": a 1–2 digit day after one space, not the start of a time ("Dec 10:00").
    func peekDayAfterSpace() -> Int? {
        var j = i
        while j < chars.count, chars[j] == 0x20 { j += 1 }
        var value = 0, count = 0
        // Only the count matters past two digits: "Dec 9999…" must not overflow (found by fuzzing).
        while j < chars.count, Self.isDigit(chars[j]) {
            if count < 3 { value = value * 10 + Int(chars[j] - 0x30) }
            count += 1; j += 1
        }
        // "Dec 10:00" is a time; "Jan 02: 18:00-22:00" is a day and the wide selectors' colon.
        let time = isClockColon(at: j)
        guard (1...2).contains(count), !time else { return nil }
        return value
    }

    /// After a date's ",": another day of the same month ("Dec 24,25", "Dec 11,15-17").
    func peekSameMonthDay() -> Bool {
        guard peekNumber() != nil, isDayNumberAhead() else { return false }
        var j = i
        while j < chars.count, Self.isDigit(chars[j]) { j += 1 }
        return !isClockColon(at: j)
    }

    /// `/8` after a range of days of one month: every eighth day from its first.
    mutating func parseDayStep(_ range: inout MonthDayRange) throws(OpeningHoursError) {
        guard take("/") else { return }
        guard range.startDay != 0, range.startMonth == range.endMonth, range.endDay >= range.startDay, range.endYear == nil,
              let step = takeNumber(), step > 0 else { throw fail("同じ月の日の範囲と間隔（Jan 01-31/8）") }
        range.step = step
    }

    func isDayNumberAhead() -> Bool {
        var j = i
        var n = 0
        while j < chars.count, Self.isDigit(chars[j]) { n += 1; j += 1 }
        return n <= 2
    }
}
