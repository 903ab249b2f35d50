/// One problem found in an input file: where it is and what was expected.
public struct ImportIssue: Error, Sendable, Codable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line for text tables; feature number for GeoJSON/TopoJSON.
    public var line: Int?
    public var column: String?
    public var message: String

    public init(file: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// The warning for rings a GeoJSON file left open and the reader closed.
    static func closedRings(_ count: Int, file: String, feature: Int) -> ImportIssue {
        ImportIssue(file: file, line: feature, column: "geometry",
                    "閉じていないリングが \(count) 個あったため、始点に戻して閉じました（RFC 7946 ではリングの始点と終点は同じ点です）")
    }

    public var description: String {
        var place = file
        if let line { place += ":\(line)" }
        if let column { place += " 列「\(column)」" }
        return "\(place): \(message)"
    }
}

/// An import that was refused: nothing was written. Carries every problem found, not just the first.
public struct ImportFailure: Error, Sendable, CustomStringConvertible {
    public var issues: [ImportIssue]

    public init(_ issues: [ImportIssue]) { self.issues = issues }
    public init(_ issue: ImportIssue) { self.issues = [issue] }

    public var description: String {
        let shown = issues.prefix(20).map { "  - \($0)" }.joined(separator: "\n")
        let more = issues.count > 20 ? "\n  …ほか \(issues.count - 20) 件" : ""
        return "取り込みを中止しました（データベースは変更していません）。問題 \(issues.count) 件:\n\(shown)\(more)"
    }
}
