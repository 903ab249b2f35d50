import Foundation

/// Notices what happens to the database's files under the server — the data file and the records
/// file beside it: deleted (writes would go to an unlinked file and be lost at restart) or replaced
/// by another file at the same path (`mv`: the server would go on reading the old one). Checked at
/// the reload interval by their inodes.
final class DatabaseFileWatch: @unchecked Sendable {
    enum State: Equatable { case same, missing, replaced }

    let paths: [String]
    private let lock = NSLock()
    private var inodes: [UInt64?]
    private(set) var missing = false

    init(paths: [String]) {
        self.paths = paths
        inodes = paths.map { FileSignature(path: $0)?.inode }
    }

    /// What happened since the files were last taken as current.
    func check() -> State {
        let now = paths.map { FileSignature(path: $0)?.inode }
        return lock.withLock {
            guard !now.contains(nil) else { missing = true; return .missing }
            missing = false
            return now == inodes ? .same : .replaced
        }
    }

    /// The files now at the paths are the current ones (after they were opened anew).
    func accept() {
        let now = paths.map { FileSignature(path: $0)?.inode }
        lock.withLock { inodes = now; missing = now.contains(nil) }
    }

    var isMissing: Bool { lock.withLock { missing } }
}
