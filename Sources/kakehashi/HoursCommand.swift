import ArgumentParser
import Foundation
import KakehashiHours

struct HoursCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hours",
        abstract: "opening_hours の文字列を評価し、期間内の営業・休み・不明の区間を表示します"
    )

    @Argument(help: "opening_hours の文字列（例: \"Mo-Fr 09:00-18:00; PH off\"）")
    var spec: String

    @Option(help: "開始日時 (ISO 8601, 例 2026-11-24T18:00:00+09:00 または 2026-11-24T18:00)")
    var from: String

    @Option(help: "終了日時 (ISO 8601)")
    var to: String

    @Option(help: "タイムゾーン（既定 Asia/Tokyo）")
    var tz = "Asia/Tokyo"

    @Flag(help: "JSON で出力")
    var json = false

    /// The longest window: a year of intervals is thousands of lines; a window of centuries took
    /// minutes and gigabytes.
    static let maximumDays = 366

    struct Output: Encodable {
        struct Interval: Encodable {
            let from: String
            let to: String
            let state: String
            let comment: String?

            func encode(to encoder: any Encoder) throws {
                var c = encoder.container(keyedBy: CodingKeys.self)
                try c.encode(from, forKey: .from)
                try c.encode(to, forKey: .to)
                try c.encode(state, forKey: .state)
                try c.encode(comment, forKey: .comment)  // null, not omitted
            }

            enum CodingKeys: String, CodingKey { case from, to, state, comment }
        }
        let intervals: [Interval]
        let warnings: [OpeningHoursWarning]
    }

    func run() throws {
        guard let zone = TimeZone(identifier: tz) else { throw ValidationError("タイムゾーン「\(tz)」は不明です（例: Asia/Tokyo）") }
        let start = try Timestamp.parse(from, zone: zone, option: "--from")
        let end = try Timestamp.parse(to, zone: zone, option: "--to")
        guard end > start else { throw ValidationError("--to は --from より後にしてください") }
        guard end.timeIntervalSince(start) <= Double(Self.maximumDays) * 86_400 else {
            throw ValidationError("期間は \(Self.maximumDays) 日までです（--from から --to まで）。長い期間は分けて指定してください")
        }
        let hours: OpeningHours
        do { hours = try OpeningHours(spec) } catch {
            // Japanese as people write it: evaluated as the value it proposes, which is said; a
            // reading that left words unread is shown, not evaluated (its answer would be another's).
            guard spec.unicodeScalars.contains(where: { $0.value > 0x7F }), let (proposed, reading) = JapaneseHoursText.proposal(spec) else {
                printError(error.description)
                throw ExitCode(2)
            }
            printError("読み取り: \(reading.canonical ?? "")")
            for n in reading.notes { printError("  \(n)") }
            for u in reading.unread { printError("  読めなかった部分: \(u)") }
            guard reading.unread.isEmpty else {
                printError("読めなかった部分があるため評価しません。\(error.description)")
                throw ExitCode(2)
            }
            hours = proposed
        }
        let list = hours.intervals(from: start, to: end, timeZone: zone)
        let warnings = hours.warnings(now: start, timeZone: zone)
        if json {
            try printJSON(Output(intervals: list.map {
                .init(from: Timestamp.format($0.from, zone: zone), to: Timestamp.format($0.to, zone: zone), state: $0.state.rawValue, comment: $0.comment)
            }, warnings: warnings))
            return
        }
        // On standard error, so that the intervals stay the only lines on standard output.
        for w in warnings { printError("注意: \(w.message)") }
        let names: [OpeningState: String] = [.open: "営業", .closed: "休み", .unknown: "不明"]
        for i in list {
            let note = i.comment.map { "  「\($0)」" } ?? ""
            print("\(Timestamp.format(i.from, zone: zone)) 〜 \(Timestamp.format(i.to, zone: zone))  \(names[i.state]!)\(note)")
        }
    }
}

struct HolidaysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holidays",
        abstract: "その年の祝日・休日（振替休日・国民の休日を含む）を名前つきで表示します"
    )

    @Argument(help: "西暦年（1955〜2099）")
    var year: Int

    @Flag(help: "JSON で出力")
    var json = false

    struct Entry: Encodable {
        let date: String
        let name: String
    }

    struct Listing: Encodable {
        let year: Int
        let holidays: [Entry]
    }

    func validate() throws {
        guard JapaneseHolidays.supportedYears.contains(year) else {
            throw ValidationError("対応している年は \(JapaneseHolidays.supportedYears.lowerBound)〜\(JapaneseHolidays.supportedYears.upperBound) です")
        }
    }

    func run() throws {
        let list = JapaneseHolidays.holidays(in: year)
        if json {
            try printJSON(Listing(year: year, holidays: list.map { Entry(date: $0.date.description, name: $0.name) }))
            return
        }
        let weekdays = ["月", "火", "水", "木", "金", "土", "日"]
        for h in list { print("\(h.date)（\(weekdays[h.date.weekday.rawValue])）\(h.name)") }
    }
}
