/// Where a population figure comes from. Census and estimate figures are actual; a projection
/// (社人研「日本の地域別将来推計人口」) is a figure of the future, shown when a year is asked for that
/// only a projection covers — never in place of an actual figure of the same year — and always named.
public enum PopulationKind: String, Sendable, Codable, CaseIterable, Comparable {
    case census
    case estimate
    case projection

    public var isActual: Bool { self != .projection }

    /// The order in which figures of one year are preferred: census, estimate, projection.
    public static func < (a: PopulationKind, b: PopulationKind) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    public var label: String {
        switch self {
        case .census: "国勢調査"
        case .estimate: "推計人口"
        case .projection: "将来推計人口"
        }
    }
}

/// What a population row is the population of. A 政令市's row is the sum of its wards, and a
/// prefecture's the sum of its municipalities: sums over municipalities take neither.
public enum PopulationArea: String, Sendable, Codable {
    case prefecture
    case designatedCity = "designated_city"
    case municipality
}

/// The areas above the municipality that plans are written for. A 二次医療圏 is the unit of the
/// 医療計画 (医療法 第30条の4), set by each prefecture; municipalities belong to exactly one.
public enum PlanningAreaKind: String, Sendable, Codable, CaseIterable {
    case secondaryMedicalArea = "secondary_medical_area"
    /// 地域医療構想区域, where a prefecture draws them otherwise than its 二次医療圏 (most do not).
    case conceptArea = "concept_area"
}

/// The kinds of care whose demand MHLW projects per 構想区域 (「構想区域別の医療需要推計」).
public enum CareDemand: String, Sendable, Codable, CaseIterable {
    /// 在宅医療（訪問診療）.
    case homeVisit = "home_visit"
    case outpatient
}
