import Foundation

/// Days as `opening_hours` names them, in the specification's order, plus public holidays.
public enum Weekday: Int, Sendable, CaseIterable, Comparable {
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday

    public var osm: String { ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"][rawValue] }
    /// The single kanji used in Japanese listings: 月 火 水 木 金 土 日.
    public var kanji: Character { Array("月火水木金土日")[rawValue] }

    /// The day a Japanese name says, as the reference reads names in an `opening_hours` value: the
    /// kanji alone (`月`) or the whole name (`月曜日`); not `月曜` nor `土日`.
    public init?(japaneseName: some StringProtocol) {
        guard let k = Self.allCases.firstIndex(where: { japaneseName == "\($0.kanji)" || japaneseName == "\($0.kanji)曜日" }) else { return nil }
        self = Self.allCases[k]
    }

    public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }

    /// "Mo-Fr", "Mo,We,Fr", "Mo-We,Sa": consecutive runs of three or more become ranges.
    public static func selector(_ days: Set<Weekday>) -> String {
        let sorted = days.sorted()
        var parts: [String] = []
        var i = 0
        while i < sorted.count {
            var j = i
            while j + 1 < sorted.count, sorted[j + 1].rawValue == sorted[j].rawValue + 1 { j += 1 }
            if j - i >= 2 {
                parts.append("\(sorted[i].osm)-\(sorted[j].osm)")
            } else {
                parts.append(contentsOf: sorted[i...j].map(\.osm))
            }
            i = j + 1
        }
        return parts.joined(separator: ",")
    }
}

/// A clock time range within a day, in minutes from midnight; `end` may be less than `start` for
/// ranges that run past midnight, and may be 1440 ("24:00").
public struct TimeRange: Sendable, Hashable, Comparable {
    public var start: Int
    public var end: Int

    public init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    public var osm: String { "\(Self.clock(start))-\(Self.clock(end))" }

    public static func < (a: TimeRange, b: TimeRange) -> Bool { (a.start, a.end) < (b.start, b.end) }

    static func clock(_ minutes: Int) -> String {
        let h = minutes / 60, m = minutes % 60
        return (h < 10 ? "0\(h)" : "\(h)") + ":" + (m < 10 ? "0\(m)" : "\(m)")
    }

    /// Reads "9:00", "09:00", "0900", "9時", "9時30分", full-width digits included; nil otherwise.
    public static func minutes(from text: String) -> Int? {
        if let (hour, minute) = asciiClock(text) {
            return (0...24).contains(hour) && minute < 60 && hour * 60 + minute <= 1440 ? hour * 60 + minute : nil
        }
        let t = String(text.map { c -> Character in
            if let v = c.unicodeScalars.first?.value, (0xFF10...0xFF19).contains(v) {
                return Character(UnicodeScalar(v - 0xFF10 + 0x30)!)
            }
            return c == "：" ? ":" : c
        }).trimmingCharacters(in: .whitespaces)
        var h: Int?, m = 0
        if let colon = t.firstIndex(of: ":") {
            h = Int(t[..<colon]); m = Int(t[t.index(after: colon)...]) ?? -1
        } else if t.hasSuffix("時") || t.contains("時") {
            let parts = t.replacingOccurrences(of: "分", with: "").split(separator: "時", omittingEmptySubsequences: false)
            h = Int(parts[0]); m = parts.count > 1 && !parts[1].isEmpty ? (Int(parts[1]) ?? -1) : 0
        } else if t.count == 4, let v = Int(t) {
            h = v / 100; m = v % 100
        } else if t.count <= 2, let v = Int(t) {
            h = v
        }
        guard let hour = h, (0...24).contains(hour), (0..<60).contains(m), hour * 60 + m <= 1440 else { return nil }
        return hour * 60 + m
    }

    /// `HH:MM` in ASCII, as official files write nearly every time, read from its five bytes: an
    /// import of national 医療情報ネット hours reads millions of them.
    private static func asciiClock(_ text: String) -> (Int, Int)? {
        var value = 0, count = 0
        for byte in text.utf8 {
            if count == 2 {
                guard byte == UInt8(ascii: ":") else { return nil }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            count += 1
            if count > 5 { return nil }
        }
        return count == 5 ? (value / 100, value % 100) : nil
    }
}
