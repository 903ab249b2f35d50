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
    public var capabilities: [CapabilityRecord] = []
    public var hours: [HoursRecord] = []
    public var areas: [ServiceAreaRecord] = []
    /// Every 届出 the source lists for the provider, the ones without a capability too.
    public var notices: [NoticeRecord] = []
    /// How the point was found when the source gave none (`town`: the 町字's representative point).
    public var locationLevel: String?
    /// The 10-digit 医療機関コード (prefecture, 点数表, 医療機関番号) where the source gives it.
    public var institutionCode: String?
    /// The municipality whose loaded boundary holds the point, when the import looked it up while
    /// reading the file (``ProviderStream``); nil otherwise.
    public var boundaryMunicipality: String?

    public init(line: Int, source: String, officialID: String, kind: ProviderKind, name: String) {
        self.line = line
        self.source = source
        self.officialID = officialID
        self.kind = kind
        self.name = name
    }
}

/// A registration that gives a capability, with the 届出 it comes from where the source says.
public struct CapabilityRecord: Sendable, Equatable {
    public var capability: Capability
    public var detail: String?
    /// 受理番号, e.g. `第418号`.
    public var noticeNumber: String?
    /// 算定開始年月日 (YYYY-MM-DD).
    public var since: String?

    public init(_ capability: Capability, detail: String? = nil, noticeNumber: String? = nil, since: String? = nil) {
        self.capability = capability
        self.detail = detail
        self.noticeNumber = noticeNumber
        self.since = since
    }
}

/// One 届出 of the 名簿 as published: kept whatever its code, so nothing the file says is lost.
public struct NoticeRecord: Sendable {
    public var line: Int
    /// 受理記号 and 受理届出名称.
    public var code: String
    public var name: String?
    public var number: String?
    public var since: String?
    public var remarks: String?
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
    public var kind: PopulationKind = .estimate
    public var area: PopulationArea = .municipality
    public var age0To14: Int?
    public var age15To64: Int?
}

/// A municipality's planning area (a 二次医療圏).
public struct PlanningAreaRecord: Sendable {
    public var line: Int
    public var kind: PlanningAreaKind
    public var areaCode: String
    public var areaName: String
    public var prefectureCode: String
    public var municipalityCode: String
}

/// Care a 構想区域 is projected to need in a fiscal year, in receipts a month.
public struct DemandRecord: Sendable {
    public var line: Int
    public var areaCode: String
    public var areaName: String
    public var care: CareDemand
    public var fiscalYear: Int
    /// The actual figure of a past year, or a projection.
    public var projected: Bool
    public var receiptsPerMonth: Double
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
    /// What the records' `line` counts: nil for a table's lines, `.feature` for GeoJSON.
    public var lineUnit: ImportIssue.PositionUnit?
    public var rejected: [ImportIssue] = []
    public var warnings: [ImportIssue] = []
    public var providers: [ProviderRecord] = []
    /// Providers still being read from a native CSV file, written as they come (after `providers`).
    public var providerStream: ProviderStream?
    public var attachedAreas: [AttachedAreaRecord] = []
    public var municipalities: [MunicipalityRecord] = []
    public var population: [PopulationRecord] = []
    public var meshPopulation: [MeshPopulationRecord] = []
    public var towns: [TownRecord] = []
    public var planningAreas: [PlanningAreaRecord] = []
    public var demand: [DemandRecord] = []

    public init(kind: SourceKind, file: SourceFile, sourceKey: String) {
        self.kind = kind
        self.file = file
        self.sourceKey = sourceKey
    }

    /// Providers read and still to be read (rows of a stream, rejected ones included).
    public var providerCount: Int { providers.count + (providerStream?.expected ?? 0) }
}
