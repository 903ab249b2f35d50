import Foundation

/// What tells a file apart from its earlier self: a replaced file (`mv`) has a new inode, an edited
/// one a new size or modification time.
struct FileSignature: Equatable {
    let inode: UInt64
    let size: UInt64
    let modified: Date

    init?(path: String) {
        guard let a = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        inode = (a[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        size = (a[.size] as? NSNumber)?.uint64Value ?? 0
        modified = a[.modificationDate] as? Date ?? .distantPast
    }
}
