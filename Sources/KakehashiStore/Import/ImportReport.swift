import KakehashiModel
/// What one load did, for people (``summary``) and machines (Codable, `--json`).
public struct ImportReport: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// The file was written.
        case loaded
        /// The same file (same SHA-256) is already loaded: nothing was done.
        case unchanged
        /// `--dry-run`: checked and written inside a transaction that was rolled back.
        case dryRun = "dry_run"
    }

    public var status: Status
    public var datasetID: Int64
    public var kind: SourceKind
    public var file: String
    public var sha256: String
    public var sourceKey: String
    public var referenceDate: String?
    public var rowsRead: Int
    public var rowsLoaded: Int
    public var rowsRejected: Int
    /// Datasets of the same source that this load replaced.
    public var superseded: [Int64]
    public var warnings: [ImportIssue]
    public var rejected: [ImportIssue]
    /// Rows of the release it replaced that this one keeps, rows it adds, rows it drops; nil for
    /// a file whose rows are facts of providers loaded by another (hours, areas).
    public var change: Change?
    /// Per provider, the capabilities this release gives that the one it replaced did not, and
    /// those it no longer gives (a clinic that withdrew its 在支診 届出); nil for a first release.
    public var capabilityChanges: [CapabilityChange]?

    public struct Change: Sendable, Codable, Equatable {
        public var kept: Int
        public var added: Int
        public var dropped: Int
    }

    public init(status: Status, datasetID: Int64, kind: SourceKind, file: String, sha256: String, sourceKey: String,
                referenceDate: String?, rowsRead: Int, rowsLoaded: Int, rowsRejected: Int, superseded: [Int64],
                warnings: [ImportIssue], rejected: [ImportIssue], change: Change? = nil, capabilityChanges: [CapabilityChange]? = nil) {
        self.status = status
        self.datasetID = datasetID
        self.kind = kind
        self.file = file
        self.sha256 = sha256
        self.sourceKey = sourceKey
        self.referenceDate = referenceDate
        self.rowsRead = rowsRead
        self.rowsLoaded = rowsLoaded
        self.rowsRejected = rowsRejected
        self.superseded = superseded
        self.warnings = warnings
        self.rejected = rejected
        self.change = change
        self.capabilityChanges = capabilityChanges
    }

    /// A few Japanese lines for the person at the terminal.
    public var summary: String {
        switch status {
        case .unchanged:
            return "\(file): 同じファイル（SHA-256 一致）はデータセット #\(datasetID) として取り込み済みです。何も変更していません。"
        case .loaded, .dryRun:
            let prefix = status == .dryRun ? "（試行・書き込みなし）" : ""
            var lines = ["\(prefix)\(file): 取り込み \(rowsLoaded) 件、除外 \(rowsRejected) 件、警告 \(warnings.count) 件（読み込み \(rowsRead) 行）→ データセット #\(datasetID)"]
            if !superseded.isEmpty {
                lines.append("  同じ出典の旧版 \(superseded.map { "#\($0)" }.joined(separator: ", ")) を置き換えました")
            }
            if let change, !superseded.isEmpty {
                lines.append("  旧版との比較: 継続 \(change.kept) 件、追加 \(change.added) 件、削除 \(change.dropped) 件")
            }
            if let changes = capabilityChanges, !changes.isEmpty {
                lines.append("  届出の変化: \(changes.count) 件の医療機関・事業所")
                for c in changes.prefix(10) { lines.append("    \(c)") }
                if changes.count > 10 { lines.append("    …ほか \(changes.count - 10) 件（--json で全件）") }
            }
            for w in warnings.prefix(10) { lines.append("  警告: \(w)") }
            if warnings.count > 10 { lines.append("  …警告ほか \(warnings.count - 10) 件（kakehashi datasets --json で全件）") }
            for r in rejected.prefix(5) { lines.append("  除外: \(r)") }
            if rejected.count > 5 { lines.append("  …除外ほか \(rejected.count - 5) 件") }
            return lines.joined(separator: "\n")
        }
    }
}
