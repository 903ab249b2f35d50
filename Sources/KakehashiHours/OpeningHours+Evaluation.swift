import Foundation

/// One stretch of time with one state, as `intervals(from:to:)` returns them.
public struct HoursInterval: Sendable, Equatable, Encodable {
    public var from: Date
    public var to: Date
    public var state: OpeningState
    public var comment: String?

    public init(from: Date, to: Date, state: OpeningState, comment: String? = nil) {
        self.from = from
        self.to = to
        self.state = state
        self.comment = comment
    }
}

extension TimeZone {
    /// Asia/Tokyo, the zone every Kakehashi time is in unless a caller says otherwise.
    public static let tokyo = TimeZone(identifier: "Asia/Tokyo")!
}

/// A part of one local day, in minutes; `rule` indexes the rule that painted it (-1: implicit);
/// `openEnd` when an open end painted it (its comment is the reference's, unless the rule has one).
struct Segment: Equatable {
    var start: Int
    var end: Int
    var state: OpeningState
    var rule: Int
    var openEnd = false
}

/// Converts between instants and local wall-clock seconds; zones without DST (Asia/Tokyo since
/// 1951) take a fixed offset and never call into Foundation.
struct LocalClock {
    let zone: TimeZone
    let fixedOffset: Int?

    init(_ zone: TimeZone) {
        self.zone = zone
        // A zone with no transition in the coming century is treated as fixed.
        let now = Date(timeIntervalSince1970: 0)
        fixedOffset = zone.nextDaylightSavingTimeTransition(after: now) == nil ? zone.secondsFromGMT(for: now) : nil
    }

    func local(_ utc: Int) -> Int { utc + (fixedOffset ?? zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc)))) }

    func utc(_ local: Int) -> Int {
        if let fixedOffset { return local - fixedOffset }
        let guess = local - zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
        return local - zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess)))
    }
}

extension Rule {
    func matches(_ d: CivilDate, holiday: Bool) -> Bool {
        if !years.isEmpty, !years.contains(where: { $0.contains(d.year) }) { return false }
        if !monthDays.isEmpty, !monthDays.contains(where: { $0.contains(d) }) { return false }
        if !weeks.isEmpty, !weeks.contains(where: { $0.contains(d.isoWeek) }) { return false }
        if weekdays.isEmpty && !holidays { return true }
        return (holidays && holiday) || weekdays.contains { $0.contains(d) }
    }
}

extension OpeningHours {
    /// Whether any rule reaches past midnight, so that the previous day must be looked at too.
    var spillsPastMidnight: Bool { rules.contains { $0.times.contains { $0.end > 1440 } } }

    /// Which rules' date selectors match the day.
    func matching(_ d: CivilDate) -> [Bool] {
        let holiday = hasHolidayRule && JapaneseHolidays.isHoliday(d)
        var matched = [Bool](repeating: false, count: rules.count)
        for k in rules.indices { matched[k] = rules[k].matches(d, holiday: holiday) }
        return matched
    }

    var hasHolidayRule: Bool { rules.contains { $0.holidays } }

    /// Whether rule `k`, matching a day, drops what earlier rules said of that day, as the reference
    /// implementation (opening_hours.js) decides: a normal rule that opens or says unknown, with a date
    /// selector of its own (or, with none, following a rule with none). So `10:00-14:00; 12:00-14:00
    /// off` is open 10–12 (an `off` rule closes only its times), and `Mo-Fr 18:00-02:00; Sa 09:00-13:00`
    /// ends Friday night at midnight (Saturday's rule replaces all of Saturday, the spill included).
    func overwrites(_ k: Int) -> Bool {
        let r = rules[k]
        guard r.join == .normal, r.state == .open || r.state == .unknown else { return false }
        return !r.everyDay || (k > 0 && r.state == .open && rules[k - 1].everyDay)
    }

    /// The parts of the day's ranges that run past midnight, in rule order, moved to the next day's
    /// clock: what the reference makes a rule of its own for the next day.
    func spill(_ matched: [Bool]) -> [Segment] {
        var out: [Segment] = []
        for k in rules.indices where matched[k] {
            for piece in pieces(rules[k], k) where piece.end > 1440 {
                out.append(Segment(start: max(0, piece.start - 1440), end: piece.end - 1440, state: piece.state, rule: k, openEnd: piece.openEnd))
            }
        }
        return out
    }

    /// One local day [0, 1440) from the rules matching it and the spill of the day before. Rules are
    /// taken in order, each followed by its part of yesterday's spill (which never drops anything: in
    /// the reference it is a rule of its own placed after its origin); closed where nothing was said.
    func daySegments(today: [Bool], spill: [Segment]) -> [Segment] {
        var segments: [Segment] = []
        var next = 0  // the first spill segment not yet painted
        for k in rules.indices {
            let rule = rules[k]
            if today[k] {
                if overwrites(k) { segments.removeAll(keepingCapacity: true) }
                for piece in pieces(rule, k) where piece.start < 1440 {
                    put(Segment(start: piece.start, end: min(piece.end, 1440), state: piece.state, rule: k, openEnd: piece.openEnd), into: &segments,
                        onlyGaps: rule.join == .fallback)
                }
            }
            // The reference's wrapped rule is neither fallback nor additional: it paints as a rule.
            while next < spill.count, spill[next].rule == k {
                Self.paint(spill[next], into: &segments)
                next += 1
            }
        }
        var full: [Segment] = []
        var cursor = 0
        for s in segments {
            if s.start > cursor { full.append(Segment(start: cursor, end: s.start, state: .closed, rule: -1)) }
            full.append(s)
            cursor = s.end
        }
        if cursor < 1440 { full.append(Segment(start: cursor, end: 1440, state: .closed, rule: -1)) }
        return full
    }

    func daySegments(_ d: CivilDate) -> [Segment] {
        daySegments(today: matching(d), spill: spillsPastMidnight ? spill(matching(d.adding(days: -1))) : [])
    }

    /// Paints a segment; a fallback (`||`) only where the day is still closed, said or not (as the
    /// reference: `We off || "by appointment"` is unknown on Wednesdays).
    private func put(_ s: Segment, into segments: inout [Segment], onlyGaps: Bool) {
        guard onlyGaps else { return Self.paint(s, into: &segments) }
        var closed = Self.gaps(in: segments, from: s.start, to: s.end)
        for t in segments where t.state == .closed && t.end > s.start && t.start < s.end {
            closed.append((max(t.start, s.start), min(t.end, s.end)))
        }
        for range in closed {
            Self.paint(Segment(start: range.0, end: range.1, state: s.state, rule: s.rule, openEnd: s.openEnd), into: &segments)
        }
    }

    /// What a rule's time spans say over [0, 2880) minutes of the day it matches.
    private func pieces(_ rule: Rule, _ k: Int) -> [Segment] {
        let spans = rule.times.isEmpty ? [TimeSpan(start: 0, end: 1440)] : rule.times
        var out: [Segment] = []
        for (n, span) in spans.enumerated() {
            guard span.openEnd, rule.state != .closed else {
                out.append(Segment(start: span.start, end: span.end, state: rule.state, rule: k))  // `17:00+ off`: closed, no open end
                continue
            }
            // An open end is unknown. Followed by another time of the rule, the reference (its
            // `07:00+,12:00-16:00`) says unknown from its start to the rule's next change, closed
            // after it where the next time is not open; past midnight it stays unknown.
            let dayEnd = min(span.end, 1440)
            let cut = n + 1 < spans.count && span.start < 1440 ? Self.nextChange(in: spans, after: span.start, before: dayEnd) : dayEnd
            guard cut < dayEnd else {
                out.append(Segment(start: span.start, end: span.end, state: .unknown, rule: k, openEnd: true))
                continue
            }
            out.append(Segment(start: span.start, end: cut, state: .unknown, rule: k, openEnd: true))
            out.append(Segment(start: cut, end: dayEnd, state: .closed, rule: k, openEnd: true))
            if span.end > 1440 { out.append(Segment(start: 1440, end: span.end, state: .unknown, rule: k, openEnd: true)) }
        }
        return out
    }

    /// The first start or end of a span after `minute` (at most `limit`).
    private static func nextChange(in spans: [TimeSpan], after minute: Int, before limit: Int) -> Int {
        var first = limit
        for s in spans {
            if s.start > minute { first = min(first, s.start) }
            if s.end > minute { first = min(first, s.end) }
        }
        return first
    }

    static func paint(_ s: Segment, into segments: inout [Segment]) {
        guard s.end > s.start else { return }
        // Ranges usually come in order: appending needs no copy.
        if segments.isEmpty || segments[segments.count - 1].end <= s.start {
            segments.append(s)
            return
        }
        var out: [Segment] = []
        out.reserveCapacity(segments.count + 2)
        var inserted = false
        for t in segments {
            if t.end <= s.start || t.start >= s.end {
                if !inserted && t.start >= s.end { out.append(s); inserted = true }
                out.append(t)
                continue
            }
            if t.start < s.start { var before = t; before.end = s.start; out.append(before) }
            if !inserted { out.append(s); inserted = true }
            if t.end > s.end { var after = t; after.start = s.end; out.append(after) }
        }
        if !inserted { out.append(s) }
        segments = out
    }

    static func gaps(in segments: [Segment], from: Int, to: Int) -> [(Int, Int)] {
        var result: [(Int, Int)] = []
        var cursor = from
        for s in segments where s.end > from && s.start < to {
            if s.start > cursor { result.append((cursor, s.start)) }
            cursor = max(cursor, s.end)
        }
        if cursor < to { result.append((cursor, to)) }
        return result
    }

    /// The reference's comment on an open end whose rule has none of its own.
    static let openEndComment = "Specified as open end. Closing time was guessed."

    func comment(of s: Segment) -> String? {
        guard s.rule >= 0 else { return nil }
        return rules[s.rule].comment ?? (s.openEnd ? Self.openEndComment : nil)
    }

    // MARK: Public evaluation

    /// The state at an instant, and the comment of the rule that decided it.
    public func state(at date: Date, timeZone: TimeZone = .tokyo) -> (state: OpeningState, comment: String?) {
        state(at: date, clock: LocalClock(timeZone))
    }

    func state(at date: Date, clock: LocalClock) -> (state: OpeningState, comment: String?) {
        let local = clock.local(Int(date.timeIntervalSince1970.rounded(.down)))
        let day = Int((Double(local) / 86_400).rounded(.down))
        let minute = (local - day * 86_400) / 60
        for s in daySegments(CivilDate(dayNumber: day)) where minute >= s.start && minute < s.end {
            return (s.state, comment(of: s))
        }
        return (.closed, nil)
    }

    /// The window [from, to) cut into intervals of one state each, adjacent equal ones merged.
    public func intervals(from: Date, to: Date, timeZone: TimeZone = .tokyo) -> [HoursInterval] {
        intervals(from: Int(from.timeIntervalSince1970.rounded(.down)), to: Int(to.timeIntervalSince1970.rounded(.down)),
                  clock: LocalClock(timeZone))
            .map { HoursInterval(from: Date(timeIntervalSince1970: TimeInterval($0.from)), to: Date(timeIntervalSince1970: TimeInterval($0.to)),
                                 state: $0.state, comment: $0.comment) }
    }

    func intervals(from: Int, to: Int, clock: LocalClock) -> [(from: Int, to: Int, state: OpeningState, comment: String?)] {
        guard to > from else { return [] }
        var result: [(from: Int, to: Int, state: OpeningState, comment: String?)] = []
        let firstDay = Int((Double(clock.local(from)) / 86_400).rounded(.down))
        let lastDay = Int((Double(clock.local(to - 1)) / 86_400).rounded(.down))
        let spills = spillsPastMidnight
        // Each day's rules are matched once: today's spill is tomorrow's.
        var previous = spills ? spill(matching(CivilDate(dayNumber: firstDay - 1))) : []
        for day in firstDay...lastDay {
            let today = matching(CivilDate(dayNumber: day))
            let segments = daySegments(today: today, spill: previous)
            if spills { previous = spill(today) }
            for s in segments {
                let a = max(from, clock.utc(day * 86_400 + s.start * 60))
                let b = min(to, clock.utc(day * 86_400 + s.end * 60))
                guard b > a else { continue }
                let c = comment(of: s)
                if let last = result.last, last.to == a, last.state == s.state, last.comment == c {
                    result[result.count - 1].to = b
                } else {
                    result.append((a, b, s.state, c))
                }
            }
        }
        return result
    }

    /// The first instant after `date` at which the state or comment changes; nil when nothing
    /// changes within the next two years (e.g. `24/7`).
    public func nextChange(after date: Date, timeZone: TimeZone = .tokyo) -> Date? {
        let clock = LocalClock(timeZone)
        var start = Int(date.timeIntervalSince1970.rounded(.down))
        let limit = start + 2 * 366 * 86_400
        var current: (OpeningState, String?)?
        while start < limit {
            let chunk = intervals(from: start, to: min(limit, start + 14 * 86_400), clock: clock)
            for i in chunk {
                if let c = current {
                    if c.0 != i.state || c.1 != i.comment { return Date(timeIntervalSince1970: TimeInterval(i.from)) }
                } else {
                    current = (i.state, i.comment)
                }
            }
            start += 14 * 86_400
        }
        return nil
    }
}
