import Foundation
import Hummingbird
import KakehashiCoverage
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// Typed, checked access to query parameters: every bad value is a 400 problem naming it.
struct QueryParameters {
    /// Parsed once (`URI.queryParameters` parses the query string again at every call) and copied
    /// out once: walking the parsed dictionary retained and released its strings at every step,
    /// and a lookup reads a dozen names.
    let pairs: [(name: String, value: Substring)]
    /// The query as sent, for ``formText(_:max:)``.
    let rawQuery: String?

    init(request: Request) { self.init(request.uri.queryParameters, rawQuery: request.uri.query) }

    init(_ parameters: Parameters, rawQuery: String?) {
        pairs = parameters.map { (String($0.key), $0.value) }
        self.rawQuery = rawQuery
    }

    /// The last value given for `name`.
    func last(_ name: String) -> Substring? {
        for k in pairs.indices.reversed() where pairs[k].name == name { return pairs[k].value }
        return nil
    }

    /// A parameter the endpoint does not know is a 400 (a misspelt filter must not be ignored).
    func allowOnly(_ names: Set<String>) throws {
        if let unknown = pairs.first(where: { !names.contains($0.name) }) {
            throw Problem.badRequest(String(unknown.name.prefix(40)), "パラメータ「\(unknown.name.prefix(40))」は使えません（使えるもの: \(names.sorted().joined(separator: ", "))）")
        }
    }

    func string(_ name: String, max: Int = 200) throws -> String? {
        guard let v = last(name) else { return nil }
        // Characters are never more than bytes: count them only when the bytes are too many.
        guard v.utf8.count <= max || v.count <= max else { throw Problem.badRequest(name, "\(name) は \(max) 文字までです") }
        // A parameter given but empty is an error, not an absence.
        guard !v.isEmpty else { throw Problem.badRequest(name, "\(name) が空です") }
        return String(v)
    }

    /// A parameter as a form encodes it, read from the query as sent: `+` is a space, then %XX are
    /// decoded (so `%2B` stays a plus; the parsed pairs have turned it into a `+` already). Given
    /// twice, or not decodable, it is a 400: never silently left out.
    func formText(_ name: String, max: Int) throws -> String? {
        try Self.formText(name, inQuery: rawQuery, max: max)
    }

    static func formText(_ name: String, inQuery query: String?, max: Int) throws -> String? {
        let raw = (query ?? "").split(separator: "&").compactMap { pair -> Substring? in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return kv.count == 2 && kv[0].removingPercentEncoding == name ? kv[1] : nil
        }
        guard let first = raw.first else { return nil }
        guard raw.count == 1 else { throw Problem.badRequest(name, "\(name) は一つだけ指定してください") }
        guard let text = String(first).replacingOccurrences(of: "+", with: " ").removingPercentEncoding, text.count <= max else {
            throw Problem.badRequest(name, "\(name) が読めません（%XX の符号化が正しくないか、\(max) 文字を超えています）")
        }
        return text
    }

    func double(_ name: String, range: ClosedRange<Double>) throws -> Double? {
        guard let s = try string(name, max: 40) else { return nil }
        guard let v = Double(decimalText: s), range.contains(v) else {
            throw Problem.badRequest(name, "\(name) は \(range.lowerBound)〜\(range.upperBound) の数値です（値: \(s.prefix(40))）")
        }
        return v
    }

    func int(_ name: String, range: ClosedRange<Int>, default value: Int) throws -> Int {
        guard let s = try string(name, max: 12) else { return value }
        guard let v = Int(s), range.contains(v) else { throw Problem.badRequest(name, "\(name) は \(range.lowerBound)〜\(range.upperBound) の整数です") }
        return v
    }

    func bool(_ name: String) throws -> Bool {
        guard let s = try string(name, max: 8) else { return false }
        switch s {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw Problem.badRequest(name, "\(name) は true か false です")
        }
    }

    /// Every value given for a name, in order.
    func values(_ name: String) -> [String] { pairs.filter { $0.name == name }.map { String($0.value) } }

    /// The window of a coverage question, by ``CoverageRequest``'s rules.
    func coverageWindow(now: Date, wholeNight: Bool = false) throws -> CoverageWindow {
        let at = try date("at"), from = try date("from"), to = try date("to")
        let name = try string("window", max: 20), day = try civilDate("date")
        do { return try CoverageRequest().window(at: at, from: from, to: to, tonight: name, date: day, now: now,
                                                  wholeNight: wholeNight) } catch let e as CoverageRequest.Invalid {
            throw Problem.badRequest(e.parameter, e.message)
        }
    }

    func services(required: Bool) throws -> [ServiceKind] {
        do { return try CoverageRequest().services(values("service"), required: required) } catch let e as CoverageRequest.Invalid {
            throw Problem.badRequest(e.parameter, e.message)
        }
    }

    func date(_ name: String) throws -> Date? {
        guard let s = try string(name, max: 40) else { return nil }
        guard let d = Timestamps.parse(s) else { throw Problem.badRequest(name, "\(name) は ISO 8601 の日時です（例: 2026-11-24T18:00:00+09:00）") }
        return d
    }

    func civilDate(_ name: String) throws -> CivilDate? {
        guard let s = try string(name, max: 12) else { return nil }
        let parts = s.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1955...2099).contains(parts[0]), (1...12).contains(parts[1]),
              (1...CivilDate.daysIn(month: parts[1], year: parts[0])).contains(parts[2]) else {
            throw Problem.badRequest(name, "\(name) は YYYY-MM-DD の日付です")
        }
        return CivilDate(year: parts[0], month: parts[1], day: parts[2])
    }

    /// `bbox=minLon,minLat,maxLon,maxLat`.
    func bbox(_ name: String = "bbox") throws -> GeoBox? {
        guard let s = try string(name, max: 120) else { return nil }
        let v = s.split(separator: ",").compactMap { Double(decimalText: $0) }
        guard v.count == 4, v.allSatisfy(\.isFinite), v[0] < v[2], v[1] < v[3], (-180...180).contains(v[0]), (-180...180).contains(v[2]),
              (-90...90).contains(v[1]), (-90...90).contains(v[3]) else {
            throw Problem.badRequest(name, "\(name) は 最小経度,最小緯度,最大経度,最大緯度 の 4 つの数値です")
        }
        return GeoBox(minLon: v[0], minLat: v[1], maxLon: v[2], maxLat: v[3])
    }
}

extension QueryParameters {
    /// `year=`: a population year the database holds (a 400 lists those it does); nil when not asked.
    func populationYear(in database: SpatialDatabase) async throws -> Int? {
        guard last("year") != nil else { return nil }
        let year = try int("year", range: 1900...2100, default: 0)
        let held = try await BlockingWork.run { try database.populationYears() }
        guard held.contains(where: { $0.year == year }) else {
            let years = held.map { "\($0.year)" + ($0.kinds.contains(where: \.isActual) ? "" : "（推計）") }.joined(separator: "、")
            throw Problem.badRequest("year", "\(year) 年の人口がありません。使える年: \(years.isEmpty ? "なし" : years)")
        }
        return year
    }
}
