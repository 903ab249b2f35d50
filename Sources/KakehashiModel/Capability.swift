/// What a provider is registered for (施設基準の届出, 加算): some imply round-the-clock availability
/// for a service, others only that the provider offers it. The 届出 codes that give each are read in
/// ``TodokedeCodes`` (KakehashiStore).
public enum Capability: String, Sendable, Codable, CaseIterable {
    case homeSupportClinic = "home_support_clinic"       // 在宅療養支援診療所 (支援診１–３)
    case homeSupportHospital = "home_support_hospital"   // 在宅療養支援病院 (支援病１–３)
    case nursing24h = "nursing_24h"                      // 24時間対応体制加算
    case pharmacy24h = "pharmacy_24h"                    // 地域支援体制加算・在宅薬学総合体制加算の24時間対応
    case backupHospital = "home_backup_hospital"         // 在宅療養後方支援病院 (在後病)
    case homeSupportDental = "home_support_dental"       // 在宅療養支援歯科診療所・病院 (歯援診１・２, 歯援病)
    case regularHomeVisits = "regular_home_visits"       // 在宅時医学総合管理料 (在医総管): regular daytime visits
    case afterHoursPhone = "after_hours_phone"           // 時間外対応加算 (時間外１–４): telephone for its own patients
    case pharmacyHomeVisits = "pharmacy_home_visits"     // 在宅患者訪問薬剤管理指導 (在薬)
    case careContact24h = "care_contact_24h"             // 居宅介護支援の24時間連絡体制 (特定事業所加算の要件): declared at the desk
}
