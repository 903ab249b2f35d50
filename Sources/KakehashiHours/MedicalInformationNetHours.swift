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

    /// - Parameter closedYearEnd: the facility's 年末年始 closure, written as a dated `off` rule.
    public static func convert(_ slots: [Slot], closedYearEnd: Bool = false) -> OpeningHoursConversion {
        var byDay: [Weekday: [TimeRange]] = [:]
        var holiday: [TimeRange] = []
        var bad: [String] = []
        for slot in slots {
            for (i, column) in (dayColumns + [holidayColumn]).enumerated() {
                let s = slot.start[column] ?? "", e = slot.end[column] ?? ""
                if s.isEmpty && e.isEmpty { continue }
                guard let start = TimeRange.minutes(from: s), let end = TimeRange.minutes(from: e), start != end else {
                    bad.append("\(column) \(s)-\(e)")
                    continue
                }
                let range = TimeRange(start: start, end: end)
                if i < 7 {
                    byDay[Weekday(rawValue: i)!, default: []].append(range)
                } else {
                    holiday.append(range)
                }
            }
        }
        var rules = RuleWriter.rules(byDay.filter { !$0.value.isEmpty })
        if !byDay.isEmpty || !holiday.isEmpty {
            rules.append(holiday.isEmpty ? "PH off" : "PH " + holiday.sorted().map(\.osm).joined(separator: ","))
        }
        if closedYearEnd { rules.append("Dec 29-Jan 03 off") }
        return OpeningHoursConversion(
            openingHours: rules.isEmpty ? nil : rules.joined(separator: "; "),
            unconverted: bad.isEmpty ? nil : bad.joined(separator: ", ")
        )
    }
}
