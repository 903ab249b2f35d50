import KakehashiModel
import KakehashiStore

/// One entry of the indicator dictionary (`GET /v1/indicators`), in the manner of 見える化.
public struct Indicator: Sendable, Codable, Equatable {
    public var id: String
    public var name: String
    public var definition: String
    public var unit: String
    /// Source kinds the numbers come from; the datasets themselves are named in each layer response.
    public var sources: [String]
    /// Whether the value depends on `service` (and `window`).
    public var perService: Bool
}

public enum Indicators {
    public static let all: [Indicator] = [
        Indicator(id: "population_total", name: "総人口", definition: "市区町村（またはメッシュ）の総人口", unit: "人", sources: ["population", "mesh-population"], perService: false),
        Indicator(id: "population_65_plus", name: "65歳以上人口", definition: "65歳以上の人口", unit: "人", sources: ["population", "mesh-population"], perService: false),
        Indicator(id: "population_75_plus", name: "75歳以上人口", definition: "75歳以上の人口。メッシュで年齢別がない場合は市区町村の75歳以上割合で按分した推計（estimated）", unit: "人", sources: ["population", "mesh-population"], perService: false),
        Indicator(id: "ratio_65_plus", name: "高齢化率（65歳以上割合）", definition: "65歳以上人口 ÷ 総人口 × 100", unit: "%", sources: ["population"], perService: false),
        Indicator(id: "ratio_75_plus", name: "後期高齢者割合（75歳以上割合）", definition: "75歳以上人口 ÷ 総人口 × 100", unit: "%", sources: ["population"], perService: false),
        Indicator(id: "providers", name: "事業所数", definition: "所在地がその市区町村にある、指定サービスを提供する事業所の数", unit: "か所", sources: ["kaigo", "iryo", "zaishishin", "providers"], perService: true),
        Indicator(id: "providers_per_1000_75_plus", name: "75歳以上千人あたり事業所数", definition: "事業所数 ÷ 75歳以上人口 × 1000", unit: "か所/千人", sources: ["population", "kaigo", "iryo", "zaishishin", "providers"], perService: true),
        Indicator(id: "home_support_clinics", name: "在宅療養支援診療所数", definition: "所在地がその市区町村にある在宅療養支援診療所（届出受理医療機関名簿の支援診１〜３）の数", unit: "か所", sources: ["todokede", "zaishishin", "providers"], perService: false),
        Indicator(id: "home_support_clinics_per_1000_75_plus", name: "75歳以上千人あたり在宅療養支援診療所数", definition: "在宅療養支援診療所数 ÷ 75歳以上人口 × 1000", unit: "か所/千人", sources: ["population", "todokede", "zaishishin", "providers"], perService: false),
        Indicator(id: "home_support_hospitals", name: "在宅療養支援病院数", definition: "在宅療養支援病院（支援病１〜３）の数", unit: "か所", sources: ["todokede", "zaishishin", "providers"], perService: false),
        Indicator(id: "home_support_hospitals_per_1000_75_plus", name: "75歳以上千人あたり在宅療養支援病院数", definition: "在宅療養支援病院数 ÷ 75歳以上人口 × 1000", unit: "か所/千人", sources: ["population", "todokede", "zaishishin", "providers"], perService: false),
        Indicator(id: "home_backup_hospitals", name: "在宅療養後方支援病院数", definition: "在宅療養後方支援病院（在後病）の数", unit: "か所", sources: ["todokede", "providers"], perService: false),
        Indicator(id: "home_backup_hospitals_per_1000_75_plus", name: "75歳以上千人あたり在宅療養後方支援病院数", definition: "在宅療養後方支援病院数 ÷ 75歳以上人口 × 1000", unit: "か所/千人", sources: ["population", "todokede", "providers"], perService: false),
        Indicator(id: "home_support_dental", name: "在宅療養支援歯科診療所・病院数", definition: "在宅療養支援歯科診療所・病院（歯援診１・２、歯援病）の数", unit: "か所", sources: ["todokede", "providers"], perService: false),
        Indicator(id: "home_support_dental_per_1000_75_plus", name: "75歳以上千人あたり在宅療養支援歯科診療所・病院数", definition: "在宅療養支援歯科診療所・病院数 ÷ 75歳以上人口 × 1000", unit: "か所/千人", sources: ["population", "todokede", "providers"], perService: false),
        Indicator(id: "providers_per_1000_65_plus", name: "65歳以上千人あたり事業所数（今日の数のまま）", definition: "今日の事業所数 ÷ その年（year）の65歳以上人口 × 1000。将来の年では、事業所が増減しないと仮定した値", unit: "か所/千人", sources: ["population", "kaigo", "iryo", "zaishishin", "todokede", "providers"], perService: true),
        Indicator(id: "providers_more_to_keep_ratio", name: "今日の割合を保つのに要る事業所の増分", definition: "今日の事業所数 × その年の65歳以上人口 ÷ 最新の実績年の65歳以上人口 − 今日の事業所数（切り上げ、0 未満は 0）。一事業所が今日と同じ人数を支えると仮定", unit: "か所", sources: ["population", "kaigo", "iryo", "zaishishin", "todokede", "providers"], perService: true),
        Indicator(id: "home_support_clinics_per_1000_65_plus", name: "65歳以上千人あたり在宅療養支援診療所数（今日の数のまま）", definition: "今日の在宅療養支援診療所数 ÷ その年（year）の65歳以上人口 × 1000。将来の年では、診療所が増減しないと仮定した値", unit: "か所/千人", sources: ["population", "todokede", "zaishishin", "providers"], perService: false),
        Indicator(id: "home_support_clinics_more_to_keep_ratio", name: "今日の割合を保つのに要る在宅療養支援診療所の増分", definition: "今日の在宅療養支援診療所数 × その年の65歳以上人口 ÷ 最新の実績年の65歳以上人口 − 今日の数（切り上げ、0 未満は 0）。一診療所が今日と同じ人数を支えると仮定", unit: "か所", sources: ["population", "todokede", "zaishishin", "providers"], perService: false),
        Indicator(id: "home_visit_demand", name: "在宅医療（訪問診療）の需要", definition: "構想区域別の在宅（訪問診療）需要推計（厚生労働省）：レセプト件数/月。その年度の値、なければその年までの最新の実績年度（home_visit_demand_year・home_visit_demand_kind が示す）。二次医療圏のレイヤーのみ", unit: "件/月", sources: ["demand"], perService: false),
        Indicator(id: "covered_75_plus_share", name: "訪問が確保された75歳以上人口の割合", definition: "指定サービス・時間帯（既定は今夜）に、期間全体を通して対応できる事業所が少なくとも1つあるメッシュに住む75歳以上人口 ÷ メッシュの75歳以上人口 × 100（メッシュの中心点で判定）", unit: "%", sources: ["mesh-population", "population", "kaigo", "iryo", "zaishishin", "providers"], perService: true),
        Indicator(id: "uncovered_75_plus", name: "訪問が確保されていない75歳以上人口", definition: "上の割合の残り：対応できる事業所がないメッシュに住む75歳以上人口", unit: "人", sources: ["mesh-population", "population", "kaigo", "iryo", "zaishishin", "providers"], perService: true),
        Indicator(id: "gap", name: "空白メッシュ", definition: "75歳以上人口が閾値（既定 10 人）以上で、対応できる事業所がないメッシュ", unit: "真偽", sources: ["mesh-population", "kaigo", "iryo", "zaishishin", "providers"], perService: true),
    ]

    /// Counts of registered providers per municipality, as 見える化 shows 在支診 and 在支病: the layer
    /// column and the capabilities it counts.
    public static let registrations: [(column: String, capabilities: [Capability])] = [
        ("home_support_clinics", [.homeSupportClinic]), ("home_support_hospitals", [.homeSupportHospital]),
        ("home_backup_hospitals", [.backupHospital]), ("home_support_dental", [.homeSupportDental]),
    ]

    public static func find(_ id: String) -> Indicator? { all.first { $0.id == id } }
}
