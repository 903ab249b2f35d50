import Foundation
import Hummingbird
import KakehashiCoverage
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// A provider's own desk (`/v1/desk/providers/{id}…`): what the official files say of it, what it
/// declares (hours per service, area, night capabilities, contact) and confirms, and its on-call
/// report. Only its own staff or a steward may change it; every change and every refusal is audited.
struct DeskProvidersController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.get("/v1/desk/providers/{id}") { request, context in try await self.show(request, context) }
        router.put("/v1/desk/providers/{id}/hours") { request, context in
            try await self.declare(.hours, request, context) { _, services in
                let b = try await JSONBody.decode(DeclarationInput.HoursBody.self, from: request, shape: #"{"service": サービス, "opening_hours": 文字列}"#)
                return (try DeclarationInput.service(b.service, of: services), try DeclarationInput.hours(b))
            }
        }
        router.put("/v1/desk/providers/{id}/area") { request, context in
            try await self.declare(.area, request, context) { _, services in
                let b = try await JSONBody.decode(DeclarationInput.AreaBody.self, from: request, limit: 1 << 20,
                                                  shape: #"{"service": サービス, "area": {"rule": …} または null}"#)
                let index = state.index
                return (try DeclarationInput.service(b.service, of: services), try DeclarationInput.area(b, knows: index.knowsMunicipality))
            }
        }
        router.put("/v1/desk/providers/{id}/capabilities") { request, context in
            try await self.declare(.capabilities, request, context) { _, services in
                let b = try await JSONBody.decode(DeclarationInput.CapabilitiesBody.self, from: request, shape: #"{"capabilities": [体制], "notes": {体制: 注記}}"#)
                return (nil, try DeclarationInput.capabilities(b, services: services))
            }
        }
        router.put("/v1/desk/providers/{id}/contact") { request, context in
            try await self.declare(.contact, request, context) { _, _ in
                let b = try await JSONBody.decode(DeclaredContact.self, from: request, shape: #"{"phone", "fax", "email", "preferred", "note"}"#)
                return (nil, try DeclarationInput.contact(b))
            }
        }
        router.post("/v1/desk/providers/{id}/confirm") { request, context in try await self.confirm(request, context) }
        router.post("/v1/desk/providers/{id}/on-call") { request, context in try await self.postOnCall(request, context) }
        router.get("/v1/desk/providers/{id}/preview") { request, context in try await self.preview(request, context) }
    }

    /// The user and the provider, once the user may act on it; a refusal is audited and answered 403.
    func authorised(_ request: Request, _ context: Context, action: String, onCall: Bool = false) async throws -> (DeskUser, Int64) {
        let user = try await DeskAuth.user(request, state: state)
        guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else { throw Problem.badRequest("id", "id は正の整数です") }
        guard onCall ? user.mayPostOnCall(id) : user.mayEdit(id) else {
            let (database, now) = (state.database, state.clock())
            try await BlockingWork.write {
                try database.auditRefusal(actor: user.actor, role: user.role, action: action, provider: id, reason: "scope", at: now)
            }
            throw Problem(.forbidden, "権限がありません", "事業所 \(id) の窓口は、その事業所の職員と管理者だけが使えます（何も書き込んでいません）")
        }
        return (user, id)
    }

    /// The provider's facts, or 404.
    func facts(_ id: Int64) async throws -> ProviderFactsSnapshot.Provider {
        let database = state.database
        guard let (facts, _) = try await BlockingWork.run({ try database.providerFacts(id: id) }) else {
            throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません")
        }
        return facts
    }

    func show(_ request: Request, _ context: Context) async throws -> Response {
        let (_, id) = try await authorised(request, context, action: "desk.read")
        let p = try await facts(id)
        var view = DeskView(p, onCall: state.onCall.report(for: id), freshness: state.freshness, now: state.clock())
        if let at = p.location {
            view.nearbyMunicipalities = state.index.municipalities(near: at, within: 20_000).map { .init(code: $0.code, name: $0.name) }
        }
        var response = try JSON.response(view)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// Reads a fact's form (service and value; a nil value withdraws it), writes it, and has the
    /// lookup read the data again.
    func declare(_ fact: Declaration.Fact, _ request: Request, _ context: Context,
                 read: (Request, Set<ServiceKind>) async throws -> (service: String?, value: String?)) async throws -> Response {
        let (user, id) = try await authorised(request, context, action: "declaration.put")
        guard state.writable else { throw Self.notWritable }
        let p = try await facts(id)
        let (service, value) = try await read(request, Set(p.services.compactMap(ServiceKind.init(rawValue:))))
        let (database, now) = (state.database, state.clock())
        let kept: Declaration?
        do {
            kept = try await BlockingWork.write {
                try database.putDeclaration(provider: id, fact: fact, service: service, value: value, actor: user.actor, role: user.role, at: now)
            }
        } catch DeskRefusal.providerMissing {
            throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません")
        }
        state.reloadSoon()
        return try JSON.response(DeskView.DeclarationView(kept, fact: fact, service: service, freshness: state.freshness, now: now))
    }

    struct Confirmed: Encodable { var providerId: Int64; var confirmed: Int; var confirmedAt: Date }

    func confirm(_ request: Request, _ context: Context) async throws -> Response {
        let (user, id) = try await authorised(request, context, action: "declaration.confirm")
        guard state.writable else { throw Self.notWritable }
        let (database, now) = (state.database, state.clock())
        let n: Int
        do { n = try await BlockingWork.write { try database.confirmDeclarations(provider: id, actor: user.actor, role: user.role, at: now) } } catch DeskRefusal.providerMissing {
            throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません")
        }
        state.reloadSoon()
        return try JSON.response(Confirmed(providerId: id, confirmed: n, confirmedAt: now))
    }

    /// "On call tonight" in two clicks: without times, the night in progress (18:00 to 09:00).
    func postOnCall(_ request: Request, _ context: Context) async throws -> Response {
        let (user, id) = try await authorised(request, context, action: "on_call.put", onCall: true)
        guard state.writable else { throw Self.notWritable }
        let body = try await JSONBody.decode(OnCallInput.self, from: request, shape: OnCallInput.shape)
        let now = state.clock()
        let (from, to) = try body.period(night: CoverageWindow.nightInProgress(at: now), now: now)
        let database = state.database
        guard let report = try await BlockingWork.write({
            try database.putOnCallReport(provider: id, service: body.service, startsAt: from, endsAt: to, contact: body.contact, note: body.note,
                                         actor: user.actor, role: user.role, at: now)
        }) else { throw Problem(.notFound, "事業所が見つかりません", "id \(id) の事業所はありません") }
        state.onCall.put(report)
        return try JSON.response(ProvidersController<Context>.OnCallView(providerId: id, report: report,
                                                                        status: ProvidersController<Context>.status(report, now: now)))
    }

    /// The next seven nights as the lookup will read the hours: the declared ones, or a value the
    /// form is about to save (`opening_hours=`).
    func preview(_ request: Request, _ context: Context) async throws -> Response {
        let (_, id) = try await authorised(request, context, action: "desk.read")
        let p = try await facts(id)
        let q = QueryParameters(request: request)
        let services = Set(p.services.compactMap(ServiceKind.init(rawValue:)))
        let service = try DeclarationInput.service(try q.string("service", max: 40), of: services)
        let text = try q.string("opening_hours", max: 1000)
            ?? p.declarations.first { $0.fact == .hours && ($0.service == service || $0.service == nil) }?.decoded(DeclaredHours.self)?.openingHours
        do {
            return try JSON.response(try NightPreview(hours: text, capabilities: Set(p.capabilities.compactMap { Capability(rawValue: $0.capability) }),
                                                      service: service.flatMap(ServiceKind.init(rawValue:)), from: state.clock()))
        } catch let error as OpeningHoursError {
            throw Problem(.badRequest, "時間の書き方が読めません", error.description, type: "https://kakehashi.example/problems/invalid-parameter",
                          parameter: "opening_hours", position: error.position)
        }
    }

    static var notWritable: Problem {
        Problem(.serviceUnavailable, "一時的に書き込めません", "サーバーのデータベースファイルが見つからないため、書き込みを止めています（何も書き込んでいません）", retryAfter: 60)
    }
}
