import KakehashiGeo
import KakehashiStore

/// What answers and map features show of a provider, as the index keeps it for each one. The
/// store's fuller record (address, hours, areas, joined sources, declarations) is read again when a
/// provider's page asks for it; the contact fields most providers leave empty share one optional
/// box. With 450,000 providers the store's record, kept whole, was the index's largest table:
/// this one took the server's memory after start from 450 to 403 MB (issue #16 asks RSS ≤ 500 MB).
struct ProviderRecord: Sendable {
    let id: Int64
    let datasetID: Int64
    let source: String
    let officialID: String
    let kind: String
    let name: String
    let municipalityCode: String?
    let phone: String?
    private let rareContact: RareContact?
    let location: GeoPoint?
    /// Nil: the point is the source's own; `town` (`city`): the 町字's (municipality's) representative point.
    private let level: LocationLevel?
    var locationLevel: String? { level?.rawValue }

    enum LocationLevel: String, Sendable { case town, city }

    /// Contact fields few providers fill, with the provider's own note (declared at the desk).
    private final class RareContact: Sendable {
        let fax, email, url, preferred, note: String?
        init(fax: String?, email: String?, url: String?, preferred: String?, note: String?) {
            (self.fax, self.email, self.url, self.preferred, self.note) = (fax, email, url, preferred, note)
        }
    }

    var fax: String? { rareContact?.fax }
    var email: String? { rareContact?.email }
    var url: String? { rareContact?.url }
    var preferredContact: String? { rareContact?.preferred }
    var contactNote: String? { rareContact?.note }

    /// Copies what it keeps into storage of its own, so that none of the snapshot's blocks stays
    /// alive once it is dropped: read from the database, these strings sit among the snapshot's
    /// other allocations (hours, areas, services), and kept in place they would pin its memory
    /// (see ``HeapTrim`` in the server).
    init(_ p: ProviderFactsSnapshot.Provider) {
        func copy(_ s: String) -> String {
            let n = s.utf8.count
            guard n > 15 else { return s }  // small strings live inline, not on the heap
            return String(unsafeUninitializedCapacity: n) { buffer in
                _ = buffer.initialize(from: s.utf8)
                return n
            }
        }
        id = p.id
        datasetID = p.datasetID
        source = p.source  // shared by every provider of its source (see `providerFacts`)
        kind = p.kind
        officialID = copy(p.officialID)
        name = copy(p.name)
        municipalityCode = p.municipalityCode.map(copy)
        phone = p.phone.map(copy)
        location = p.location
        level = p.locationLevel.flatMap(LocationLevel.init(rawValue:))
        let rare = [p.fax, p.email, p.url, p.preferredContact, p.contactNote]
        rareContact = rare.allSatisfy { $0 == nil } ? nil
            : RareContact(fax: p.fax.map(copy), email: p.email.map(copy), url: p.url.map(copy),
                          preferred: p.preferredContact.map(copy), note: p.contactNote.map(copy))
    }
}
