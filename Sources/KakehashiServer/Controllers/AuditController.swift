import Foundation
import Hummingbird
import KakehashiStore

/// `GET /v1/providers/{id}/audit[?format=csv]`: the writes to one provider, newest first, for a
/// steward — by token or signed in at the desk (issue #20: the steward reads the audit per provider
/// and exports it).
struct AuditController<Context: RequestContext> {
    let state: AppState

    struct Entry: Encodable {
        var at: String
        var actor: String
        var action: String
        var detail: String
    }

    func register(on router: Router<Context>) {
        router.get("/v1/providers/{id}/audit") { request, context in try await self.audit(request, context) }
    }

    func audit(_ request: Request, _ context: Context) async throws -> Response {
        guard request.headers[.authorization] != nil || request.cookies[DeskAuth.cookieName] != nil else { return BearerWriter.challenge }
        let user = try await DeskAuth.user(request, state: state)
        guard let id = context.parameters.get("id", as: Int64.self), id > 0 else { throw Problem.badRequest("id", "id は正の整数です") }
        guard user.isSteward, user.mayEdit(id) else {
            let (database, actor, role) = (state.database, user.actor, user.role)
            try await BlockingWork.write { try database.auditRefusal(actor: actor, role: role, action: "audit.read", provider: id, reason: "scope") }
            throw Problem(.forbidden, "権限がありません", "事業所 \(id) の監査ログを読めるのは、その事業所を受け持つ steward のトークンだけです")
        }
        let q = QueryParameters(request: request)
        let format = try q.string("format", max: 10) ?? "json"
        guard ["json", "csv"].contains(format) else { throw Problem.badRequest("format", "format は json か csv です") }
        let database = state.database
        let rows = try await BlockingWork.run { try database.auditLog(limit: 10_000, provider: id) }
        guard format == "csv" else {
            return try JSON.response(rows.map { Entry(at: $0.at, actor: $0.actor, action: $0.action, detail: $0.detail) })
        }
        var text = "at,actor,action,detail\r\n"
        for r in rows { text += CSVText.row([r.at, r.actor, r.action, r.detail]) + "\r\n" }
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"audit-provider-\(id).csv\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
