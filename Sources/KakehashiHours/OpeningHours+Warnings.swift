import Foundation

/// Something a value says that is probably not what its writer meant: the reference
/// implementation's warnings (opening_hours.js, with its English text), and rules that a later
/// rule hides entirely. A warning never changes how the value is evaluated.
public struct OpeningHoursWarning: Sendable, Equatable, Encodable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// `Mo-Fr 18:00-09:00; Sa 09:00-13:00`: Saturday's rule replaces all of Saturday, so
        /// Friday's night ends at midnight.
        case overwritesPreviousNight = "overwrites_previous_night"
        /// A rule that applies on no day where a later `;` rule does not replace it.
        case hiddenByLaterRule = "hidden_by_later_rule"
        /// `Mo,We` or `Mo open`: days without hours.
        case noTimes = "no_times"
        /// `Mo 10:00-12:00; off`: a rule of a state alone after the first replaces everything before it.
        case stateAfterFirstRule = "state_after_first_rule"
        /// `Mo ""`.
        case emptyComment = "empty_comment"
        /// `Mo-Fr 10:00-20:00, We off`: an added rule that closes is read as a replacing one.
        case addedClosedRule = "added_closed_rule"
        /// `24/7; Mo 15:00-16:00 off`, `Mo 24/7`: 24/7 that is not always open.
        case notAlwaysOpen = "not_always_open"
        /// `08:00-09:00; 10:00-12:00`: rules of times alone, which replace one another.
        case separateTimeRules = "separate_time_rules"
        /// `10:00-12:00;`: an empty rule.
        case emptyRule = "empty_rule"
        /// `10:00-12:00,`: a comma ending the value.
        case trailingComma = "trailing_comma"
        /// `Mo: 10:00`, `Jan 11: week 02`: a colon the specification does not place there.
        case misplacedColon = "misplaced_colon"
        /// `10-12`: hours without minutes (read as `10:00-12:00`).
        case timeWithoutMinutes = "time_without_minutes"
        /// `22-2`: a one-digit hour below 12 that could be either half of the day.
        case ambiguousHour = "ambiguous_hour"
        /// `10.00`: a dot between hours and minutes.
        case dotTimeSeparator = "dot_time_separator"
        /// `10am-6pm`: the 12-hour clock (converted).
        case twelveHourClock = "twelve_hour_clock"
        /// `12:00–14:00`, `12:00 to 14:00`: something else than `-` between two times.
        case rangeNotation = "range_notation"
        /// `10：00`: the full-width colon of Japanese input for `:`.
        case colonNotation = "colon_notation"
        /// `月-金`, `土曜日`: a Japanese weekday name (read as `Mo-Fr`, `Sa`).
        case weekdayName = "weekday_name"
        /// `「要予約」`, `'…'`: another quote than `"` around a comment.
        case quoteNotation = "quote_notation"
    }

    public let kind: Kind
    /// The rule (0-based) it is about; nil for the whole value.
    public let rule: Int?
    /// What the message names: the hour, the notation found, the value to write instead.
    let detail: String?

    init(_ kind: Kind, rule: Int?, detail: String? = nil) {
        self.kind = kind
        self.rule = rule
        self.detail = detail
    }

    /// The hour an ``Kind/ambiguousHour`` warning names.
    private var hour: Int { Int(detail ?? "") ?? 0 }

    /// The English abbreviation of the name a ``Kind/weekdayName`` warning names.
    private var englishDay: String { Weekday(japaneseName: detail ?? "")?.osm ?? "" }

    /// What is wrong and what to write instead, in Japanese.
    public var message: String {
        let which = rule.map { "規則 \($0 + 1)" } ?? "値"
        return switch kind {
        case .overwritesPreviousNight:
            "\(which)は前の規則の日付をまたぐ時間（深夜まで）をその日の分だけ消します。続けて適用するなら ; ではなく , で区切ってください"
        case .hiddenByLaterRule: "\(which)は後の ; の規則がすべての日で置き換えるため、どの日にも効きません"
        case .noTimes: "\(which)には時刻がありません（終日として扱われます）。時刻を書くか、注記で補ってください"
        case .stateAfterFirstRule: "\(which)は状態だけの規則で、それより前の規則をすべて置き換えます。既定の状態は最初の規則に書いてください"
        case .emptyComment: "\(which)の注記が空です。内容を書くか unknown を使ってください"
        case .addedClosedRule: "\(which)は , で追加された休みの規則です。休みは ; で区切った規則で書いてください（, でも ; と同じに読まれます）"
        case .notAlwaysOpen: "24/7 が「常に営業」の意味になっていません。open と休みの規則（例: open; Mo 12:00-14:00 off）で書いてください"
        case .separateTimeRules: "時刻だけの規則が ; で分かれており、後の規則が前を置き換えます。, でつないで一つの規則にしてください"
        case .emptyRule: "\(which)が空です（末尾の ; など）。取り除いてください"
        case .trailingComma: "値が , で終わっています。続きを書くか , を取り除いてください"
        case .misplacedColon: "\(which)の : は仕様上その位置に置けません。取り除いてください"
        case .timeWithoutMinutes: "\(which)の時刻に分がありません。「\(detail ?? "")」と書いてください"
        case .ambiguousHour:
            "\(which)の 1 桁の時刻「\(hour)」は \(hour) 時とも \(hour + 12) 時とも読めます。「0\(hour)」か「\(hour + 12)」と書いてください"
        case .dotTimeSeparator: "\(which)の時刻の区切りに「.」が使われています。「:」を使ってください"
        case .twelveHourClock: "\(which)の時刻が am/pm の 12 時間表記です（24 時間表記に直して読みました）。24 時間表記で書いてください"
        case .rangeNotation: "\(which)の範囲に「\(detail ?? "")」が使われています。「-」を使ってください"
        case .colonNotation: "\(which)に全角の「：」が使われています。半角の「:」を使ってください"
        case .weekdayName: "\(which)に日本語の曜日「\(detail ?? "")」が使われています（\(englishDay) と読みました）。英語の略号「\(englishDay)」を使ってください"
        case .quoteNotation: "\(which)の注記が「\(detail ?? "")」で囲まれています。半角の「\"」で囲んでください"
        }
    }

    /// The reference's own text for the same warning (nil for Kakehashi's own).
    public var reference: String? {
        switch kind {
        case .overwritesPreviousNight:
            "This rule overwrites parts of the previous rule. This happens because normal rules apply to the whole day and overwrite any definition made by previous rules. You can make this rule an additional rule by using a \",\" instead of the normal \";\" to separate the rules. Note that the overwriting can also be desirable in which case you can ignore this warning."
        case .hiddenByLaterRule: nil
        case .noTimes:
            "This rule is not very explicit because there is no time selector being used. A time selector is the part specifying hours when the object is opened, for example \"10:00-19:00\". Please add a time selector to this rule or use a comment to make it more explicit."
        case .stateAfterFirstRule:
            "This rule which changes the default state (which is closed) for all following rules is not the first rule. The rule will overwrite all previous rules. It can be legitimate to change the default state to open for example and then only specify for which times the facility is closed."
        case .emptyComment: "You have used an empty comment. Please either write something in the comment or use the keyword unknown instead."
        case .addedClosedRule:
            "This rule will be evaluated as closed but it was specified as additional rule. It should be specified as normal rule using \";\" as rule separator. See https://wiki.openstreetmap.org/wiki/Key:opening_hours/specification#explain:rule_modifier:closed."
        case .notAlwaysOpen:
            "You used 24/7 in a way that is probably not interpreted as \"24 hours 7 days a week\". For correctness you might want to use \"open\" or \"closed\" for this rule and then write your exceptions which should achieve the same goal and is more clear e.g. \"open; Mo 12:00-14:00 off\"."
        case .separateTimeRules:
            "Separate rules detected each of which only consists of a time selector. These rules should be written as one rule by combining them using \",\"."
        case .trailingComma: "The value ends with \",\". Please either continue after \",\" or remove \",\"."
        case .emptyRule:
            "This rule does not contain anything useful. Please remove this empty rule. Might it be possible that you are a programmer and adding a semicolon after each statement is hardwired in your muscle memory ;) ? The thing is that the semicolon in the opening_hours syntax is defined as rule separator. So for compatibility reasons you should omit this last semicolon."
        case .misplacedColon:
            "You have used the optional symbol <separator_for_readability> in the wrong place. Please check the syntax specification to see where it could be used or remove it."
        case .timeWithoutMinutes:
            "Time range without minutes specified. Not very explicit! Please use this syntax instead \"\(detail ?? "")\"."
        case .ambiguousHour:
            "Single-digit hour \"\(hour)\" without leading zero - could mean \(hour) (in the morning) or \(hour + 12) (after midday). Add a leading zero like \"0\(hour)\" or change it to \"\(hour + 12)\" to be explicit."
        case .dotTimeSeparator: "Please use \":\" as hour/minute-separator"
        case .twelveHourClock:
            "Please use time format in 24 hours notation instead of the legacy 12 hours variant. If the 12 hours variant is used you might have to convert the hours to the 24 hours notation."
        case .rangeNotation:
            switch detail {
            case "–": "Please use notation \"-\" for \"–\". Although using \"–\" is typographical correct, it is not defined in the opening_hours syntax. Correct typography should be done on application level …"
            case "~", "～": "Please use notation \"-\" for \"\(detail ?? "")\". If there is reason to suspect uncertainty consider adding a comment. Example: 12:00-14:00 \"only on sunshine\"."
            default: "Please use notation \"-\" for \"\(detail ?? "")\"."
            }
        case .colonNotation: "Please use notation \":\" for \"：\"."
        case .weekdayName: "Please use the English abbreviation \"\(englishDay)\" for \"\(detail ?? "")\"."
        case .quoteNotation:
            detail == "'" ? "Please use notation \"\"\" for \"'\"."
                : "Please use notation \"\"\" for \"\(detail ?? "")\". Although using \"\(detail ?? "")\" is typographical correct, it is not defined in the opening_hours syntax. Correct typography should be done on application level …"
        }
    }

    enum CodingKeys: String, CodingKey { case kind, rule, message, reference }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(rule, forKey: .rule)
        try c.encode(message, forKey: .message)
        try c.encodeIfPresent(reference, forKey: .reference)
    }
}

extension OpeningHours {
    /// Every warning for the value, in rule order; `now` starts the two years looked at for
    /// rules that never apply and for 24/7 that changes.
    public func warnings(now: Date = Date(), timeZone: TimeZone = .tokyo) -> [OpeningHoursWarning] {
        var found = readingNotes
        for k in rules.indices {
            let r = rules[k]
            let selectorless = r.everyDay && r.times.isEmpty
            if selectorless && r.writtenState != nil && r.comment == nil {
                if k > 0 { found.append(.init(.stateAfterFirstRule, rule: k)) }
            } else if r.times.isEmpty, !r.writtenAlways, r.comment == nil, r.writtenState == nil || r.writtenState == .open {
                found.append(.init(.noTimes, rule: k))
            }
            if r.comment == "" { found.append(.init(.emptyComment, rule: k)) }
            if r.addedWithComma, r.writtenState == .closed { found.append(.init(.addedClosedRule, rule: k)) }
            if overwritesPreviousNight(k + 1) { found.append(.init(.overwritesPreviousNight, rule: k + 1)) }
        }
        found += hiddenRules(from: CivilDate(dayNumber: LocalClock(timeZone).local(Int(now.timeIntervalSince1970)) / 86_400))
        if rules.contains(where: \.writtenAlways), nextChange(after: now, timeZone: timeZone) != nil {
            found.append(.init(.notAlwaysOpen, rule: nil))
        }
        if rules.count > 1, rules.allSatisfy({ $0.everyDay && !$0.times.isEmpty && !$0.writtenAlways && $0.writtenState == nil && $0.comment == nil }) {
            found.append(.init(.separateTimeRules, rule: nil))
        }
        return found.sorted { ($0.rule ?? Int.max) < ($1.rule ?? Int.max) }
    }

    /// Whether `;` rule `next` may cut the range past midnight of the rule before it, as the
    /// reference judges: the earlier rule reaches past midnight, at most one of the two has a
    /// year, month or week, and the later one selects a day after one of the earlier's days.
    private func overwritesPreviousNight(_ next: Int) -> Bool {
        guard next < rules.count, rules[next].join == .normal else { return false }
        let before = rules[next - 1], after = rules[next]
        guard before.times.contains(where: { $0.end > 1440 }) else { return false }
        let wide = [before, after].filter { !$0.years.isEmpty || !$0.monthDays.isEmpty || !$0.weeks.isEmpty }.count
        guard wide < 2 else { return false }
        guard !before.weekdays.isEmpty, !after.weekdays.isEmpty else { return true }
        let days = Set(after.weekdays.flatMap(\.days))
        return before.weekdays.flatMap(\.days).contains { days.contains(($0 + 1) % 7) }
    }

    /// Rules that apply on some day of the two years from `start` but on every such day are
    /// replaced by a later rule (`Dec 24 off; Mo-Su 10:00-12:00`: the closure never happens).
    private func hiddenRules(from start: CivilDate) -> [OpeningHoursWarning] {
        guard rules.count > 1 else { return [] }
        var applies = [Bool](repeating: false, count: rules.count), survives = applies
        for n in start.dayNumber..<(start.dayNumber + 730) {
            let matched = matching(CivilDate(dayNumber: n))
            var replacedFrom = 0  // rules before the last replacing rule of the day are hidden that day
            for k in rules.indices.reversed() where matched[k] && overwrites(k) { replacedFrom = k; break }
            for k in rules.indices where matched[k] {
                applies[k] = true
                if k >= replacedFrom { survives[k] = true }
            }
        }
        // A range past midnight still reaches the next day, which the later rule may not replace.
        return rules.indices.filter { applies[$0] && !survives[$0] && !rules[$0].times.contains { $0.end > 1440 } }
            .map { .init(.hiddenByLaterRule, rule: $0) }
    }
}

extension WeekdayRange {
    /// The weekdays (Monday 0 … Sunday 6) the range names, whatever its nth.
    var days: [Int] {
        let a = start.rawValue, b = end.rawValue
        return a <= b ? Array(a...b) : Array(a...6) + Array(0...b)
    }
}
