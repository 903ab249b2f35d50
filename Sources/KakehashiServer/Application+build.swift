import Foundation
import Hummingbird
import HummingbirdCore
import KakehashiCoverage
import KakehashiStore
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// How the server is started.
public struct ServerConfiguration: Sendable {
    public var databasePath: String
    public var host = "127.0.0.1"
    public var port = 8080
    public var tokenFile: String?
    public var medicalRadiusM = 16_000.0
    public var logLevel: Logger.Level = .info
    public var web = WebSettings()
    /// How often to look for a new import and read the data again; nil: never (read once at start).
    public var reloadInterval: Duration? = .seconds(60)

    public init(databasePath: String, host: String = "127.0.0.1", port: Int = 8080, tokenFile: String? = nil,
                medicalRadiusM: Double = 16_000, logLevel: Logger.Level = .info) {
        self.databasePath = databasePath
        self.host = host
        self.port = port
        self.tokenFile = tokenFile
        self.medicalRadiusM = medicalRadiusM
        self.logLevel = logLevel
    }
}

/// Builds the Hummingbird application: routes in small controllers, problem responses for every
/// error, request metrics, and logs without queries.
public func buildApplication(_ config: ServerConfiguration) async throws -> some ApplicationProtocol {
    var logger = Logger(label: "kakehashi")
    logger.logLevel = config.logLevel
    let database = try SpatialDatabase(path: config.databasePath, access: .server)
    var state = try AppState(database: database, settings: .init(medicalRadiusM: config.medicalRadiusM),
                             tokens: try TokenFile(path: config.tokenFile))
    state.web = config.web
    if !config.web.missingLibraries.isEmpty {
        logger.warning("web page libraries missing: install \(WebSettings.packages)", metadata: ["missing": .string(config.web.missingLibraries.joined(separator: " "))])
    }
    logger.info("loaded", metadata: ["providers": .stringConvertible(state.index.providerCount),
                                     "unreadable_hours": .stringConvertible(state.index.unreadableHours.count)])
    let router = buildRouter(state, logger: logger)
    var http = HTTP1Channel.Configuration()
    http.idleTimeout = .seconds(30)
    let services: [any Service] = config.reloadInterval.map { [DataReloadService(state: state, interval: $0, logger: logger)] } ?? []
    return Application(
        router: router,
        server: .http1(configuration: http),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "kakehashi"),
        services: services,
        logger: logger
    )
}

public func buildRouter(_ state: AppState, logger: Logger) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ProblemMiddleware(logger: logger))
    router.add(middleware: RequestMetricsMiddleware(registry: state.registry))
    OperationsController(state: state).register(on: router)
    CoverageController(state: state).register(on: router)
    ProvidersController(state: state).register(on: router)
    PlacesController(state: state).register(on: router)
    LayersController(state: state).register(on: router)
    FeaturesController(state: state).register(on: router)
    TilesController(state: state).register(on: router)
    WebController(state: state).register(on: router)
    return router
}

/// Counts requests and times them per route (ids folded into `{id}`), for `/metrics`.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        var route = request.uri.path.split(separator: "/").map { $0.allSatisfy(\.isNumber) ? "{id}" : String($0) }.joined(separator: "/")
        if route.hasPrefix("v1/layers/") { route = "v1/layers" }
        if route.hasPrefix("collections/") { route = "collections" }
        if route.hasPrefix("tiles/") { route = "tiles" }
        if route.hasPrefix("web/") { route = "web" }
        if route.hasPrefix("vendor/") { route = "vendor" }
        let known = ["", "health", "metrics", "openapi.json", "v1/coverage", "v1/providers", "v1/providers/{id}", "v1/providers/{id}/on-call", "v1/providers/{id}/service-area", "v1/geocode", "v1/reverse", "v1/indicators", "v1/layers", "conformance", "collections", "tiles", "web", "vendor"]
        let label = known.contains(route) ? "/" + route : "other"
        registry.makeCounter(name: "kakehashi_http_requests_total", labels: [("route", label), ("status", String(response.status.code))]).increment()
        let elapsed = ContinuousClock.now - start
        registry.makeDurationHistogram(name: "kakehashi_http_request_duration_seconds", labels: [("route", label)],
                                       buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500), .seconds(2)])
            .record(elapsed)
        return response
    }
}
