import Foundation
import Hummingbird
import HTTPTypes
import KakehashiCoverage
import KakehashiGeo
import KakehashiLayers
import KakehashiModel
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
        router.get("/conformance") { request, _ in
            try QueryParameters(request: request).allowOnly(["f"])
            let classes = [
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
                "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
                "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
                "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
                "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
                "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
                "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
            ]
            if try WebPage.wantsHTML(request) {
                return FeaturesHTML.page("適合クラス", json: "/conformance?f=json", "<ul>" + classes.map { "<li>\($0)</li>" }.joined() + "</ul>")
            }
            return try Self.json(["conformsTo": classes])
        }
        router.get("/collections") { request, _ in
            try QueryParameters(request: request).allowOnly(["f"])
            let base = self.base(request)
            let list = Self.collections.map { Self.collection($0, base: base) }
            if try WebPage.wantsHTML(request) { return FeaturesHTML.collections(list, json: "\(base)/collections?f=json") }
            return try Self.json(["collections": list, "links": [
                ["href": "\(base)/collections?f=json", "rel": "self", "type": "application/json", "title": "この文書"],
                ["href": "\(base)/collections?f=html", "rel": "alternate", "type": "text/html", "title": "HTML"],
            ]])
        }
        router.get("/collections/{collectionId}") { request, context in
            try QueryParameters(request: request).allowOnly(["f"])
            guard let c = Self.collections.first(where: { $0.id == context.parameters.get("collectionId") }) else { throw Self.unknown() }
            let base = self.base(request), doc = Self.collection(c, base: base)
            if try WebPage.wantsHTML(request) { return FeaturesHTML.collection(doc, json: "\(base)/collections/\(c.id)?f=json") }
            return try Self.json(doc)
        }
        router.get("/collections/{collectionId}/items") { request, context in
            try await pages.run { try await BlockingWork.run { try self.items(request, context) } }
        }
        router.get("/collections/{collectionId}/queryables") { request, context in
            let q = QueryParameters(request: request)
            try q.allowOnly(["f"])
            if let f = try q.string("f", max: 10), f != "json" { throw Problem.badRequest("f", "queryables は JSON（f=json）だけです") }
            guard let id = context.parameters.get("collectionId"), Self.collections.contains(where: { $0.id == id }) else { throw Self.unknown() }
            let base = self.base(request)
            let properties = try await BlockingWork.run { try self.queryables(id) }
            return try Self.json([
                "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "\(base)/collections/\(id)/queryables",
                "type": "object", "title": id, "additionalProperties": false,
                "properties": Dictionary(uniqueKeysWithValues: properties.map { ($0.name, ["type": $0.type, "title": $0.name]) })
                    .merging(["geometry": ["format": id == "providers" || id == "towns" ? "geometry-point" : "geometry-any"]]) { a, _ in a },
            ], type: "application/schema+json")
        }
        router.get("/collections/{collectionId}/items/{featureId}") { request, context in
            try await pages.run { try await BlockingWork.run { try self.item(request, context) } }
        }
    }

    static func unknown() -> Problem { Problem(.notFound, "コレクションが見つかりません", "使えるのは providers, municipalities, meshes, towns です") }

    func base(_ request: Request) -> String { PublicBaseURL.of(request, configured: state.publicBaseURL) }

    static func json(_ value: Any, type: String = "application/json", crs: FeatureCRS? = nil) throws -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        if let crs { headers[HTTPField.Name("Content-Crs")!] = "<\(crs.uri)>" }
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func collection(_ c: (id: String, title: String, description: String), base: String) -> [String: Any] {
        [
            "id": c.id, "title": c.title, "description": c.description, "itemType": "feature",
            "crs": FeatureCRS.supported, "storageCrs": FeatureCRS.crs84,
            "extent": ["spatial": ["bbox": [[122.0, 20.0, 154.0, 46.0]], "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"]],
            "links": [
                ["href": "\(base)/collections/\(c.id)?f=json", "rel": "self", "type": "application/json", "title": "このコレクション"],
                ["href": "\(base)/collections/\(c.id)?f=html", "rel": "alternate", "type": "text/html", "title": "HTML"],
                ["href": "\(base)/collections/\(c.id)/items?f=json", "rel": "items", "type": "application/geo+json", "title": "地物（GeoJSON）"],
                ["href": "\(base)/collections/\(c.id)/items?f=html", "rel": "items", "type": "text/html", "title": "地物（HTML）"],
                ["href": "\(base)/collections/\(c.id)/queryables", "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
                 "type": "application/schema+json", "title": "絞り込みに使える属性"],
            ],
        ]
    }

    func landing(_ request: Request) throws -> Response {
        let base = self.base(request)
        return try Self.json([
            "title": "Kakehashi 架け橋", "description": "在宅医療・介護の資源と高齢者人口の地図レイヤー（OGC API – Features）",
            "links": [
                ["href": "\(base)/", "rel": "self", "type": "application/json", "title": "この文書"],
                ["href": "\(base)/openapi.json", "rel": "service-desc", "type": "application/vnd.oai.openapi+json;version=3.1", "title": "API 定義"],
                ["href": "\(base)/conformance", "rel": "conformance", "type": "application/json", "title": "適合クラス"],
                ["href": "\(base)/collections", "rel": "data", "type": "application/json", "title": "コレクション"],
            ],
        ])
    }

    static var everywhere: GeoBox { GeoBox(minLon: 122, minLat: 20, maxLon: 154, maxLat: 46) }

    /// A page of a collection's features (GeoJSON objects) and how many match in all. With a
    /// filter every feature of the box is built and tested before the page is cut.
    func features(_ id: String, box: GeoBox?, limit: Int, offset: Int, filter: CQL2Filter? = nil) throws -> (features: [[String: Any]], matched: Int) {
        if let filter {
            let all = try features(id, box: box, limit: Int.max, offset: 0).features.filter(filter.matches)
            return (Array(all.dropFirst(offset).prefix(limit)), all.count)
        }
        switch id {
        case "providers":
            let all = state.index.providers(in: box ?? Self.everywhere, services: [], limit: Int.max)
            return (all.features.dropFirst(offset).prefix(limit).map(Self.provider), all.features.count)
        case "towns":
            let all = state.index.townPoints(in: box ?? Self.everywhere)
            return (all.dropFirst(offset).prefix(limit).map(Self.town), all.count)
        default:
            let layer = try layer(id, box: box)
            return (try Self.geoJSON(Array(layer.features.dropFirst(offset).prefix(limit)), of: layer), layer.features.count)
        }
    }

    func layer(_ id: String, box: GeoBox?) throws -> Layer {
        let builder = LayerBuilder(database: state.database, index: state.index, onCall: state.onCall)
        let r = LayerRequest(window: .tonight(CoverageWindow.night(at: state.clock())), box: box, coverage: false)
        return id == "municipalities" ? try builder.municipalities(r) : try builder.meshes(r)
    }

    static func geoJSON(_ features: [Layer.Feature], of layer: Layer) throws -> [[String: Any]] {
        let doc = try JSONSerialization.jsonObject(with: Layer(name: layer.name, columns: layer.columns, features: features,
                                                               indicators: layer.indicators, datasets: layer.datasets).geoJSON()) as? [String: Any]
        return doc?["features"] as? [[String: Any]] ?? []
    }

    static func provider(_ f: ProviderFeatureCollection.Feature) -> [String: Any] {
        ["type": "Feature", "id": f.id, "geometry": ["type": "Point", "coordinates": f.geometry.coordinates], "properties": f.properties]
    }

    /// A town's id: its municipality and name, which together name it in the 位置参照情報.
    static func town(_ t: ProviderFactsSnapshot.Town) -> [String: Any] {
        ["type": "Feature", "id": "\(t.municipalityCode)-\(t.name)", "geometry": ["type": "Point", "coordinates": [t.point.lon, t.point.lat]],
         "properties": ["name": t.name, "municipality_code": t.municipalityCode]]
    }

    /// One feature by its id, or nil.
    func feature(_ id: String, _ featureID: String) throws -> [String: Any]? {
        switch id {
        case "providers":
            return Int64(featureID).flatMap { state.index.providerFeature(id: $0) }.map(Self.provider)
        case "towns":
            let parts = featureID.split(separator: "-", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return nil }
            return state.index.townPoints(in: Self.everywhere).first { $0.municipalityCode == parts[0] && $0.name == parts[1] }.map(Self.town)
        case "meshes":
            guard let mesh = MeshCode(featureID) else { return nil }
            let layer = try layer(id, box: mesh.bounds)
            return try Self.geoJSON(layer.features.filter { $0.id == featureID }, of: layer).first
        default:
            guard featureID.count == 5, featureID.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            let layer = try layer(id, box: nil)
            return try Self.geoJSON(layer.features.filter { $0.id == featureID }, of: layer).first
        }
    }

    func item(_ request: Request, _ context: Context) throws -> Response {
        guard let id = context.parameters.get("collectionId"), Self.collections.contains(where: { $0.id == id }) else { throw Self.unknown() }
        let q = QueryParameters(request: request)
        try q.allowOnly(["f", "crs"])
        let crs = try FeatureCRS(parameter: try q.string("crs", max: 100), name: "crs")
        let raw = context.parameters.get("featureId") ?? ""
        let featureID = raw.removingPercentEncoding ?? raw  // a town's id holds its name
        guard featureID.count <= 200, let found = try feature(id, featureID) else {
            throw Problem(.notFound, "地物が見つかりません", "コレクション \(id) に ID「\(featureID.prefix(80))」の地物はありません")
        }
        var f = FeatureCRS.transform(feature: found, try crs.projection())
        let base = self.base(request) + "/collections/\(id)"
        let path = base + "/items/" + (featureID.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? featureID)
        f["links"] = [
            ["href": "\(path)?f=json", "rel": "self", "type": "application/geo+json", "title": "この地物"],
            ["href": "\(path)?f=html", "rel": "alternate", "type": "text/html", "title": "HTML"],
            ["href": "\(base)?f=json", "rel": "collection", "type": "application/json", "title": "コレクション"],
        ]
        if try WebPage.wantsHTML(request) { return FeaturesHTML.feature(id, f, json: "\(path)?f=json") }
        return try Self.json(f, type: "application/geo+json", crs: crs)
    }

    func items(_ request: Request, _ context: Context) throws -> Response {
        guard let id = context.parameters.get("collectionId"), Self.collections.contains(where: { $0.id == id }) else { throw Self.unknown() }
        let q = QueryParameters(request: request)
        let queryables = try self.queryables(id)
        let names = Set(queryables.map(\.name))
        try q.allowOnly(Set(["limit", "offset", "bbox", "bbox-crs", "crs", "datetime", "f", "filter", "filter-lang", "filter-crs"])
                        .union(names).union(id == "providers" ? ["service"] : []))
        let html = try WebPage.wantsHTML(request)
        let crs = try FeatureCRS(parameter: try q.string("crs", max: 100), name: "crs")
        let box = try self.box(q)
        let limit = try q.int("limit", range: 1...10_000, default: 100)
        let offset = try q.int("offset", range: 0...10_000_000, default: 0)
        // No collection has a time: every feature matches any `datetime`, which must still be one.
        if let datetime = try q.string("datetime", max: 100), !Self.isDateTime(datetime) {
            throw Problem.badRequest("datetime", "datetime は RFC 3339 の日時か「開始/終了」の区間（.. で開いた端）です")
        }
        let filter = try self.filter(q, names: names,
                                     booleans: Set(queryables.filter { $0.type == "boolean" }.map(\.name)), collection: id)
        let (found, matched) = try self.features(id, box: box, limit: limit, offset: offset, filter: filter)
        let projection = try crs.projection()
        let features = found.map { FeatureCRS.transform(feature: $0, projection) }
        let base = self.base(request) + "/collections/\(id)/items"
        // Every other parameter of the request (bbox, crs, filter, queryables…) as the client wrote it.
        let kept = (request.uri.query ?? "").split(separator: "&").filter { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            return !["f", "limit", "offset"].contains(name)
        }.map { "&" + $0 }.joined()
        func page(_ offset: Int, _ f: String = "json") -> String { "\(base)?f=\(f)&limit=\(limit)&offset=\(offset)\(kept)" }
        var links: [[String: Any]] = [
            ["href": page(offset), "rel": "self", "type": "application/geo+json", "title": "このページ"],
            ["href": page(offset, "html"), "rel": "alternate", "type": "text/html", "title": "HTML"],
            ["href": self.base(request) + "/collections/\(id)?f=json", "rel": "collection", "type": "application/json", "title": "コレクション"],
            ["href": self.base(request) + "/collections/\(id)/queryables", "rel": "http://www.opengis.net/def/rel/ogc/1.0/queryables",
             "type": "application/schema+json", "title": "絞り込みに使える属性"],
        ]
        if offset + features.count < matched {
            links.append(["href": page(offset + limit), "rel": "next", "type": "application/geo+json", "title": "次のページ"])
        }
        if offset > 0 { links.append(["href": page(max(0, offset - limit)), "rel": "prev", "type": "application/geo+json", "title": "前のページ"]) }
        let doc: [String: Any] = [
            "type": "FeatureCollection", "features": features, "numberMatched": matched, "numberReturned": features.count,
            "timeStamp": Date().formatted(.iso8601), "links": links,
        ]
        var response = html ? FeaturesHTML.items(id, doc, json: page(offset)) : try Self.json(doc, type: "application/geo+json", crs: crs)
        // The same links as HTTP headers (RFC 8288), where clients that do not parse the body look.
        response.headers[HTTPField.Name("Link")!] = links.map { l in
            "<\(l["href"] as? String ?? "")>; rel=\"\(l["rel"] as? String ?? "")\"; type=\"\(l["type"] as? String ?? "")\""
        }.joined(separator: ", ")
        return response
    }

    /// `bbox`, in CRS84 or in the CRS `bbox-crs` names (its axis order), as the CRS84 box that holds it.
    func box(_ q: QueryParameters) throws -> GeoBox? {
        let crs = try FeatureCRS(parameter: try q.string("bbox-crs", max: 100), name: "bbox-crs")
        guard crs.code != nil else { return try q.bbox() }
        guard let text = try q.string("bbox", max: 160) else { return nil }
        let v = text.split(separator: ",").compactMap { Double(decimalText: $0) }
        guard v.count == 4, v.allSatisfy(\.isFinite), v[0] < v[2], v[1] < v[3] else {
            throw Problem.badRequest("bbox", "bbox は bbox-crs の軸の順に 最小,最小,最大,最大 の 4 つの数値です")
        }
        let b = crs.crs84Box(GeoBox(minLon: v[0], minLat: v[1], maxLon: v[2], maxLat: v[3]), try crs.projection())
        // Whatever the numbers, the box searched stays on the globe (a box of 1e20° would have no end of cells).
        func clamp(_ x: Double, _ limit: Double) -> Double { x.isFinite ? min(max(x, -limit), limit) : 0 }
        return GeoBox(minLon: clamp(b.minLon, 180), minLat: clamp(b.minLat, 90), maxLon: clamp(b.maxLon, 180), maxLat: clamp(b.maxLat, 90))
    }

    /// The properties a collection's features may be filtered by, with their JSON Schema types.
    func queryables(_ id: String) throws -> [(name: String, type: String)] {
        let texts: Set<String> = ["code", "name", "prefecture", "mesh_code", "municipality_code", "population_kind", "kind", "source",
                                  "official_id", "services", "phone", "fax"]
        let columns: [String]
        switch id {
        case "providers": columns = ["name", "kind", "source", "official_id", "services", "municipality_code", "phone", "fax"]
        case "towns": columns = ["name", "municipality_code"]
        case "municipalities": columns = LayerBuilder.municipalColumns(coverage: false)
        default: columns = LayerBuilder.meshColumns(coverage: false)
        }
        return columns.map { ($0, texts.contains($0) ? "string" : $0 == "estimated" ? "boolean" : "number") }
    }

    /// `filter` (CQL2 text) and the queryables given as parameters (`kind=clinic`), all of which must
    /// hold; providers' `service=` holds when the provider offers that service.
    func filter(_ q: QueryParameters, names: Set<String>, booleans: Set<String>, collection: String) throws -> CQL2Filter? {
        if let lang = try q.string("filter-lang", max: 40), lang != "cql2-text" {
            throw Problem.badRequest("filter-lang", "filter-lang に使えるのは cql2-text です")
        }
        if let filterCRS = try q.string("filter-crs", max: 100), filterCRS != FeatureCRS.crs84 {
            throw Problem.badRequest("filter-crs", "filter-crs に使えるのは \(FeatureCRS.crs84) です")
        }
        var parts: [CQL2Filter] = []
        if try q.string("filter", max: 2_000) != nil {
            let text = try q.formText("filter", max: 2_000) ?? ""
            do { parts.append(try CQL2Filter.parse(text, queryables: names)) } catch let e as CQL2Filter.Unsupported {
                throw Problem.badRequest("filter", "filter（CQL2 テキスト）が読めません: \(e.message)")
            }
        }
        for name in names.sorted() {
            guard let value = try q.string(name, max: 200) else { continue }
            if booleans.contains(name) {
                guard let b = ["true": true, "false": false][value] else { throw Problem.badRequest(name, "\(name) は true か false です") }
                parts.append(.compare(name, .eq, .bool(b)))
            } else {
                parts.append(.compare(name, .eq, .text(value)))
            }
        }
        var result = parts.first.map { parts.dropFirst().reduce($0) { .and($0, $1) } }
        if collection == "providers", let service = try q.string("service", max: 60) {
            guard ServiceKind(rawValue: service) != nil else {
                throw Problem.badRequest("service", "service は \(ServiceKind.allCases.map(\.rawValue).joined(separator: "・")) のどれかです")
            }
            let offers = CQL2Filter.listContains("services", service)
            result = result.map { .and($0, offers) } ?? offers
        }
        return result
    }

    /// An instant (RFC 3339 date or date-time) or an interval of two, either end open (`..` or empty).
    static func isDateTime(_ text: String) -> Bool {
        func instant(_ s: Substring) -> Bool {
            (try? Date(String(s), strategy: .iso8601)) != nil || (s.count == 10 && (try? Date(String(s) + "T00:00:00Z", strategy: .iso8601)) != nil)
        }
        let ends = text.split(separator: "/", omittingEmptySubsequences: false)
        switch ends.count {
        case 1: return instant(ends[0])
        case 2: return ends.allSatisfy { $0 == ".." || $0.isEmpty || instant($0) } && !ends.allSatisfy { $0 == ".." || $0.isEmpty }
        default: return false
        }
    }
}
