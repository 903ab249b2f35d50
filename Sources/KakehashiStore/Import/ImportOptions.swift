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

    public init(skipInvalid: Bool = false, year: Int? = nil, prefecture: String? = nil, referenceDate: String? = nil) {
        self.skipInvalid = skipInvalid
        self.year = year
        self.prefecture = prefecture
        self.referenceDate = referenceDate
    }
}

/// Collects row errors: refuses the whole file in strict mode, rejects the rows otherwise.
struct RowErrors {
    let options: ImportOptions
    var errors: [ImportIssue] = []

    init(_ options: ImportOptions) { self.options = options }

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
