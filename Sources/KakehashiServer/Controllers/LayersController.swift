import Foundation
import Hummingbird
import KakehashiCoverage
import KakehashiLayers
import KakehashiStore

/// `GET /v1/indicators`, `GET /v1/layers`, `GET /v1/layers/{layer}.geojson|.csv`.
struct LayersController<Context: RequestContext> {
    let state: AppState
    /// A mesh layer costs seconds of CPU and hundreds of megabytes to build.
    let builds = ConcurrencyLimit(name: "レイヤーファイル", maximum: 2)

    static var layers: [String] { ["municipalities", "medical_areas", "concept_areas", "prefectures", "meshes"] }

    func register(on router: Router<Context>) {
        router.get("/v1/indicators") { _, _ in
            try JSON.response(["indicators": Indicators.all])
        }
        router.get("/v1/layers") { _, _ in
            let years = try await BlockingWork.run { try self.state.data.database.populationYears() }
            return try JSON.response(LayerList(populationYears: years, layers: [
                LayerEntry(id: "municipalities", title: "市区町村：人口・高齢化・事業所・訪問の確保", formats: ["geojson", "csv"],
                      indicators: Indicators.all.filter { !["gap", "home_visit_demand"].contains($0.id) }.map(\.id)),
                LayerEntry(id: "medical_areas", title: "二次医療圏：市区町村の合計（比率は合計から）", formats: ["geojson", "csv"],
                      indicators: Indicators.all.filter { $0.id != "gap" }.map(\.id)),
                LayerEntry(id: "concept_areas", title: "地域医療構想区域：市区町村の合計と在宅（訪問診療）の需要（二次医療圏と同じ県は同じ区域）", formats: ["geojson", "csv"],
                      indicators: Indicators.all.filter { $0.id != "gap" }.map(\.id)),
                LayerEntry(id: "prefectures", title: "都道府県：市区町村の合計（比率は合計から）", formats: ["geojson", "csv"],
                      indicators: Indicators.all.filter { !["gap", "home_visit_demand"].contains($0.id) }.map(\.id)),
                LayerEntry(id: "meshes", title: "メッシュ：人口・75歳以上人口・訪問の確保・空白", formats: ["geojson", "csv"],
                      indicators: ["population_total", "population_75_plus", "gap"]),
                LayerEntry(id: "progress", title: "在宅医療・介護連携推進事業 (ア)～(ク) の進捗（item・fiscal_year ごと）", formats: ["geojson", "csv"],
                      indicators: []),
            ]))
        }
        router.get("/v1/layers/{file}") { request, context in try await self.layer(request, context) }
        router.get("/v1/compare/{code}") { request, context in try await self.compare(request, context) }
    }

    /// A layer file from the cache of this data version, or built (on the blocking pool, within the
    /// concurrency limit) and kept.
    func layer(_ request: Request, _ context: Context) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, Self.layers.contains(parts[0]) || parts[0] == "progress", ["geojson", "csv"].contains(parts[1]) else {
            throw Problem(.notFound, "レイヤーが見つかりません",
                          "使えるのは municipalities, medical_areas, concept_areas, prefectures, meshes, progress の .geojson と .csv です")
        }
        let q = QueryParameters(request: request)
        // The progress layer's parameters mean nothing here, but a bad one is still refused.
        if let item = try q.string("item", max: 8) { _ = try ProgressController<Context>.item(item) }
        _ = try q.int("fiscal_year", range: ProgressEntry.fiscalYears, default: 2025)
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
        // A map of the night shows it whole (and one file serves the whole night).
        let window = try q.coverageWindow(now: state.clock(), wholeNight: true)
        let year = try await populationYear(q)
        // Every parameter is checked as for any layer; the progress layer reads its own.
        if parts[0] == "progress" { return try await ProgressController<Context>(state: state).layer(request, csv: parts[1] == "csv") }
        var asked = LayerRequest(service: services.first ?? .homeVisitMedical, window: window, box: box, coverage: coverage, gapThreshold: threshold,
                                 year: year)
        asked.estimate75Plus = try q.bool("estimate_75_plus")
        let r = asked
        let csv = parts[1] == "csv"
        var headers = HTTPFields()
        if csv {
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"\(parts[0]).csv\""
        } else {
            headers[.contentType] = "application/geo+json; charset=utf-8"
        }
        let key = [file, r.service.rawValue, indicator ?? "", box.map { "\($0.minLon),\($0.minLat),\($0.maxLon),\($0.maxLat)" } ?? "",
                   "\(threshold)", "\(window.from.timeIntervalSince1970)-\(window.to.timeIntervalSince1970)", year.map(String.init) ?? "",
                   r.estimate75Plus ? "estimate75" : ""]
            .joined(separator: "|")
        let data = state.data  // one reading: the cache belongs to the data it was built from
        let files = data.layerFiles
        if let body = files.value(key) { return Response(status: .ok, headers: headers, body: .init(byteBuffer: body)) }
        let (database, index, onCall) = (data.database, data.index, state.onCall)
        // The layer is built within the limit on the blocking pool (the costly part: a lookup at
        // every mesh cell); its file is written and sent a piece at a time, and kept for the next
        // request when it fits the cache.
        let layer = try await builds.run {
            try await BlockingWork.run {
                let builder = LayerBuilder(database: database, index: index, onCall: onCall)
                var layer = switch parts[0] {
                case "municipalities": try builder.municipalities(r)
                case "medical_areas": try builder.medicalAreas(r)
                case "concept_areas": try builder.conceptAreas(r)
                case "prefectures": try builder.prefectures(r)
                default: try builder.meshes(r)
                }
                if let indicator {
                    let keys = ["code", "name", "prefecture", "municipalities", "municipality_codes", "population_year", "population_kind",
                                "home_visit_demand_year", "home_visit_demand_kind", "mesh_code", "cell_size_m", "municipality_code", "estimated",
                                "population_75_plus_estimated"]
                    layer.columns = layer.columns.filter { keys.contains($0) || $0 == indicator }
                    layer.indicators = layer.indicators.filter { $0.id == indicator }
                }
                return layer
            }
        }
        if csv {
            let body = ByteBuffer(string: layer.csv())
            files.store(body, bytes: body.readableBytes, for: key)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            var pieces = LayerGeoJSON(layer)
            var kept: ByteBuffer? = ByteBuffer()
            while let piece = pieces.piece() {
                let buffer = ByteBuffer(bytes: piece)
                try await writer.write(buffer)
                if var k = kept, k.readableBytes + buffer.readableBytes <= files.budget {
                    kept = nil  // one reference while appending
                    k.writeImmutableBuffer(buffer)
                    kept = k
                } else {
                    kept = nil
                }
            }
            try await writer.finish(nil)
            if let kept { files.store(kept, bytes: kept.readableBytes, for: key) }
        })
    }
}

extension LayersController {
    /// `GET /v1/compare/{code}?indicator=…`: a municipality beside its prefecture, its 二次医療圏 and
    /// its peers by population band.
    func compare(_ request: Request, _ context: Context) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        guard code.count == 5, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Problem.badRequest("code", "市区町村コードは 5 桁の数字です")
        }
        let q = QueryParameters(request: request)
        let indicator = try q.string("indicator", max: 60) ?? "ratio_75_plus"
        guard let known = Indicators.find(indicator), !["gap", "home_visit_demand"].contains(known.id) else {
            throw Problem.badRequest("indicator", "indicator「\(indicator.prefix(60))」は市区町村の指標ではありません。/v1/indicators を参照してください")
        }
        let services = try q.services(required: false)
        guard services.count <= 1 else { throw Problem.badRequest("service", "比較の service は 1 つです") }
        let year = try await populationYear(q)
        let coverage = ["covered_75_plus_share", "uncovered_75_plus"].contains(indicator)
        let window = try q.coverageWindow(now: state.clock(), wholeNight: true)
        let r = LayerRequest(service: services.first ?? .homeVisitMedical, window: window, coverage: coverage, year: year)
        let data = state.data
        let (database, index, onCall) = (data.database, data.index, state.onCall)
        let result = try await builds.run {
            try await BlockingWork.run { try LayerBuilder(database: database, index: index, onCall: onCall).comparison(code: code, indicator: indicator, r) }
        }
        guard let result else { throw Problem(.notFound, "市区町村が見つかりません", "市区町村コード \(code) の境界が取り込まれていません") }
        return try JSON.response(result)
    }

    /// `year=`: a year of population the database holds (nil: the latest actual one).
    func populationYear(_ q: QueryParameters) async throws -> Int? { try await q.populationYear(in: state.data.database) }
}

/// `GET /v1/layers`: the layers, and the years of population they can show (`year=`).
struct LayerList: Encodable {
    var populationYears: [PopulationYears.Year]
    var layers: [LayerEntry]

    enum CodingKeys: String, CodingKey {
        case populationYears = "population_years", layers
    }
}

/// One layer of `GET /v1/layers`.
struct LayerEntry: Encodable {
    var id: String
    var title: String
    var formats: [String]
    var indicators: [String]
}
