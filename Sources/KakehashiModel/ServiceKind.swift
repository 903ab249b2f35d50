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
    case homeVisitDental = "home_visit_dental"              // 歯科訪問診療
    case backupAdmission = "backup_admission"               // 急変時の入院受入れ（在宅療養後方支援病院・在支病）

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
        case .homeVisitDental: "歯科訪問診療"
        case .backupAdmission: "急変時の入院受入れ"
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

    /// The position in `allCases`, for flat per-service tables. A switch: a dictionary hashed the
    /// raw string at every call, twenty times per answer page.
    public var ordinal: Int {
        switch self {
        case .homeVisitMedical: 0
        case .homeVisitNursing: 1
        case .homeCare: 2
        case .nightHomeCare: 3
        case .regularVisit24h: 4
        case .careManagement: 5
        case .homePharmacy: 6
        case .nursingMultifunctional: 7
        case .homeBathing: 8
        case .homeRehabilitation: 9
        case .homeVisitDental: 10
        case .backupAdmission: 11
        }
    }
}
