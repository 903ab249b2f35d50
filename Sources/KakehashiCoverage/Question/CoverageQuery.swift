import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// A window of time `[from, to)`; for a night, the date of its evening.
public struct CoverageWindow: Sendable, Equatable {
    public var from: Date
    public var to: Date
    /// The evening's date when the window is (the rest of) a night; nil for `at` and `from`/`to`.
    public var night: CivilDate?

    public init(from: Date, to: Date, night: CivilDate? = nil) {
        self.from = from
        self.to = to
        self.night = night
    }

    /// When a night begins and ends, in seconds after Tokyo midnight.
    static let evening = 18 * 3600, morning = 9 * 3600

    /// The whole night of a date: 18:00 to 09:00 the next morning, Asia/Tokyo.
    public static func tonight(_ date: CivilDate) -> CoverageWindow {
        let start = tokyoMidnight(date) + Double(evening)
        return CoverageWindow(from: Date(timeIntervalSince1970: start),
                              to: Date(timeIntervalSince1970: start + Double(24 * 3600 - evening + morning)), night: date)
    }

    /// The night a coordinator is in: before 09:00 the night that began yesterday evening, from now
    /// (to the minute) until 09:00; from 09:00 tonight's, from 18:00 or from now if later.
    public static func nightInProgress(at now: Date) -> CoverageWindow {
        let date = night(at: now)
        let whole = tonight(date)
        guard whole.from < now else { return whole }
        let minute = (now.timeIntervalSince1970 / 60).rounded(.down) * 60
        return CoverageWindow(from: Date(timeIntervalSince1970: minute), to: whole.to, night: date)
    }

    /// The date of the evening whose night an instant is in, or of the next one (09:00–18:00).
    public static func night(at instant: Date) -> CivilDate {
        let today = tokyoDate(of: instant)
        let sinceMidnight = instant.timeIntervalSince1970 - tokyoMidnight(today)
        return sinceMidnight < Double(morning) ? CivilDate(dayNumber: today.dayNumber - 1) : today
    }

    /// Which night, in Japanese: `12月5日の夜`, with `（02:00 から）` when only its rest is asked.
    public var nightName: String? {
        guard let night else { return nil }
        let name = "\(night.month)月\(night.day)日の夜"
        guard from != Self.tonight(night).from else { return name }
        let minutes = (Int(from.timeIntervalSince1970) + 9 * 3600) % 86_400 / 60
        let hh = minutes / 60 < 10 ? "0\(minutes / 60)" : "\(minutes / 60)", mm = minutes % 60 < 10 ? "0\(minutes % 60)" : "\(minutes % 60)"
        return name + "（\(hh):\(mm) から）"
    }

    /// Today's date in Tokyo.
    public static func tokyoDate(of instant: Date) -> CivilDate {
        CivilDate(dayNumber: Int(((instant.timeIntervalSince1970 + 9 * 3600) / 86_400).rounded(.down)))
    }

    private static func tokyoMidnight(_ date: CivilDate) -> Double { Double(date.dayNumber * 86_400 - 9 * 3600) }
}

/// "Who covers this point for these services in this window?"
public struct CoverageQuery: Sendable {
    public var point: GeoPoint
    /// From the geocoder, when the point came from an address; otherwise found from the boundaries.
    public var municipalityCode: String?
    public var town: String?
    public var services: [ServiceKind]
    public var window: CoverageWindow
    public var limit: Int
    public var offset: Int
    public var explain: Bool
    /// The present, for telling active on-call reports from expired ones.
    public var now: Date

    public init(point: GeoPoint, municipalityCode: String? = nil, town: String? = nil, services: [ServiceKind], window: CoverageWindow,
                limit: Int = 20, offset: Int = 0, explain: Bool = false, now: Date = Date()) {
        self.point = point
        self.municipalityCode = municipalityCode
        self.town = town
        self.services = services
        self.window = window
        self.limit = limit
        self.offset = offset
        self.explain = explain
        self.now = now
    }
}
