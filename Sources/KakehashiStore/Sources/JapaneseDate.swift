import Foundation

/// Dates as official Japanese files write them, read to ISO 8601 (`YYYY-MM-DD`):
/// 和暦 as the 厚生局 名簿 pads them (`令和 6年10月 1日`, `令和元年 5月 1日`, `平成22年 4月 1日`), the short
/// forms (`R6.10.1`, `H22/4/1`), western dates (`2024/10/01`, `2024-10-01`, `2024年10月1日`) and Excel
/// serial day numbers (a date cell saved without its format), in 全角 or 半角 digits.
enum JapaneseDate {
    /// First western year of each era (year 1, 元年, is this year).
    static let eras: [(names: [String], first: Int)] = [
        (["令和", "R"], 2019), (["平成", "H"], 1989), (["昭和", "S"], 1926), (["大正", "T"], 1912), (["明治", "M"], 1868),
    ]

    static func iso(_ raw: String) -> String? {
        // 全角 letters, digits and signs folded (Ｈ２２．４．１), spaces dropped.
        let text = String(raw.precomposedStringWithCompatibilityMapping.uppercased().filter { !$0.isWhitespace })
        guard !text.isEmpty else { return nil }
        if text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber), text.count <= 5, let serial = Int(text) {
            return serialDate(serial)
        }
        var rest = Substring(text), base = 0
        if let era = eras.first(where: { e in e.names.contains { rest.hasPrefix($0) } }) {
            rest = rest.dropFirst(era.names.first { rest.hasPrefix($0) }!.count)
            if rest.hasPrefix("元") { rest = "1" + rest.dropFirst() }
            base = era.first - 1
        }
        // Numbers separated by 年/月/日, '.', '/' or '-'.
        let parts = rest.split(omittingEmptySubsequences: true) { "年月日./-".contains($0) }
        guard parts.count == 3, rest.last.map({ $0.isNumber || $0 == "日" }) == true,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        let year = base > 0 ? base + y : y
        guard base == 0 ? (1868...2200).contains(year) : (1...99).contains(y), (1...12).contains(m), (1...daysIn(month: m, year: year)).contains(d) else {
            return nil
        }
        return String(format: "%04d-%02d-%02d", year, m, d)
    }

    static func daysIn(month m: Int, year y: Int) -> Int {
        switch m {
        case 2: (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Excel's 1900 date system: day 1 is 1900-01-01, and day 60 the 29 February 1900 that never
    /// was. Only days from 1900-03-01 (61) to 2199 are taken as dates.
    static func serialDate(_ serial: Int) -> String? {
        guard (61...109_572).contains(serial) else { return nil }
        var days = serial - 61  // days after 1900-03-01
        var year = 1900, month = 3
        while true {
            let n = daysIn(month: month, year: year)
            if days < n { break }
            days -= n
            month += 1
            if month > 12 { month = 1; year += 1 }
        }
        return String(format: "%04d-%02d-%02d", year, month, days + 1)
    }

    /// The date of a 名簿 title such as `[令和７年９月１日 現在 ]令和７年１０月２日作成`: the one before 現在.
    static func asOf(_ title: String) -> String? {
        guard let at = title.range(of: "現在") else { return nil }
        let before = title[..<at.lowerBound]
        for era in eras.flatMap({ e in e.names.filter { $0.count > 1 } }) {
            if let start = before.range(of: era, options: .backwards) { return iso(String(before[start.lowerBound...])) }
        }
        return nil
    }
}
