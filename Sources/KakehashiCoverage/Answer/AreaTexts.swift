import KakehashiModel

extension MatchedArea {
    /// The rule as an answer shows it, with its Japanese detail.
    func describe(legalRadiusM: Double) -> AreaMatch {
        switch self {
        case .radius(let r): AreaMatch(rule: .radius, detail: "事業所から半径 \(Int(r)) m 以内")
        case .municipalities(let code): AreaMatch(rule: .municipalities, detail: "実施地域の市区町村 \(code) に含まれます")
        case .towns(let town): AreaMatch(rule: .towns, detail: "実施地域の町字「\(town)」に含まれます")
        case .polygon: AreaMatch(rule: .polygon, detail: "登録された実施地域の範囲内です")
        case .legalRadius: AreaMatch(rule: .legalRadius, detail: "実施地域の登録がなく、訪問診療の距離上限 \(Int(legalRadiusM / 1000)) km 以内")
        case .searchRadius: AreaMatch(rule: .searchRadius, detail: "受入れ地域の決まりはなく、架け橋の検索範囲内（近い順）")
        case .homeMunicipality(let code): AreaMatch(rule: .homeMunicipality, detail: "実施地域の登録がなく、事業所の所在市区町村（\(code)）")
        }
    }
}

/// The texts of ``MatchedArea/describe(legalRadiusM:)`` written once for the rules that repeat: the
/// legal radius and every municipality's list and home-municipality texts.
struct AreaTexts: Sendable {
    let legalRadiusM: Double
    let legalRadius: AreaMatch
    let listed: [String: AreaMatch]
    let home: [String: AreaMatch]

    init(legalRadiusM: Double, codes: some Sequence<String>) {
        self.legalRadiusM = legalRadiusM
        legalRadius = MatchedArea.legalRadius.describe(legalRadiusM: legalRadiusM)
        var listed: [String: AreaMatch] = [:], home: [String: AreaMatch] = [:]
        for code in codes {
            listed[code] = MatchedArea.municipalities(code).describe(legalRadiusM: legalRadiusM)
            home[code] = MatchedArea.homeMunicipality(code).describe(legalRadiusM: legalRadiusM)
        }
        self.listed = listed
        self.home = home
    }

    func describe(_ m: MatchedArea) -> AreaMatch {
        switch m {
        case .legalRadius: legalRadius
        case .municipalities(let code): listed[code] ?? m.describe(legalRadiusM: legalRadiusM)
        case .homeMunicipality(let code): home[code] ?? m.describe(legalRadiusM: legalRadiusM)
        default: m.describe(legalRadiusM: legalRadiusM)
        }
    }
}
