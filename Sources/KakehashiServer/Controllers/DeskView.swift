import Foundation
import KakehashiCoverage
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// A provider's desk as its page shows it: the official facts beside the declared ones, each
/// declaration with its confirmation and whether it is due or stale.
struct DeskView: Encodable {
    struct OfficialCapability: Encodable { var capability: String; var detail: String?; var noticeNumber: String?; var since: String?; var dataset: Int64 }
    struct OfficialHours: Encodable { var service: String?; var label: String?; var openingHours: String?; var dataset: Int64 }
    struct OfficialArea: Encodable { var service: String?; var rule: String; var radiusM: Double?; var municipalities: [String]; var towns: Int; var dataset: Int64 }
    struct Official: Encodable {
        var capabilities: [OfficialCapability]
        var hours: [OfficialHours]
        var areas: [OfficialArea]
        var contact: DeclaredContact
    }

    struct DeclarationView: Encodable {
        var fact: String
        var service: String?
        /// nil once withdrawn.
        var value: JSONValue?
        var updatedAt: Date?
        var updatedBy: String?
        var confirmedAt: Date?
        var confirmedBy: String?
        var daysSinceConfirmed: Int?
        /// Past the desk's confirmation period: the page asks for a confirmation.
        var confirmationDue: Bool
        /// Past the lookup's limit: answers that rest on it are `unknown`.
        var stale: Bool

        init(_ d: Declaration?, fact: Declaration.Fact, service: String?, freshness: DeclarationFreshness, now: Date) {
            self.fact = fact.rawValue
            self.service = service
            value = d.flatMap { JSONValue.parse($0.value) }
            updatedAt = d?.updatedAt
            updatedBy = d?.updatedBy
            confirmedAt = d?.confirmedAt
            confirmedBy = d?.confirmedBy
            daysSinceConfirmed = d.map { DeclarationFreshness.daysSince($0.confirmedAt, now: now) }
            // A contact is not judged: coordinators see it as the provider keeps it.
            confirmationDue = fact != .contact && (d.map { freshness.isDue(confirmedAt: $0.confirmedAt, now: now) } ?? false)
            stale = fact != .contact && (d.map { freshness.isStale(confirmedAt: $0.confirmedAt, now: now) } ?? false)
        }
    }

    var id: Int64
    var name: String
    var kind: String
    var address: String?
    var municipalityCode: String?
    var lat: Double?
    var lon: Double?
    var services: [String]
    var official: Official
    var declarations: [DeclarationView]
    /// The capabilities this provider may declare.
    var declarable: [String]
    struct MunicipalityRef: Encodable { var code: String; var name: String }
    /// Municipalities within 20 km, for the area form.
    var nearbyMunicipalities: [MunicipalityRef] = []
    var onCall: OnCallReport?
    var onCallStatus: String
    var confirmAfterDays: Int
    var staleAfterDays: Int

    init(_ p: ProviderFactsSnapshot.Provider, onCall: OnCallReport?, freshness: DeclarationFreshness, now: Date) {
        id = p.id
        name = p.name
        kind = p.kind
        address = p.address
        municipalityCode = p.municipalityCode
        lat = p.location?.lat
        lon = p.location?.lon
        services = p.services.sorted()
        official = Official(
            capabilities: p.capabilities.map { .init(capability: $0.capability, detail: $0.detail, noticeNumber: $0.noticeNumber, since: $0.since, dataset: $0.datasetID) },
            hours: p.hours.filter { $0.scope == "service" }.map { .init(service: $0.service, label: $0.label, openingHours: $0.openingHours, dataset: $0.datasetID) },
            areas: p.areas.map { .init(service: $0.service, rule: $0.rule, radiusM: $0.radiusM, municipalities: $0.municipalities, towns: $0.towns.count, dataset: $0.datasetID) },
            contact: DeclaredContact(phone: p.phone, fax: p.fax, email: p.email, preferred: p.preferredContact))
        declarations = p.declarations.map { DeclarationView($0, fact: $0.fact, service: $0.service, freshness: freshness, now: now) }
        declarable = DeclarationInput.declarable(Set(p.services.compactMap(ServiceKind.init(rawValue:)))).map(\.rawValue)
        self.onCall = onCall
        onCallStatus = ProvidersController<AppRequestContext>.status(onCall, now: now)
        confirmAfterDays = freshness.confirmAfterDays
        staleAfterDays = freshness.staleAfterDays
    }
}
