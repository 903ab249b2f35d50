import KakehashiGeo

/// The kinds of source Kakehashi imports, one importer and one CLI subcommand each.
public enum SourceKind: String, Sendable, Codable, CaseIterable {
    case boundaries
    case population
    case meshPopulation = "mesh-population"
    case kaigo
    case iryo
    case zaishishin
    case towns
    case providers

    /// Credit line shown wherever data of this kind is displayed.
    public var credit: String {
        switch self {
        case .boundaries: "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成"
        case .population: "国立社会保障・人口問題研究所「日本の地域別将来推計人口」ほか市区町村別人口"
        case .meshPopulation: "「国勢調査 地域メッシュ統計」（総務省統計局）"
        case .kaigo: "「介護サービス情報公表システム」オープンデータ（厚生労働省）を加工して作成"
        case .iryo: "「医療情報ネット」オープンデータ（厚生労働省）を加工して作成"
        case .zaishishin: "地方厚生局 届出受理医療機関名簿 を加工して作成"
        case .towns: "「位置参照情報」（国土交通省）を加工して作成"
        case .providers: "Kakehashi 形式のデータ（データ管理者による入力）"
        }
    }
}

/// What a provider is, as an organisation.
public enum ProviderKind: String, Sendable, Codable, CaseIterable {
    case clinic, hospital, dentalClinic = "dental_clinic", pharmacy
    case visitingNurseStation = "visiting_nurse_station"
    case homeCareOffice = "home_care_office"
    case careManagementOffice = "care_management_office"
    case multiServiceOffice = "multi_service_office"
    case other
}

/// A service a provider offers at the patient's home.
public enum ServiceKind: String, Sendable, Codable, CaseIterable {
    case homeVisitMedical = "home_visit_medical"            // 往診・訪問診療
    case homeVisitNursing = "home_visit_nursing"            // 訪問看護
    case homeCare = "home_care"                             // 訪問介護
    case nightHomeCare = "night_home_care"                  // 夜間対応型訪問介護
    case regularVisit24h = "regular_visit_24h"              // 定期巡回・随時対応型訪問介護看護
    case careManagement = "care_management"                 // 居宅介護支援
    case homePharmacy = "home_pharmacy"                     // 訪問薬剤管理
    case nursingMultifunctional = "nursing_multifunctional" // 看護小規模多機能型居宅介護
    case homeBathing = "home_bathing"                       // 訪問入浴介護
    case homeRehabilitation = "home_rehabilitation"         // 訪問リハビリテーション

    public var japaneseName: String {
        switch self {
        case .homeVisitMedical: "往診・訪問診療"
        case .homeVisitNursing: "訪問看護"
        case .homeCare: "訪問介護"
        case .nightHomeCare: "夜間対応型訪問介護"
        case .regularVisit24h: "定期巡回・随時対応型訪問介護看護"
        case .careManagement: "居宅介護支援"
        case .homePharmacy: "訪問薬剤管理"
        case .nursingMultifunctional: "看護小規模多機能型居宅介護"
        case .homeBathing: "訪問入浴介護"
        case .homeRehabilitation: "訪問リハビリテーション"
        }
    }

    /// 介護サービス情報公表システム サービスコード (the number in the open-data file names).
    public var kaigoServiceCode: String? {
        switch self {
        case .homeCare: "110"
        case .homeBathing: "120"
        case .homeVisitNursing: "130"
        case .homeRehabilitation: "140"
        case .careManagement: "430"
        case .nightHomeCare: "710"
        case .regularVisit24h: "760"
        case .nursingMultifunctional: "770"
        default: nil
        }
    }
}

/// Registrations and fee additions that imply round-the-clock availability for a service.
public enum Capability: String, Sendable, Codable, CaseIterable {
    case homeSupportClinic = "home_support_clinic"       // 在宅療養支援診療所
    case homeSupportHospital = "home_support_hospital"   // 在宅療養支援病院
    case nursing24h = "nursing_24h"                      // 24時間対応体制加算
    case pharmacy24h = "pharmacy_24h"                    // 地域支援体制加算等の24時間対応
}

/// How a provider's location is known.
public enum LocationStatus: String, Sendable, Codable {
    /// Coordinates given by the source.
    case exact
    /// The source gave none, or a placeholder such as (0, 0): the row is kept but never placed.
    case unknown
}

public enum ContactMeans: String, Sendable, Codable, CaseIterable {
    case phone, fax, email
}

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
