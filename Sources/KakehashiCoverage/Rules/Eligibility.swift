import KakehashiGeo
import KakehashiModel

/// Whether a provider may serve the patient's place for a service: the service's legal limit,
/// then the provider's declared service area, or the default where it declares none. Written once
/// over ``PatientPlace``, so the lookup (one point) and the cell plans (every point of a cell) apply
/// the same rules.
struct Eligibility: Sendable {
    /// 往診・訪問診療 and 歯科訪問診療: the fee schedules (医科点数表 C000 往診料, C001 在宅患者訪問診療料;
    /// 歯科点数表 C000 歯科訪問診療料) do not allow the fee where the patient's home is more than 16 km in
    /// a straight line from the clinic, save in special circumstances. The provider's declared areas
    /// are capped by it too.
    let medicalRadiusM: Double

    /// 急変時の入院受入れ: no law limits how far a hospital takes its registered home patients in;
    /// Kakehashi lists those within its search radius, nearest first, and says the limit is its own.
    let admissionRadiusM: Double

    init(medicalRadiusM: Double, admissionRadiusM: Double = 30_000) {
        self.medicalRadiusM = medicalRadiusM
        self.admissionRadiusM = admissionRadiusM
    }

    /// The service's straight-line limit in metres, or nil where none applies: the law's for visits
    /// (``limitIsLegal(_:)``), the search radius for admissions.
    func distanceLimit(_ service: ServiceKind) -> Double? {
        guard Self.limitedByDistance(service) else { return nil }
        return Self.limitIsLegal(service) ? medicalRadiusM : admissionRadiusM
    }

    /// Whether a straight-line distance limits the service (so that the index files its providers by distance).
    static func limitedByDistance(_ service: ServiceKind) -> Bool {
        service == .homeVisitMedical || service == .homeVisitDental || service == .backupAdmission
    }

    /// Whether the service's distance limit is the law's rather than Kakehashi's search radius.
    static func limitIsLegal(_ service: ServiceKind) -> Bool { service != .backupAdmission }

    struct Verdict: Equatable {
        /// Where the provider may serve: the legal limit and the area together.
        let reach: Reach
        /// Where the legal limit alone allows.
        let legal: Reach
        /// The position, among the provider's areas, of the declared area an entry shows: the first
        /// one that holds (-1: none declared, or not read).
        let shown: Int32
    }

    /// The verdict for a provider at `position` (nil: location unknown) whose own municipality is
    /// `home`, with `declared` its areas where it declares any for the service.
    func verdict<Place: PatientPlace>(service: ServiceKind, position: ProviderPosition?, home: Int32, declared: [Area]?,
                                      at place: Place) -> Verdict {
        let legal = distanceLimit(service).map { place.within($0, of: position) } ?? .everywhere
        if legal == .nowhere { return Verdict(reach: .nowhere, legal: legal, shown: -1) }
        guard let declared else {
            // No declared area: the legal limit where the service has one, else the provider's own municipality.
            let area: Reach = distanceLimit(service) != nil ? .everywhere : place.inMunicipality(home)
            return Verdict(reach: legal.and(area), legal: legal, shown: -1)
        }
        var area = Reach.nowhere, first: Reach?, shown: Int32 = -1
        for (n, a) in declared.enumerated() where a.service == nil || a.service == service {
            let r = place.reach(of: a.rule, position: position)
            if first == nil, r != .nowhere { first = r; shown = Int32(n) }
            area = area.or(r)
        }
        // An entry shows the first declared area that holds: the same everywhere only if that one
        // holds everywhere (a plan's entries are shared by every point of its cell).
        if area == .everywhere, first != .everywhere { area = .unsure }
        return Verdict(reach: legal.and(area), legal: legal, shown: shown)
    }

    /// Why a provider does not serve a point, from its verdict there.
    func refusal(_ v: Verdict, position: ProviderPosition?, declared: Bool) -> Refusal? {
        guard v.reach == .nowhere else { return nil }
        guard v.legal == .nowhere else { return .outsideArea(declared: declared) }
        return position.map { .beyondLegalRadius($0.distance) } ?? .locationUnknown
    }

    /// The rule an entry shows for a provider that serves the point.
    func matchedArea(_ v: Verdict, service: ServiceKind, declared: [Area]?, at point: PatientPoint) -> (match: MatchedArea, dataset: Int64?)? {
        guard v.reach == .everywhere else { return nil }
        guard let declared, v.shown >= 0 else {
            if distanceLimit(service) != nil { return (Self.limitIsLegal(service) ? .legalRadius : .searchRadius, nil) }
            return point.code.map { (.homeMunicipality($0), nil) }
        }
        let a = declared[Int(v.shown)]
        switch a.rule {
        case .radius(let r): return (.radius(r), a.datasetID)
        case .municipalities: return point.code.map { (.municipalities($0), a.datasetID) }
        case .towns: return point.town.map { (.towns($0), a.datasetID) }
        case .polygon: return (.polygon, a.datasetID)
        }
    }
}

typealias Area = CoverageIndex.Area

/// Why a provider does not qualify: for explanations.
enum Refusal: Equatable { case locationUnknown, beyondLegalRadius(Double), outsideArea(declared: Bool) }

/// Which rule let a provider serve the point, kept as data: the Japanese detail is written for the
/// shown page only (see ``AreaTexts``).
enum MatchedArea: Equatable {
    case radius(Double), municipalities(String), towns(String), polygon, legalRadius, searchRadius, homeMunicipality(String)
}

/// Where a provider is and how far from the patient's place (for a cell: from its centre), by the
/// short-range approximation (within a metre of the geodesic).
struct ProviderPosition {
    let location: GeoPoint
    let distance: Double

    init(location: GeoPoint, distance: Double) {
        self.location = location
        self.distance = distance
    }

    /// At the approximate distance from the point `around` measures from.
    init(_ location: GeoPoint, around: Geodesic.Around) {
        self.init(location: location, distance: around.distance(to: location))
    }
}

/// Where in the patient's possible places a condition holds. At one point it is `everywhere` or
/// `nowhere`; over a plan's cell it may depend on the exact point.
enum Reach: Equatable {
    case everywhere, nowhere
    /// Where the point is within this many metres of the provider (the cell straddles the limit).
    case within(Double)
    /// Depends on the point in another way (a 町字 list, a drawn area) or on two limits at once.
    case unsure

    /// Where both hold.
    func and(_ b: Reach) -> Reach {
        switch (self, b) {
        case (.nowhere, _), (_, .nowhere): .nowhere
        case (.everywhere, let other), (let other, .everywhere): other
        default: .unsure
        }
    }

    /// Where either holds.
    func or(_ b: Reach) -> Reach {
        switch (self, b) {
        case (.everywhere, _), (_, .everywhere): .everywhere
        case (.nowhere, let other), (let other, .nowhere): other
        default: .unsure
        }
    }
}

/// The patient's place as the eligibility rules see it: one point (a lookup) or every point of a
/// cell in one municipality (a plan).
protocol PatientPlace {
    /// Where the place lies within `metres` of the provider.
    func within(_ metres: Double, of provider: ProviderPosition?) -> Reach
    /// Where the place lies in the municipality interned as `home` in the index (-1: unknown).
    func inMunicipality(_ home: Int32) -> Reach
    /// Where the place lies in a declared area.
    func reach(of rule: Area.Rule, position: ProviderPosition?) -> Reach
}

/// The lookup's point, with its municipality (code and interned number) and 町字.
struct PatientPoint: PatientPlace {
    let point: GeoPoint
    let code: String?
    let home: Int32
    let town: String?

    /// The approximation (``Geodesic/Around``, within a metre of the exact distance) decides unless
    /// the point is within this many metres of the limit; there the exact distance does.
    static let exactBand = 2.0

    func within(_ metres: Double, of provider: ProviderPosition?) -> Reach {
        guard let provider else { return .nowhere }
        let d = abs(provider.distance - metres) < Self.exactBand ? Geodesic.distance(provider.location, point) : provider.distance
        return d <= metres ? .everywhere : .nowhere
    }

    func inMunicipality(_ home: Int32) -> Reach { home >= 0 && home == self.home ? .everywhere : .nowhere }

    func reach(of rule: Area.Rule, position: ProviderPosition?) -> Reach {
        switch rule {
        case .radius(let r): return within(r, of: position)
        case .municipalities(let codes): return code.map(codes.contains) == true ? .everywhere : .nowhere
        case .towns(let towns):
            guard let code, let town else { return .nowhere }
            return towns.contains(code + "/" + town) ? .everywhere : .nowhere
        case .polygon(let g, let box):
            // The box edges included: a point on the outline's extreme is the outline's to decide.
            let inBox = point.lon >= box.minLon && point.lon <= box.maxLon && point.lat >= box.minLat && point.lat <= box.maxLat
            return inBox && g.contains(point) ? .everywhere : .nowhere
        }
    }
}

/// Every point of a 0.01° cell that lies in one municipality (a plan is made per cell and municipality).
struct PatientCell: PatientPlace {
    let box: GeoBox
    /// How far a point of the cell can be from its centre, with a margin for the approximation.
    let reach: Double
    let code: String?
    let home: Int32

    func within(_ metres: Double, of provider: ProviderPosition?) -> Reach {
        guard let c = provider?.distance else { return .nowhere }
        return c + reach <= metres ? .everywhere : c - reach > metres ? .nowhere : .within(metres)
    }

    func inMunicipality(_ home: Int32) -> Reach { home >= 0 && home == self.home ? .everywhere : .nowhere }

    func reach(of rule: Area.Rule, position: ProviderPosition?) -> Reach {
        switch rule {
        case .radius(let r): within(r, of: position)
        case .municipalities(let codes): code.map(codes.contains) == true ? .everywhere : .nowhere
        case .towns: code == nil ? .nowhere : .unsure
        case .polygon(_, let shape): shape.intersects(box) ? .unsure : .nowhere
        }
    }
}
