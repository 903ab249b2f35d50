/// The kinds of source Kakehashi imports, one importer and one CLI subcommand each.
public enum SourceKind: String, Sendable, Codable, CaseIterable {
    case boundaries
    case population
    case meshPopulation = "mesh-population"
    case kaigo
    case iryo
    case zaishishin
    case todokede
    case towns
    case providers
    case medicalAreas = "medical-areas"
    case demand
    /// (ア)–(ク) progress recorded by municipalities: not a release, each row a steward's record.
    case progress

    /// Credit line shown wherever data of this kind is displayed.
    public var credit: String {
        switch self {
        case .boundaries: "「国土数値情報（行政区域データ）」（国土交通省）を加工して作成"
        case .population: "国立社会保障・人口問題研究所「日本の地域別将来推計人口」ほか市区町村別人口"
        case .meshPopulation: "「国勢調査 地域メッシュ統計」（総務省統計局）"
        case .kaigo: "「介護サービス情報公表システム」オープンデータ（厚生労働省）を加工して作成"
        case .iryo: "「医療情報ネット」オープンデータ（厚生労働省）を加工して作成"
        case .zaishishin: "地方厚生局 届出受理医療機関名簿 を加工して作成"
        case .todokede: "「地方厚生局 届出受理医療機関名簿」を加工して作成"
        case .towns: "「位置参照情報」（国土交通省）を加工して作成"
        case .providers: "Kakehashi 形式のデータ（データ管理者による入力）"
        case .medicalAreas: "「国土数値情報（医療圏データ）」（国土交通省）を加工して作成"
        case .demand: "厚生労働省「構想区域別の医療需要推計」を加工して作成"
        case .progress: "各市区町村による記録（在宅医療・介護連携推進事業の進捗）"
        }
    }
}
