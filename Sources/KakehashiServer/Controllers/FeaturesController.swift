import Foundation
import Hummingbird
import KakehashiCoverage
import KakehashiGeo
import KakehashiLayers
import KakehashiStore

/// OGC API – Features Part 1 (core, GeoJSON): the landing page, conformance, and the providers,
/// municipalities and meshes as collections, so QGIS and GDAL (`OAPIF:`) read them directly.
/// See <https://docs.ogc.org/is/17-069r4/17-069r4.html>.
struct FeaturesController<Context: RequestContext> {
    let state: AppState
    /// A page of meshes can be megabytes of GeoJSON built at once.
    let pages = ConcurrencyLimit(name: "地物のページ", maximum: 4)

    static var collections: [(id: String, title: String, description: String)] {
        [
            ("providers", "在宅医療・介護の事業所", "事業所の位置と種類・サービス（位置不明の事業所は含みません）"),
            ("municipalities", "市区町村", "市区町村の境界と人口・高齢化率・事業所数（往診・訪問診療）"),
            ("meshes", "人口メッシュ", "地域メッシュの人口と75歳以上人口（年齢別がない場合は推計、estimated）"),
            ("towns", "町字", "町字の代表点と名称（地図の地名表示用）"),
        ]
    }

    func register(on router: Router<Context>) {
        router.get("/") { request, _ in
            try WebPage.wantsHTML(request) ? try WebPage.index() : try self.landing(request)
        }
        router.get("/conformance") { _, _ in
            try Self.json(["conformsTo": [
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
            ]])
        }
        router.get("/collections") { request, _ in
            let base = self.base(request)
            return try Self.json(["collections": Self.collections.map { Self.collection($0, base: base) },
                                  "links": [["href": "\(base)/collections", "rel": "self", "type": "application/json"]]])
        }
        router.get("/collections/{collectionId}") { request, context in
            guard let c = Self.collections.first(where: { $0.id == context.parameters.get("collectionId") }) else { throw Self.unknown() }
            return try Self.json(Self.collection(c, base: self.base(request)))
        }
        router.get("/collections/{collectionId}/items") { request, context in
            try await pages.run { try await BlockingWork.run { try self.items(request, context) } }
        }
    }

    static func unknown() -> Problem { Problem(.notFound, "コレクションが見つかりません", "使えるのは providers, municipalities, meshes, towns です") }

    func base(_ request: Request) -> String { PublicBaseURL.of(request, configured: state.publicBaseURL) }

    static func json(_ value: Any, type: String = "application/json") throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func collection(_ c: (id: String, title: String, description: String), base: String) -> [String: Any] {
        [
            "id": c.id, "title": c.title, "description": c.description, "itemType": "feature",
            "crs": ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"],
            "links": [
                ["href": "\(base)/collections/\(c.id)", "rel": "self", "type": "application/json"],
                ["href": "\(base)/collections/\(c.id)/items", "rel": "items", "type": "application/geo+json"],
            ],
        ]
    }

    func landing(_ request: Request) throws -> Response {
        let base = self.base(request)
        return try Self.json([
            "title": "Kakehashi 架け橋", "description": "在宅医療・介護の資源と高齢者人口の地図レイヤー（OGC API – Features）",
            "links": [
                ["href": "\(base)/", "rel": "self", "type": "application/json"],
                ["href": "\(base)/openapi.json", "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.0"],
                ["href": "\(base)/conformance", "rel": "conformance", "type": "application/json"],
                ["href": "\(base)/collections", "rel": "data", "type": "application/json"],
            ],
        ])
    }

    func items(_ request: Request, _ context: Context) throws -> Response {
        guard let id = context.parameters.get("collectionId"), Self.collections.contains(where: { $0.id == id }) else { throw Self.unknown() }
        let q = QueryParameters(request: request)
        let box = try q.bbox()
        let limit = try q.int("limit", range: 1...10_000, default: 100)
        let offset = try q.int("offset", range: 0...10_000_000, default: 0)
        var features: [[String: Any]] = []
        var matched = 0
        switch id {
        case "providers":
            let all = state.index.providers(in: box ?? GeoBox(minLon: 122, minLat: 20, maxLon: 154, maxLat: 46), services: [], limit: Int.max)
            matched = all.features.count
            features = all.features.dropFirst(offset).prefix(limit).map { f in
                ["type": "Feature", "id": f.id, "geometry": ["type": "Point", "coordinates": f.geometry.coordinates], "properties": f.properties]
            }
        case "towns":
            let all = state.index.townPoints(in: box ?? GeoBox(minLon: 122, minLat: 20, maxLon: 154, maxLat: 46))
            matched = all.count
            features = all.dropFirst(offset).prefix(limit).map { t in
                ["type": "Feature", "geometry": ["type": "Point", "coordinates": [t.point.lon, t.point.lat]],
                 "properties": ["name": t.name, "municipality_code": t.municipalityCode]]
            }
        default:
            let builder = LayerBuilder(database: state.database, index: state.index, onCall: state.onCall)
            let r = LayerRequest(window: .tonight(CoverageWindow.night(at: state.clock())), box: box, coverage: false)
            let layer = id == "municipalities" ? try builder.municipalities(r) : try builder.meshes(r)
            matched = layer.features.count
            let doc = try JSONSerialization.jsonObject(with: Layer(name: layer.name, columns: layer.columns,
                                                                       features: Array(layer.features.dropFirst(offset).prefix(limit)),
                                                                       indicators: layer.indicators, datasets: layer.datasets).geoJSON()) as? [String: Any]
            features = doc?["features"] as? [[String: Any]] ?? []
        }
        let base = self.base(request) + "/collections/\(id)/items"
        let bboxText = box.map { "&bbox=\($0.minLon),\($0.minLat),\($0.maxLon),\($0.maxLat)" } ?? ""
        var links: [[String: Any]] = [["href": "\(base)?limit=\(limit)&offset=\(offset)\(bboxText)", "rel": "self", "type": "application/geo+json"]]
        if offset + features.count < matched {
            links.append(["href": "\(base)?limit=\(limit)&offset=\(offset + limit)\(bboxText)", "rel": "next", "type": "application/geo+json"])
        }
        return try Self.json([
            "type": "FeatureCollection", "features": features, "numberMatched": matched, "numberReturned": features.count,
            "timeStamp": Date().formatted(.iso8601), "links": links,
        ], type: "application/geo+json")
    }
}
