import Foundation

/// The eight items (ア)–(ク) of the 在宅医療・介護連携推進事業, the 地域支援事業 each municipality runs
/// (介護保険法 第115条の45 第2項第4号). No official file reports their progress per municipality, so
/// municipalities record it themselves; 見える化 shows it beside the resources.
public enum ProgressItem: String, Sendable, Codable, CaseIterable {
    case a, b, c, d, e, f, g, h

    /// (ア) … (ク).
    public var letter: String { ["ア", "イ", "ウ", "エ", "オ", "カ", "キ", "ク"][Self.allCases.firstIndex(of: self)!] }

    public var label: String {
        switch self {
        case .a: "地域の医療・介護の資源の把握"
        case .b: "在宅医療・介護連携の課題の抽出と対応策の検討"
        case .c: "切れ目のない在宅医療と在宅介護の提供体制の構築推進"
        case .d: "医療・介護関係者の情報共有の支援"
        case .e: "在宅医療・介護連携に関する相談支援"
        case .f: "医療・介護関係者の研修"
        case .g: "地域住民への普及啓発"
        case .h: "在宅医療・介護連携に関する関係市区町村の連携"
        }
    }

    /// `a`, `ア`, `(ア)` or `（ア）`.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .init(charactersIn: " ()（）\u{3000}"))
        guard let item = Self(rawValue: t.lowercased()) ?? Self.allCases.first(where: { $0.letter == t }) else { return nil }
        self = item
    }
}

/// How far a municipality has come with an item, in the PDCA order of the 手引き.
public enum ProgressStage: String, Sendable, Codable, CaseIterable, Comparable {
    case notStarted = "not_started"
    case considering
    case implementing
    case evaluating

    public var label: String {
        switch self {
        case .notStarted: "未着手"
        case .considering: "検討中"
        case .implementing: "実施中"
        case .evaluating: "評価・改善"
        }
    }

    /// 0 (未着手) to 3 (評価・改善), for maps and comparisons.
    public var level: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (a: Self, b: Self) -> Bool { a.level < b.level }

    /// The English value or the Japanese label.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let stage = Self(rawValue: t) ?? Self.allCases.first(where: { $0.label == t }) else { return nil }
        self = stage
    }
}
