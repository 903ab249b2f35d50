/// Choices a person running an import can make.
public struct ImportOptions: Sendable {
    /// Load the valid rows and report the invalid ones as rejected, instead of refusing the file.
    public var skipInvalid = false
    /// Reference year when the file does not say (population, mesh population).
    public var year: Int?
    /// Prefecture for town files in the API layout that do not sit in a prefecture folder.
    public var prefecture: String?
    /// Reference date of the release (YYYY-MM-DD), recorded with the dataset.
    public var referenceDate: String?
    /// Credit line to store instead of the source kind's (e.g. for synthetic data in official layouts).
    public var credit: String?
    /// Read and check the files, report what would be loaded, write nothing.
    public var dryRun = false
    /// Refuse rows whose only fault is coordinates outside Japan, instead of loading them with their
    /// location unknown (official open data always holds a few such publisher faults).
    public var strict = false
    /// When a release may replace a larger one (see ``ReleaseShrinkRule``).
    public var shrink = ReleaseShrinkRule()

    public init(skipInvalid: Bool = false, year: Int? = nil, prefecture: String? = nil, referenceDate: String? = nil,
                credit: String? = nil) {
        self.skipInvalid = skipInvalid
        self.credit = credit
        self.year = year
        self.prefecture = prefecture
        self.referenceDate = referenceDate
    }
}

/// Collects row errors: refuses the whole file in strict mode, rejects the rows otherwise.
struct RowErrors {
    let options: ImportOptions
    /// Whether a row whose only fault is misplaced coordinates is kept (location unknown, a warning)
    /// unless `strict`: for the official files that carry such publisher faults.
    let keepsMisplaced: Bool
    var errors: [ImportIssue] = []

    init(_ options: ImportOptions, keepsMisplaced: Bool = false) {
        self.options = options
        self.keepsMisplaced = keepsMisplaced
    }

    /// True when the row may be kept. Coordinate problems alone, with `skipInvalid`, keep the row
    /// with its location unknown and are reported as warnings.
    mutating func accept(_ reader: RowReader, into dataset: inout ParsedDataset) -> Bool {
        if options.skipInvalid {
            dataset.warnings.append(contentsOf: reader.coordinateIssues.map {
                var w = $0
                w.message += "（位置不明として取り込みました）"
                return w
            })
            return accept(reader.issues, into: &dataset)
        }
        if keepsMisplaced, !options.strict, reader.issues.isEmpty, !reader.misplaced.isEmpty, reader.misplaced.count == reader.coordinateIssues.count {
            dataset.warnings.append(contentsOf: reader.misplaced.map {
                var w = $0
                w.message += "（位置不明として取り込みました。--strict なら取り込みません）"
                return w
            })
            return true
        }
        return accept(reader.issues + reader.coordinateIssues, into: &dataset)
    }

    /// True when the row may be kept.
    mutating func accept(_ issues: [ImportIssue], into dataset: inout ParsedDataset) -> Bool {
        guard !issues.isEmpty else { return true }
        if options.skipInvalid { dataset.rejected.append(contentsOf: issues) } else { errors.append(contentsOf: issues) }
        return false
    }

    func check() throws {
        if !errors.isEmpty { throw ImportFailure(errors) }
    }
}

/// Reads a reference year from a name such as `mesh250m_2010_5339` or `pop_total_2025`.
func yearIn(_ text: String) -> Int? {
    var digits = ""
    var found: [Int] = []
    for c in text + "_" {
        if c.isASCII && c.isNumber { digits.append(c); continue }
        if digits.count == 4, let y = Int(digits), (1900...2100).contains(y) { found.append(y) }
        digits = ""
    }
    return found.first
}
