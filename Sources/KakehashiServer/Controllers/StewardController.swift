import Foundation
import Hummingbird
import KakehashiStore

/// The steward's side of the desk (`/v1/desk/steward/…`): invitations, accounts, and who
/// confirmed what when — the declarations never confirmed again, and the stale ones — as JSON or CSV.
struct StewardController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.get("/v1/desk/steward/invitations") { request, _ in try await self.invitations(request) }
        router.post("/v1/desk/steward/invitations") { request, _ in try await self.invite(request) }
        router.post("/v1/desk/steward/invitations/{invitation}/revoke") { request, context in try await self.revoke(request, context) }
        router.get("/v1/desk/steward/accounts") { request, _ in try await self.accounts(request) }
        router.post("/v1/desk/steward/accounts/{login}/disable") { request, context in try await self.disable(request, context) }
        router.get("/v1/desk/steward/declarations") { request, _ in try await self.declarations(request) }
        router.get("/v1/desk/steward/providers") { request, _ in try await self.providers(request) }
        router.put("/v1/desk/steward/progress/{code}/{item}/{fiscal_year}") { request, context in try await self.putProgress(request, context) }
    }

    /// The (ア)–(ク) progress entered on the steward's page, audited as the steward's.
    func putProgress(_ request: Request, _ context: Context) async throws -> Response {
        // Stewards of one municipality come this far too; the municipality is checked below.
        let user = try await DeskAuth.user(request, state: state)
        guard user.isSteward else { throw try await refuseSteward(user) }
        guard state.writable else { throw DeskProvidersController<Context>.notWritable }
        let (code, item, year) = try ProgressController<Context>.target(context)
        guard user.mayWriteProgress(of: code) else {
            try await ProgressController<Context>.refuse(actor: user.actor, role: user.role, code: code, state: state)
        }
        return try await ProgressController<Context>.save(request, code: code, item: item, year: year, actor: user.actor, role: user.role,
                                                          source: "desk", state: state)
    }

    /// A steward of the whole region (not one limited to a municipality or to providers), or 403.
    func steward(_ request: Request) async throws -> DeskUser {
        let user = try await DeskAuth.user(request, state: state)
        guard user.isSteward, user.providers == nil else { throw try await refuseSteward(user) }
        return user
    }

    /// Audits a refused steward's page and gives the 403 to throw.
    func refuseSteward(_ user: DeskUser) async throws -> Problem {
        let (database, now) = (state.database, state.clock())
        try await BlockingWork.write {
            try database.auditRefusal(actor: user.actor, role: user.role, action: "desk.steward", target: "steward", reason: "scope", at: now)
        }
        return Problem(.forbidden, "権限がありません", "地域全体の管理者（steward）だけが使えます")
    }

    struct InvitationView: Encodable {
        var id: Int64
        var role: String
        var providerId: Int64?
        var providerName: String?
        /// A steward invitation limited to one municipality.
        var municipality: String?
        var createdBy: String
        var createdAt: Date
        var expiresAt: Date
        var status: String
        /// Shown once, when the invitation is made.
        var code: String?
        var link: String?
    }

    func view(_ i: DeskInvitation, now: Date, code: String? = nil, base: String? = nil) -> InvitationView {
        InvitationView(id: i.id, role: i.role.rawValue, providerId: i.providerID, providerName: i.providerID.flatMap(state.index.providerName(id:)),
                       municipality: i.municipality, createdBy: i.createdBy, createdAt: i.createdAt, expiresAt: i.expiresAt, status: i.status(at: now), code: code,
                       link: code.flatMap { c in base.map { Self.link(base: $0, code: c) } })
    }

    /// The page a code opens: the code rides in the fragment, which browsers do not send to servers or logs.
    static func link(base: String, code: String) -> String { base + "/desk/#invite=" + code }

    func invitations(_ request: Request) async throws -> Response {
        _ = try await steward(request)
        let (database, now) = (state.database, state.clock())
        let list = try await BlockingWork.run { try database.deskInvitations() }
        return try JSON.response(list.map { view($0, now: now) })
    }

    struct InviteBody: Decodable { var providerId: Int64?; var role: String?; var validDays: Int?; var municipality: String? }

    func invite(_ request: Request) async throws -> Response {
        let user = try await steward(request)
        let body = try await JSONBody.decode(InviteBody.self, from: request,
                                             shape: #"{"provider_id": 事業所 ID, "role": "provider" か "steward", "valid_days": 日数, "municipality": 市区町村コード}"#)
        guard let role = DeskAccount.Role(rawValue: body.role ?? "provider") else { throw Problem.badRequest("role", "role は provider か steward です") }
        if let m = body.municipality {
            guard role == .steward else { throw Problem.badRequest("municipality", "municipality は管理者（steward）の招待だけに付けられます") }
            guard m.count == 5, m.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw Problem.badRequest("municipality", "市区町村コードは 5 桁の数字です") }
        }
        guard role == .steward || body.providerId != nil else { throw Problem.badRequest("provider_id", "provider_id が必要です") }
        let days = body.validDays ?? Int(state.desk.invitationLifetime / 86_400)
        guard (1...90).contains(days) else { throw Problem.badRequest("valid_days", "valid_days は 1〜90 です") }
        let (database, now) = (state.database, state.clock())
        do {
            let (invitation, code) = try await BlockingWork.write {
                try database.createDeskInvitation(role: role, provider: body.providerId, municipality: body.municipality, createdBy: user.actor,
                                                  validFor: TimeInterval(days) * 86_400, at: now)
            }
            return try JSON.response(view(invitation, now: now, code: code, base: PublicBaseURL.of(request, configured: state.publicBaseURL)), status: .created)
        } catch DeskRefusal.providerMissing(let id) {
            throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません")
        } catch DeskRefusal.municipalityMissing(let code) {
            throw Problem(.notFound, "市区町村が見つかりません", "市区町村コード \(code) は境界にも人口にもありません")
        }
    }

    func revoke(_ request: Request, _ context: Context) async throws -> Response {
        let user = try await steward(request)
        guard let id = context.parameters.get("invitation", as: Int64.self), id > 0 else { throw Problem.badRequest("invitation", "招待の id は正の整数です") }
        let (database, now) = (state.database, state.clock())
        guard try await BlockingWork.write({ try database.revokeDeskInvitation(id: id, actor: user.actor, at: now) }) else {
            throw Problem(.notFound, "招待が見つかりません", "id \(id) の使われていない招待はありません")
        }
        return Response(status: .noContent)
    }

    func accounts(_ request: Request) async throws -> Response {
        _ = try await steward(request)
        let database = state.database
        return try JSON.response(try await BlockingWork.run { try database.deskAccounts() })
    }

    func disable(_ request: Request, _ context: Context) async throws -> Response {
        let user = try await steward(request)
        let raw = context.parameters.get("login") ?? ""
        let login = DeskSessionController<Context>.folded(raw.removingPercentEncoding ?? raw)
        let (database, now) = (state.database, state.clock())
        do {
            try await BlockingWork.write { try database.disableDeskAccount(login: login, actor: user.actor, at: now) }
        } catch DeskRefusal.accountMissing {
            throw Problem(.notFound, "アカウントが見つかりません", "ログイン ID「\(login.prefix(64))」のアカウントはありません")
        }
        return Response(status: .noContent)
    }

    struct DeclarationRow: Encodable { var providerId: Int64; var providerName: String?; var declaration: DeskView.DeclarationView }

    /// One row per declaration: provider, fact, when confirmed and by whom, due or stale.
    func declarations(_ request: Request) async throws -> Response {
        _ = try await steward(request)
        let (database, now, freshness) = (state.database, state.clock(), state.freshness)
        let list = try await BlockingWork.run { try database.declarations() }
        let rows = list.map { d in (d, DeskView.DeclarationView(d, fact: d.fact, service: d.service, freshness: freshness, now: now)) }
        let format = try QueryParameters(request: request).string("format", max: 10) ?? "json"
        guard format == "json" || format == "csv" else { throw Problem.badRequest("format", "format は json か csv です") }
        if format == "csv" {
            var text = "provider_id,provider_name,fact,service,updated_at,updated_by,confirmed_at,confirmed_by,days_since_confirmed,confirmation_due,stale\r\n"
            for (d, v) in rows {
                text += CSVText.row([String(d.providerID), state.index.providerName(id: d.providerID) ?? "", d.fact.rawValue, d.service ?? "",
                                     Timestamps.tokyo(d.updatedAt), d.updatedBy, Timestamps.tokyo(d.confirmedAt), d.confirmedBy,
                                     String(v.daysSinceConfirmed ?? 0), String(v.confirmationDue), String(v.stale)]) + "\r\n"
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = #"attachment; filename="declarations.csv""#
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        return try JSON.response(rows.map { DeclarationRow(providerId: $0.0.providerID, providerName: state.index.providerName(id: $0.0.providerID), declaration: $0.1) })
    }

    struct ProviderRow: Encodable {
        var provider: DeskProviderStatus
        /// `not_invited`, `invited`, `never_confirmed` (an account, nothing declared), `confirmed`,
        /// `confirmation_due` or `stale`.
        var status: String
    }

    /// Providers to invite (by name) or to follow up: invited but never confirmed, due, stale.
    func providers(_ request: Request) async throws -> Response {
        _ = try await steward(request)
        let q = QueryParameters(request: request)
        let name = try q.string("q", max: 100).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        let limit = try q.int("limit", range: 1...500, default: 100)
        let (database, now, freshness) = (state.database, state.clock(), state.freshness)
        let rows = try await BlockingWork.run { try database.deskProviderStatuses(name: name, limit: limit, at: now) }
        return try JSON.response(rows.map { p in
            let status = if let oldest = p.oldestConfirmedAt {
                freshness.isStale(confirmedAt: oldest, now: now) ? "stale" : freshness.isDue(confirmedAt: oldest, now: now) ? "confirmation_due" : "confirmed"
            } else if p.accounts > 0 { "never_confirmed" } else if p.openInvitations > 0 { "invited" } else { "not_invited" }
            return ProviderRow(provider: p, status: status)
        })
    }
}
