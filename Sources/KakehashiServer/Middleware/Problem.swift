import Foundation
import Hummingbird
import Logging

/// An RFC 9457 problem: what the server answers for every error, as `application/problem+json`
/// with a Japanese title and detail. Never a stack trace.
public struct Problem: Error, Codable, Sendable {
    public var type: String
    public var title: String
    public var status: Int
    public var detail: String
    /// For 400s: which parameter was wrong.
    public var parameter: String?
    /// For a value that did not parse: the character (from 0) where reading stopped.
    public var position: Int?
    /// For 503s: seconds after which to try again (the `Retry-After` header, not the body).
    public var retryAfter: Int?

    enum CodingKeys: String, CodingKey { case type, title, status, detail, parameter, position }

    public init(_ status: HTTPResponse.Status, _ title: String, _ detail: String, type: String = "about:blank", parameter: String? = nil,
                position: Int? = nil, retryAfter: Int? = nil) {
        self.position = position
        self.type = type
        self.title = title
        self.status = status.code
        self.detail = detail
        self.parameter = parameter
        self.retryAfter = retryAfter
    }

    /// Writes stopped: the database file was deleted under the server (it reports itself unhealthy).
    static var databaseMissing: Problem {
        Problem(.serviceUnavailable, "一時的に書き込めません", "サーバーのデータベースファイルが見つからないため、書き込みを止めています。管理者に連絡してください（何も書き込んでいません）",
                retryAfter: 60)
    }

    static func badRequest(_ parameter: String, _ detail: String) -> Problem {
        Problem(.badRequest, "リクエストが正しくありません", detail, type: "https://kakehashi.example/problems/invalid-parameter", parameter: parameter)
    }

    /// The problem as its JSON body.
    var json: Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)) ?? Data(#"{"status":500,"title":"内部エラー"}"#.utf8)
    }

    func response() -> Response {
        let body = json
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json; charset=utf-8"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: .init(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
