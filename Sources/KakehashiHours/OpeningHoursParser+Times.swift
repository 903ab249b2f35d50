/// Time ranges of ``OpeningHoursParser``, read as the reference reads them: strict `HH:MM-HH:MM`,
/// and the forms it corrects with a warning — hours without minutes (`10-12`), a `.` between hours
/// and minutes, am/pm, and other dashes or words between two times (`12:00–14:00`, `12:00 to 14:00`).
extension OpeningHoursParser {
    /// A clock time as written.
    struct Clock {
        var hour: Int
        var minutes: Int
        var singleDigit: Bool
        var hadMinutes: Bool
        var pm: Bool?
        var total: Int { hour * 60 + minutes }
    }

    /// `HH:MM-HH:MM`, `HH:MM+` or `HH:MM-HH:MM+`. The last is two spans, as the reference makes it:
    /// the open end from the closing time first, then the range.
    mutating func parseTimeSpans() throws(OpeningHoursError) -> [TimeSpan] {
        let at = i
        let first = try parseClock(max: 1440)
        let start = first.total
        // A range or open end starting at 24:00 starts on the next day: refused, as by the reference.
        guard start < 1440 else { throw fail("その日の時刻（24:00 より前）", at: at) }
        if take("+") { return [TimeSpan(openEndFrom: start)] }
        guard takeRangeDash() else { throw fail("時刻の範囲（HH:MM-HH:MM）の -") }
        if peek == "(" { throw fail("終わりの時刻（変動する時刻には未対応）") }
        let close = i
        let second = try parseClock(max: 2880)
        guard first.hadMinutes == second.hadMinutes else { throw fail("時刻（HH:MM）", at: first.hadMinutes ? close : at) }
        warnAmbiguousHours(first, second)
        let written = second.total
        if !first.hadMinutes {
            notes.append(OpeningHoursWarning(.timeWithoutMinutes, rule: ruleIndex, detail: "\(Self.two(first.hour)):00-\(Self.two(second.hour)):00"))
        }
        let openEnd = take("+")
        if peek == "/" { throw fail("区切り（周期的な時刻 /HH:MM には未対応）") }
        // Hours without minutes, as the reference: equal ends are an empty range, not a whole day.
        let end = written < start || (written == start && first.hadMinutes) ? written + 1440 : written  // past midnight
        guard end - start <= 1440 * 2 else { throw fail("48 時間以内の時刻範囲") }
        let range = TimeSpan(start: start, end: end)
        guard openEnd else { return [range] }
        let after = TimeSpan(openEndFrom: written < start ? written + 1440 : written)
        guard after.end <= 2880 else { throw fail("翌日中に終わる時刻（推定の終わりが 2 回目の午前 0 時を越えます）", at: close) }
        return [after, range]
    }

    /// `HH:MM`, or what the reference corrects: `HH.MM`, `HH` (in a range of such), `10am`, `1:30 p.m.`.
    mutating func parseClock(max: Int) throws(OpeningHoursError) -> Clock {
        if let word = Self.unsupported.first(where: { peekWord($0) }) { throw fail("時刻（\(word) などの変動する時刻には未対応）") }
        if peek == "(" { throw fail("時刻（変動する時刻には未対応）") }
        let at = i
        guard let h = takeNumber(), i - at <= 2 else { throw fail("時刻（HH:MM）", at: at) }
        var clock = Clock(hour: h, minutes: 0, singleDigit: i - at == 1, hadMinutes: false)
        if takeColon() {
            guard let m = takeNumber(digits: 2), m < 60 else { throw fail("時刻（HH:MM）", at: at) }
            (clock.minutes, clock.hadMinutes) = (m, true)
        } else if peek == ".", i + 2 < chars.count, Self.isDigit(chars[i + 1]), Self.isDigit(chars[i + 2]) {
            i += 1
            guard let m = takeNumber(digits: 2), m < 60 else { throw fail("時刻（HH:MM）", at: at) }
            (clock.minutes, clock.hadMinutes) = (m, true)
            notes.append(OpeningHoursWarning(.dotTimeSeparator, rule: ruleIndex))
        }
        var probe = self
        probe.skipSpaces()
        if let pm = probe.takeMeridian() {
            guard (1...12).contains(clock.hour) else { throw fail("12 時間表記の時刻（1〜12）", at: at) }
            self = probe
            clock.hour = clock.hour % 12 + (pm ? 12 : 0)
            clock.pm = pm
            notes.append(OpeningHoursWarning(.twelveHourClock, rule: ruleIndex))
        }
        guard clock.total <= max else { throw fail("\(max / 60):00 までの時刻", at: at) }
        return clock
    }

    /// `am`, `a.m.`, `pm`, `p.m.`: true for pm.
    mutating func takeMeridian() -> Bool? {
        guard i < chars.count, chars[i] | 0x20 == 0x61 || chars[i] | 0x20 == 0x70 else { return nil }  // a or p: most clocks stop here
        for (word, pm) in [("a.m.", false), ("p.m.", true), ("am", false), ("pm", true)] where word.hasSuffix(".") ? matchesInAnyCase(word.utf8, at: i) : peekWord(word) {
            i += word.utf8.count
            return pm
        }
        return nil
    }

    /// The `-` of a range, or what the reference takes for it (other dashes, `to`, …) with its
    /// warning. Spaces around it do not matter (`09:00 - 18:00`, `09:00- 18:00`, `9:00 ～ 18:00`,
    /// `Mo ～ Fr`); after spaces or a word, only what `before` expects (a time) makes it a range.
    mutating func takeRangeDash(before expected: (Self) -> Bool = { $0.peekNumber() != nil }) -> Bool {
        // Most calls find a digit or the end: only `-`, `~`, a letter (`to`) or a non-ASCII dash can be one.
        var j = i
        while j < chars.count, chars[j] == 0x20 || chars[j] == 0x09 { j += 1 }
        guard j < chars.count, chars[j] == 0x2D || chars[j] == 0x7E || chars[j] >= 0x80 || Self.isLetter(chars[j]) else { return false }
        var probe = self
        probe.skipSpaces()
        var needsTime = probe.i > i
        let found: String
        if probe.take("-") {
            found = "-"
        } else if let dash = Self.otherDashes.first(where: { probe.matches($0.utf8, at: probe.i) }) {
            found = dash
        } else if let word = Self.rangeWords.first(where: { probe.peekWord($0) }) {
            (found, needsTime) = (word, true)
        } else {
            return false
        }
        if found != "-" { probe.i += found.utf8.count }
        probe.skipSpaces()
        if needsTime, !expected(probe) { return false }
        self = probe
        if found != "-" { notes.append(OpeningHoursWarning(.rangeNotation, rule: ruleIndex, detail: found)) }
        return true
    }

    static let otherDashes = ["–", "~", "～", "→", "‐", "‑", "‒", "−", "—", "ー"]
    static let rangeWords = ["through", "until", "till", "til", "ate", "às", "ás", "as", "à", "á", "a", "to", "до"]

    /// What the reference warns of a one-digit hour below 12 without am/pm (`22-2`: 2 or 14?).
    mutating func warnAmbiguousHours(_ start: Clock, _ end: Clock) {
        let endAmbiguous = end.singleDigit && end.pm == nil && end.hour < 12
        let startAmbiguous = start.singleDigit && start.pm == nil && start.hour < 12 && (endAmbiguous || end.pm == true)
        if startAmbiguous { notes.append(OpeningHoursWarning(.ambiguousHour, rule: ruleIndex, detail: String(start.hour))) }
        if endAmbiguous { notes.append(OpeningHoursWarning(.ambiguousHour, rule: ruleIndex, detail: String(end.hour))) }
    }

    /// Whether a time follows (after a `,` of a time list), in any form the reference reads.
    func looksLikeTime() -> Bool {
        var probe = self
        guard (try? probe.parseClock(max: 2880)) != nil else { return false }
        return probe.peek == "+" || probe.takeRangeDash()
    }

    static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
