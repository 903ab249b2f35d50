import Foundation
import Hummingbird

/// A request's JSON body, bounded in size, decoded with snake_case keys; a 400 or 413 problem that
/// shows the expected shape otherwise.
enum JSONBody {
    /// `requireJSONType`: the body must be declared `application/json` — a form another site posts
    /// can only be `text/plain` or a form encoding without asking the server first (CORS).
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int = 16 * 1024, shape: String,
                                     requireJSONType: Bool = false) async throws -> T {
        if requireJSONType, !(request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json") {
            throw Problem(.unsupportedMediaType, "JSON で送ってください", "Content-Type: application/json の本文が必要です")
        }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: limit) } catch {
            throw Problem(.contentTooLarge, "本文が大きすぎます", "本文は \(limit / 1024) KiB までです")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do { return try decoder.decode(type, from: Data(buffer: buffer)) } catch {
            throw Problem.badRequest("body", "本文は \(shape) の JSON です")
        }
    }
}
