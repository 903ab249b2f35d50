/// The result of converting an official hours field into an `opening_hours` string.
///
/// Whatever could not be converted is kept in `unconverted` (and as a quoted comment when part of
/// the text was understood) so that the importer can report it instead of dropping it.
public struct OpeningHoursConversion: Sendable, Equatable {
    /// The `opening_hours` string, or nil when nothing usable was found.
    public var openingHours: String?
    /// The source text that the converter did not understand.
    public var unconverted: String?

    public init(openingHours: String?, unconverted: String? = nil) {
        self.openingHours = openingHours
        self.unconverted = unconverted
    }
}

/// Builds rule text from per-day ranges: days with the same ranges share one rule.
///
/// Groups with a range past midnight come last, joined with `,`: read as the reference reads
/// `;`, a later rule for the next day would replace that day whole and cut the night at midnight
/// (`Fr 18:00-02:00; Sa 09:00-12:00` closes Friday night at 00:00); an added rule cuts nothing and
/// is cut by nothing (`Sa 09:00-12:00, Fr 18:00-02:00`).
enum RuleWriter {
    static func rules(_ byDay: [Weekday: [TimeRange]], modifier: String? = nil) -> [String] {
        var groups: [[TimeRange]: Set<Weekday>] = [:]
        for (day, ranges) in byDay { groups[ranges.sorted(), default: []].insert(day) }
        let ordered = groups.sorted { $0.value.min()! < $1.value.min()! }.map { ranges, days in
            let times = ranges.isEmpty ? (modifier ?? "off") : ranges.map(\.osm).joined(separator: ",")
            return (text: "\(Weekday.selector(days)) \(times)", night: ranges.contains { $0.end <= $0.start || $0.end > 1440 })
        }
        var out = ordered.filter { !$0.night }.map(\.text)
        let nights = ordered.filter(\.night).map(\.text)
        if !nights.isEmpty {
            if out.isEmpty { out = [nights.joined(separator: ", ")] } else { out[out.count - 1] += ", " + nights.joined(separator: ", ") }
        }
        return out
    }
}
