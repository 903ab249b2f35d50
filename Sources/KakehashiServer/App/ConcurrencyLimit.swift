import Foundation

/// At most `maximum` of one expensive kind of work at once; the next is answered 503 with
/// `Retry-After` at once rather than queued without bound (eight mesh layers built together held
/// an on-call write up for 27 s, and each build holds hundreds of megabytes).
final class ConcurrencyLimit: @unchecked Sendable {
    let name: String
    let maximum: Int
    private let lock = NSLock()
    private var running = 0

    init(name: String, maximum: Int) {
        self.name = name
        self.maximum = max(1, maximum)
    }

    func run<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        let admitted = lock.withLock {
            guard running < maximum else { return false }
            running += 1
            return true
        }
        guard admitted else {
            throw Problem(.serviceUnavailable, "混み合っています",
                          "\(name)の作成が同時に \(maximum) 件まで進行中です。数秒後にもう一度お試しください", retryAfter: 5)
        }
        defer { lock.withLock { running -= 1 } }
        return try await body()
    }
}
