import Foundation
import HummingbirdBcrypt

/// Desk passwords: bcrypt at a set cost. A login that names no account is checked against a hash
/// of the same cost, so that a wrong login and a wrong password take the same time.
final class DeskPasswords: @unchecked Sendable {
    let cost: UInt8
    private let lock = NSLock()
    private var standIn: String?
    private var verified = 0

    /// How many passwords were checked against a hash (a test counts that an unknown login costs one too).
    var checks: Int { lock.withLock { verified } }

    init(cost: UInt8) { self.cost = cost }

    /// Made at the first sign-in, not at start: a quarter of a second each server (and test) would spend.
    private var stand: String {
        lock.withLock {
            if let s = standIn { return s }
            let s = Bcrypt.hash("kakehashi: no such account", cost: cost)
            standIn = s
            return s
        }
    }

    func prepare() { _ = stand }

    func hash(_ password: String) -> String { Bcrypt.hash(password, cost: cost) }

    /// Whether the password matches; with no hash (no such account) always false, in the same time.
    func verify(_ password: String, hash: String?) -> Bool {
        let matches = Bcrypt.verify(password, hash: hash ?? stand)
        lock.withLock { verified += 1 }
        return hash != nil && matches
    }

    /// What is wrong with a new password, or nil. bcrypt reads 72 bytes at most: a longer password
    /// would be cut without a word, so it is refused.
    static func weakness(_ password: String) -> String? {
        if password.count < 10 { return "パスワードは 10 文字以上にしてください" }
        if password.utf8.count > 72 { return "パスワードは 72 バイト（半角 72 文字、全角 24 文字）までです" }
        if Set(password).count < 4 { return "同じ文字の繰り返しが多すぎます。4 種類以上の文字を使ってください" }
        return nil
    }
}
