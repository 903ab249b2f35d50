import Foundation
import Hummingbird
import KakehashiAddress
import KakehashiCoverage
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// The body of `GET /v1/coverage`: the query as understood, then the answer's fields.
struct CoverageResponse: Encodable {
    struct Query: Encodable {
        var services: [ServiceKind]
        var from: Date
        var to: Date
        var lat: Double
        var lon: Double
        var geocode: GeocodeResult?
    }
    var query: Query
    var answer: CoverageAnswer

    enum CodingKeys: String, CodingKey { case query }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(query, forKey: .query)
        try answer.encode(to: encoder)
    }
}

/// `GET /v1/coverage`: who covers a point (or an address) for the services in the window.
struct CoverageController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.get("/v1/coverage") { request, _ in try self.coverage(request) }
    }

    func coverage(_ request: Request) throws -> Response {
        let q = QueryParameters(request: request)
        // One reading of the data for the whole answer (each reading takes a lock both event loops share).
        let data = state.data
        let (query, geocode) = try Self.parse(q, geocoder: data.geocoder, now: state.clock())
        let answer = data.index.answer(query, onCall: state.onCall)
        let body = CoverageResponse(
            query: .init(services: query.services, from: query.window.from, to: query.window.to,
                         lat: query.point.lat, lon: query.point.lon, geocode: geocode),
            answer: answer)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: CoverageJSON.encode(body, fragments: data.entryFragments, memos: data.entryMemos))))
    }

    /// Reads a coverage query from parameters by the rules of ``CoverageRequest`` (which the CLI
    /// shares); shared by the HTTP API and its tests.
    static func parse(_ q: QueryParameters, geocoder: @autoclosure () -> Geocoder, now: Date) throws -> (CoverageQuery, GeocodeResult?) {
        let rules = CoverageRequest()
        do {
            let place = try rules.place(address: try q.string("address", max: 200), lat: try q.double("lat", range: -90...90),
                                        lon: try q.double("lon", range: -180...180))
            var point: GeoPoint
            var geocode: GeocodeResult?
            switch place {
            case .address(let a):
                do { geocode = try geocoder().geocode(a) } catch { throw Problem.badRequest("address", error.description) }
                guard let glat = geocode?.lat, let glon = geocode?.lon, (geocode?.level ?? 0) >= 2 else {
                    throw Problem(.unprocessableContent, "住所から位置を特定できません", geocode?.message ?? "市区町村以下を含む住所を入力してください",
                                  type: "https://kakehashi.example/problems/address-not-found", parameter: "address")
                }
                point = GeoPoint(lon: glon, lat: glat)
            case .point(let p):
                point = p
            }
            let services = try rules.services(q.values("service"))
            let window = try q.coverageWindow(now: now)
            let limit = try q.int("limit", range: CoverageRequest.limits, default: CoverageRequest.defaultLimit)
            let offset = try q.int("offset", range: CoverageRequest.offsets, default: 0)
            let explain = try q.bool("explain")
            return (CoverageQuery(point: point, municipalityCode: geocode?.cityCode, town: geocode?.town, services: services, window: window,
                                  limit: limit, offset: offset, explain: explain, now: now), geocode)
        } catch let e as CoverageRequest.Invalid {
            throw Problem.badRequest(e.parameter, e.message)
        }
    }
}
