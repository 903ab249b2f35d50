import Foundation
import Hummingbird
import HummingbirdCore
import KakehashiCoverage
import KakehashiStore
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle

/// Counts requests and times them per route (ids folded into `{id}`), for `/metrics`.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let registry: PrometheusCollectorRegistry
    let metrics: RouteMetrics

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        metrics = RouteMetrics(registry: registry)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        let (counter, histogram) = metrics.for(route: Self.routeLabel(request.uri.path), status: response.status.code)
        counter.increment()
        histogram.record(ContinuousClock.now - start)
        return response
    }

    /// The `route` label of a path: the known routes with ids folded into `{id}`, `other` for the
    /// rest, so that the label has a bounded set of values. Literals only: no strings are built.
    static func routeLabel(_ path: String) -> String {
        // The busiest routes by prefix, without splitting the path.
        if path.utf8.starts(with: "/tiles/".utf8) { return "/tiles" }
        if path == "/health" { return "/health" }
        let parts = path.split(separator: "/", maxSplits: 4)
        guard let first = parts.first else { return "/" }
        switch first {
        case "health": return parts.count == 1 ? "/health" : "other"
        case "metrics": return parts.count == 1 ? "/metrics" : "other"
        case "openapi.json": return parts.count == 1 ? "/openapi.json" : "other"
        case "conformance": return parts.count == 1 ? "/conformance" : "other"
        case "collections": return "/collections"
        case "tiles": return "/tiles"
        case "web": return "/web"
        case "desk": return parts.count == 1 ? "/desk" : "other"
        case "profile": return parts.count == 1 ? "/profile" : "other"
        case "vendor": return "/vendor"
        case "v1" where parts.count >= 2:
            switch parts[1] {
            case "layers": return "/v1/layers"
            case "compare": return parts.count == 3 ? "/v1/compare/{code}" : "other"
            case "trends": return parts.count == 3 ? "/v1/trends/{file}" : "other"
            case "coverage": return parts.count == 2 ? "/v1/coverage" : "other"
            case "geocode": return parts.count == 2 ? "/v1/geocode" : "other"
            case "reverse": return parts.count == 2 ? "/v1/reverse" : "other"
            case "indicators": return parts.count == 2 ? "/v1/indicators" : "other"
            case "progress": return parts.count == 2 ? "/v1/progress" : parts.count == 5 ? "/v1/progress/{code}/{item}/{fiscal_year}" : "other"
            case "desk": return "/v1/desk"
            case "providers":
                if parts.count == 2 { return "/v1/providers" }
                guard parts[2].allSatisfy(\.isNumber) else { return "other" }
                if parts.count == 3 { return "/v1/providers/{id}" }
                if parts.count == 4, parts[3] == "on-call" { return "/v1/providers/{id}/on-call" }
                if parts.count == 4, parts[3] == "service-area" { return "/v1/providers/{id}/service-area" }
                return "other"
            default: return "other"
            }
        default: return "other"
        }
    }
}

/// The counter and histogram of each route and status, made once: asking the registry for them by
/// name and labels on every request cost more than answering a cached tile.
final class RouteMetrics: @unchecked Sendable {
    private let registry: PrometheusCollectorRegistry
    private let lock = NSLock()
    private var counters: [String: [UInt16: Counter]] = [:]
    private var histograms: [String: DurationHistogram] = [:]

    init(registry: PrometheusCollectorRegistry) { self.registry = registry }

    /// `kakehashi_http_requests_total` and `kakehashi_http_request_duration_seconds`, with their `# HELP` lines.
    /// (Made when a series is first made: the descriptor is not `Sendable`.)
    static var requests: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "kakehashi", subsystem: "http", metricName: "requests", unitName: "total",
                             helpText: "HTTP requests answered, by route (ids folded into {id}) and status")
    }
    static var duration: MetricNameDescriptor {
        MetricNameDescriptor(namespace: "kakehashi", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                             helpText: "Time to answer an HTTP request, by route")
    }

    func `for`(route: String, status: Int) -> (Counter, DurationHistogram) {
        lock.withLock {
            let counter = counters[route]?[UInt16(status)] ?? {
                let c = registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("status", String(status))])
                counters[route, default: [:]][UInt16(status)] = c
                return c
            }()
            let histogram = histograms[route] ?? {
                let h = registry.makeDurationHistogram(descriptor: Self.duration, labels: [("route", route)],
                                                       buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(20), .milliseconds(100), .milliseconds(500), .seconds(2)])
                histograms[route] = h
                return h
            }()
            return (counter, histogram)
        }
    }
}
