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

    /// A word at the cursor in either case, not followed by a letter (every byte of a multi-byte
    /// character counts as one, but for the full-width colon, which ``takeColon()`` reads).
    func peekWord<S: Collection>(_ w: S) -> Bool where S.Element == UInt8 {
        let end = i + w.count
        return matchesInAnyCase(w, at: i) && (end == chars.count || !Self.isLetter(chars[end]) || matches("：".utf8, at: end))
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

    func peekDay() -> Weekday? {
        Self.days.firstIndex { peekWord($0) || (matchesInAnyCase($0, at: i) && i + 2 < chars.count && chars[i + 2] == 0x5B) }
            .flatMap { Weekday(rawValue: $0) }
    }

    mutating func takeDay() -> Weekday? {
        guard let d = peekDay() else { return nil }
        i += 2
        return d
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
