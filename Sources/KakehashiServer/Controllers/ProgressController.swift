import Foundation
import Hummingbird
import KakehashiLayers
import KakehashiModel
import KakehashiStore

/// (ア)–(ク) progress: `GET /v1/progress` (municipalities × items of a fiscal year, with the change
/// since the year before), `PUT /v1/progress/{code}/{item}/{fiscal_year}` (that municipality's own
/// steward, or a steward; audited, refusals too) and the map layer `/v1/layers/progress.{geojson|csv}`.
struct ProgressController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.get("/v1/progress") { request, _ in try await self.matrix(request) }
        router.put("/v1/progress/{code}/{item}/{fiscal_year}") { request, context in try await self.put(request, context) }
    }

    /// The fiscal year (April to March, in Japan) of an instant.
    static func fiscalYear(of date: Date) -> Int {
        let day = ProgressEntry.day(of: date).split(separator: "-").compactMap { Int($0) }
        return day[1] >= 4 ? day[0] : day[0] - 1
    }

    func fiscalYear(_ q: QueryParameters) throws -> Int {
        try q.int("fiscal_year", range: ProgressEntry.fiscalYears, default: Self.fiscalYear(of: state.clock()))
    }

    /// `a`…`h` as the API names them (files may also write ア…ク).
    static func item(_ text: String?) throws -> ProgressItem {
        guard let text, let item = ProgressItem(rawValue: text) else {
            throw Problem.badRequest("item", "item は a～h（(ア)～(ク)）です（値: \((text ?? "").prefix(20))）")
        }
        return item
    }

    struct Matrix: Encodable {
        struct Item: Encodable { var id: String, letter: String, label: String }
        struct Stage: Encodable { var id: String, label: String, level: Int }
        struct Cell: Encodable {
            var stage: String, stageLabel: String, recordedOn: String, note: String?, updatedAt: Date
            var previousStage: String?, change: Int?
        }
        struct Row: Encodable { var code: String, name: String, entries: [String: Cell], previousEntries: [String: String] }
        var fiscalYear: Int
        var prefecture: String?
        var items: [Item]
        var stages: [Stage]
        var municipalities: [Row]
        /// Per item, how many municipalities are at each stage (and `unrecorded`).
        var summary: [String: [String: Int]]
    }

    func matrix(_ request: Request) async throws -> Response {
        let q = QueryParameters(request: request)
        try q.allowOnly(["fiscal_year", "prefecture"])
        let year = try fiscalYear(q)
        let prefecture = try q.string("prefecture", max: 2)
        if let prefecture, prefecture.count != 2 || !prefecture.allSatisfy({ $0.isASCII && $0.isNumber }) {
            throw Problem.badRequest("prefecture", "prefecture は 2 桁の都道府県コードです（例: 11）")
        }
        let database = state.data.database
        let (entries, areas) = try await BlockingWork.run {
            (try database.progress(prefecture: prefecture, fiscalYears: [year - 1, year]), try database.progressAreas(prefecture: prefecture))
        }
        var rows: [Matrix.Row] = []
        var summary: [String: [String: Int]] = [:]
        let byCode = Dictionary(grouping: entries, by: \.municipalityCode)
        for area in areas where area.city == nil {
            let mine = byCode[area.code] ?? []
            let before = Dictionary(mine.filter { $0.fiscalYear == year - 1 }.map { ($0.item, $0.stage) }, uniquingKeysWith: { a, _ in a })
            var cells: [String: Matrix.Cell] = [:]
            for e in mine where e.fiscalYear == year {
                let previous = before[e.item]
                cells[e.item.rawValue] = Matrix.Cell(stage: e.stage.rawValue, stageLabel: e.stage.label, recordedOn: e.recordedOn, note: e.note,
                                                     updatedAt: e.updatedAt, previousStage: previous?.rawValue,
                                                     change: previous.map { e.stage.level - $0.level })
            }
            for item in ProgressItem.allCases {
                summary[item.rawValue, default: [:]][cells[item.rawValue]?.stage ?? "unrecorded", default: 0] += 1
            }
            rows.append(Matrix.Row(code: area.code, name: area.name, entries: cells,
                                   previousEntries: Dictionary(before.map { ($0.key.rawValue, $0.value.rawValue) }, uniquingKeysWith: { a, _ in a })))
        }
        return try JSON.response(Matrix(
            fiscalYear: year, prefecture: prefecture,
            items: ProgressItem.allCases.map { .init(id: $0.rawValue, letter: $0.letter, label: $0.label) },
            stages: ProgressStage.allCases.map { .init(id: $0.rawValue, label: $0.label, level: $0.level) },
            municipalities: rows, summary: summary))
    }

    func put(_ request: Request, _ context: Context) async throws -> Response {
        // Authenticate before reading anything else.
        guard let writer = try BearerWriter.of(request, tokens: state.tokens) else { return BearerWriter.challenge }
        let (actor, scope) = (writer.name, writer.scope)
        guard state.writable else { throw Problem.databaseMissing }
        let (code, item, year) = try Self.target(context)
        guard scope.mayWriteProgress(of: code) else { try await Self.refuse(actor: actor, role: scope.role.rawValue, code: code, state: state) }
        return try await Self.save(request, code: code, item: item, year: year, actor: actor, role: scope.role.rawValue, source: "api", state: state)
    }

    /// Audits a write outside the writer's municipalities and answers 403.
    static func refuse(actor: String, role: String, code: String, state: AppState) async throws -> Never {
        let database = state.database
        try await BlockingWork.write {
            try database.auditRefusal(actor: actor, role: role, action: "progress.put", target: "municipality:\(code)", reason: "scope")
        }
        throw Problem(.forbidden, "権限がありません", "この書き手（\(role)）では市区町村 \(code) の進捗を書き込めません（何も書き込んでいません）")
    }

    /// The municipality, item and fiscal year of `…/{code}/{item}/{fiscal_year}`, or a 400.
    static func target(_ context: Context) throws -> (code: String, item: ProgressItem, year: Int) {
        let code = context.parameters.get("code") ?? ""
        guard code.count == 5, code.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw Problem.badRequest("code", "code は 5 桁の市区町村コードです") }
        let item = try item(context.parameters.get("item"))
        guard let year = context.parameters.get("fiscal_year").flatMap(Int.init), ProgressEntry.fiscalYears.contains(year) else {
            throw Problem.badRequest("fiscal_year", "fiscal_year は \(ProgressEntry.fiscalYears.lowerBound)～\(ProgressEntry.fiscalYears.upperBound) の西暦の年度です")
        }
        return (code, item, year)
    }

    /// Reads the stage from the body and records it (a token's write and the steward's page alike).
    static func save(_ request: Request, code: String, item: ProgressItem, year: Int, actor: String, role: String, source: String,
                     state: AppState) async throws -> Response {
        let body = try await JSONBody.decode(ProgressInput.self, from: request, shape: ProgressInput.shape)
        guard let stage = body.stage.flatMap(ProgressStage.init(text:)) else {
            throw Problem.badRequest("stage", "stage は not_started・considering・implementing・evaluating（未着手・検討中・実施中・評価・改善）のいずれかです")
        }
        let now = state.clock()
        let day = body.recordedOn.flatMap { $0.isEmpty ? nil : $0 } ?? ProgressEntry.day(of: now)
        guard ProgressEntry.isDay(day) else { throw Problem.badRequest("recorded_on", "recorded_on は YYYY-MM-DD の日付です") }
        if let note = body.note, note.count > 2_000 { throw Problem.badRequest("note", "note は 2,000 文字までです") }
        let entry = ProgressEntry(municipalityCode: code, item: item, fiscalYear: year, stage: stage, recordedOn: day,
                                  note: body.note.flatMap { $0.isEmpty ? nil : $0 }, updatedAt: now, updatedBy: actor)
        let database = state.database
        do {
            let saved = try await BlockingWork.write { try database.putProgress(entry, role: role, source: source) }
            return try JSON.response(saved)
        } catch ProgressRefusal.unknownMunicipality {
            throw Problem(.notFound, "市区町村が見つかりません", "市区町村コード \(code) は境界にも人口にもありません")
        }
    }

    /// `/v1/layers/progress.{geojson|csv}?item=&fiscal_year=`: built from the records each time
    /// (a write shows at once; a few hundred municipalities cost milliseconds).
    func layer(_ request: Request, csv: Bool) async throws -> Response {
        let q = QueryParameters(request: request)
        let item = try Self.item(try q.string("item", max: 8) ?? "a")
        let year = try fiscalYear(q)
        let box = try q.bbox()
        let data = state.data
        let (database, index, onCall) = (data.database, data.index, state.onCall)
        let layer = try await BlockingWork.run {
            try LayerBuilder(database: database, index: index, onCall: onCall).progress(item: item, fiscalYear: year, box: box)
        }
        var headers = HTTPFields()
        if csv {
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"progress.csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: layer.csv())))
        }
        headers[.contentType] = "application/geo+json; charset=utf-8"
        var pieces = LayerGeoJSON(layer)
        var body = ByteBuffer()
        while let piece = pieces.piece() { body.writeBytes(piece) }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}
