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
    @Flag(help: "今夜（18:00〜翌 9:00）。--at、--from/--to がなければ今夜です。--date がなければ進行中の夜（9 時前は前夜の残り、18 時以降は今から）") var tonight = false
    @Option(help: "夜の日付 YYYY-MM-DD（その日の 18:00〜翌 9:00 全体）") var date: String?
    @Option(help: "この時刻に（ISO 8601）") var at: String?
    @Option(help: "期間の始め（ISO 8601）") var from: String?
    @Option(help: "期間の終わり（ISO 8601）") var to: String?
    @Option(help: "表示する件数（1〜200）") var limit = CoverageRequest.defaultLimit
    @Option(help: "先頭から飛ばす件数") var offset = 0
    @Flag(help: "該当しなかった近くの事業所と理由も表示") var explain = false
    @Flag(help: "JSON で出力") var json = false

    func run() throws {
        // The API's rules and words, with the options' names.
        let rules = CoverageRequest(naming: { $0 == "window" ? "--tonight" : "--" + $0 })
        let services: [ServiceKind], window: CoverageWindow, place: CoverageRequest.Place, pageLimit: Int, pageOffset: Int
        do {
            services = try rules.services(service)
            place = try rules.place(address: address, lat: lat, lon: lon)
            window = try rules.window(at: try at.map { try Timestamp.parse($0, zone: .tokyo, option: "--at") },
                                      from: try from.map { try Timestamp.parse($0, zone: .tokyo, option: "--from") },
                                      to: try to.map { try Timestamp.parse($0, zone: .tokyo, option: "--to") },
                                      tonight: tonight ? "tonight" : nil, date: try date.map { CoverageWindow.tokyoDate(of: try Timestamp.parse($0, zone: .tokyo, option: "--date")) },
                                      now: Date())
            (pageLimit, pageOffset) = (try rules.limit(limit), try rules.offset(offset))
        } catch let e as CoverageRequest.Invalid {
            throw ValidationError(e.message)
        }
        let database = try SpatialDatabase(path: db, access: .readOnly)
        defer { try? database.close() }
        var point: GeoPoint
        var geocode: GeocodeResult?
        switch place {
        case .address(let a):
            let geocoder = Geocoder(gazetteer: try database.gazetteer())
            do { geocode = try geocoder.geocode(a) } catch { throw ValidationError(error.description) }
            guard let la = geocode?.lat, let lo = geocode?.lon, (geocode?.level ?? 0) >= 2 else {
                throw ValidationError(geocode?.message ?? "住所から位置を特定できません")
            }
            point = GeoPoint(lon: lo, lat: la)
        case .point(let p):
            point = p
        }
        let index = CoverageIndex(try database.providerFacts())
        let onCall = OnCallBoard(try database.currentOnCallReports())
        let answer = index.answer(CoverageQuery(point: point, municipalityCode: geocode?.cityCode, town: geocode?.town, services: services,
                                                window: window, limit: pageLimit, offset: pageOffset, explain: explain), onCall: onCall)
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
        print("場所: \(answer.municipality ?? "不明")\(answer.town.map { " \($0)" } ?? "")  期間: \(window.nightName.map { $0 + " " } ?? "")\(f(window.from)) 〜 \(f(window.to))")
        print("該当 \(answer.total) 件（表示 \(answer.results.count) 件）")
        let statusName: [CoverageStatus: String] = [.covered: "対応可", .partial: "一部", .unknown: "不明"]
        let basisName: [AvailabilityBasis: String] = [.capability: "届出", .onCall: "当番", .hours: "公開時間"]
        for (n, e) in answer.results.enumerated() {
            let km = e.distanceM.map { String(format: "%.1f km", $0 / 1000) + (e.locationLevel == "town" ? "（町字の代表点から）" : "") } ?? "距離不明"
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
