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
/// `水曜午後休診` — into an `opening_hours` value. Clauses are separated by `、` `,` `;` `。` or a
/// line break; times alone after a comma belong to the clause before.
public enum JapaneseHoursText {
    public static func read(_ raw: String) -> JapaneseHoursReading {
        var notes: [String] = [], unread: [String] = []
        var clauses: [Clause] = []
        for piece in pieces(of: fold(raw)) {
            var clause = Clause(text: piece)
            clause.read()
            if clause.isTimesOnly, let last = clauses.last, !last.closed {
                clauses[clauses.count - 1].times += clause.times  // "9:00〜12:00、14:00〜18:00"; not "火曜定休、10:00〜19:00"
                continue
            }
            if !clause.rest.isEmpty { unread.append(clause.rest) }
            if clause.isEmpty { continue }
            clauses.append(clause)
        }
        let general = clauses.filter { !$0.closed && !$0.times.isEmpty }.flatMap(\.times)
        var open: [(days: Int, text: String)] = [], nights: [String] = [], closed: [String] = []
        for c in clauses {
            let selector = c.selector
            if c.closed {
                let times = c.part.map { [$0.range] } ?? c.times
                closed.append(([selector] + (times.isEmpty ? [] : [times.map(\.osm).joined(separator: ",")]) + ["off"]).filter { !$0.isEmpty }.joined(separator: " "))
                continue
            }
            var times = c.times
            if times.isEmpty, let part = c.part {
                times = general.compactMap { $0.clipped(to: part.range) }
                if times.isEmpty {
                    notes.append("「\(c.text)」の\(part.word)の時刻が書かれていないため、不明（unknown）としました")
                    open.append((c.dayCount, "\(selector.isEmpty ? "" : selector + " ")unknown \"\(part.word)\""))
                    continue
                }
                notes.append("「\(c.text)」の\(part.word)を、ほかの時間（\(general.map(\.osm).joined(separator: ","))）の\(part.word)として \(times.map(\.osm).joined(separator: ",")) と読みました")
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
            if rules.isEmpty { rules = [nights.joined(separator: ", ")] } else { rules[rules.count - 1] += ", " + nights.joined(separator: ", ") }
        }
        rules += closed
        guard !rules.isEmpty else { return JapaneseHoursReading(canonical: nil, notes: notes, unread: unread.isEmpty ? [raw] : unread) }
        return JapaneseHoursReading(canonical: rules.joined(separator: "; "), notes: notes, unread: unread)
    }

    /// The proposed value parsed, with its reading; nil when the text gives none that parses.
    public static func proposal(_ text: String) -> (OpeningHours, JapaneseHoursReading)? {
        let r = read(text)
        guard let canonical = r.canonical, let hours = try? OpeningHours(canonical) else { return nil }
        return (hours, r)
    }

    /// Full-width forms folded (NFKC), the dashes and tildes people type made one `~`.
    static func fold(_ s: String) -> String {
        String(s.precomposedStringWithCompatibilityMapping.map { "〜~-‐‑‒–—―−".contains($0) ? "~" : $0 })
    }

    /// Clauses: split at `、` `,` `;` `。` and line breaks; where days or a closing follow times after a
    /// space (`平日9:00〜18:00 土曜9:00〜12:00`, `10:00〜19:00 定休日：水曜日`), unless `のみ` ends them
    /// (`9:00〜18:00 平日のみ` is one); where times follow a closing (`火曜定休 10:00〜19:00`); and around
    /// a bracket that speaks of days (`9:00〜18:00（木曜は休診）`), not one of dates alone (`（12/29〜1/3）`).
    static func pieces(of text: String) -> [String] {
        var marked = text.replacingOccurrences(of: #"([0-9時分半])\s+(?=[月火水木金土日平毎祝年第定休])(?![^、,;。\n]*のみ)"#, with: "$1、",
                                               options: .regularExpression)
        marked = marked.replacingOccurrences(of: #"([月火水木金土日曜祝](?:定休日?|休診日?|休業日?|休み|休))\s+(?=[0-9])"#, with: "$1、",
                                             options: .regularExpression)  // a day's closing, not 昼休み
        for m in Clause.matches(#"\(([^()]*)\)"#, in: marked).reversed() {
            let dated = m[1].replacingOccurrences(of: #"[0-9]+\s*[月日]"#, with: "", options: .regularExpression)
            if dated.contains(where: { "月火水木金土日平祝休午".contains($0) }), let r = marked.range(of: m[0], options: .backwards) {
                marked.replaceSubrange(r, with: "、" + m[1] + "、")
            }
        }
        // `isNewline`: CR, LF and CRLF (one Character, as a browser sends a textarea's breaks) alike.
        return marked.split(whereSeparator: { "、,;。".contains($0) || $0.isNewline })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// 午前 and 午後 as ranges of the day.
    struct Part: Equatable {
        let word: String
        let range: TimeRange
        static let morning = Part(word: "午前", range: TimeRange(start: 0, end: 720))
        static let afternoon = Part(word: "午後", range: TimeRange(start: 720, end: 1440))
    }
}

extension TimeRange {
    /// The part of the range inside `other` (both within one day), nil when none.
    func clipped(to other: TimeRange) -> TimeRange? {
        guard end > start else { return nil }
        let s = max(start, other.start), e = min(end, other.end)
        return e > s ? TimeRange(start: s, end: e) : nil
    }
}
