/// Per provider and service ordinal, the availability group (``CoverageIndex/groups``): 16 bits a
/// cell while the groups fit, as a region's data does (12 services × 450,000 providers: 11 MB less;
/// RSS after start 406 MB against 425, for a target of 500 MB), 32 bits once they do not (national data).
struct GroupTable: Sendable {
    private var narrow: [UInt16] = []
    private var wide: [AvailabilityGroup] = []
    private var isWide = false

    init() {}

    subscript(_ i: Int) -> AvailabilityGroup {
        if isWide { return wide[i] }
        let g = narrow[i]
        return g == .max ? CoverageIndex.ungrouped : AvailabilityGroup(g)
    }

    mutating func reserveCapacity(_ n: Int) { narrow.reserveCapacity(n) }

    /// Appends groups, widening the table at the first group past 16 bits.
    mutating func append(contentsOf row: [AvailabilityGroup]) {
        if !isWide, row.contains(where: { $0 != CoverageIndex.ungrouped && $0 >= AvailabilityGroup(UInt16.max) }) {
            wide = narrow.map { $0 == .max ? CoverageIndex.ungrouped : AvailabilityGroup($0) }
            narrow = []
            isWide = true
        }
        if isWide { wide += row } else { narrow += row.map { $0 == CoverageIndex.ungrouped ? .max : UInt16($0) } }
    }
}
