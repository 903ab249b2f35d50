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
enum RuleWriter {
    static func rules(_ byDay: [Weekday: [TimeRange]], modifier: String? = nil) -> [String] {
        var groups: [[TimeRange]: Set<Weekday>] = [:]
        for (day, ranges) in byDay { groups[ranges.sorted(), default: []].insert(day) }
        return groups
            .sorted { $0.value.min()! < $1.value.min()! }
            .map { ranges, days in
                let times = ranges.isEmpty ? (modifier ?? "off") : ranges.map(\.osm).joined(separator: ",")
                return "\(Weekday.selector(days)) \(times)"
            }
    }
}
