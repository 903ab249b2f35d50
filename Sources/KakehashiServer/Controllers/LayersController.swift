import Foundation
import Hummingbird
import KakehashiCoverage
import KakehashiLayers
import KakehashiStore

/// `GET /v1/indicators`, `GET /v1/layers`, `GET /v1/layers/{layer}.geojson|.csv`.
struct LayersController<Context: RequestContext> {
    let state: AppState

    static var layers: [String] { ["municipalities", "meshes"] }

    func register(on router: Router<Context>) {
        router.get("/v1/indicators") { _, _ in
            try JSON.response(["indicators": Indicators.all])
        }
        router.get("/v1/layers") { _, _ in
            return try JSON.response(["layers": [
                LayerEntry(id: "municipalities", title: "市区町村：人口・高齢化・事業所・訪問の確保", formats: ["geojson", "csv"],
                      indicators: Indicators.all.filter { $0.id != "gap" }.map(\.id)),
                LayerEntry(id: "meshes", title: "メッシュ：人口・75歳以上人口・訪問の確保・空白", formats: ["geojson", "csv"],
                      indicators: ["population_total", "population_75_plus", "gap"]),
            ]])
        }
        router.get("/v1/layers/{file}") { request, context in try await BlockingWork.run { try self.layer(request, context) } }
    }

    func layer(_ request: Request, _ context: Context) throws -> Response {
        let file = context.parameters.get("file") ?? ""
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, Self.layers.contains(parts[0]), ["geojson", "csv"].contains(parts[1]) else {
            throw Problem(.notFound, "レイヤーが見つかりません", "使えるのは municipalities.geojson, municipalities.csv, meshes.geojson, meshes.csv です")
        }
        let q = QueryParameters(request: request)
        let services = try q.services(required: false)
        guard services.count <= 1 else { throw Problem.badRequest("service", "レイヤーの service は 1 つです") }
        let indicator = try q.string("indicator", max: 40)
        if let indicator, Indicators.find(indicator) == nil {
            throw Problem.badRequest("indicator", "indicator「\(indicator.prefix(40))」は未知です。/v1/indicators を参照してください")
        }
        let box = try q.bbox()
        if let box, (box.maxLon - box.minLon) * (box.maxLat - box.minLat) > 4 { throw Problem.badRequest("bbox", "bbox は 4 平方度までです") }
        let threshold = try q.int("gap_threshold", range: 0...100_000, default: 10)
        let coverage = indicator.map { ["covered_75_plus_share", "uncovered_75_plus", "gap"].contains($0) } ?? true
        let window = try q.coverageWindow(now: Date())
        let builder = LayerBuilder(database: state.database, index: state.index, onCall: state.onCall)
        let r = LayerRequest(service: services.first ?? .homeVisitMedical, window: window, box: box, coverage: coverage, gapThreshold: threshold)
        var layer = parts[0] == "municipalities" ? try builder.municipalities(r) : try builder.meshes(r)
        if let indicator {
            let keys = ["code", "name", "prefecture", "mesh_code", "cell_size_m", "municipality_code", "estimated"]
            layer.columns = layer.columns.filter { keys.contains($0) || $0 == indicator }
            layer.indicators = layer.indicators.filter { $0.id == indicator }
        }
        var headers = HTTPFields()
        if parts[1] == "csv" {
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(parts[0]).csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: layer.csv())))
        }
        headers[.contentType] = "application/geo+json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try layer.geoJSON())))
    }
}

/// One layer of `GET /v1/layers`.
struct LayerEntry: Encodable {
    var id: String
    var title: String
    var formats: [String]
    var indicators: [String]
}
