import Foundation
import KakehashiModel
import KakehashiStore

/// What a layer says of an area, kept as counts: a municipality's own, or a planning area's as the
/// sums of its municipalities'. Ratios are worked out from the counts when written, so an area's
/// ratio is its sums' ratio, never an average of its members' ratios.
struct AreaFigures {
    var populationYear: Int?
    var populationKind: PopulationKind?
    var total: Int?
    var age65Plus: Int?
    var age75Plus: Int?
    var providers = 0
    /// Per registration column (``Indicators/registrations``), how many.
    var registrations: [String: Int] = [:]
    /// The 75+ in mesh cells centred in the area, and of them those covered all window.
    var all75: Double?
    var covered75: Double?
    /// 65+ of the latest actual year: today's ratios, against which a later year's needs are told.
    var today65Plus: Int?
    var today75Plus: Int?
    /// 75+ estimated (asked for), where the source has no such band.
    var age75PlusEstimated = false

    init(population p: MunicipalPopulation?) {
        populationYear = p?.year
        populationKind = p?.kind
        total = p?.total
        age65Plus = p?.age65Plus
        age75Plus = p?.age75Plus
    }

    /// The sum of the parts. A population band is summed only when every part has it: an area with
    /// one member lacking 75+ has no 75+ figure rather than a smaller one. The kind is the least
    /// certain of the parts' (a projection if any part is one).
    static func sum(_ parts: [AreaFigures]) -> AreaFigures {
        var s = AreaFigures(population: nil)
        func total(_ values: [Int?]) -> Int? { values.isEmpty || values.contains(nil) ? nil : values.reduce(0) { $0 + $1! } }
        s.total = total(parts.map(\.total))
        s.age65Plus = total(parts.map(\.age65Plus))
        s.age75Plus = total(parts.map(\.age75Plus))
        s.today65Plus = total(parts.map(\.today65Plus))
        s.today75Plus = total(parts.map(\.today75Plus))
        s.age75PlusEstimated = parts.contains { $0.age75PlusEstimated }
        s.populationYear = Set(parts.compactMap(\.populationYear)).count == 1 ? parts.compactMap(\.populationYear).first : nil
        s.populationKind = parts.compactMap(\.populationKind).max()
        s.providers = parts.reduce(0) { $0 + $1.providers }
        for p in parts { s.registrations.merge(p.registrations, uniquingKeysWith: +) }
        let measured = parts.filter { $0.all75 != nil }
        if !measured.isEmpty {
            s.all75 = measured.reduce(0) { $0 + $1.all75! }
            s.covered75 = measured.reduce(0) { $0 + ($1.covered75 ?? 0) }
        }
        return s
    }

    /// 75+ where the source has none (the projection outside Tokyo's 23 wards), only when asked:
    /// the year's 65+ times today's share of 75+ among 65+, labelled `population_75_plus_estimated`.
    mutating func estimate75Plus() {
        guard age75Plus == nil, let a65 = age65Plus, let t65 = today65Plus, t65 > 0, let t75 = today75Plus else { return }
        age75Plus = Int((Double(a65) * Double(t75) / Double(t65)).rounded())
        age75PlusEstimated = true
    }

    /// The layer's columns of these figures; nil is "no data".
    func values(coverage: Bool) -> [String: LayerValue] {
        var v: [String: LayerValue] = [:]
        func count(_ n: Int?) -> LayerValue { n.map { .integer($0) } ?? .none }
        func share(_ part: Int?, of whole: Int?) -> LayerValue {
            guard let part, let whole else { return .none }
            return .number(Double(part) / Double(max(whole, 1)) * 100)
        }
        func per1000(_ n: Int) -> LayerValue { age75Plus.flatMap { $0 > 0 ? .number(Double(n) / Double($0) * 1000) : nil } ?? .none }
        v["population_year"] = count(populationYear)
        v["population_kind"] = populationKind.map { .text($0.rawValue) } ?? LayerValue.none
        v["population_total"] = count(total)
        v["population_65_plus"] = count(age65Plus)
        v["population_75_plus"] = count(age75Plus)
        v["population_75_plus_estimated"] = .flag(age75PlusEstimated)
        v["ratio_65_plus"] = share(age65Plus, of: total)
        v["ratio_75_plus"] = share(age75Plus, of: total)
        v["providers"] = .integer(providers)
        v["providers_per_1000_75_plus"] = per1000(providers)
        for (column, _) in Indicators.registrations {
            let n = registrations[column] ?? 0
            v[column] = .integer(n)
            v[column + "_per_1000_75_plus"] = per1000(n)
        }
        // Needs of the year at today's count (65+: the projection publishes 75+ for few areas).
        for (column, n) in [("providers", providers), ("home_support_clinics", registrations["home_support_clinics"] ?? 0)] {
            v[column + "_per_1000_65_plus"] = age65Plus.flatMap { $0 > 0 ? .number(Double(n) / Double($0) * 1000) : nil } ?? LayerValue.none
            v[column + "_more_to_keep_ratio"] = Self.moreToKeepRatio(count: n, today: today65Plus, then: age65Plus).map { .integer($0) } ?? LayerValue.none
        }
        if coverage {
            if let all = all75, all > 0 {
                v["covered_75_plus_share"] = .number((covered75 ?? 0) / all * 100)
                v["uncovered_75_plus"] = .integer(Int((all - (covered75 ?? 0)).rounded()))
            } else {
                v["covered_75_plus_share"] = LayerValue.none
                v["uncovered_75_plus"] = LayerValue.none
            }
        }
        return v
    }

    /// The columns of ``values(coverage:)``, in order.
    static func columns(coverage: Bool, estimate75Plus: Bool = false) -> [String] {
        var c: [String] = ["population_year", "population_kind", "population_total", "population_65_plus", "population_75_plus"]
        if estimate75Plus { c.append("population_75_plus_estimated") }
        c += ["ratio_65_plus", "ratio_75_plus", "providers", "providers_per_1000_75_plus", "providers_per_1000_65_plus", "providers_more_to_keep_ratio"]
        c += Indicators.registrations.flatMap { [$0.column, $0.column + "_per_1000_75_plus"] }
        c += ["home_support_clinics_per_1000_65_plus", "home_support_clinics_more_to_keep_ratio"]
        if coverage { c += ["covered_75_plus_share", "uncovered_75_plus"] }
        return c
    }

    /// How many more than `count` would keep today's ratio to the 65+ when they number `then`
    /// instead of `today` (rounded up; 0 when as many or fewer are needed). Assumes each provider
    /// serves as many people then as now.
    static func moreToKeepRatio(count: Int, today: Int?, then: Int?) -> Int? {
        guard let today, let then, today > 0 else { return nil }
        let needed = (Double(count) * Double(then) / Double(today)).rounded(.up)
        return max(0, Int(needed) - count)
    }
}
