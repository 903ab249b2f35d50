import Foundation
import Hummingbird
import KakehashiLayers

/// `GET /v1/trends/{code}.json|.csv`: a municipality's figures in every population year held,
/// beside its 二次医療圏 and prefecture — what the profile page charts and prints.
struct TrendController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.get("/v1/trends/{file}") { request, context in try await self.trend(request, context) }
    }

    func trend(_ request: Request, _ context: Context) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        let parts = file.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["json", "csv"].contains(parts[1]) else {
            throw Problem(.notFound, "推移が見つかりません", "/v1/trends/{市区町村コード}.json または .csv です（例：/v1/trends/11208.csv）")
        }
        let code = parts[0]
        guard code.count == 5, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Problem.badRequest("code", "市区町村コードは 5 桁の数字です")
        }
        let services = try QueryParameters(request: request).services(required: false)
        guard services.count <= 1 else { throw Problem.badRequest("service", "推移の service は 1 つです") }
        let data = state.data
        let (database, index, onCall, now) = (data.database, data.index, state.onCall, state.clock())
        let trend = try await BlockingWork.run {
            try LayerBuilder(database: database, index: index, onCall: onCall).trend(code: code, service: services.first ?? .homeVisitMedical, now: now)
        }
        guard let trend else { throw Problem(.notFound, "市区町村が見つかりません", "市区町村コード \(code) の境界が取り込まれていません") }
        guard parts[1] == "csv" else { return try JSON.response(trend) }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"trend-\(code).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: trend.csv())))
    }
}
