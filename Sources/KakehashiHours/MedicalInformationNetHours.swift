import Foundation
/// Converts 医療情報ネット hours (one row per 診療時間帯, with `{月..日,祝}_診療開始時間` and
/// `_診療終了時間` columns) into an `opening_hours` string.
///
/// These are outpatient hours: they never imply night home visits.
public enum MedicalInformationNetHours {
    /// The day prefixes of the official columns, in weekday order, then 祝 (public holidays).
    public static let dayColumns = ["月", "火", "水", "木", "金", "土", "日"]
    public static let holidayColumn = "祝"

    /// One 診療時間帯 row: start and end text per day column ("月" … "日", "祝"); empty means none.
    public struct Slot: Sendable {
        public var start: [String: String]
        public var end: [String: String]

        public init(start: [String: String], end: [String: String]) {
            self.start = start
            self.end = end
        }
    }

    /// What a facility row says of its calendar. Every flag is **1 = open, 0 = closed**, whatever the
    /// column name says (`毎週決まった曜日に休診（月）` = 1 means open on Mondays); nil: not given.
    public struct Calendar: Sendable, Equatable {
        /// Monday first.
        public var weekdays: [Bool?] = Array(repeating: nil, count: 7)
        /// `weeksOfMonth[n][d]`: open on the (n+1)th weekday d of the month.
        public var weeksOfMonth: [[Bool?]] = Array(repeating: Array(repeating: nil, count: 7), count: 5)
        public var holidays: Bool?
        /// その他の休診日・閉店日: free text.
        public var otherClosures = ""

        public init() {}
    }

    /// - Parameters:
    ///   - calendar: the facility's own calendar (weekly and monthly closures, holidays, other days).
    ///   - closedYearEnd: the facility's 年末年始 closure, written as a dated `off` rule.
    public static func convert(_ slots: [Slot], calendar: Calendar = Calendar(), closedYearEnd: Bool = false) -> OpeningHoursConversion {
        convert(slots, calendar: calendar, closures: DatedClosures(calendar, closedYearEnd: closedYearEnd))
    }

    /// The facility's dated closures (その他の休診日 and 年末年始) as one `off` rule. They belong to the
    /// facility, not to a 診療科目: an importer reads them once and hands them to every speciality.
    public struct DatedClosures: Sendable {
        let rule: String?
        let unread: [String]

        public init(_ calendar: Calendar, closedYearEnd: Bool) {
            let dated = ClosureDates.read(calendar.otherClosures)
            var closed = dated.ranges
            if closedYearEnd, !closed.contains("Dec 29-Jan 03") { closed.append("Dec 29-Jan 03") }
            rule = closed.isEmpty ? nil : closed.joined(separator: ",") + " off"
            unread = dated.unread
        }
    }

    /// The same with the facility's dated closures already read (`calendar.otherClosures` is not read again).
    public static func convert(_ slots: [Slot], calendar: Calendar, closures: DatedClosures) -> OpeningHoursConversion {
        var byDay: [Weekday: [TimeRange]] = [:]
        var holiday: [TimeRange] = []
        var bad: [String] = []
        for slot in slots {
            for (i, column) in (dayColumns + [holidayColumn]).enumerated() {
                let s = slot.start[column] ?? "", e = slot.end[column] ?? ""
                if s.isEmpty && e.isEmpty { continue }
                let start = TimeRange.minutes(from: s), end = TimeRange.minutes(from: e)
                if start == 0 && end == 0 { continue }  // 00:00–00:00: an empty slot
                guard let start, let end, start != end else {
                    bad.append("\(column) \(s)-\(e)")
                    continue
                }
                let range = TimeRange(start: start, end: end)
                if i < 7 {
                    // A day the calendar says is closed every week keeps no hours.
                    if calendar.weekdays[i] != false { byDay[Weekday(rawValue: i)!, default: []].append(range) }
                } else {
                    holiday.append(range)
                }
            }
        }
        var rules = RuleWriter.rules(byDay.filter { !$0.value.isEmpty }.mapValues(Self.merged))
        rules += monthlyClosures(calendar, open: Set(byDay.keys))
        if !holiday.isEmpty {
            rules.append("PH " + holiday.sorted().map(\.osm).joined(separator: ","))
        } else if (!byDay.isEmpty || calendar.holidays == false) && calendar.holidays != true {
            rules.append("PH off")
        }
        if let rule = closures.rule { rules.append(rule) }
        bad += closures.unread
        return OpeningHoursConversion(
            openingHours: rules.isEmpty ? nil : rules.joined(separator: "; "),
            unconverted: bad.isEmpty ? nil : bad.joined(separator: ", ")
        )
    }

    /// Ranges of one day in order, those that touch or overlap written as one (`09:00-12:00` and
    /// `12:00-19:00`, two slots of the source, are one opening).
    static func merged(_ ranges: [TimeRange]) -> [TimeRange] {
        var out: [TimeRange] = []
        for r in ranges.sorted() {
            if let last = out.last, last.start < last.end, r.start < r.end, r.start <= last.end {
                out[out.count - 1].end = max(last.end, r.end)
            } else {
                out.append(r)
            }
        }
        return out
    }

    /// `Sa[2,4] off` for the weeks of the month a day with hours is closed.
    static func monthlyClosures(_ calendar: Calendar, open days: Set<Weekday>) -> [String] {
        days.sorted().compactMap { day in
            let closedWeeks = (0..<5).filter { calendar.weeksOfMonth[$0][day.rawValue] == false }
            guard !closedWeeks.isEmpty else { return nil }
            if closedWeeks.count == 5 { return "\(Weekday.selector([day])) off" }
            return "\(Weekday.selector([day]))[\(closedWeeks.map { String($0 + 1) }.joined(separator: ","))] off"
        }
    }
}

/// Dates in the free text of その他の休診日 (`12月31日 1月3日`, `１２月３０日午後（改行）…`,
/// `８月９日～１５日`): what is unambiguous becomes month-day ranges, consecutive days merged;
/// the rest (half days, words) is returned as unread.
enum ClosureDates {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func read(_ text: String) -> (ranges: [String], unread: [String]) {
        if text.isEmpty { return ([], []) }
        var days = Set<Int>(), unread: [String] = []  // day of a leap year, 0 = Jan 1
        // `before` is the separator that opened `token`.
        var token = "", before: Character = " "
        func end(_ after: Character) {
            defer { token = "" }
            // `（改行）`, the source's line break, separates dates like a space.
            if token.isEmpty || (token == "改行" && before == "(" && after == ")") { return }
            if let found = dates(token) { days.formUnion(found) } else { unread.append(token) }
        }
        for c in text.precomposedStringWithCompatibilityMapping {
            if separators.contains(c) {
                end(c)
                before = c
            } else {
                token.append(c)
            }
        }
        end(" ")
        return (ranges(days), unread)
    }

    /// A quoted cell keeps its line breaks, and CRLF is one character.
    static let separators = Set<Character>(" \n\r\t、,・/()[]").union(["\r\n"])
    static let rangeMarks = Set<Character>("~〜-")

    static let monthStarts = [0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366]

    /// The days a token names: `M月D日` or `M月D日~D日` / `M月D日~M月D日`; nil for anything else.
    static func dates(_ token: String) -> Set<Int>? {
        let parts = token.split(whereSeparator: rangeMarks.contains).map(String.init)
        guard (1...2).contains(parts.count), let first = monthDay(parts[0], month: nil) else { return nil }
        guard parts.count == 2 else { return [day(first)] }
        guard let last = monthDay(parts[1], month: first / 100) else { return nil }
        let a = day(first), b = day(last)
        return Set(a <= b ? Array(a...b) : Array(a..<366) + Array(0...b))
    }

    /// `M月D日` (or `D日` after a month) as month * 100 + day.
    static func monthDay(_ s: String, month: Int?) -> Int? {
        var t = Substring(s), m = month
        if let k = t.firstIndex(of: "月") { m = Int(t[..<k]); t = t[t.index(after: k)...] }
        guard t.hasSuffix("日"), let m, let d = Int(t.dropLast()), (1...12).contains(m), d >= 1, d <= monthStarts[m] - monthStarts[m - 1] else { return nil }
        return m * 100 + d
    }

    static func day(_ md: Int) -> Int { monthStarts[md / 100 - 1] + md % 100 - 1 }

    /// Days as `Dec 29-Jan 03` ranges, in calendar order (a run across the new year kept whole).
    static func ranges(_ days: Set<Int>) -> [String] {
        guard !days.isEmpty else { return [] }
        var starts = days.filter { !days.contains(($0 + 365) % 366) }.sorted()
        if starts.isEmpty { return ["Jan 01-Dec 31"] }
        starts.sort()
        return starts.map { start in
            var end = start
            while days.contains((end + 1) % 366), (end + 1) % 366 != start { end = (end + 1) % 366 }
            return end == start ? label(start) : "\(label(start))-\(label(end))"
        }
    }

    static func label(_ day: Int) -> String {
        let m = monthStarts.lastIndex { $0 <= day }!
        let d = day - monthStarts[m] + 1
        return "\(months[m]) \(d < 10 ? "0" : "")\(d)"
    }
}
