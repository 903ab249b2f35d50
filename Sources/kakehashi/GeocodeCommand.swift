import ArgumentParser
import Foundation
import KakehashiAddress
import KakehashiStore

struct GeocodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "geocode",
        abstract: "住所を正規化し、町字の代表点の座標を返します（オフライン）"
    )

    @Argument(help: "住所（全角・漢数字・都道府県なしでも可）")
    var address: String

    @Option(help: "データベースのパス")
    var db: String

    @Flag(help: "JSON で出力")
    var json = false

    func run() throws {
        let database = try SpatialDatabase(path: db, access: .readOnly)
        defer { try? database.close() }
        let geocoder = Geocoder(gazetteer: try database.gazetteer())
        let result: GeocodeResult
        do { result = try geocoder.geocode(address) } catch {
            if json { try printJSON(["error": error.description]) } else { printError(error.description) }
            throw ExitCode(2)
        }
        if json { try printJSON(result); return }
        let levels = ["不明", "都道府県", "市区町村", "町字"]
        print("都道府県: \(result.prefecture ?? "-")")
        print("市区町村: \(result.city ?? "-")\(result.cityCode.map { "（\($0)）" } ?? "")")
        print("町字:     \(result.town ?? "-")")
        print("番地以降: \(result.rest.isEmpty ? "-" : result.rest)")
        print("レベル:   \(result.level)（\(levels[result.level])）")
        if let lat = result.lat, let lon = result.lon {
            print("座標:     \(lat), \(lon)（\(result.pointLevel == "town" ? "町字の代表点" : "市区町村の代表点")）")
        }
        for c in result.candidates { print("候補:     \(c.prefecture)\(c.city)\(c.town ?? "")（\(c.cityCode)）") }
        if let m = result.message { print(m) }
    }
}

struct ReverseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reverse",
        abstract: "座標から市区町村（境界）と最寄りの町字を返します"
    )

    @Argument(help: "緯度") var lat: Double
    @Argument(help: "経度") var lon: Double

    @Option(help: "データベースのパス")
    var db: String

    @Flag(help: "JSON で出力")
    var json = false

    func validate() throws {
        guard lat.isFinite, lon.isFinite, (-90...90).contains(lat), (-180...180).contains(lon) else {
            throw ValidationError("緯度は -90〜90、経度は -180〜180 の数値です")
        }
    }

    func run() throws {
        let database = try SpatialDatabase(path: db, access: .readOnly)
        defer { try? database.close() }
        let r = try database.reverseGeocode(lat: lat, lon: lon)
        if json { try printJSON(r); return }
        print("市区町村: \(r.prefecture ?? "")\(r.city ?? "（読み込み済みの境界の外です）")\(r.cityCode.map { "（\($0)）" } ?? "")")
        print("最寄りの町字: \(r.town ?? "-")\(r.townDistanceM.map { "（約 \(Int($0)) m）" } ?? "")")
    }
}
