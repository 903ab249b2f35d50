/// Registrations and fee additions that imply round-the-clock availability for a service.
public enum Capability: String, Sendable, Codable, CaseIterable {
    case homeSupportClinic = "home_support_clinic"       // 在宅療養支援診療所
    case homeSupportHospital = "home_support_hospital"   // 在宅療養支援病院
    case nursing24h = "nursing_24h"                      // 24時間対応体制加算
    case pharmacy24h = "pharmacy_24h"                    // 地域支援体制加算等の24時間対応
}
