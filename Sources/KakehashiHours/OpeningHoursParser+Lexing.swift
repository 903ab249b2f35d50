/// The lexing of ``OpeningHoursParser``: bytes, words, numbers and the comma that continues a list.
/// In a file of its own so that the grammar reads apart from how characters are taken.
extension OpeningHoursParser {
    // MARK: Lexing

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A || b >= 0x80 }

    var atEnd: Bool { i >= chars.count }
    var peek: Unicode.Scalar? { i < chars.count ? Unicode.Scalar(chars[i]) : nil }

    mutating func skipSpaces() { while i < chars.count, chars[i] == 0x20 || chars[i] == 0x09 { i += 1 } }

    func matches<S: Collection>(_ s: S, at j: Int) -> Bool where S.Element == UInt8 {
        j + s.count <= chars.count && chars[j..<j + s.count].elementsEqual(s)
    }

    mutating func take(_ s: StaticString) -> Bool {
        let bytes = UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
        guard matches(bytes, at: i) else { return false }
        i += bytes.count
        return true
    }

    /// A quote that opens (or, `closing`, ends) a comment at `j`: `"`, or one the reference reads as
    /// `"` (with a warning) — the corner brackets of Japanese (`「要予約」`, `『…』`), typographic
    /// quotes, the apostrophe — each on its own side, as it reads them (`「a」`, not `」a「`).
    func quote(at j: Int, closing: Bool = false) -> String? {
        guard j < chars.count else { return nil }
        if chars[j] == 0x22 { return "\"" }
        guard chars[j] >= 0x80 || chars[j] == 0x27 else { return nil }
        return (closing ? Self.closingQuotes : Self.openingQuotes).first { matches($0.utf8, at: j) }
    }

    static let openingQuotes = ["「", "『", "“", "„", "‚", "‘", "’", "«", "'"]
    static let closingQuotes = ["」", "』", "”", "“", "‘", "’", "»", "'"]
    static let openingQuoteScalars = Set(openingQuotes.flatMap { $0.unicodeScalars.map(\.value) })
    static let closingQuoteScalars = Set(closingQuotes.flatMap { $0.unicodeScalars.map(\.value) })

    /// A `:`, or the full-width `：` of Japanese input, which the reference reads as one (with a warning).
    mutating func takeColon() -> Bool {
        if take(":") { return true }
        guard take("：") else { return false }
        notes.append(OpeningHoursWarning(.colonNotation, rule: ruleIndex))
        return true
    }

    /// A clock's colon at `j`, `:` or `：`, with a digit after it ("10:00", not the colon of "Jan 02: 18:00").
    func isClockColon(at j: Int) -> Bool {
        let width = j < chars.count && chars[j] == 0x3A ? 1 : matches("：".utf8, at: j) ? 3 : 0
        return width > 0 && j + width < chars.count && Self.isDigit(chars[j + width])
    }

    /// `s` at `j` with ASCII letters in either case: the reference reads `mo-fr`, `JAN`, `OFF` as
    /// `Mo-Fr`, `Jan`, `off`.
    func matchesInAnyCase<S: Collection>(_ s: S, at j: Int) -> Bool where S.Element == UInt8 {
        guard j + s.count <= chars.count else { return false }
        var k = j
        for b in s {
            let c = chars[k]
            guard c == b || (c | 0x20 == b | 0x20 && (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A) else { return false }
            k += 1
        }
        return true
    }

    /// A word at the cursor in either case, where the word ends (``wordEnds(at:)``).
    func peekWord<S: Collection>(_ w: S) -> Bool where S.Element == UInt8 {
        matchesInAnyCase(w, at: i) && wordEnds(at: i + w.count)
    }

    /// Whether a word ends at `j`, as the reference's reader delimits words: at the end, a space, an
    /// ASCII digit, punctuation, a symbol or a control character — `Mo～Fr`, `Mo：` — but not at
    /// another letter, `月曜` or `Mo月`.
    func wordEnds(at j: Int) -> Bool {
        guard j < chars.count else { return true }
        if chars[j] < 0x80 { return !Self.isLetter(chars[j]) }
        switch scalar(at: j).properties.generalCategory {
        case .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .connectorPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol,
             .control, .format, .surrogate, .privateUse, .unassigned, .spaceSeparator, .lineSeparator, .paragraphSeparator:
            return true
        default:
            return false
        }
    }

    /// The character whose UTF-8 bytes start at `j` (the bytes come from a `String`: well formed).
    func scalar(at j: Int) -> Unicode.Scalar {
        let b = chars[j]
        let count = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
        var value = count == 1 ? UInt32(b) : UInt32(b) & (0x7F >> count)
        for k in 1..<max(1, min(count, chars.count - j)) { value = value << 6 | UInt32(chars[j + k] & 0x3F) }
        return Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    func peekWord(_ w: String) -> Bool { peekWord(w.utf8) }

    func peekSpacePlus() -> Bool {
        var j = i
        while j < chars.count, chars[j] == 0x20 { j += 1 }
        return j < chars.count && (chars[j] == 0x2B || (chars[j] == 0x2D && j + 1 < chars.count && Self.isDigit(chars[j + 1]) && j > i))
    }

    func peekMonth() -> Int? {
        Self.months.firstIndex { peekWord($0) }.map { $0 + 1 }
    }

    mutating func takeMonth() -> Int? {
        guard let m = peekMonth() else { return nil }
        i += 3
        return m
    }

    func peekDay() -> Weekday? { peekDayName()?.day }

    /// A weekday at the cursor and the length of its name: `Mo` … `Su`, or a Japanese name
    /// (``Weekday/init(japaneseName:)``), which must be a whole word, as the reference reads them.
    func peekDayName() -> (day: Weekday, length: Int, japanese: Bool)? {
        if let k = Self.days.firstIndex(where: { peekWord($0) || (matchesInAnyCase($0, at: i) && i + 2 < chars.count && chars[i + 2] == 0x5B) }) {
            return (Weekday.allCases[k], 2, false)
        }
        guard i < chars.count, chars[i] >= 0x80 else { return nil }
        var end = i
        while !wordEnds(at: end) { end += UTF8.width(scalar(at: end)) }
        guard let day = Weekday(japaneseName: String(decoding: chars[i..<end], as: UTF8.self)) else { return nil }
        return (day, end - i, true)
    }

    /// A weekday; a Japanese name is read with the reference's warning and counted for
    /// ``closeNameGroup()``.
    mutating func takeDay() -> Weekday? {
        guard let name = peekDayName() else { return nil }
        if name.japanese {
            notes.append(OpeningHoursWarning(.weekdayName, rule: ruleIndex, detail: String(decoding: chars[i..<i + name.length], as: UTF8.self)))
            if nameGroup.japanese == 0 { nameGroup.firstJapanese = i }
            nameGroup.japanese += 1
        } else {
            nameGroup.english += 1
        }
        i += name.length
        return name.day
    }

    /// The end of a rule group (rules joined by `,`; `;` and `||` start another): a Japanese weekday
    /// name that is the only one in a group that also names English weekdays is refused, as the
    /// reference refuses `Mo-金` (a slip into another language) while it reads `月-金` and `Mo,月,金`.
    mutating func closeNameGroup() throws(OpeningHoursError) {
        defer { nameGroup = NameGroup() }
        guard nameGroup.english > 0, nameGroup.japanese == 1 else { return }
        throw fail("英語の曜日（Mo〜Su。英語の曜日と同じ規則に日本語の曜日が一つだけあると、参照実装と同じく読みません）", at: nameGroup.firstJapanese)
    }

    func peekNumber(digits: Int? = nil) -> Int? {
        var j = i
        var value = 0
        while j < chars.count, Self.isDigit(chars[j]), j - i < 9 { value = value * 10 + Int(chars[j] - 0x30); j += 1 }
        guard j > i, digits == nil || j - i == digits! else { return nil }
        return value
    }

    mutating func takeNumber(digits: Int? = nil) -> Int? {
        guard let n = peekNumber(digits: digits) else { return nil }
        while i < chars.count, Self.isDigit(chars[i]) { i += 1 }
        return n
    }

    /// Consumes a "," only when what follows it continues the current list; otherwise the comma
    /// belongs to the rule separator and is left for the caller. Spaces around it do not matter, as
    /// for the reference (`Mo , We` is `Mo,We`; `09:00-12:00 , 14:00-18:00` one list of times).
    mutating func takeCommaBefore(_ continues: (Self) -> Bool) -> Bool {
        var probe = self
        probe.skipSpaces()
        guard probe.peek == "," else { return false }
        probe.i += 1
        probe.skipSpaces()
        guard continues(probe) else { return false }
        self = probe
        return true
    }

}
