import Foundation
import Hummingbird

/// The writer a request authenticates as: its bearer token's name and scope. 401 without a
/// token (``challenge``, with `WWW-Authenticate`), 403 for a token the file does not hold or that has expired.
struct BearerWriter {
    let name: String
    let scope: WriteScope

    /// nil when no token was presented: answer ``challenge``.
    static func of(_ request: Request, tokens: TokenRegistry, now: Date = Date()) throws -> BearerWriter? {
        guard let header = request.headers[.authorization] else { return nil }
        guard let token = TokenFile.bearerToken(header), let (name, scope) = tokens.writer(for: token) else {
            throw Problem(.forbidden, "権限がありません", "このトークンでは書き込めません")
        }
        guard !scope.hasExpired(at: now) else {
            throw Problem(.forbidden, "権限がありません", "このトークンは期限が切れています（何も書き込まず、何も返していません）")
        }
        return BearerWriter(name: name, scope: scope)
    }

    /// 401, asking for a bearer token.
    static var challenge: Response {
        var p = Problem(.unauthorized, "認証が必要です", "Authorization: Bearer トークン が必要です").response()
        p.headers[.wwwAuthenticate] = "Bearer"
        return p
    }
}
