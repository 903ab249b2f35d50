/// One problem found in an input file: where it is and what was expected.
public struct ImportIssue: Error, Sendable, Codable, Hashable, CustomStringConvertible {
    public var file: String
    /// 1-based physical line for text tables; feature number for GeoJSON/TopoJSON.
    public var line: Int?
    public var column: String?
    public var message: String

    /// What `line` counts: a physical line (nil, the default), a GeoJSON feature or a JSON array's
    /// item. A one-line JSON file has no line 250; its 250th feature is said as such.
    public var unit: PositionUnit?

    public enum PositionUnit: String, Sendable, Codable, Hashable {
        case feature, item
    }

    public init(file: String, line: Int? = nil, column: String? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// An issue of the `feature`th feature of a GeoJSON or TopoJSON file.
    public init(file: String, feature: Int?, column: String? = nil, _ message: String) {
        self.init(file: file, line: feature, column: column, message)
        unit = feature == nil ? nil : .feature
    }

    /// An issue of the `item`th element of a JSON array.
    public init(file: String, item: Int, column: String? = nil, _ message: String) {
        self.init(file: file, line: item, column: column, message)
        unit = .item
    }

    /// The warning for rings a GeoJSON file left open and the reader closed.
    static func closedRings(_ count: Int, file: String, feature: Int) -> ImportIssue {
        ImportIssue(file: file, feature: feature, column: "geometry",
                    "閉じていないリングが \(count) 個あったため、始点に戻して閉じました（RFC 7946 ではリングの始点と終点は同じ点です）")
    }

    public var description: String {
        var place = file
        switch (line, unit) {
        case (let n?, .feature?): place += " 地物 \(n)"
        case (let n?, .item?): place += " \(n) 件目"
        case (let n?, nil): place += ":\(n)"
        case (nil, _): break
        }
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
