/// What a provider is, as an organisation.
public enum ProviderKind: String, Sendable, Codable, CaseIterable {
    case clinic, hospital, dentalClinic = "dental_clinic", pharmacy
    /// 助産所 (医療情報ネット's 04 file): listed, never a home-medical provider.
    case maternityHome = "maternity_home"
    case visitingNurseStation = "visiting_nurse_station"
    case homeCareOffice = "home_care_office"
    case careManagementOffice = "care_management_office"
    case multiServiceOffice = "multi_service_office"
    case other
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
