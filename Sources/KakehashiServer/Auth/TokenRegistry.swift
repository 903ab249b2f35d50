import Foundation

/// The token file as the server currently knows it. Read again on SIGHUP and at the reload
/// interval when the file changed (its inode, size or modification time), so that a token removed
/// with `kakehashi token remove` stops working within seconds, without a restart. A file that can
/// no longer be read or parsed fails closed: no token is accepted until it is fixed.
public final class TokenRegistry: @unchecked Sendable {
    public let path: String?
    private let lock = NSLock()
    private var file: TokenFile
    private var signature: FileSignature?

    public init(path: String?) throws {
        self.path = path
        file = try TokenFile(path: path)
        signature = path.flatMap(FileSignature.init(path:))
    }

    /// The writer's name for a presented token, or nil.
    public func name(for token: String) -> String? { lock.withLock { file }.name(for: token) }

    /// The writer and its scope for a presented token, or nil.
    public func writer(for token: String) -> (name: String, scope: WriteScope)? { lock.withLock { file }.writer(for: token) }

    /// Reads the file again if it changed (or always, with `force`); answers whether it did. On a
    /// read or format error every token is refused and the error is thrown for the log.
    @discardableResult
    public func reload(force: Bool = false) throws -> Bool {
        guard let path else { return false }
        let now = FileSignature(path: path)
        guard force || now != lock.withLock({ signature }) else { return false }
        do {
            let fresh = try TokenFile(path: path)
            lock.withLock { file = fresh; signature = now }
            return true
        } catch {
            lock.withLock { file = TokenFile(); signature = now }
            throw error
        }
    }

    /// How many tokens are accepted now.
    public var count: Int { lock.withLock { file }.entries.count }
}
