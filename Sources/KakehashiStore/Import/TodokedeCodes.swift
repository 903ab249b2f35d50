import Foundation
import KakehashiModel

/// What a 受理記号 of the 届出受理医療機関名簿 (施設基準の届出) says a provider offers at home.
///
/// Codes are matched by prefix after folding 全角 to 半角, because revisions split them (`支援診２`
/// became `支援診２ア` in some years) and the digit after a prefix gives the type. Codes not listed
/// here are kept as data (``NoticeRecord``), never errors: the 名簿 holds hundreds.
enum TodokedeCodes {
    struct Meaning: Equatable {
        var capability: Capability?
        /// The type within the capability (e.g. 機能強化型・単独).
        var detail: String?
        var services: [ServiceKind]
    }

    /// The prefixes read, longest first so that 在薬総 is not read as 在薬.
    static let prefixes = ["支援診", "支援病", "在後病", "歯援診", "歯援病", "歯訪診", "在医総管", "時間外", "在薬総", "地支体", "在薬"]
        .sorted { $0.count > $1.count }

    static func meaning(prefix: String, digit: Character?) -> Meaning? {
        switch prefix {
        // 在宅療養支援診療所・病院: 1 機能強化型（単独）, 2 機能強化型（連携）, 3 従来型 (特掲診療料の施設基準 第九).
        case "支援診": Meaning(capability: .homeSupportClinic, detail: supportType(digit), services: [.homeVisitMedical])
        case "支援病": Meaning(capability: .homeSupportHospital, detail: supportType(digit), services: [.homeVisitMedical, .backupAdmission])
        // 在宅療養後方支援病院: admits its registered home patients when their condition changes.
        case "在後病": Meaning(capability: .backupHospital, services: [.backupAdmission])
        // 在宅療養支援歯科診療所 1・2 and 在宅療養支援歯科病院.
        case "歯援診": Meaning(capability: .homeSupportDental, detail: digit.map { "clinic_\($0)" }, services: [.homeVisitDental])
        case "歯援病": Meaning(capability: .homeSupportDental, detail: "hospital", services: [.homeVisitDental])
        // 歯科訪問診療料の注に規定する基準: does dental home visits, no night duty implied.
        case "歯訪診": Meaning(services: [.homeVisitDental])
        // 在医総管１, 在宅時医学総合管理料: regular daytime visits, not a night duty. 在医総管２ is
        // another 届出, the 注14 基準 (様式19の2, filed to enter or leave the reduced rate for many
        // patients in one building): it says the clinic visits, not that it holds the fee's 届出 —
        // its number and date must not stand for 在医総管１'s.
        case "在医総管": digit == "2" ? Meaning(services: [.homeVisitMedical]) : Meaning(capability: .regularHomeVisits, services: [.homeVisitMedical])
        // 時間外対応加算 1–4: answers its own patients' calls after hours; no visits implied.
        case "時間外": Meaning(capability: .afterHoursPhone, detail: digit.map(String.init), services: [])
        // 在宅薬学総合体制加算 and 地域支援体制加算: a pharmacy's 24-hour system.
        case "在薬総": Meaning(capability: .pharmacy24h, detail: "在宅薬学総合体制加算", services: [.homePharmacy])
        case "地支体": Meaning(capability: .pharmacy24h, detail: "地域支援体制加算", services: [.homePharmacy])
        // 在宅患者訪問薬剤管理指導: the pharmacy visits patients at home.
        case "在薬": Meaning(capability: .pharmacyHomeVisits, services: [.homePharmacy])
        default: nil
        }
    }

    static func supportType(_ digit: Character?) -> String? {
        switch digit {
        case "1": "enhanced_single"
        case "2": "enhanced_joint"
        case "3": "standard"
        default: nil
        }
    }

    /// The code folded for matching: 全角 letters and digits to 半角, spaces dropped.
    static func folded(_ code: String) -> String {
        code.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace }
    }

    /// What the code means, or nil for a code with no bearing on home care.
    static func meaning(of code: String) -> Meaning? {
        let c = folded(code)
        for prefix in prefixes where c.hasPrefix(prefix) {
            let next = c.dropFirst(prefix.count).first
            return meaning(prefix: prefix, digit: next.flatMap { $0.isASCII && $0.isNumber ? $0 : nil })
        }
        return nil
    }
}
