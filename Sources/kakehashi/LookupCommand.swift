import ArgumentParser
import Foundation
import KakehashiAddress
import KakehashiCoverage
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

struct LookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "この住所（座標）に、この時間帯に訪問できる事業所を表示します"
    )

    @Option(help: "データベースのパス") var db: String
    @Option(help: "住所") var address: String?
    @Option(help: "緯度") var lat: Double?
    @Option(help: "経度") var lon: Double?
    @Option(help: ArgumentHelp("サービス（カンマ区切り可）: " + ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))) var service: [String] = []
    @Flag(help: "今夜（18:00〜翌 9:00）") var tonight = false
    @Option(help: "今夜の日付 YYYY-MM-DD（既定は今日）") var date: String?
    @Option(help: "この時刻に（ISO 8601）") var at: String?
    @Option(help: "期間の始め（ISO 8601）") var from: String?
    @Option(help: "期間の終わり（ISO 8601）") var to: String?
    @Option(help: "表示する件数") var limit = 20
    @Flag(help: "該当しなかった近くの事業所と理由も表示") var explain = false
    @Flag(help: "JSON で出力") var json = false

    func run() throws {
        let services = try service.flatMap { $0.split(separator: ",") }.map { s -> ServiceKind in
            guard let k = ServiceKind(rawValue: String(s)) else { throw ValidationError("サービス「\(s)」は未知です") }
            return k
        }
        guard !services.isEmpty else { throw ValidationError("--service が必要です") }
        let database = try SpatialDatabase(path: db, access: .readOnly)
        defer { try? database.close() }
        let geocoder = Geocoder(gazetteer: try database.gazetteer())
        var point: GeoPoint
        var geocode: GeocodeResult?
        switch (address, lat, lon) {
        case (let a?, nil, nil):
            do { geocode = try geocoder.geocode(a) } catch { throw ValidationError(error.description) }
            guard let la = geocode?.lat, let lo = geocode?.lon, (geocode?.level ?? 0) >= 2 else {
                throw ValidationError(geocode?.message ?? "住所から位置を特定できません")
            }
            point = GeoPoint(lon: lo, lat: la)
        case (nil, let la?, let lo?):
            point = GeoPoint(lon: lo, lat: la)
        default:
            throw ValidationError("--address か、--lat と --lon の組のどちらかを指定してください")
        }
        guard JapanExtent.contains(point) else { throw ValidationError("座標が日本の範囲外です") }
        let window: CoverageWindow
        if let at {
            window = CoverageWindow(from: try Timestamp.parse(at, zone: .tokyo, option: "--at"), to: try Timestamp.parse(at, zone: .tokyo, option: "--at").addingTimeInterval(60))
        } else if let from, let to {
            window = CoverageWindow(from: try Timestamp.parse(from, zone: .tokyo, option: "--from"), to: try Timestamp.parse(to, zone: .tokyo, option: "--to"))
            guard window.from < window.to else { throw ValidationError("--from は --to より前にしてください") }
        } else {
            let day = try date.map { try Timestamp.parse($0, zone: .tokyo, option: "--date") }.map(CoverageWindow.tokyoDate(of:)) ?? CoverageWindow.tokyoDate(of: Date())
            window = .tonight(day)
        }
        let index = CoverageIndex(try database.providerFacts())
        let onCall = OnCallBoard(try database.currentOnCallReports())
        let answer = index.answer(CoverageQuery(point: point, municipalityCode: geocode?.cityCode, town: geocode?.town, services: services,
                                                window: window, limit: limit, explain: explain), onCall: onCall)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            encoder.keyEncodingStrategy = .convertToSnakeCase
            encoder.dateEncodingStrategy = .custom { d, e in var c = e.singleValueContainer(); try c.encode(Timestamp.format(d, zone: .tokyo)) }
            print(String(decoding: try encoder.encode(answer), as: UTF8.self))
            return
        }
        let f = { (d: Date) in Timestamp.format(d, zone: .tokyo).dropFirst(5).prefix(11).replacingOccurrences(of: "T", with: " ") }
        if let g = geocode {
            print("住所: \(g.prefecture ?? "")\(g.city ?? "")\(g.town ?? "") \(g.rest)（レベル \(g.level)）")
            if let m = g.message { print("  ※ \(m)") }
        }
        print("場所: \(answer.municipality ?? "不明")\(answer.town.map { " \($0)" } ?? "")  期間: \(f(window.from)) 〜 \(f(window.to))")
        print("該当 \(answer.total) 件（表示 \(answer.results.count) 件）")
        let statusName: [CoverageStatus: String] = [.covered: "対応可", .partial: "一部", .unknown: "不明"]
        let basisName: [AvailabilityBasis: String] = [.capability: "届出", .onCall: "当番", .hours: "公開時間"]
        for (n, e) in answer.results.enumerated() {
            let km = e.distanceM.map { String(format: "%.1f km", $0 / 1000) } ?? "距離不明"
            print("\(n + 1). [\(statusName[e.status]!)] \(e.name)（\(e.service.japaneseName)、\(km)、根拠: \(e.basis.map { basisName[$0]! } ?? "なし")）")
            for c in e.covered { print("     \(f(c.from)) 〜 \(f(c.to))  \(basisName[c.basis]!)") }
            let contact = [e.contact.onCall.map { "当番連絡先 \($0)" }, e.contact.phone.map { "電話 \($0)" }, e.contact.fax.map { "FAX \($0)" }].compactMap { $0 }
            if !contact.isEmpty { print("     " + contact.joined(separator: " / ")) }
            print("     地域: \(e.area.detail)")
        }
        for x in answer.excluded ?? [] {
            print("  × \(x.name)（\(x.service.japaneseName)）: \(x.detail)")
        }
        print("出典: " + answer.datasets.map { "\($0.file)（\($0.referenceDate ?? $0.loadedAt.prefix(10).description)）" }.joined(separator: "、"))
    }
}
