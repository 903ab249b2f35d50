import ArgumentParser
import Foundation

/// ISO 8601 timestamps with offsets; a timestamp without an offset is read in the given zone.
enum Timestamp {
    static func parse(_ text: String, zone: TimeZone, option: String) throws -> Date {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$"#
        let fail = ValidationError("\(option) の日時「\(text)」が読めません（例: 2026-11-24T18:00:00+09:00、2026-11-24T18:00、2026-11-24）")
        guard let m = try? NSRegularExpression(pattern: pattern).firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { throw fail }
        func group(_ i: Int) -> String? { Range(m.range(at: i), in: text).map { String(text[$0]) } }
        var parts = DateComponents()
        parts.year = Int(group(1)!); parts.month = Int(group(2)!); parts.day = Int(group(3)!)
        parts.hour = group(4).flatMap(Int.init) ?? 0; parts.minute = group(5).flatMap(Int.init) ?? 0
        parts.second = group(6).flatMap(Int.init) ?? 0
        var calendar = Calendar(identifier: .gregorian)
        if let offset = group(7) {
            if offset == "Z" { calendar.timeZone = TimeZone(secondsFromGMT: 0)! } else {
                let digits = offset.dropFirst().filter(\.isNumber)
                let seconds = (Int(digits.prefix(2))! * 60 + Int(digits.suffix(2))!) * 60
                calendar.timeZone = TimeZone(secondsFromGMT: offset.hasPrefix("-") ? -seconds : seconds)!
            }
        } else {
            calendar.timeZone = zone
        }
        guard (1...12).contains(parts.month!), (1...31).contains(parts.day!), (0...23).contains(parts.hour!),
              (0...59).contains(parts.minute!), (0...59).contains(parts.second!),
              let date = calendar.date(from: parts), calendar.component(.day, from: date) == parts.day else { throw fail }
        return date
    }

    static func format(_ date: Date, zone: TimeZone) -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = zone
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
