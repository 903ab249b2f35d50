import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// What a provider declares at the desk, as the lookup uses it (issue #20):
/// - declared hours for a service stand in for the official hours of that service, and a declared
///   area for the official areas (the official rows are kept; the answer names which it used);
/// - declared capabilities add to the official ones, never remove them;
/// - a declaration not confirmed for ``DeclarationFreshness/staleAfterDays`` no longer answers: stale hours
///   answer `unknown` over the window, a stale area makes every answer of its services `unknown`
///   (only a current on-call report still covers), and the entry says why.
struct DeclaredFacts {

    /// One declaration an entry can name, with its confirmation.
    struct Fact: Sendable {
        let fact: Declaration.Fact
        let service: ServiceKind?
        let confirmedAt: Date
        let stale: Bool
    }

    /// The hours a stale declaration leaves: unknown all the time, with the reason as its comment.
    static let staleHours = "24/7 unknown \"申告された時間が長く確認されていません\""

    let facts: [Fact]
    /// Services whose declared area is stale: their answers are unknown.
    let staleAreaServices: Set<ServiceKind>
    /// The next instant a fresh declaration of this provider turns stale.
    let turnsStale: Date?
    private let declarations: [Declaration]
    private let freshness: DeclarationFreshness
    private let now: Date

    init(_ declarations: [Declaration], freshness: DeclarationFreshness, now: Date, services: Set<ServiceKind>) {
        self.declarations = declarations
        self.freshness = freshness
        self.now = now
        var facts: [Fact] = [], staleAreas = Set<ServiceKind>(), next: Date?
        for d in declarations where d.fact != .contact {
            let end = freshness.staleFrom(confirmedAt: d.confirmedAt)
            let stale = end <= now
            if !stale { next = min(next ?? end, end) }
            let service = d.service.flatMap(ServiceKind.init(rawValue:))
            facts.append(Fact(fact: d.fact, service: service, confirmedAt: d.confirmedAt, stale: stale))
            if stale, d.fact == .area { staleAreas.formUnion(service.map { [$0] } ?? services) }
        }
        self.facts = facts
        staleAreaServices = staleAreas
        turnsStale = next
    }

    private func stale(_ d: Declaration) -> Bool { freshness.isStale(confirmedAt: d.confirmedAt, now: now) }

    /// The hours the lookup reads: declared ones (or the stale marker) for the services they name,
    /// the official ones elsewhere.
    func hours(over official: [ProviderFactsSnapshot.Hours], services: Set<ServiceKind>) -> [ProviderFactsSnapshot.Hours] {
        let declared = declarations.filter { $0.fact == .hours }
        guard !declared.isEmpty else { return official }
        let forAll = declared.contains { $0.service == nil }
        let named = Set(declared.compactMap(\.service))
        // Official hours for every service stay for the services no declaration names.
        var kept: [ProviderFactsSnapshot.Hours] = []
        for h in official {
            if let s = h.service { if !forAll && !named.contains(s) { kept.append(h) }; continue }
            if forAll { continue }
            for s in services where !named.contains(s.rawValue) { var copy = h; copy.service = s.rawValue; kept.append(copy) }
        }
        for d in declared {
            guard let text = stale(d) ? Self.staleHours : d.decoded(DeclaredHours.self)?.openingHours else { continue }
            kept.append(.init(service: d.service, scope: "service", label: "declared", openingHours: text, datasetID: 0))
        }
        return kept
    }

    /// The areas the lookup reads: declared ones for the services they name, the official ones elsewhere.
    func areas(over official: [ProviderFactsSnapshot.Area], services: Set<ServiceKind>) -> [ProviderFactsSnapshot.Area] {
        let declared = declarations.compactMap { d in d.fact == .area ? d.decoded(DeclaredArea.self).map { (d, $0) } : nil }
        guard !declared.isEmpty else { return official }
        let forAll = declared.contains { $0.0.service == nil }
        let named = Set(declared.compactMap(\.0.service))
        var kept: [ProviderFactsSnapshot.Area] = []
        for a in official {
            if let s = a.service { if !forAll && !named.contains(s) { kept.append(a) }; continue }
            if forAll { continue }
            for s in services where !named.contains(s.rawValue) { var copy = a; copy.service = s.rawValue; kept.append(copy) }
        }
        for (d, area) in declared {
            var a = ProviderFactsSnapshot.Area(service: d.service, rule: area.rule.rawValue, datasetID: 0)
            a.radiusM = area.radiusM
            a.municipalities = area.municipalities ?? []
            a.towns = (area.towns ?? []).map { ($0.municipalityCode, $0.town) }
            if let text = area.polygon, let any = try? JSONSerialization.jsonObject(with: Data(text.utf8)) {
                a.polygon = try? GeoJSONReader.geometry(any)
            }
            kept.append(a)
        }
        return kept
    }

    /// The capabilities the provider declares, beside the official ones (dataset 0: the desk).
    var capabilities: [ProviderFactsSnapshot.Capability] {
        declarations.filter { $0.fact == .capabilities && !stale($0) }.flatMap { d in
            (d.decoded(DeclaredCapabilities.self)?.capabilities ?? []).map {
                ProviderFactsSnapshot.Capability(capability: $0, detail: "事業所の申告", noticeNumber: nil, since: nil, datasetID: 0)
            }
        }
    }

    /// The declarations an entry for the service names.
    static func refs(_ facts: [Fact], service: ServiceKind, now: Date) -> [DeclaredRef] {
        guard !facts.isEmpty else { return [] }
        return facts.filter { $0.service == nil || $0.service == service }.map {
            DeclaredRef(fact: $0.fact.rawValue, confirmedAt: $0.confirmedAt, daysSinceConfirmed: DeclarationFreshness.daysSince($0.confirmedAt, now: now),
                        stale: $0.stale)
        }
    }

    /// Why an entry is unknown: `declared_hours_stale`, `declared_area_stale`.
    static func notes(_ refs: [DeclaredRef]) -> [String] {
        refs.filter { $0.stale && $0.fact != Declaration.Fact.capabilities.rawValue }.map { "declared_\($0.fact)_stale" }
    }

    /// The contact coordinators see: the declared one where the provider keeps one.
    func contact(over p: inout ProviderFactsSnapshot.Provider) {
        guard let c = declarations.first(where: { $0.fact == .contact })?.decoded(DeclaredContact.self) else { return }
        if let v = c.phone { p.phone = v }
        if let v = c.fax { p.fax = v }
        if let v = c.email { p.email = v }
        if let v = c.preferred { p.preferredContact = v }
        if let v = c.note { p.contactNote = v }
    }
}

/// How long a provider's declaration is trusted (issue #20): the desk asks for a confirmation after
/// ``confirmAfterDays``; after ``staleAfterDays`` the lookup answers `unknown` from it. One home for
/// both limits, read by the lookup, the desk and the steward's lists alike.
public struct DeclarationFreshness: Sendable {
    public var confirmAfterDays: Int
    public var staleAfterDays: Int

    public init(confirmAfterDays: Int = 90, staleAfterDays: Int = 180) {
        self.confirmAfterDays = confirmAfterDays
        self.staleAfterDays = staleAfterDays
    }

    /// The instant a confirmation stops being trusted.
    public func staleFrom(confirmedAt: Date) -> Date { confirmedAt.addingTimeInterval(TimeInterval(staleAfterDays) * 86_400) }

    public func isStale(confirmedAt: Date, now: Date) -> Bool { staleFrom(confirmedAt: confirmedAt) <= now }

    /// Whether the desk asks the provider to confirm again.
    public func isDue(confirmedAt: Date, now: Date) -> Bool { Self.daysSince(confirmedAt, now: now) >= confirmAfterDays }

    /// Calendar days in Japan since the confirmation: 0 is today.
    public static func daysSince(_ confirmedAt: Date, now: Date) -> Int {
        max(0, CoverageWindow.tokyoDate(of: now).dayNumber - CoverageWindow.tokyoDate(of: confirmedAt).dayNumber)
    }
}

