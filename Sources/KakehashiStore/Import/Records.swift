import KakehashiGeo
import KakehashiModel

/// A provider as an importer read it, before it is written.
public struct ProviderRecord: Sendable {
    public var line: Int
    public var source: String
    public var officialID: String
    public var kind: ProviderKind
    public var name: String
    public var kana: String?
    public var address: String?
    public var building: String?
    public var municipalityCode: String?
    public var location: GeoPoint?
    public var phone: String?
    public var fax: String?
    public var email: String?
    public var url: String?
    public var preferredContact: ContactMeans?
    public var corporation: String?
    public var services: [ServiceKind] = []
    public var capabilities: [(Capability, String?)] = []
    public var hours: [HoursRecord] = []
    public var areas: [ServiceAreaRecord] = []

    public init(line: Int, source: String, officialID: String, kind: ProviderKind, name: String) {
        self.line = line
        self.source = source
        self.officialID = officialID
        self.kind = kind
        self.name = name
    }
}

public struct HoursRecord: Sendable {
    public enum Scope: String, Sendable { case outpatient, service }
    public var service: ServiceKind?
    public var scope: Scope
    public var label: String?
    public var openingHours: String?
    public var sourceText: String?
    /// Which dataset of the batch the fact comes from (the iryo hours file is the second).
    public var datasetSlot = 0
}

public struct ServiceAreaRecord: Sendable {
    public enum Rule: Sendable {
        case radius(metres: Double)
        case municipalities([String])
        case towns([(municipalityCode: String, town: String)])
        case polygon(Geometry)
    }
    public var service: ServiceKind?
    public var rule: Rule
}

/// A service area drawn for a provider that another file (or another source) holds.
public struct AttachedAreaRecord: Sendable {
    public var line: Int
    public var providerSource: String
    public var officialID: String
    public var area: ServiceAreaRecord
}

public struct MunicipalityRecord: Sendable {
    public var feature: Int
    public var code: String
    public var prefecture: String
    public var county: String?
    public var city: String?
    public var ward: String?
    public var name: String
    public var parts: [[[GeoPoint]]]
}

public struct PopulationRecord: Sendable {
    public var line: Int
    public var code: String
    public var name: String?
    public var year: Int
    public var total: Int
    public var age65Plus: Int?
    public var age75Plus: Int?
    public var age65To74: Int?
}

public struct MeshPopulationRecord: Sendable {
    public var line: Int
    public var mesh: MeshCode
    public var year: Int
    public var total: Int
    public var male: Int?
    public var female: Int?
    public var households: Int?
    public var age65Plus: Int?
    public var age75Plus: Int?
}

public struct TownRecord: Sendable {
    public var line: Int
    public var municipalityCode: String
    public var prefecture: String
    public var city: String
    public var town: String
    public var koaza: String
    /// Nil where the gazetteer gives the town without a representative point.
    public var point: GeoPoint?
}

/// Everything one file yields, ready to be written in one transaction.
public struct ParsedDataset: Sendable {
    public var kind: SourceKind
    public var file: SourceFile
    /// What a newer release replaces: loads with the same key supersede each other.
    public var sourceKey: String
    public var referenceDate: String?
    /// The credit line stored with the load; the source kind's own unless the import says otherwise.
    public var credit: String?
    public var rowsRead = 0
    public var rejected: [ImportIssue] = []
    public var warnings: [ImportIssue] = []
    public var providers: [ProviderRecord] = []
    public var attachedAreas: [AttachedAreaRecord] = []
    public var municipalities: [MunicipalityRecord] = []
    public var population: [PopulationRecord] = []
    public var meshPopulation: [MeshPopulationRecord] = []
    public var towns: [TownRecord] = []

    public init(kind: SourceKind, file: SourceFile, sourceKey: String) {
        self.kind = kind
        self.file = file
        self.sourceKey = sourceKey
    }
}
