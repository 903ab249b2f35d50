import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// The rules of a coverage question as a person or an app writes it — the HTTP API's query or the
/// CLI's options — so that both accept and refuse the same things with the same words. Parameters
/// are named as the API names them; `name` turns a name into the caller's (`--from` for the CLI).
public struct CoverageRequest: Sendable {
    public static let limits = 1...200
    public static let defaultLimit = 20
    public static let offsets = 0...10_000
    /// The longest `from`/`to` window: a week of nights and a margin.
    public static let longestWindow: TimeInterval = 14 * 86_400

    /// A parameter that breaks a rule, with the Japanese message for the person who wrote it.
    public struct Invalid: Error, Sendable {
        public let parameter: String
        public let message: String
    }

    let name: @Sendable (String) -> String

    public init(naming name: @escaping @Sendable (String) -> String = { $0 }) { self.name = name }

    func invalid(_ parameter: String, _ message: String) -> Invalid { Invalid(parameter: parameter, message: message) }

    /// Where the question is asked: an address (to geocode) or a point, never both.
    public enum Place: Sendable { case address(String), point(GeoPoint) }

    public func place(address: String?, lat: Double?, lon: Double?) throws -> Place {
        switch (address, lat, lon) {
        case (let a?, nil, nil): return .address(a)
        case (nil, let la?, let lo?):
            let point = GeoPoint(lon: lo, lat: la)
            guard JapanExtent.contains(point) else { throw invalid("lat", "座標が日本の範囲外です") }
            return .point(point)
        case (nil, _, _): throw invalid(lat == nil ? "lat" : "lon", "\(name("address")) か、\(name("lat")) と \(name("lon")) の組のどちらかが必要です")
        default: throw invalid("address", "\(name("address")) と \(name("lat"))/\(name("lon")) は同時に指定できません")
        }
    }

    /// The services, each named once or comma-separated.
    public func services(_ given: [String], required: Bool = true) throws -> [ServiceKind] {
        let known = ServiceKind.allCases.map(\.rawValue).joined(separator: ", ")
        if given.contains(where: \.isEmpty) { throw invalid("service", "\(name("service")) が空です") }
        let raw = given.flatMap { $0.split(separator: ",", omittingEmptySubsequences: false) }.map(String.init)
        guard raw.count <= 12 else { throw invalid("service", "\(name("service")) は 12 個までです") }
        if raw.isEmpty, required { throw invalid("service", "\(name("service"))（サービスの種類）が必要です。使える値: \(known)") }
        return try raw.map { s in
            guard let k = ServiceKind(rawValue: s) else { throw invalid("service", "\(name("service"))「\(s.prefix(40))」は未知です。使える値: \(known)") }
            return k
        }
    }

    /// The window: `at` (one minute), `from` and `to` (at most ``longestWindow``), or tonight — one
    /// form only. Tonight of a `date` is its whole night; without one, the night in progress (from
    /// now until 09:00 for a coordinator; whole, for a map of the night with `wholeNight`).
    public func window(at: Date?, from: Date?, to: Date?, tonight name: String?, date: CivilDate?, now: Date,
                       wholeNight: Bool = false) throws -> CoverageWindow {
        if let name, name != "tonight" { throw invalid("window", "\(self.name("window")) に使える値は tonight です") }
        switch (at, from, to) {
        case (let at?, nil, nil):
            guard name == nil, date == nil else { throw invalid("at", "\(self.name("at")) と \(self.name("window"))/\(self.name("date")) は同時に指定できません") }
            return CoverageWindow(from: at, to: at.addingTimeInterval(60))
        case (nil, let f?, let t?):
            guard name == nil, date == nil else { throw invalid("from", "\(self.name("from"))/\(self.name("to")) と \(self.name("window"))/\(self.name("date")) は同時に指定できません") }
            guard f < t else { throw invalid("from", "\(self.name("from")) は \(self.name("to")) より前にしてください") }
            guard t.timeIntervalSince(f) <= Self.longestWindow else { throw invalid("to", "期間は 14 日以内にしてください") }
            return CoverageWindow(from: f, to: t)
        case (nil, nil, nil):
            if let date { return .tonight(date) }
            return wholeNight ? .tonight(CoverageWindow.night(at: now)) : .nightInProgress(at: now)
        default:
            throw invalid(from == nil ? "from" : "to", "\(self.name("from")) と \(self.name("to")) は組で指定してください（または \(self.name("at")) か \(self.name("window"))=tonight）")
        }
    }

    public func limit(_ value: Int?) throws -> Int { try within(value ?? Self.defaultLimit, Self.limits, "limit") }
    public func offset(_ value: Int?) throws -> Int { try within(value ?? 0, Self.offsets, "offset") }

    private func within(_ v: Int, _ range: ClosedRange<Int>, _ parameter: String) throws -> Int {
        guard range.contains(v) else { throw invalid(parameter, "\(name(parameter)) は \(range.lowerBound)〜\(range.upperBound) の整数です") }
        return v
    }
}
