import Foundation
import Hummingbird
import KakehashiCoverage
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// Providers as JSON and GeoJSON, and their on-call reports (`PUT` needs a bearer token).
struct ProvidersController<Context: RequestContext> {
    let state: AppState
    /// A box full of providers is megabytes of GeoJSON built at once.
    let lists = ConcurrencyLimit(name: "事業所の一覧", maximum: 4)

    func register(on router: Router<Context>) {
        router.get("/v1/providers") { request, _ in try await lists.run { try await BlockingWork.run { try self.list(request) } } }
        router.get("/v1/providers/{id}") { _, context in try self.show(context) }
        router.get("/v1/providers/{id}/on-call") { _, context in try self.onCall(context) }
        router.get("/v1/providers/{id}/service-area") { _, context in try self.serviceArea(context) }
        router.put("/v1/providers/{id}/on-call") { request, context in try await self.putOnCall(request, context) }
    }

    func id(_ context: Context) throws -> Int64 {
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
            throw Problem.badRequest("id", "id は正の整数です")
        }
        return id
    }

    func show(_ context: Context) throws -> Response {
        let id = try id(context)
        guard let (facts, datasets) = try state.database.providerFacts(id: id) else {
            throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません")
        }
        return try JSON.response(CoverageIndex.providerDetail(facts, datasets: datasets))
    }

    /// The provider's service areas as the lookup applies them, as GeoJSON (for the web map).
    func serviceArea(_ context: Context) throws -> Response {
        let id = try id(context)
        guard let shapes = state.index.serviceAreaShapes(providerID: id) else {
            throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません")
        }
        var features: [[String: Any]] = []
        for shape in shapes {
            for (geometry, label) in shape.geometries {
                var properties: [String: Any] = ["rule": shape.rule.rawValue, "detail": shape.detail, "services": shape.services.map(\.rawValue)]
                if let label { properties["label"] = label }
                features.append(["type": "Feature", "properties": properties,
                                 "geometry": try JSONSerialization.jsonObject(with: Data(geometry.geoJSON.utf8))])
            }
        }
        return try FeaturesController<Context>.json(["type": "FeatureCollection", "provider_id": id, "features": features],
                                                    type: "application/geo+json")
    }

    /// GeoJSON FeatureCollection of the providers in a box (and of a service).
    func list(_ request: Request) throws -> Response {
        let q = QueryParameters(request: request)
        guard let box = try q.bbox() else { throw Problem.badRequest("bbox", "bbox（最小経度,最小緯度,最大経度,最大緯度）が必要です") }
        guard (box.maxLon - box.minLon) * (box.maxLat - box.minLat) <= 4 else { throw Problem.badRequest("bbox", "bbox は 4 平方度までです") }
        let services = try q.services(required: false)
        let limit = try q.int("limit", range: 1...10_000, default: 5_000)
        let features = state.index.providers(in: box, services: Set(services), limit: limit)
        return try JSON.response(features, contentType: "application/geo+json; charset=utf-8")
    }

    struct OnCallView: Encodable {
        var providerId: Int64
        var report: OnCallReport?
        /// `active`, `upcoming`, `expired` or `none`.
        var status: String
    }

    func onCall(_ context: Context) throws -> Response {
        let id = try id(context)
        guard state.index.contains(providerID: id) else { throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません") }
        let r = state.onCall.report(for: id)
        return try JSON.response(OnCallView(providerId: id, report: r, status: Self.status(r, now: Date())))
    }

    static func status(_ r: OnCallReport?, now: Date) -> String {
        guard let r else { return "none" }
        return r.endsAt <= now ? "expired" : r.startsAt > now ? "upcoming" : "active"
    }

    func putOnCall(_ request: Request, _ context: Context) async throws -> Response {
        // Authenticate before reading anything else.
        guard let writer = try BearerWriter.of(request, tokens: state.tokens) else { return BearerWriter.challenge }
        let (actor, scope) = (writer.name, writer.scope)
        guard state.writable else {
            throw Problem.databaseMissing
        }
        let id = try id(context)
        guard scope.mayWriteOnCall(of: id) else {
            let (database, role) = (state.database, scope.role.rawValue)
            try await BlockingWork.write { try database.auditRefusal(actor: actor, role: role, action: "on_call.put", provider: id, reason: "scope") }
            throw Problem(.forbidden, "権限がありません", "このトークン（\(scope.role.rawValue)）では事業所 \(id) の当番を書き込めません（何も書き込んでいません）")
        }
        let body = try await JSONBody.decode(OnCallInput.self, from: request, shape: OnCallInput.shape)
        let (from, to) = try body.period()
        // The write (with its audit row) waits on the disk: on the writes' own thread, never behind reads.
        let database = state.database
        guard let report = try await BlockingWork.write({
            try database.putOnCallReport(provider: id, service: body.service, startsAt: from, endsAt: to, contact: body.contact, note: body.note, actor: actor,
                                         role: scope.role.rawValue)
        }) else {
            throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません")
        }
        state.onCall.put(report)
        return try JSON.response(OnCallView(providerId: id, report: report, status: Self.status(report, now: Date())))
    }
}
