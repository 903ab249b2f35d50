import Foundation

/// Converts the 介護サービス情報公表システム 利用可能曜日 text (`月～金`, `月,水,金`, `毎日`, `365日`,
/// `土日祝日を除く`, optionally with times such as `9:00～18:00`) into `opening_hours`.
///
/// Days without a stated time become `unknown` for those days: the days are known, the hours are not.
public enum AvailableDaysText {
    public static func convert(_ raw: String, note: String = "") -> OpeningHoursConversion {
        let text = normalise(raw)
        if text.isEmpty { return OpeningHoursConversion(openingHours: nil, unconverted: note.isEmpty ? nil : note) }

        var days = Set<Weekday>()
        var excludeHolidays = false
        var includeHolidays = false
        var rest = text

        // Whole-week words first.
        for word in ["24時間365日", "365日", "年中無休", "毎日", "全日"] where rest.contains(word) {
            days = Set(Weekday.allCases)
            includeHolidays = includeHolidays || word.contains("365") || word == "年中無休"
            rest = rest.replacingOccurrences(of: word, with: word.hasPrefix("24時間") ? "24時間" : " ")
        }
        if rest.contains("平日") {
            days.formUnion([.monday, .tuesday, .wednesday, .thursday, .friday])
            rest = rest.replacingOccurrences(of: "平日", with: " ")
        }
        // "X を除く" removes days from the whole week (or from what was named before it).
        if let r = rest.range(of: "を除く") ?? rest.range(of: "除く") {
            // "月～土（祝日を除く）": only the part after the last separator is excluded.
            let before = rest[..<r.lowerBound]
            let cut = before.lastIndex { "（(、, ".contains($0) }
            let excluded = String(cut.map { before[before.index(after: $0)...] } ?? before)
            let kept = cut.map { String(before[..<$0]) } ?? ""
            if !kept.isEmpty { days.formUnion(namedDays(in: kept)) }
            rest = String(rest[r.upperBound...])
            if days.isEmpty { days = Set(Weekday.allCases) }
            if excluded.contains("祝") { excludeHolidays = true }
            days.subtract(namedDays(in: excluded.replacingOccurrences(of: "祝日", with: "").replacingOccurrences(of: "祝", with: "")))
        }
        // Remaining explicit ranges "月～金" and lists "月,水,金".
        let timeRanges = times(in: &rest)
        let named = namedDays(in: rest)
        days.formUnion(named)
        if rest.contains("祝") { includeHolidays = true }
        let leftover = rest
            .replacingOccurrences(of: "曜日", with: "").replacingOccurrences(of: "曜", with: "")
            .filter { !"月火水木金土日祝～-・,、 ()（）及びと".contains($0) }
        guard !days.isEmpty else { return OpeningHoursConversion(openingHours: nil, unconverted: raw) }

        let modifier = timeRanges.isEmpty ? "unknown" : timeRanges.map(\.osm).joined(separator: ",")
        let allDay = timeRanges == [TimeRange(start: 0, end: 1440)]
        var rules = allDay && days.count == 7 && !excludeHolidays ? ["24/7"] : ["\(Weekday.selector(days)) \(modifier)"]
        if rules == ["24/7"] { includeHolidays = false }
        if excludeHolidays { rules.append("PH off") } else if includeHolidays { rules.append("PH \(modifier)") }
        let unconverted = [leftover.isEmpty ? nil : raw, note.isEmpty ? nil : note].compactMap { $0 }
        var result = rules.joined(separator: "; ")
        if !unconverted.isEmpty {
            // A comment alone would make the rule unknown: the times are known, the note is extra.
            if let last = rules.last, !last.hasSuffix(" off"), !last.hasSuffix(" unknown") { result += " open" }
            result += " \"" + unconverted.joined(separator: " / ").replacingOccurrences(of: "\"", with: "'") + "\""
        }
        return OpeningHoursConversion(openingHours: result, unconverted: unconverted.isEmpty ? nil : unconverted.joined(separator: " / "))
    }

    /// Folds full-width forms and the many dashes and tildes people type.
    static func normalise(_ s: String) -> String {
        var out = ""
        for c in s.precomposedStringWithCanonicalMapping {
            switch c {
            case "〜", "~", "－", "ー", "‐", "−", "—", "―", "–": out.append("～")
            case "，", "/", "／": out.append(",")
            case "：": out.append(":")
            case "　": out.append(" ")
            default:
                if let v = c.unicodeScalars.first?.value, (0xFF10...0xFF19).contains(v) {
                    out.append(Character(UnicodeScalar(v - 0xFF10 + 0x30)!))
                } else {
                    out.append(c)
                }
            }
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Days named in text: "月～金" is a range, every other weekday kanji counts on its own.
    static func namedDays(in text: String) -> Set<Weekday> {
        let chars = Array(text.replacingOccurrences(of: "曜日", with: "").replacingOccurrences(of: "曜", with: ""))
        var result = Set<Weekday>()
        var i = 0
        while i < chars.count {
            if let d = day(chars[i]) {
                if i + 2 < chars.count, chars[i + 1] == "～", let e = day(chars[i + 2]) {
                    var k = d.rawValue
                    while true {
                        result.insert(Weekday(rawValue: k)!)
                        if k == e.rawValue { break }
                        k = (k + 1) % 7
                    }
                    i += 3
                    continue
                }
                result.insert(d)
            }
            i += 1
        }
        return result
    }

    static func day(_ c: Character) -> Weekday? { Weekday.allCases.first { $0.kanji == c } }

    /// Takes "9:00～18:00" or "9時～18時" out of the text and returns the ranges.
    static func times(in text: inout String) -> [TimeRange] {
        if text.contains("24時間") {
            text = text.replacingOccurrences(of: "24時間", with: " ")
            return [TimeRange(start: 0, end: 1440)]
        }
        let pattern = #"(\d{1,2}(?::\d{2}|時(?:\d{1,2}分?)?))\s*～\s*(\d{1,2}(?::\d{2}|時(?:\d{1,2}分?)?))"#
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        var ranges: [TimeRange] = []
        let ns = text as NSString
        for m in regex.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            if let s = TimeRange.minutes(from: ns.substring(with: m.range(at: 1))),
               let e = TimeRange.minutes(from: ns.substring(with: m.range(at: 2))) {
                ranges.append(TimeRange(start: s, end: e))
            }
        }
        text = regex.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: " ")
        return ranges.sorted()
    }
}
