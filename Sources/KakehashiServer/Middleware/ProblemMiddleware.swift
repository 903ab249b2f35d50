import Foundation
import Hummingbird
import Logging

/// Turns every error into a problem response and logs one line per request: method, path without
/// its query (queries carry addresses and coordinates), status and time.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    let maximumURILength = 4096

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response: Response
        if request.uri.string.utf8.count > maximumURILength {
            response = Problem(.uriTooLong, "URI が長すぎます", "クエリは \(maximumURILength) バイトまでです").response()
        } else {
            do {
                response = try await next(request, context)
            } catch let problem as Problem {
                response = problem.response()
            } catch let error as HTTPError {
                if error.status == .notFound, let allowed = Self.allowedMethods(request.uri.path) {
                    var r = Problem(.methodNotAllowed, "使えないメソッドです", "このパスで使えるのは \(allowed) です").response()
                    r.headers[.allow] = allowed
                    response = r
                } else {
                    response = Self.problem(for: error).response()
                }
            } catch {
                logger.error("request failed", metadata: ["path": .string(request.uri.path), "error": .string(String(describing: type(of: error)))])
                response = Problem(.internalServerError, "内部エラー", "サーバー内部でエラーが起きました。時間をおいて再度お試しください").response()
            }
        }
        let ms = Double((ContinuousClock.now - start).components.attoseconds) / 1e15 + Double((ContinuousClock.now - start).components.seconds) * 1000
        logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "path": .string(request.uri.path),
            "status": .stringConvertible(response.status.code), "ms": .string(String(format: "%.2f", ms)),
        ])
        return response
    }

    /// The methods a known path answers, so that other methods get 405 rather than 404.
    static func allowedMethods(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch parts.count {
        case 0: return "GET, HEAD"
        case 1 where ["health", "metrics", "openapi.json", "conformance", "collections"].contains(parts[0]): return "GET, HEAD"
        case 2 where parts[0] == "collections" || parts[0] == "tiles": return "GET, HEAD"
        case 5 where parts[0] == "tiles": return "GET, HEAD"
        case 3 where parts[0] == "collections" && parts[2] == "items": return "GET, HEAD"
        case 2 where parts[0] == "v1" && ["coverage", "providers", "geocode", "reverse", "indicators", "layers"].contains(parts[1]): return "GET, HEAD"
        case 3 where parts[0] == "v1" && (parts[1] == "providers" || parts[1] == "layers"): return "GET, HEAD"
        case 4 where parts[0] == "v1" && parts[1] == "providers" && parts[3] == "on-call": return "GET, HEAD, PUT"
        default: return nil
        }
    }

    static func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .notFound: Problem(.notFound, "見つかりません", "そのパスにはリソースがありません")
        case .methodNotAllowed: Problem(.methodNotAllowed, "使えないメソッドです", "このパスではそのメソッドは使えません")
        case .contentTooLarge: Problem(.contentTooLarge, "本文が大きすぎます", "リクエスト本文が上限を超えています")
        default: Problem(error.status, "リクエストを処理できません", error.body ?? "HTTP \(error.status.code)")
        }
    }
}
