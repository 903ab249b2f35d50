import Foundation
import Hummingbird
import KakehashiCoverage
import KakehashiGeo
import KakehashiLayers
import KakehashiStore
import NIOCore

/// Mapbox Vector Tiles at `/tiles/{layer}/{z}/{x}/{y}.mvt` and TileJSON 3.0 at `/tiles/{layer}.json`.
/// Tiles carry an `ETag` and `Cache-Control`; the TileJSON URL carries the data version, so a
/// tile's URL changes when the data behind it does.
struct TilesController<Context: RequestContext> {
    let state: AppState

    static var layerNames: [String] { TileSource.layers }
    static var figureLayerList: String { TileSource.layers.filter(TileSource.figureLayers.contains).joined(separator: "・") }

    func register(on router: Router<Context>) {
        router.get("/tiles/{layer}") { request, context in try await self.tileJSON(request, context) }
        router.get("/tiles/{layer}/{z}/{x}/{file}") { request, context in try await self.tile(request, context) }
    }

    func tileJSON(_ request: Request, _ context: Context) async throws -> Response {
        let name = context.parameters.get("layer") ?? ""
        guard name.hasSuffix(".json"), Self.layerNames.contains(String(name.dropLast(5))) else {
            throw Problem(.notFound, "タイルレイヤーが見つかりません", "使えるのは \(Self.layerNames.map { "\($0).json" }.joined(separator: ", ")) です")
        }
        let layer = String(name.dropLast(5))
        let base = PublicBaseURL.of(request, configured: state.publicBaseURL)
        let fields = TileSource.fields(layer)
        // A coverage variant names its service and night in the tile URL, so the URL is stable.
        let coverage = try Self.coverage(request, layer: layer, now: state.clock())
        let year = try await QueryParameters(request: request).populationYear(in: state.data.database)
        if year != nil, !TileSource.figureLayers.contains(layer) {
            throw Problem.badRequest("year", "year（人口の年）を指定できるのは \(Self.figureLayerList) のタイルです")
        }
        let variant = (coverage.map { "&service=\($0.service.rawValue)&date=\($0.date)" } ?? "") + (year.map { "&year=\($0)" } ?? "")
        let data = state.data
        let credits = data.index.datasetCredits
        let doc: [String: Any] = [
            "tilejson": "3.0.0", "name": layer, "scheme": "xyz", "minzoom": 0, "maxzoom": 16,
            "tiles": ["\(base)/tiles/\(layer)/{z}/{x}/{y}.mvt?v=\(data.tiles.version)\(variant)"],
            "vector_layers": [["id": layer, "fields": fields, "minzoom": 0, "maxzoom": 16]],
            "bounds": data.index.bounds.map { [$0.minLon, $0.minLat, $0.maxLon, $0.maxLat] } ?? [-180, -85.05, 180, 85.05],
            "attribution": credits.joined(separator: " / "),
        ]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .withoutEscapingSlashes]))))
    }

    func tile(_ request: Request, _ context: Context) async throws -> Response {
        let layer = context.parameters.get("layer") ?? ""
        let file = context.parameters.get("file") ?? ""
        guard Self.layerNames.contains(layer), file.hasSuffix(".mvt"),
              let z = context.parameters.get("z").flatMap(Int.init), let x = context.parameters.get("x").flatMap(Int.init),
              let y = Int(file.dropLast(4)), let id = TileID(z: z, x: x, y: y) else {
            throw Problem(.notFound, "タイルが見つかりません", "/tiles/{layer}/{z}/{x}/{y}.mvt（layer は \(Self.layerNames.joined(separator: ", "))、0 ≤ z ≤ 22）です")
        }
        let coverage = try Self.coverage(request, layer: layer, now: state.clock())
        let q = QueryParameters(request: request)
        let year = try await q.populationYear(in: state.data.database)
        if year != nil, !TileSource.figureLayers.contains(layer) {
            throw Problem.badRequest("year", "year（人口の年）を指定できるのは \(Self.figureLayerList) のタイルです")
        }
        let variant = layer + (coverage.map { "|\($0)" } ?? "") + (year.map { "|year=\($0)" } ?? "")
        // Clients that accept gzip get the tile compressed, under its own ETag (RFC 9110 §8.8.3).
        let gzip = TileCompression.accepted(by: request.headers[.acceptEncoding])
        let data = state.data
        let cache = data.tiles
        let lifetime = coverage == nil && year == nil ? nil : TileSource.coverageLifetime
        // A revalidation is answered from the ETag alone, without building the tile.
        if let ifNoneMatch = request.headers[.ifNoneMatch] {
            let validators = cache.validatorHeaders(layer: variant, id: id, gzip: gzip, lifetime: lifetime)
            if Self.matches(ifNoneMatch, validators[.eTag] ?? "") { return Response(status: .notModified, headers: validators) }
        }
        // A tile not yet built (or not yet compressed) is made on the blocking pool: a busy coverage
        // variant takes seconds.
        let tile: TileCache.Served
        if let cached = cache.cached(layer: variant, id: id, gzip: gzip, lifetime: lifetime) {
            tile = cached
        } else {
            tile = try await BlockingWork.run {
                try cache.tile(layer: variant, id: id, gzip: gzip, lifetime: lifetime) { try data.tileSource.tile(layer, id, coverage: coverage, year: year) }
            }
        }
        return Response(status: .ok, headers: tile.headers, body: .init(byteBuffer: tile.body))
    }

    /// `If-None-Match`: `*` or a list of entity tags, compared weakly (RFC 9110 §13.1.2).
    static func matches(_ ifNoneMatch: String?, _ etag: String) -> Bool {
        guard let ifNoneMatch else { return false }
        return ifNoneMatch.split(separator: ",").contains { tag in
            let t = tag.trimmingCharacters(in: .whitespaces)
            return t == "*" || t == etag || t == "W/" + etag
        }
    }
}

extension TilesController {
    /// `service` (and optionally `date`, the night's date; default the night in progress) asks the municipal and
    /// mesh tiles for their coverage indicators.
    static func coverage(_ request: Request, layer: String, now: Date) throws -> TileSource.Coverage? {
        let q = QueryParameters(request: request)
        let services = try q.services(required: false)
        let date = try q.civilDate("date")
        guard let service = services.first else {
            if date != nil { throw Problem.badRequest("date", "date は service と一緒に指定します") }
            return nil
        }
        guard services.count == 1 else { throw Problem.badRequest("service", "タイルの service は 1 つです") }
        guard TileSource.figureLayers.contains(layer) else {
            throw Problem.badRequest("service", "service を指定できるのは \(figureLayerList) のタイルです")
        }
        let today = CoverageWindow.tokyoDate(of: now)
        if let date, !TileSource.Coverage.nights(around: today).contains(date.dayNumber) {
            throw Problem.badRequest("date", "date は今日の \(TileSource.Coverage.daysBefore) 日前から \(TileSource.Coverage.daysAfter) 日後までです（値: \(date)）")
        }
        return TileSource.Coverage(service: service, date: date ?? CoverageWindow.night(at: now))  // the night in progress, whole
    }
}
