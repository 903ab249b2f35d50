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
    /// Memory for the lookups' cell plans (0: every lookup scans all candidates).
    public var planCacheBytes = 32 << 20
    public var logLevel: Logger.Level = .info
    public var web = WebSettings()
    /// The server's address as links name it (e.g. `https://kakehashi.city.example`); nil: from a
    /// well-formed `Host` header.
    public var publicBaseURL: String?
    public var caches = CacheBudgets()
    /// Proxies whose `X-Forwarded-For` names the client (the desk's sign-in throttle counts by it).
    public var trustedProxies: Set<String> = []
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
    var state = try AppState(database: database, settings: .init(medicalRadiusM: config.medicalRadiusM, planCacheBytes: config.planCacheBytes),
                             budgets: config.caches, tokens: try TokenRegistry(path: config.tokenFile))
    state.web = config.web
    state.desk.prepare()
    state.publicBaseURL = config.publicBaseURL
    state.trustedProxies = config.trustedProxies
    if !config.web.missingLibraries.isEmpty {
        logger.warning("web page libraries missing: install \(WebSettings.packages)", metadata: ["missing": .string(config.web.missingLibraries.joined(separator: " "))])
    }
    logger.info("loaded", metadata: ["providers": .stringConvertible(state.index.providerCount),
                                     "unreadable_hours": .stringConvertible(state.index.unreadableHours.count)])
    _ = OpenAPIDocument.json  // a build without its document fails here, at start, not at a request
    let router = buildRouter(state, logger: logger)
    let connectionLogger = logger
    var http = HTTP1Channel.Configuration(additionalChannelHandlers: [
        DeferredCloseHandler(grace: .seconds(30), logger: connectionLogger), ParserErrorProblem(),
    ])
    http.idleTimeout = .seconds(30)
    var services: [any Service] = config.reloadInterval.map { [DataReloadService(state: state, interval: $0, logger: logger)] } ?? []
    services.append(TokenReloadService(tokens: state.tokens, interval: .seconds(2), logger: logger))
    return Application(
        router: router,
        server: .http1(configuration: http),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "kakehashi"),
        services: services,
        logger: logger
    )
}

public func buildRouter(_ state: AppState, logger: Logger) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self, options: .autoGenerateHeadEndpoints)
    // Metrics outermost, so that they count the problem responses errors become (4xx/5xx too).
    router.add(middleware: RequestMetricsMiddleware(registry: state.registry))
    router.add(middleware: CachedTileMiddleware(state: state))
    router.add(middleware: ProblemMiddleware(logger: logger, databasePath: state.database.path))
    OperationsController(state: state).register(on: router)
    CoverageController(state: state).register(on: router)
    ProvidersController(state: state).register(on: router)
    PlacesController(state: state).register(on: router)
    OpeningHoursController(state: state).register(on: router)
    AuditController(state: state).register(on: router)
    DeskSessionController(state: state).register(on: router)
    DeskProvidersController(state: state).register(on: router)
    StewardController(state: state).register(on: router)
    LayersController(state: state).register(on: router)
    TrendController(state: state).register(on: router)
    ProgressController(state: state).register(on: router)
    FeaturesController(state: state).register(on: router)
    TilesController(state: state).register(on: router)
    WebController(state: state).register(on: router)
    return router
}
