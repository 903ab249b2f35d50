/// Recursive-descent parser for the supported part of the `opening_hours` grammar.
struct OpeningHoursParser {
    /// UTF-8 bytes: the grammar is ASCII outside comments, and bytes compare without allocating.
    let chars: [UInt8]
    var i = 0
    /// What the text says that the reference accepts but warns about, found while reading.
    var notes: [OpeningHoursWarning] = []
    /// The weekday names of the rule group being read, for ``closeNameGroup()``.
    var nameGroup = NameGroup()

    struct NameGroup {
        var english = 0, japanese = 0
        /// Where the first Japanese name starts (counts, not a list: the parser is copied at every probe).
        var firstJapanese = 0
    }

    init(_ text: String) { chars = Self.spacesFolded(text) }

    /// The text's bytes with every space the reference skips (JavaScript's `\s`: tabs, line breaks,
    /// the no-break space, the full-width space of Japanese input, …) made a plain space, except
    /// inside comments, which are kept as written. One character for one, so positions in messages
    /// stay right (but for a CRLF, one character in Swift and two spaces here).
    static func spacesFolded(_ text: String) -> [UInt8] {
        // Most values are ASCII without tabs or line breaks: nothing to fold.
        if !text.utf8.contains(where: { $0 >= 0x80 || ($0 >= 0x09 && $0 <= 0x0D) }) { return Array(text.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        // The quote that opened the comment being read: only `"` ends a `"` comment, any quote another.
        var opener: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if let o = opener {
                if scalar == "\"" || (o != "\"" && closingQuoteScalars.contains(scalar.value)) { opener = nil }
            } else if scalar == "\"" || openingQuoteScalars.contains(scalar.value) {
                opener = scalar
            }
            if opener == nil, javaScriptSpaces.contains(scalar.value) {
                bytes.append(0x20)
            } else {
                UTF8.encode(scalar) { bytes.append($0) }
            }
        }
        return bytes
    }

    /// JavaScript's `\s` (ECMA-262 WhiteSpace and LineTerminator), which the reference's reader skips.
    static let javaScriptSpaces = Set<UInt32>([0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF])
        .union(0x2000...0x200A)

    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"].map { Array($0.utf8) }
    static let days = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"].map { Array($0.utf8) }
    static let unsupported = ["sunrise", "sunset", "dawn", "dusk", "SH"]

    mutating func parse() throws(OpeningHoursError) -> [Rule] {
        var rules: [Rule] = []
        var join = Rule.Join.normal, comma = false
        // Rules added with "," after a "||" are fallback rules too, up to the next ";", as the
        // reference reads them (`A || B, C` is `A || B || C`).
        var afterFallback = false
        skipSpaces()
        if atEnd { throw fail("規則（曜日・時刻・24/7 など）") }
        while true {
            ruleIndex = rules.count
            var rule = try parseRule()
            (rule.join, rule.addedWithComma) = (join, comma)
            rules.append(rule)
            skipSpaces()
            if atEnd { try closeNameGroup(); break }
            if take("||") {
                (join, comma, afterFallback) = (.fallback, false, true)
            } else if take(";") {
                (join, comma, afterFallback) = (.normal, false, false)
            } else if take(",") {
                (join, comma) = (afterFallback ? .fallback : .additional, true)
            } else {
                throw fail("規則の区切り（; , ||）")
            }
            if !comma { try closeNameGroup() }
            let separatorAt = i - 1
            skipSpaces()
            // A trailing ";" is tolerated, as many real values end with one (with the reference's warning).
            if atEnd && join == .normal {
                notes.append(OpeningHoursWarning(.emptyRule, rule: rules.count))
                break
            }
            if comma && rule.endsWithAlways {  // "24/7, Mo off", "Mo 24/7,": refused by the reference
                throw fail("; （24/7 の後の , は規則の区切りになりません）", at: separatorAt)
            }
            if atEnd && comma {  // "10:00-12:00,": the reference reads it, with a warning ("Mo," without one)
                if !rule.endsWithSelector { notes.append(OpeningHoursWarning(.trailingComma, rule: nil)) }
                try closeNameGroup()
                break
            }
            // After days or dates alone a "," can only continue their list, as for the reference:
            // `Mo-Fr, 09:00-18:00` and `Dec 25, Mo 10:00-12:00` are refused, not read as added rules.
            if comma && rule.endsWithSelector {
                throw fail("; （曜日や日付だけの規則の後の , は規則の区切りになりません）", at: separatorAt)
            }
        }
        return rules
    }

    // MARK: Rule

    private mutating func parseRule() throws(OpeningHoursError) -> Rule {
        var rule = Rule()
        skipSpaces()
        if take("24/7") {
            rule.times = [TimeSpan(start: 0, end: 1440)]
            rule.writtenAlways = true
        } else {
            try parseWide(&rule)
            skipSpaces()
            if takeColon() { skipSpaces() }  // the optional colon after wide-range selectors
            try parseSmall(&rule)
        }
        skipSpaces()
        try parseModifier(&rule)
        if rule.comment != nil && !hadModifier {
            // A comment without `open` says nothing certain (`Mo 10:00-16:00 "要電話"` is unknown),
            // as the reference reads it.
            rule.state = .unknown
        }
        let emptySelectors = rule.everyDay && rule.times.isEmpty
        if emptySelectors && !hadModifier && rule.comment == nil {
            throw fail("曜日・日付・時刻のいずれか")
        }
        return rule
    }

    private var hadModifier = false
    var ruleIndex = 0

    private mutating func parseModifier(_ rule: inout Rule) throws(OpeningHoursError) {
        hadModifier = false
        for (word, state) in [("open", OpeningState.open), ("closed", .closed), ("off", .closed), ("unknown", .unknown)] where peekWord(word) {
            i += word.count
            rule.state = state
            rule.writtenState = state
            hadModifier = true
            break
        }
        skipSpaces()
        if let open = quote(at: i) {
            let at = i
            i += open.utf8.count
            let begin = i
            // A `"` comment runs to the next `"`; one opened by another quote, or without a closing
            // `"`, to the next closing quote, without `;` or `|` before it, as the reference reads them.
            let straightEnd = open == "\"" ? chars[begin...].firstIndex(of: 0x22) : nil
            while i < chars.count, straightEnd.map({ i < $0 }) ?? (quote(at: i, closing: true) == nil) {
                if straightEnd == nil, chars[i] == 0x3B || chars[i] == 0x7C { throw fail("注記を閉じる \"", at: at) }
                i += 1
            }
            guard let close = quote(at: i, closing: true) else { throw fail("注記を閉じる \"", at: at) }
            rule.comment = String(decoding: chars[begin..<i], as: UTF8.self)
            i += close.utf8.count
            for q in [open, close] where q != "\"" { notes.append(OpeningHoursWarning(.quoteNotation, rule: ruleIndex, detail: q)) }
        }
    }

    // MARK: Wide-range selectors: years, months and dates, weeks

    private mutating func parseWide(_ rule: inout Rule) throws(OpeningHoursError) {
        // Year range, unless the year starts a dated month-day range ("2026 Aug 13-16").
        if let _ = peekNumber(digits: 4), !yearStartsMonthDay() {
            rule.years = try parseYears()
            skipSpaces()
        }
        if peekMonth() != nil || peekWord("easter") || (peekNumber(digits: 4) != nil && yearStartsMonthDay()) {
            rule.monthDays = try parseMonthDays()
            skipSpaces()
            // "Jan 11-Jan 11: week 02: 00:00-24:00": a colon between wide selectors.
            var probe = self
            if probe.takeColon() {
                probe.skipSpaces()
                if probe.peekWord("week") { self = probe; notes.append(OpeningHoursWarning(.misplacedColon, rule: ruleIndex)) }
            }
        }
        if peekWord("week") {
            i += 4
            skipSpaces()
            rule.weeks = try parseStepRanges(range: 1...53, what: "週番号（1〜53）")
            while takeCommaBefore({ $0.peekWord("week") }) {  // "week 01,week 03"
                i += 4
                skipSpaces()
                rule.weeks += try parseStepRanges(range: 1...53, what: "週番号（1〜53）")
            }
            skipSpaces()
        }
    }

    // MARK: Small-range selectors: weekdays, holidays, times

    private mutating func parseSmall(_ rule: inout Rule) throws(OpeningHoursError) {
        if peekDay() != nil || peekWord("PH") {
            repeat {
                if peekWord("PH") {
                    i += 2
                    rule.holidays = true
                    if peek == "[" || peekSpacePlus() { throw fail("PH の後の区切り（PH のずらし指定には未対応）") }
                    continue
                }
                guard let start = takeDay() else { throw fail("曜日（Mo〜Su）") }
                var range = WeekdayRange(start: start, end: start)
                let ranged = takeRangeDash(before: { $0.peekDay() != nil })
                if ranged {
                    guard let end = takeDay() else { throw fail("終わりの曜日") }
                    range.end = end
                }
                if peek == "[" && ranged { throw fail("一つの曜日の [n]（Mo-Fr[1] のような範囲の [n] は参照実装も読みません）") }
                if take("[") {
                    repeat {
                        let at = i
                        let negative = take("-")
                        guard let n = takeNumber(), (1...5).contains(n) else { throw fail("第何週か（1〜5 または -1〜-5）", at: at) }
                        if take("-") {
                            guard !negative, let m = takeNumber(), (n...5).contains(m) else { throw fail("第何週かの範囲") }
                            range.nth += Array(n...m)
                        } else {
                            range.nth.append(negative ? -n : n)
                        }
                    } while take(",")
                    guard take("]") else { throw fail("]") }
                    range.offset = try parseDayOffset()
                }
                rule.weekdays.append(range)
            } while takeCommaBefore { $0.peekDay() != nil || $0.peekWord("PH") }
            if peekWord("SH") { throw fail("対応している曜日・祝日（学校休暇 SH には未対応）") }
            skipSpaces()
            if takeColon() {  // "Mo,We: open", as the reference accepts it, with a warning
                skipSpaces()
                notes.append(OpeningHoursWarning(.misplacedColon, rule: ruleIndex))
            }
        }
        if peekWord("SH") { throw fail("対応している曜日・祝日（学校休暇 SH には未対応）") }
        if let word = Self.unsupported.first(where: { peekWord($0) }) {
            throw fail("時刻（\(word) などの変動する時刻には未対応）")
        }
        if peek == "(" { throw fail("時刻（変動する時刻には未対応）") }
        if take("24/7") {
            rule.times = [TimeSpan(start: 0, end: 1440)]
            rule.writtenAlways = true
        } else if peekNumber() != nil {
            repeat {
                rule.times += try parseTimeSpans()
            } while takeCommaBefore { $0.peekNumber() != nil && $0.looksLikeTime() }
        }
    }

    /// ` +3 days`, ` -1 day` after an nth weekday: the day that many days from it (up to 6, as the
    /// reference allows). Anything else after the `]` is left alone: 0.
    mutating func parseDayOffset(max: Int = 6) throws(OpeningHoursError) -> Int {
        var probe = self
        probe.skipSpaces()
        let sign = probe.take("+") ? 1 : probe.take("-") ? -1 : 0
        guard sign != 0, let n = probe.peekNumber() else { return 0 }
        let at = probe.i
        _ = probe.takeNumber()
        probe.skipSpaces()
        guard probe.peekWord("days") || probe.peekWord("day") else { return 0 }
        probe.i += probe.peekWord("days") ? 4 : 3
        guard n <= max else { throw probe.fail("\(max) 日以内のずらし", at: at) }
        self = probe
        return sign * n
    }

    func looksLikeTimeStrict() -> Bool {
        var j = i
        while j < chars.count, Self.isDigit(chars[j]) { j += 1 }
        return isClockColon(at: j)  // "03: 00:00" is a week and a colon
    }

    private mutating func parseStepRanges(range: ClosedRange<Int>, what: String) throws(OpeningHoursError) -> [StepRange] {
        var list: [StepRange] = []
        repeat {
            guard let a = takeNumber(), range.contains(a) else { throw fail(what) }
            var r = StepRange(start: a, end: a)
            if takeRangeDash(before: { $0.peekNumber() != nil && !$0.looksLikeTimeStrict() }) {
                guard let b = takeNumber(), range.contains(b), b >= a else { throw fail(what) }
                r.end = b
                if take("/") {
                    // Every 2nd to 26th week, as the reference allows (`/1` is the range, past 26 once a year).
                    guard let s = takeNumber(), (2...26).contains(s) else { throw fail("週の間隔（2〜26）") }
                    r.step = s
                }
            }
            list.append(r)
        } while takeCommaBefore { $0.peekNumber() != nil && !$0.looksLikeTimeStrict() }
        return list
    }

    /// Positions are reported in characters, as people count them.
    func fail(_ expected: String, at position: Int? = nil) -> OpeningHoursError {
        let p = min(position ?? i, chars.count)
        let before = String(decoding: chars[..<p], as: UTF8.self)
        let rest = String(decoding: chars[p...], as: UTF8.self)
        return OpeningHoursError(position: before.count, expected: expected, found: String(rest.prefix(12)))
    }
}
