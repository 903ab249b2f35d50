import Foundation

extension JapaneseHoursText {
    /// One clause of a description: the days (weekdays, nth weekdays, holidays, dates) it is
    /// about, its times or part of the day, and whether it says closed. Words are taken out of
    /// the text as they are read; what is left is `rest`.
    struct Clause {
        let text: String
        var rest = ""
        var days = Set<Weekday>()
        var nth: [(Weekday, [Int])] = []
        var holidays = false
        var dates: [String] = []
        var times: [TimeRange] = []
        var part: Part?
        /// An end alone (`土曜は13:00まで`, marked `~13:00` by ``JapaneseHoursText/pieces(of:)``): the other hours end then.
        var until: Int?
        var closed = false
        var allDay = false
        /// Says it is open (`第1日曜は診療`): not a closed list's item.
        var saysOpen = false
        /// Split from a labelled closing by its parts of the day (``readClauses(_:)``): heads the
        /// list as the label did (`休診日：日曜・祝日・木曜午後、土曜午後`).
        var underLabel = false
        /// Closed as an item of a closing list, not by a word of its own.
        var listed = false
        /// Listed before a space rather than `・` (`土曜午前 日祝休診`).
        var apartBySpace = false
        /// Its items apart by their parts of the day, for a list under a closing's label (``readClauses(_:)``).
        var items: [Clause] = []

        init(text: String) { self.text = text }

        var isEmpty: Bool { !hasDays && times.isEmpty && part == nil && until == nil && !allDay && !closed }
        var hasDays: Bool { !days.isEmpty || !nth.isEmpty || holidays || !dates.isEmpty }
        var isTimesOnly: Bool { !times.isEmpty && !hasDays && part == nil && !closed && !allDay }
        /// For ordering rules: a clause for every day first, then wider before narrower.
        var dayCount: Int { hasDays ? days.count + nth.count + (holidays ? 1 : 0) : 8 }

        /// The selectors, dates first (`Dec 29-Jan 03`, `Mo-Fr,PH`, `Sa[2,4]`); empty for every day.
        var selector: String {
            [dates.joined(separator: ","), daySelector].filter { !$0.isEmpty }.joined(separator: " ")
        }

        /// The weekdays, nth weekdays and holidays alone.
        var daySelector: String {
            var small = days.isEmpty ? [] : [Weekday.selector(days)]
            small += nth.map { "\($0.0.osm)[\($0.1.map(String.init).joined(separator: ","))]" }
            if holidays { small.append("PH") }
            return small.joined(separator: ",")
        }

        /// Days only, no times, part of the day or closing (`日曜`, `祝日` in `定休日：土曜、日曜、祝日`).
        var isDaysOnly: Bool { isListItem && part == nil }
        /// Days, perhaps with a part of the day (`土曜午後` in `休診日：木曜午後、土曜午後、日曜`).
        var isListItem: Bool { hasDays && times.isEmpty && until == nil && !closed && !allDay && !saysOpen && days.count < 7 && !text.contains("のみ") }
        /// The labels of open days (`営業日：月〜金`).
        static let daysLabels = ["営業日", "診療日", "受付日", "営業曜日", "提供日"]
        /// Days said open without times (`祝日は診療`, `土日祝も営業`): open with the other days' hours.
        /// Not a label of days (`営業日：月〜土`, a heading over hours of their own) nor on call (`対応`).
        var opensWithTheHours: Bool {
            hasDays && !closed && part == nil && until == nil && ["営業", "診療", "受付"].contains(where: text.contains)
                && !text.contains("対応") && !Self.daysLabels.contains(where: text.contains)
        }
        /// Times under their label (`営業時間：9:00〜18:00`).
        var isHoursLabel: Bool { text.range(of: "(営業|診療|受付)時間", options: .regularExpression) != nil }
        /// A closing that names itself first (`休診日：木曜午後`, `定休日 水曜`), heading a list.
        var isClosingLabel: Bool {
            closed && times.isEmpty && hasDays && !text.contains("除")
                && (underLabel || text.range(of: #"^(定休日?|休診日?|休業日?|休日|休み)\s*[:は\s]"#, options: .regularExpression) != nil)
        }

        /// Closed as an item of a list.
        func closedByList() -> Clause {
            var c = self
            (c.closed, c.listed) = (true, true)
            return c
        }

        mutating func read() {
            var s = text.replacingOccurrences(of: "から", with: "~").replacingOccurrences(of: "まで", with: " ")
                .replacingOccurrences(of: "翌", with: "")  // 18時〜翌9時: an end before the start runs past midnight anyway
            readDates(&s)
            readTimes(&s)
            for (word, all) in [("24時間", true), ("終日", true)] where s.contains(word) {
                allDay = allDay || all
                s = s.replacingOccurrences(of: word, with: " ")
            }
            for (word, part) in [("午前", Part.morning), ("午後", Part.afternoon)] where s.contains(word) {
                self.part = self.part == nil ? part : nil  // 午前・午後 both: the whole day, said by its times
                s = s.replacingOccurrences(of: word, with: " ")
            }
            for word in ["年中無休", "無休", "365日", "毎日", "全日"] where s.contains(word) {
                days.formUnion(Weekday.allCases)
                s = s.replacingOccurrences(of: word, with: " ")
            }
            // `休日：10:00〜18:00` (a pharmacy's weekend hours) opens Saturdays, Sundays and holidays.
            if !times.isEmpty, let r = s.range(of: #"^\s*休日\s*:"#, options: .regularExpression) { s.replaceSubrange(r, with: "土日祝 ") }
            // 休日診療 opens: on its days (`休日診療：第1日曜 9:00〜12:00`), or Sundays and holidays.
            if let r = s.range(of: "休日(?=診療|営業|受付|当番)", options: .regularExpression) {
                let days = s.replacingCharacters(in: r, with: "").contains { "月火水木金土日祝".contains($0) }
                s.replaceSubrange(r, with: days ? " " : "日祝")
            }
            // Closing words before the days: the 日 of 休診日 is no Sunday.
            for word in ["休診日", "休業日", "定休日", "昼休憩", "昼休み", "休憩", "休診", "休業", "休み", "定休", "休日", "閉店", "除く", "休"] where s.contains(word) {
                closed = true
                s = s.replacingOccurrences(of: word, with: " ")
            }
            if closed, text.contains("無休"), !text.contains("除") { closed = false }  // `定休日：年中無休` closes nothing
            for word in ["祝祭日", "祝日", "祝"] where s.contains(word) {
                holidays = true
                s = s.replacingOccurrences(of: word, with: " ")
            }
            if s.contains("平日") { days.formUnion([.monday, .tuesday, .wednesday, .thursday, .friday]); s = s.replacingOccurrences(of: "平日", with: " ") }
            readNth(&s)
            readDays(&s)
            saysOpen = ["営業", "診療", "受付", "対応"].contains { text.contains($0) } && !closed
            for filler in ["曜日", "曜", "毎週", "営業日", "診療日", "受付日", "提供日", "営業", "診療", "受付", "時間", "および", "及び", "のみ", "は", "の", "で", "と", "を", "も", "・", "/", "(", ")", "~", ":", "-"] {
                s = s.replacingOccurrences(of: filler, with: " ")
            }
            rest = s.split(separator: " ").joined(separator: " ")
        }

        /// `年末年始（12/29〜1/3）`, `12月29日〜1月3日`; `年末年始` alone is 29 December to 3 January.
        mutating func readDates(_ s: inout String) {
            let pattern = #"(\d{1,2})\s*[/月]\s*(\d{1,2})\s*日?\s*~\s*(?:(\d{1,2})\s*[/月]\s*)?(\d{1,2})\s*日?"#
            for m in Self.matches(pattern, in: s).reversed() {
                guard let a = Int(m[1]), let b = Int(m[2]), let d = Int(m[4]), (1...12).contains(a), (1...31).contains(b), (1...31).contains(d) else { continue }
                let c = Int(m[3]) ?? a
                guard (1...12).contains(c) else { continue }
                dates.insert("\(Self.month(a)) \(Self.two(b))-\(Self.month(c)) \(Self.two(d))", at: 0)
                s = s.replacingOccurrences(of: m[0], with: " ")
            }
            for m in Self.matches(#"(\d{1,2})\s*[/月]\s*(\d{1,2})\s*日?"#, in: s) {
                guard let a = Int(m[1]), let b = Int(m[2]), (1...12).contains(a), (1...31).contains(b) else { continue }
                dates.append("\(Self.month(a)) \(Self.two(b))")
                s = s.replacingOccurrences(of: m[0], with: " ")
            }
            if s.contains("年末年始") {
                if dates.isEmpty { dates = ["Dec 29-Jan 03"] }
                s = s.replacingOccurrences(of: "年末年始", with: " ")
            }
        }

        /// `9:00〜18:00`, `9時〜18時`, `9時半〜12時30分`: ranges; an end before the start runs past midnight.
        mutating func readTimes(_ s: inout String) {
            let clock = #"(\d{1,2})(?::(\d{2})|時(?:(\d{1,2})分|(半))?)"#
            for m in Self.matches(clock + #"\s*~\s*"# + clock, in: s) {
                guard let start = Self.minutes(m[1], m[2], m[3], m[4]), let end = Self.minutes(m[5], m[6], m[7], m[8]), start != end else { continue }
                times.append(TimeRange(start: start, end: end == 0 ? 1440 : end))
                s = s.replacingOccurrences(of: m[0], with: " ")
            }
            times.sort()
            if times.isEmpty, let m = Self.matches(#"~\s*"# + clock, in: s).first, let end = Self.minutes(m[1], m[2], m[3], m[4]) {
                until = end
                s = s.replacingOccurrences(of: m[0], with: " ")
            }
        }

        /// `第2・第4土曜`: nth weekdays of the month.
        mutating func readNth(_ s: inout String) {
            for m in Self.matches(#"第([1-5](?:\s*[・,]\s*第?[1-5])*)\s*([月火水木金土日])(?:曜日?)?"#, in: s) {  // 曜日 too: no Sunday
                guard let day = Weekday.allCases.first(where: { String($0.kanji) == m[2] }) else { continue }
                nth.append((day, m[1].compactMap { $0.wholeNumberValue }))
                s = s.replacingOccurrences(of: m[0], with: " ")
            }
        }

        /// Weekday kanji: `月~金` a range, `土日` or `月・水・金` each on its own; `曜` or `曜日` after a
        /// day belongs to it (the 日 of `土曜日` is no Sunday). A kanji without `曜` in a word that is
        /// no day is skipped: `毎月`, `当日`, `日中`, `月末`, and `日` after `の` (`要相談の日あり`).
        mutating func readDays(_ s: inout String) {
            let chars = Array(s)
            func day(at i: Int) -> Weekday? { i < chars.count ? Weekday.allCases.first { $0.kanji == chars[i] } : nil }
            func afterDay(_ i: Int) -> Int {
                var j = i + 1
                if j < chars.count, chars[j] == "曜" { j += 1; if j < chars.count, chars[j] == "日" { j += 1 } }  // 土曜日; 土日 is two days
                return j
            }
            func standsAsDay(_ i: Int, end j: Int) -> Bool {
                if j > i + 1 { return true }
                if i > 0, Self.wordBeforeDay.contains(chars[i - 1]) || chars[i - 1].isASCII && chars[i - 1].isNumber
                    || (chars[i - 1] == "の" && chars[i] == "日") { return false }  // 365日, 3月
                return j >= chars.count || !Self.wordAfterDay.contains(chars[j])
            }
            var kept = ""
            var i = 0
            while i < chars.count {
                guard let d = day(at: i), standsAsDay(i, end: afterDay(i)) else { kept.append(chars[i]); i += 1; continue }
                let j = afterDay(i)
                if j < chars.count, chars[j] == "~", let e = day(at: j + 1) {
                    var k = d.rawValue
                    while true { days.insert(Weekday(rawValue: k)!); if k == e.rawValue { break }; k = (k + 1) % 7 }
                    i = afterDay(j + 1)
                    continue
                }
                days.insert(d)
                i = j
            }
            s = kept
        }

        /// Kanji that make a word of a day kanji before it (`毎月`, `当日`, `先月`, `提供日`, `営業曜日`) or after it (`日中`,
        /// `月末`, `金額`): such a word is no day.
        static let wordBeforeDay = Set("毎当本前翌先今同半隔来初終全昨業療付元正供応曜")
        static let wordAfterDay = Set("中末初時数本額分付程次頃刊")

        static func matches(_ pattern: String, in s: String) -> [[String]] {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
            let ns = s as NSString
            return regex.matches(in: s, range: NSRange(location: 0, length: ns.length)).map { m in
                (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
            }
        }

        static func minutes(_ h: String, _ colonMinutes: String, _ kanjiMinutes: String, _ half: String) -> Int? {
            guard let hour = Int(h), hour <= 24 else { return nil }
            let m = Int(colonMinutes) ?? Int(kanjiMinutes) ?? (half.isEmpty ? 0 : 30)
            guard m < 60, hour * 60 + m <= 1440 else { return nil }
            return hour * 60 + m
        }

        static func month(_ m: Int) -> String { ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][m - 1] }
        static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    }
}
