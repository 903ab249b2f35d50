import Foundation

/// What a Japanese description of hours was read as: the `opening_hours` value it proposes, how
/// each word was taken, and what could not be read. Nothing is guessed silently: every reading
/// that is not written out in the text is in `notes`.
public struct JapaneseHoursReading: Sendable, Equatable, Encodable {
    /// The proposed value; nil when nothing could be read.
    public var canonical: String?
    /// How words were taken (`午前` clipped to the other days' hours, days without times as unknown…).
    public var notes: [String]
    /// The parts not understood, as written.
    public var unread: [String]
}

/// Reads hours as people and files write them in Japanese — `月〜金 9:00〜18:00`,
/// `月～金　９時～１８時`, `土曜午前`, `祝日休み`, `年末年始（12/29〜1/3）休み`, `24時間`,
/// `水曜午後休診` — into an `opening_hours` value. Clauses are separated by `、` `,` `;` `。` `※` or a
/// line break; times alone after a comma belong to the clause before.
public enum JapaneseHoursText {
    public static func read(_ raw: String) -> JapaneseHoursReading {
        var notes: [String] = [], unread: [String] = []
        var clauses: [Clause] = []
        for clause in pieces(of: fold(raw)).flatMap(readClauses) {
            if !clause.rest.isEmpty { unread.append(clause.rest) }
            if clause.isEmpty || join(clause, into: &clauses) { continue }
            clauses.append(clause)
        }
        dropDaysHeadings(&clauses)
        closeListedDays(&clauses)
        openPartsOfClosedDays(&clauses, notes: &notes)
        addSessions(&clauses)
        let general = clauses.filter { !$0.closed && !$0.times.isEmpty }.flatMap(\.times)
        let noon = Part.noon(of: general)
        var open: [(days: Int, text: String)] = [], nights: [String] = [], closed: [String] = []
        for c in clauses {
            let selector = c.selector
            if c.closed {
                // A closing of nothing named (`昼休み` without its times): a bare `off` would close every day.
                if selector.isEmpty, c.part == nil, c.times.isEmpty {
                    unread.removeAll { c.text.contains($0) }  // its own unread words, said once with it
                    unread.append(c.text)
                    continue
                }
                if c.part != nil, !c.times.isEmpty {  // `土曜 9:00〜12:00（午後休診）`: the times open, the part closed
                    open.append((c.dayCount, "\(selector.isEmpty ? "" : selector + " ")\(c.times.map(\.osm).joined(separator: ","))"))
                }
                let times = c.part.map { [$0.range(noon: noon)] } ?? c.times
                // Dates beside days close each (`日祝・年末年始休み`), not the days within the dates.
                let selectors = c.dates.isEmpty || c.daySelector.isEmpty ? [selector] : [c.daySelector, c.dates.joined(separator: ",")]
                for sel in selectors {
                    closed.append(([sel] + (times.isEmpty ? [] : [times.map(\.osm).joined(separator: ",")]) + ["off"]).filter { !$0.isEmpty }.joined(separator: " "))
                }
                continue
            }
            var times = c.times
            if times.isEmpty, let until = c.until {  // `土曜は13:00まで`: the other hours, ended then
                times = TimeRange.merged(general.filter { $0.end > $0.start && $0.start < until })  // the last session begun ends then
                if let last = times.last { times[times.count - 1] = TimeRange(start: last.start, end: until) }
                if !times.isEmpty { notes.append("「\(c.text)」を、ほかの時間（\(general.map(\.osm).joined(separator: ","))）の終わりまでとして \(times.map(\.osm).joined(separator: ",")) と読みました") }
            }
            if times.isEmpty, let part = c.part {
                times = TimeRange.merged(general.compactMap { $0.clipped(to: part.range(noon: noon)) })
                if times.isEmpty {
                    notes.append("「\(c.text)」の\(part.word)の時刻が書かれていないため、不明（unknown）としました")
                    open.append((c.dayCount, "\(selector.isEmpty ? "" : selector + " ")unknown \"\(part.word)\""))
                    continue
                }
                notes.append("「\(c.text)」の\(part.word)を、ほかの時間（\(general.map(\.osm).joined(separator: ","))）の\(part.word)として \(times.map(\.osm).joined(separator: ",")) と読みました")
            }
            if times.isEmpty, !c.allDay, c.opensWithTheHours, !general.isEmpty {  // `（祝日は診療）`, `土日祝も営業`
                times = TimeRange.merged(general.filter { $0.end > $0.start })
                notes.append("「\(c.text)」を、ほかの時間（\(times.map(\.osm).joined(separator: ","))）で開いているとしました")
            }
            if times.isEmpty {
                if c.allDay { open.append((c.dayCount, selector.isEmpty ? "24/7" : selector + " 00:00-24:00")); continue }
                notes.append("「\(c.text)」には時刻がないため、不明（unknown）としました")
                open.append((c.dayCount, "\(selector.isEmpty ? "" : selector + " ")unknown"))
                continue
            }
            let rule = "\(selector.isEmpty ? "" : selector + " ")\(times.map(\.osm).joined(separator: ","))"
            if times.contains(where: { $0.end <= $0.start }) { nights.append(rule) } else { open.append((c.dayCount, rule)) }
        }
        // The general rule first, then the days that differ (a `;` rule replaces its days); nights
        // added with `,` so that no day's rule cuts them at midnight; then closures.
        var rules = open.enumerated().sorted { ($0.element.days, -$0.offset) > ($1.element.days, -$1.offset) }.map(\.element.text)
        if !nights.isEmpty {
            // `24/7, …` is refused (as by the reference): the whole day written out takes the `,`.
            if rules.last == "24/7" { rules[rules.count - 1] = "00:00-24:00" }
            if rules.isEmpty { rules = [nights.joined(separator: ", ")] } else { rules[rules.count - 1] += ", " + nights.joined(separator: ", ") }
        }
        rules += closed
        guard !rules.isEmpty else { return JapaneseHoursReading(canonical: nil, notes: notes, unread: unread.isEmpty ? [raw] : unread) }
        return JapaneseHoursReading(canonical: rules.joined(separator: "; "), notes: notes, unread: unread)
    }

    /// Joins a clause to the one before it that it completes, as people split one rule: times alone
    /// after days (`9:00〜12:00、14:00〜18:00`; not after `火曜定休`); days under a label after the hours
    /// (`営業時間：9:00〜18:00` then `営業日：月〜金`). Whether it joined.
    static func join(_ clause: Clause, into clauses: inout [Clause]) -> Bool {
        let daysLabels = Clause.daysLabels + ["無休"]
        if clause.isTimesOnly, var k = clauses.indices.last, !clauses[k].closed || clause.isHoursLabel {
            // Hours under their label join the days under theirs across closings between them
            // (`営業日：月〜金（祝日を除く） 営業時間：8:30〜17:30`), never a closing's list (`定休日：土曜、日曜、祝日`).
            if clause.isHoursLabel {
                var j = k
                while j >= 0, !clauses[j].closed, clauses[j].isListItem { j -= 1 }
                if j >= 0, j < k, clauses[j].isClosingLabel { return false }
                guard let open = clauses.lastIndex(where: { !$0.closed }) else { return false }
                // The labelled days and the days listed after them (`診療日：月～金、第1・第3土曜`).
                func daysAlone(_ c: Clause) -> Bool { c.hasDays && c.times.isEmpty && c.part == nil && c.until == nil && !c.closed && !c.allDay }
                var first = open
                while first > 0, daysAlone(clauses[first]), !daysLabels.contains(where: clauses[first].text.contains), daysAlone(clauses[first - 1]) { first -= 1 }
                let labelledDays = daysLabels.contains(where: clauses[first].text.contains) && daysAlone(clauses[open])
                guard open == k || labelledDays else { return false }
                for d in (labelledDays ? first : open)...open { clauses[d].times += clause.times }
                return true
            }
            clauses[k].times += clause.times
            return true
        }
        // Only under such a label: `9:00〜17:00 土日祝も診療` adds days, it does not restrict the hours;
        // `定休日：年中無休` gives every day.
        if daysLabels.contains(where: { clause.text.contains($0) }),
           clause.hasDays, clause.dates.isEmpty, clause.times.isEmpty, clause.part == nil, !clause.closed, !clause.allDay,
           let last = clauses.last, last.isTimesOnly {
            (clauses[clauses.count - 1].days, clauses[clauses.count - 1].nth, clauses[clauses.count - 1].holidays) = (clause.days, clause.nth, clause.holidays)
            return true
        }
        return false
    }

    /// Labelled days over hours that name each of them are a heading, not a rule:
    /// `営業日：月～土 営業時間：平日9:00～18:00 土曜9:00～12:00` had added `Mo-Sa unknown`. Not when
    /// some day has no hours (`営業日：月～土 営業時間：平日9:00～18:00`: Saturday stays unknown).
    static func dropDaysHeadings(_ clauses: inout [Clause]) {
        let named = clauses.filter { !$0.closed && !$0.times.isEmpty }.reduce(into: Set<Weekday>()) { $0.formUnion($1.days) }
        clauses.removeAll { c in
            c.hasDays && c.nth.isEmpty && !c.holidays && c.dates.isEmpty && c.days.isSubset(of: named) && c.times.isEmpty && c.part == nil
                && c.until == nil && !c.closed && !c.allDay && Clause.daysLabels.contains(where: c.text.contains)
        }
    }

    /// Days alone next to a closing of days alone are closed too: `定休日：土曜、日曜、祝日` and
    /// `土曜、日曜、祝日は休み` list one closing.
    static func closeListedDays(_ clauses: inout [Clause]) {
        // Under a closing's label its items may carry a part of the day (`休診日：木曜午後、土曜午後、日曜`),
        // each its own (`休診日：日曜、祝日・水曜午後`); not after `水曜休診`, where `土曜午前` is open (`…、水曜休診、土曜午前`).
        var labelled: [Clause] = []
        var listed = false
        for c in clauses {
            if c.closed { listed = c.isClosingLabel; labelled.append(c); continue }
            listed = listed && c.isListItem
            labelled += listed ? (c.items.isEmpty ? [c] : c.items).map { $0.closedByList() } : [c]
        }
        clauses = labelled
        // Not an exception (`月〜金（祝日除く）`); `年中無休` beside a closing is no list (``Clause/isDaysOnly``).
        func closesDays(_ c: Clause) -> Bool { c.closed && c.times.isEmpty && c.part == nil && c.hasDays && !c.text.contains("除") }
        func closesPart(_ c: Clause) -> Bool { c.closed && c.times.isEmpty && c.part != nil && c.hasDays && !c.text.contains("除") }
        for k in clauses.indices.dropFirst() where clauses[k].isDaysOnly && closesDays(clauses[k - 1]) { clauses[k] = clauses[k].closedByList() }
        // Before a closing, an afternoon is an item too (`木曜午後、土曜午後、日曜、祝日休診`); a morning
        // only before a closing of a part (`月・水・金午後、土曜午前休診`): `土曜午前、日曜休み` opens Saturday morning.
        for k in clauses.indices.dropLast().reversed() {
            let c = clauses[k], next = clauses[k + 1]
            if c.isDaysOnly && closesDays(next) || c.isListItem && c.part == .afternoon && (closesDays(next) || closesPart(next))
                || c.isListItem && c.part == .morning && closesPart(next) { clauses[k] = c.closedByList() }
        }
    }

    /// A part of a day on weekdays no hours open: a closed afternoon says the morning is open
    /// (`月〜金 9:00〜18:00 土曜午後・日曜・祝日休診`), and a morning listed apart by a space is open
    /// (`平日9:00〜18:00 土曜午前 日祝休診`). Closing either would say nothing.
    static func openPartsOfClosedDays(_ clauses: inout [Clause], notes: inout [String]) {
        let hours = clauses.filter { !$0.closed && !$0.times.isEmpty }
        guard !hours.isEmpty, hours.allSatisfy({ !$0.days.isEmpty && $0.dates.isEmpty }) else { return }
        let opened = hours.reduce(into: Set<Weekday>()) { $0.formUnion($1.days) }
        for k in clauses.indices {
            let c = clauses[k]
            guard c.closed, let part = c.part, c.times.isEmpty, !c.days.isEmpty, c.nth.isEmpty, !c.holidays, c.dates.isEmpty,
                  c.days.isDisjoint(with: opened) else { continue }
            if part == .afternoon {
                notes.append("「\(c.text)」は、ほかに時間のない曜日の午後の休みのため、午前を開いているとしました")
                (clauses[k].closed, clauses[k].listed, clauses[k].part) = (false, false, .morning)
            } else if c.listed && c.apartBySpace {
                (clauses[k].closed, clauses[k].listed) = (false, false)
            }
        }
    }

    /// A closing list whose items carry their own part of the day (`木曜午後・土曜午後・日曜・祝日休診`) is
    /// a closed clause per part; a part covers the weekdays before it (`木・土午後` is both afternoons),
    /// not Sunday or holidays before them, which close whole (`日曜・祝日・水曜午後`).
    static func readClauses(_ piece: String) -> [Clause] {
        var whole = Clause(text: piece)
        whole.read()
        // Not `午前・午後` of one day: a day follows the `・`. Pieces hold no line break.
        // Sunday, holidays and 年末年始 before a weekday are apart from the weekday's part; before
        // their own part they share it (`日曜・祝日午後休診`: both open in the morning).
        // Items are apart at `・`, `/` or a space (`木曜・土曜午後 日曜・祝日休診`, `日・祝／水・土午後`).
        // A part apart by a space is marked (`土曜午前 日祝休診`, see ``openPartsOfClosedDays(_:notes:)``).
        let (next, apart): (Character, Character) = ("\n", "\u{E000}")
        let marked = piece.replacingOccurrences(of: #"(午[前後])\s*[・/]\s*(?=[月火水木金土日平祝第年])"#, with: "$1\n", options: .regularExpression)
            .replacingOccurrences(of: #"(午[前後])[^\S\n]+(?=[月火水木金土日平祝第年])"#, with: "$1\u{E000}", options: .regularExpression)
            .replacingOccurrences(of: #"(日曜日?|(?<![0-9毎曜平週])日|祝祭日|祝日|祝|年末年始)\s*[・/\s]\s*(?=[月火水木金土第年毎隔])"#, with: "$1\n",
                                  options: .regularExpression)
        var items: [(text: String, apart: Bool)] = [("", false)]
        for ch in marked {
            if ch == next || ch == apart { items[items.count - 1].apart = ch == apart; items.append(("", false)) } else { items[items.count - 1].text.append(ch) }
        }
        guard items.count > 1 else { return [whole] }
        var groups: [(part: String, text: String, apart: Bool)] = []
        for item in items {
            let part = ["午前", "午後"].filter { item.text.contains($0) }.joined()
            if let g = groups.firstIndex(where: { $0.part == part }) {
                groups[g].text += "・" + item.text
                groups[g].apart = groups[g].apart || item.apart
            } else { groups.append((part, item.text, item.apart)) }
        }
        let split = groups.map {
            var c = Clause(text: $0.text)
            c.read()
            c.underLabel = whole.isClosingLabel
            c.apartBySpace = $0.apart
            return c
        }
        // Not a list item without a closing word: `、祝日・土曜午前` is open hours, and only a label
        // before it (``closeListedDays(_:)``) makes `、祝日・水曜午後` a closing.
        guard whole.closed else {
            whole.items = split
            return [whole]
        }
        return split.map { $0.closed ? $0 : $0.closedByList() }  // the closing word is in one item only
    }

    /// A later row of hours whose times are apart from an earlier row's on the same days adds a
    /// session rather than replacing it: `月〜土 9:00〜12:00、月・火・木・金 15:00〜18:00`.
    static func addSessions(_ clauses: inout [Clause]) {
        func daytime(_ c: Clause) -> Bool { !c.closed && !c.times.isEmpty && c.times.allSatisfy { $0.end > $0.start } }  // nights are added anyway
        for k in clauses.indices where daytime(clauses[k]) {
            for a in clauses[..<k] where daytime(a) && a.dates.isEmpty && clauses[k].dates.isEmpty {
                let sameDays = a.days.isEmpty && !a.holidays && a.nth.isEmpty || !a.days.isDisjoint(with: clauses[k].days)
                let apart = clauses[k].times.allSatisfy { t in a.times.allSatisfy { $0.end <= t.start || t.end <= $0.start } }
                if sameDays && apart { clauses[k].times = (a.times + clauses[k].times).sorted { $0.start < $1.start } }
            }
        }
    }

    /// The proposed value parsed, with its reading; nil when the text gives none that parses.
    public static func proposal(_ text: String) -> (OpeningHours, JapaneseHoursReading)? {
        let r = read(text)
        guard let canonical = r.canonical, let hours = try? OpeningHours(canonical) else { return nil }
        return (hours, r)
    }

    /// Full-width forms folded (NFKC), the dashes and tildes people type made one `~`.
    static func fold(_ s: String) -> String {
        clocks(String(s.precomposedStringWithCompatibilityMapping.map { "〜~-‐‑‒–—―−".contains($0) ? "~" : $0 }))
    }

    /// Times written with 午前/午後 or 正午 as 24-hour ones: `午前9時〜午後6時` is `9時〜18時`.
    static func clocks(_ s: String) -> String {
        var out = s.replacingOccurrences(of: "正午", with: "12:00")
        for m in Clause.matches(#"午([前後])\s*([0-9]{1,2})(?=\s*[時:])"#, in: out).reversed() {
            guard let h = Int(m[2]), h <= 12, let r = out.range(of: m[0], options: .backwards) else { continue }
            out.replaceSubrange(r, with: String(m[1] == "後" && h < 12 ? h + 12 : h))
        }
        return out
    }

    /// Clauses: split at `、` `,` `;` `。` `※` and line breaks; where days follow times after a space
    /// (`平日9:00〜18:00 土曜9:00〜12:00`) unless only `のみ` follows them (`9:00〜18:00 平日のみ` is one),
    /// or after `/` or `・` (`平日9:00〜18:00／土曜9:00〜13:00`); where a closing or dates follow a time
    /// (`10:00〜19:00 定休日：水曜日`, `9:00〜18:00 12/29〜1/3休み`) or times or days follow a closing
    /// of days or of a part of the day (`火曜定休 10:00〜19:00`, `水曜日休診 日曜日は午前のみ`,
    /// `木曜午後休診 日祝休診`) or days follow `のみ` (`土曜午前のみ 日祝休み`); around a bracket that speaks of
    /// days (`9:00〜18:00（木曜は休診）`), not one of dates or a part of the day alone (`（12/29〜1/3）`,
    /// `（午後休診）`).
    static func pieces(of text: String) -> [String] {
        // A label alone on its line heads the next line (`休診日：` or `休診日` then `日曜・祝日`): apart, the
        // label was a closing of no days, which closes every day.
        let lineBreak = #"[ \t]*(?:\r\n|[\n\r\x{0B}\x{0C}\x{85}\x{2028}\x{2029}])\s*"#
        var marked = text.replacingOccurrences(of: ":" + lineBreak, with: ": ", options: .regularExpression)
            .replacingOccurrences(of: "(?:定休日|休診日|休業日|休日)\\s*:?\\s*(?:なし|無し)", with: "", options: .regularExpression)  // nothing closed
            // `土曜9:00〜13:00まで 日祝休み`: a range's end; `土曜は13:00まで`: an end alone (``Clause/until``).
            .replacingOccurrences(of: "((?:~|から)\\s*" + clock + ")\\s*まで", with: "$1", options: .regularExpression)
            .replacingOccurrences(of: "(" + clock + ")\\s*まで", with: "~$1", options: .regularExpression)
            .replacingOccurrences(of: "【(" + labels + ")】", with: "、$1:", options: .regularExpression)  // `【営業時間】9:00〜17:30【定休日】土日祝`
            .replacingOccurrences(of: #"[【】\[\]]"#, with: " ", options: .regularExpression)  // `10:00〜19:00【定休日：水曜】`
            .replacingOccurrences(of: #"(?m)^(\s*(?:定休日|休診日|休業日|休日|営業日|診療日|受付日|営業時間|診療時間|受付時間))"# + lineBreak,
                                  with: "$1 ", options: .regularExpression)
        // Times before their days on a line, as tables flatten (`9:00〜12:00 月〜土`, `午後 14:00〜18:00 月火水金`):
        // the days first, as elsewhere.
        marked = marked.replacingOccurrences(of: #"(?m)(^|[;。※])([^\S\n]*(?:午[前後][^\S\n]*)?[0-9][0-9:時分半~ 、,]*[0-9時分半])[^\S\n]+([月火水木金土日平祝・~曜]+)(?=[^\S\n]*$|[^\S\n]*[、,;。※]|[^\S\n]+[0-9])"#,
                                             with: "$1$3 $2", options: .regularExpression)
        // `※` at a bracket's start is no clause's end: `（※午後休診）` speaks of its clause.
        marked = markClauseEnds(marked.replacingOccurrences(of: #"\(\s*※"#, with: "(", options: .regularExpression))
        for m in Clause.matches(#"\(([^()]*)\)"#, in: marked).reversed() {
            let dated = m[1].replacingOccurrences(of: #"[0-9]+\s*[月日](?!曜)"#, with: "", options: .regularExpression)
            // Days, or a closing of times or dates (`（12:00〜13:00昼休み）`), not `（午後休診）` of the clause's days.
            // An exception too (`（年末年始を除く）`, `（12:00〜13:00を除く）`): beside 年中無休 or the hours it is no closing of them.
            let namesDays = dated.contains { "月火水木金土日平祝曜".contains($0) }
            let speaksOfDays = namesDays || (m[1].contains("休") && m[1].contains { $0.isNumber }) || m[1].contains("除")
            // A clause of its own, after the rest of its clause: `月〜金（祝日除く） 9:00〜18:00` is
            // `月〜金 9:00〜18:00、祝日除く`.
            if speaksOfDays, let r = marked.range(of: m[0], options: .backwards) {
                let end = marked[r.upperBound...].firstIndex { separators.contains($0) || $0.isNewline } ?? marked.endIndex
                let rest = marked[r.upperBound..<end]
                // Its list is one clause (`（土日祝、年末年始除く）`: all of them closed).
                // Not one of days with times: `（土曜日は9:00〜12:00、第2・第4土曜日は休み）` is two.
                let list = namesDays && m[1].contains(":") ? m[1] : m[1].replacingOccurrences(of: "、", with: "・").replacingOccurrences(of: ",", with: "・")
                marked.replaceSubrange(r.lowerBound..<end, with: " " + rest + "、" + list)
            }
        }
        // Again: a bracket moved after its clause leaves what followed it beside the clause's times
        // (`15:00〜18:00（木・土は午前のみ）日祝休診`).
        marked = markClauseEnds(marked)
        // `isNewline`: CR, LF and CRLF (one Character, as a browser sends a textarea's breaks) alike.
        return marked.split(whereSeparator: { separators.contains($0) || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Marks with `、` where a clause ends without a separator (see ``pieces(of:)``).
    static func markClauseEnds(_ text: String) -> String {
        var marked = text
        for (pattern, template) in [
            // A lunch break written after its times is a closing of them: `9:00〜18:00 12:00〜13:00 昼休み`.
            (#"(?<=[0-9][\s、,])([0-9]{1,2}:[0-9]{2}\s*~\s*[0-9]{1,2}:[0-9]{2})\s*は?\s*(昼休み?|休憩|休み)(?!\s*[0-9])"#, "、$2 $1"),
            // A spaced slash between the columns of a flattened table: `営業時間 9:00〜18:00 / 定休日 日曜・祝日`.
            (#"\s+/\s+"#, "、"),
            (#"([0-9時分半])\s+(?=[月火水木金土日平毎祝年第])(?![月火水木金土日平祝曜・]*のみ)"#, "$1、"),
            (#"([0-9時分半])\s*[/・]\s*(?=[月火水木金土日平毎祝])"#, "$1、"),
            (#"([0-9]:[0-9]{2}|[時分半])\s+(?=定休|休|昼休|[0-9]{1,2}/[0-9]{1,2})"#, "$1、"),
            // A closing of days, not 昼休み, then times or days: `火曜定休 10:00〜19:00`, `水曜日休診 日曜日は午前のみ`.
            (#"([月火水木金土日曜祝](?:定休日?|休診日?|休業日?|休み|休))\s+(?=[0-9月火水木金土日平毎祝第年])"#, "$1、"),
            // A closing of a part of the day, then days (`木曜午後休診 日祝休診`, `木曜午後 休診 日祝休診`); not times, which are
            // that day's (`土曜は午前休診 14:00〜17:00`).
            (#"([前後は]\s*(?:定休日?|休診日?|休業日?|休み|休))\s+(?=[月火水木金土日平毎祝第年])"#, "$1、"),
            // Two closings joined by `・` or `/` (`日曜祝日休診・水曜午後休診`), or a closing and a part (`木曜休診・日祝は午前のみ`).
            (#"((?:定休日?|休診日?|休業日?|休み|休))\s*[・/]\s*(?=[月火水木金土日平毎祝第年][^、,;。\s]*(?:休診|休業|休み|定休|のみ))"#, "$1、"),
            // Days said open, then others: `祝日も営業 土日休み`.
            (#"([もは](?:営業|診療|受付))\s+(?=[月火水木金土日平毎祝第年])"#, "$1、"),
            // Days open a part of the day only, then others: `土曜午前のみ 日祝休み`.
            (#"(のみ(?:診療|営業|受付)?)\s+(?=[月火水木金土日平毎祝第年])"#, "$1、"),
            (#"(除く)\s*(?=[^\s、,;。])"#, "$1、"),  // `祝日除く月〜金 9:00〜18:00`: the exception, then the hours
            // A label with its colon starts a clause (`8:30〜17:30 営業日：月〜土 定休日：日曜`, `夏季休業日：`) after
            // a space, a time, 曜, `/` or a bracket; not one word's end (`年末年始の休業日：`, the 休日 of `定休日`).
            (#"(?:(?<=[0-9時分半曜)/])\s*|\s+)(?=(?:夏季|冬季|年末年始|お盆|臨時)?"# + labels + #"\s*:)"#, "、"),
        ] {
            marked = marked.replacingOccurrences(of: pattern, with: template, options: .regularExpression)
        }
        return marked
    }

    /// A time of day as written: `9:00`, `9時`, `9時30分`, `9時半`.
    static let clock = "[0-9]{1,2}(?::[0-9]{2}|時(?:[0-9]{1,2}分|半)?)"

    /// The labels of hours, days and closings.
    static let labels = "(?:定休日|休診日|休業日|休日|営業日|診療日|受付日|営業曜日|提供日|営業時間|診療時間|受付時間)"

    /// What ends a clause besides a line break; `※` starts a note (`9:00〜18:00 ※土日祝休み`).
    static let separators = "、,;。※"

    /// 午前 and 午後: the day before and after `noon`.
    struct Part: Equatable {
        let word: String
        let morning: Bool
        static let morning = Part(word: "午前", morning: true)
        static let afternoon = Part(word: "午後", morning: false)

        func range(noon: Int) -> TimeRange { morning ? TimeRange(start: 0, end: noon) : TimeRange(start: noon, end: 1440) }

        /// Where the hours' morning ends: at their midday break where they have one
        /// (`9:00〜12:30、14:30〜18:30`: 午後休診 closes from 12:30, not from 12:00), at 12:00 otherwise.
        /// The earliest such end: the hours may be several days' (a Saturday to 13:00 is no other day's 午前).
        static func noon(of hours: [TimeRange]) -> Int {
            let sessions = hours.filter { $0.end > $0.start }
            let ends = sessions.filter { a in a.start < 720 && (660...840).contains(a.end) && sessions.contains { $0.start > a.end } }.map(\.end)
            return ends.min() ?? 720
        }
    }
}

extension TimeRange {
    /// Ranges within one day, overlapping ones joined, in order.
    static func merged(_ ranges: [TimeRange]) -> [TimeRange] {
        var out: [TimeRange] = []
        for r in ranges.sorted(by: { $0.start < $1.start }) {
            if let last = out.last, r.start <= last.end { out[out.count - 1] = TimeRange(start: last.start, end: max(last.end, r.end)) } else { out.append(r) }
        }
        return out
    }

    /// The part of the range inside `other` (both within one day), nil when none.
    func clipped(to other: TimeRange) -> TimeRange? {
        guard end > start else { return nil }
        let s = max(start, other.start), e = min(end, other.end)
        return e > s ? TimeRange(start: s, end: e) : nil
    }
}
