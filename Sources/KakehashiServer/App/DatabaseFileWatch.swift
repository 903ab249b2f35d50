import Foundation

/// Notices what happens to the database file under the server: deleted (writes would go to an
/// unlinked file and be lost at restart) or replaced by another file at the same path (`mv`: the
/// server would go on reading the old one). Checked at the reload interval by its inode.
final class DatabaseFileWatch: @unchecked Sendable {
    enum State: Equatable { case same, missing, replaced }

    let path: String
    private let lock = NSLock()
    private var inode: UInt64?
    private(set) var missing = false

    init(path: String) {
        self.path = path
        inode = FileSignature(path: path)?.inode
    }

    /// What happened since the file was last taken as current.
    func check() -> State {
        let now = FileSignature(path: path)
        return lock.withLock {
            guard let now else { missing = true; return .missing }
            missing = false
            return now.inode == inode ? .same : .replaced
        }
    }

    /// The file now at the path is the current one (after it was opened anew).
    func accept() {
        let now = FileSignature(path: path)
        lock.withLock { inode = now?.inode; missing = now == nil }
    }

    var isMissing: Bool { lock.withLock { missing } }
}
