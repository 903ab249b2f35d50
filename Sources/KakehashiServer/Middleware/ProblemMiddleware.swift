import Foundation
import Hummingbird
import KakehashiStore
import Logging

/// Turns every error into a problem response and logs one line per request: method, path without
/// its query (queries carry addresses and coordinates), status and time.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let logger: Logger
    /// The database's path, to name it in the log when it fails (never in a response).
    let databasePath: String
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
                let route = RequestMetricsMiddleware<Context>.routeLabel(request.uri.path)
                if let fault = StoreFault(error, path: databasePath) {
                    logger.error("database unavailable", metadata: ["route": .string(route), "cause": .string(fault.cause.rawValue),
                                                                    "detail": .string(fault.description)])
                    response = Self.problem(for: fault).response()
                } else {
                    logger.error("request failed", metadata: ["route": .string(route), "error": .string(String(describing: type(of: error)))])
                    response = Problem(.internalServerError, "内部エラー", "サーバー内部でエラーが起きました。時間をおいて再度お試しください").response()
                }
            }
        }
        let ms = Double((ContinuousClock.now - start).components.attoseconds) / 1e15 + Double((ContinuousClock.now - start).components.seconds) * 1000
        logger.info("request", metadata: [
            "method": .string(request.method.rawValue), "route": .string(Self.loggedPath(request.uri.path)),
            "status": .stringConvertible(response.status.code), "ms": .string(String(format: "%.2f", ms)),
        ])
        return response
    }

    /// The path as logged: a known route's path when it holds only ids and names, its route label
    /// otherwise. A path is the client's text: `/v1/coverage;lat=…` or a percent-encoded address
    /// must not reach the log.
    static func loggedPath(_ path: String) -> String {
        let route = RequestMetricsMiddleware<Context>.routeLabel(path)
        guard route != "other", path.utf8.count <= 120,
              path.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2F || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E })
        else { return route }
        return path
    }

    /// A fault of the database: 503 with `Retry-After`, in Japanese, without the path.
    static func problem(for fault: StoreFault) -> Problem {
        let detail = switch fault.cause {
        case .busy: "ほかの書き込みが続いているため、いまは書き込めません。数秒後にもう一度お試しください（何も書き込んでいません）"
        case .full: "サーバーのディスクがいっぱいのため書き込めません。管理者に連絡してください（何も書き込んでいません）"
        case .readOnly, .cannotOpen: "サーバーのデータベースに書き込めない状態です。管理者に連絡してください（何も書き込んでいません）"
        case .notADatabase, .io: "サーバーのデータベースを読み書きできない状態です。管理者に連絡してください"
        case .switching: "データベースを新しいファイルに切り替えています。数秒後にもう一度お試しください（何も書き込んでいません）"
        }
        return Problem(.serviceUnavailable, "一時的に処理できません", detail, retryAfter: fault.cause == .busy || fault.cause == .switching ? 2 : 60)
    }

    /// The methods a known path answers, so that other methods get 405 rather than 404.
    static func allowedMethods(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch parts.count {
        case 0: return "GET, HEAD"
        case 1 where ["health", "metrics", "openapi.json", "conformance", "collections"].contains(parts[0]): return "GET, HEAD"
        case 2 where parts[0] == "collections" || parts[0] == "tiles": return "GET, HEAD"
        case 5 where parts[0] == "tiles": return "GET, HEAD"
        case 3 where parts[0] == "collections" && (parts[2] == "items" || parts[2] == "queryables"): return "GET, HEAD"
        case 4 where parts[0] == "collections" && parts[2] == "items": return "GET, HEAD"
        case 2 where parts[0] == "v1" && ["coverage", "providers", "geocode", "reverse", "opening-hours", "indicators", "layers", "progress"].contains(parts[1]): return "GET, HEAD"
        case 5 where parts[0] == "v1" && parts[1] == "progress": return "PUT"
        case 3 where parts[0] == "v1" && ["providers", "layers", "compare", "trends"].contains(parts[1]): return "GET, HEAD"
        case 4 where parts[0] == "v1" && parts[1] == "providers" && parts[3] == "on-call": return "GET, HEAD, PUT"
        case 4 where parts[0] == "v1" && parts[1] == "providers" && (parts[3] == "service-area" || parts[3] == "audit"): return "GET, HEAD"
        case 2 where parts[0] == "web", 3 where parts[0] == "vendor": return "GET, HEAD"
        case 4 where parts[0] == "vendor" && parts[2] == "images": return "GET, HEAD"
        case 1 where parts[0] == "desk" || parts[0] == "profile": return "GET, HEAD"
        case 3... where parts[0] == "v1" && parts[1] == "desk": return deskMethods(Array(parts.dropFirst(2)))
        default: return nil
        }
    }

    /// The methods of `/v1/desk/…` (the parts after `desk`).
    static func deskMethods(_ p: [Substring]) -> String? {
        switch (p.count, p.first ?? "") {
        case (1, "login"), (1, "logout"): return "POST"
        case (1, "session"): return "GET, HEAD"
        case (2, "invitations") where p[1] == "accept": return "POST"
        case (2, "providers"): return "GET, HEAD"
        case (3, "providers") where ["hours", "area", "capabilities", "contact"].contains(p[2]): return "PUT"
        case (3, "providers") where ["confirm", "on-call"].contains(p[2]): return "POST"
        case (3, "providers") where p[2] == "preview": return "GET, HEAD"
        case (2, "steward") where p[1] == "invitations": return "GET, HEAD, POST"
        case (2, "steward") where ["accounts", "declarations", "providers"].contains(p[1]): return "GET, HEAD"
        case (4, "steward") where p[1] == "accounts" && p[3] == "disable": return "POST"
        case (4, "steward") where p[1] == "invitations" && p[3] == "revoke": return "POST"
        case (5, "steward") where p[1] == "progress": return "PUT"
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
