/// A CSV file (RFC 4180: quoted fields, doubled quotes; CRLF, LF or the old Mac CR line ends) read
/// into rows that remember their physical line, so every error can name the file, the line and the
/// column. A header that names a column twice and a field over ``maximumFieldBytes`` are refused.
///
/// Written here rather than taken from a package because errors must carry line numbers and a
/// truncated file (an open quote at the end) must be refused, not silently repaired.
public struct CSVTable: Sendable {
    public struct Row: Sendable {
        /// 1-based physical line where the record starts.
        public let line: Int
        public let fields: [String]
    }

    /// Official fields are at most a few hundred bytes; a field this long is a broken quote or not a table.
    public static let maximumFieldBytes = 65_536

    public let file: String
    public let header: [String]
    /// The line (or sheet row) of the header.
    public let headerLine: Int
    public let rows: [Row]
    private let index: [String: Int]

    public init(text: String, file: String) throws {
        self.file = file
        var text = text
        text.makeContiguousUTF8()
        let records = try text.utf8.withContiguousStorageIfAvailable { try Self.records(of: $0, file: file) }!
        guard let first = records.first else {
            throw ImportFailure(ImportIssue(file: file, line: 1, "空のファイルです（見出し行がありません）"))
        }
        header = first.fields.map { $0.trimmingSpaces }
        rows = Array(records.dropFirst())
        headerLine = first.line
        index = try Self.columns(of: header, file: file, line: first.line)
    }

    /// The records of the text, read byte by byte: every character that shapes a record (quote,
    /// comma, CR, LF) is ASCII and no byte of a multi-byte UTF-8 character is, so fields cut at
    /// those bytes are whole characters. (Appending characters one by one to a String took
    /// seconds for a file of 450,000 rows.)
    private static func records(of bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> [Row] {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        var records: [Row] = []
        var fields: [String] = []
        var field: [UInt8] = []
        field.reserveCapacity(256)
        var inQuotes = false, afterQuote = false
        var line = 1, recordLine = 1
        func tooLong() -> ImportFailure {
            ImportFailure(ImportIssue(file: file, line: recordLine, column: "\(fields.count + 1) 列目",
                                      "項目が \(Self.maximumFieldBytes) バイトを超えています（\(field.count) バイト）。引用符の閉じ忘れか、表ではないファイルの可能性があります"))
        }
        func endField() throws {
            if field.count > Self.maximumFieldBytes { throw tooLong() }
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
        }
        func endRecord() throws {
            try endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Row(line: recordLine, fields: fields))
            }
            fields.removeAll(keepingCapacity: true)
        }
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            i += 1
            if inQuotes {
                if c == quote {
                    if i < bytes.count, bytes[i] == quote {
                        field.append(quote)
                        i += 1
                    } else {
                        inQuotes = false  // the next byte is read outside the quotes
                        afterQuote = i < bytes.count
                    }
                } else {
                    // A line break inside a field: CRLF, LF or CR alone counts one line.
                    if c == cr || (c == lf && field.last != cr) { line += 1 }
                    field.append(c)
                }
                continue
            }
            switch c {
            case quote:
                if field.isEmpty && !afterQuote {
                    inQuotes = true
                } else {
                    throw ImportFailure(ImportIssue(file: file, line: line, column: "\(fields.count + 1) 列目", "引用符 \" の位置が不正です"))
                }
            case comma:
                try endField()
                afterQuote = false
            case cr, lf:
                if c == cr, i < bytes.count, bytes[i] == lf { i += 1 }  // CRLF is one line end; CR alone ends a line too
                try endRecord()
                afterQuote = false
                line += 1
                recordLine = line
            default:
                if afterQuote {
                    throw ImportFailure(ImportIssue(file: file, line: line, column: "\(fields.count + 1) 列目", "閉じ引用符の後に文字があります"))
                }
                field.append(c)
            }
        }
        if inQuotes {
            throw ImportFailure(ImportIssue(file: file, line: recordLine, "引用符が閉じられないままファイルが終わっています（ファイルが途中で切れている可能性があります）"))
        }
        if !field.isEmpty || !fields.isEmpty { try endRecord() }
        return records
    }

    /// A table whose header is one of its rows (a workbook's sheet, a file with title lines above
    /// the header): the rows after `header`, each padded or cut to the header's width (a sheet
    /// leaves empty cells out).
    public init(file: String, header: Row, rows: [Row]) throws {
        self.file = file
        self.header = header.fields.map { $0.trimmingSpaces }
        headerLine = header.line
        let width = self.header.count
        self.rows = rows.map { r in
            Row(line: r.line, fields: r.fields.count >= width ? Array(r.fields.prefix(width))
                                                              : r.fields + Array(repeating: "", count: width - r.fields.count))
        }
        index = try Self.columns(of: self.header, file: file, line: header.line)
    }

    /// Each column's position by name; a name given twice is refused (which would be read?).
    private static func columns(of header: [String], file: String, line: Int) throws -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, name) in header.enumerated() where !name.isEmpty {
            if let earlier = index[name] {
                throw ImportFailure(ImportIssue(file: file, line: line, column: name,
                                                "見出し「\(name)」が \(earlier + 1) 列目と \(i + 1) 列目の二度あります。どちらを読むか決められないため、取り込みません"))
            }
            index[name] = i
        }
        return index
    }

    /// The position of the first of `names` present in the header.
    public func column(_ names: [String]) -> Int? {
        names.lazy.compactMap { index[$0] }.first
    }

    /// Requires columns; the error lists what is missing and what the header holds.
    public func require(_ columns: [(label: String, names: [String])]) throws -> [Int] {
        var found: [Int] = []
        var missing: [String] = []
        for c in columns {
            if let i = column(c.names) { found.append(i) } else { missing.append(c.label) }
        }
        guard missing.isEmpty else {
            let known = columns.contains { column($0.names) != nil }
            let hint = known ? "" : "。見出しが一つも一致しません: 別の形式のファイルか、文字コードの違いで見出しが化けている可能性があります"
            throw ImportFailure(ImportIssue(
                file: file, line: headerLine, column: missing.joined(separator: "」「"),
                "必須の列がありません（見出し: \(header.prefix(12).joined(separator: ",")))\(hint)"))
        }
        return found
    }

    /// Checks that every row has as many fields as the header: a short last row usually means
    /// a truncated file.
    public func requireRectangular() throws {
        var issues: [ImportIssue] = []
        for (n, row) in rows.enumerated() where row.fields.count != header.count {
            let truncated = n == rows.count - 1 && row.fields.count < header.count
            issues.append(ImportIssue(
                file: file, line: row.line,
                "列数が \(row.fields.count) 列です（見出しは \(header.count) 列）" + (truncated ? "。ファイルが途中で切れている可能性があります" : "")))
        }
        if !issues.isEmpty { throw ImportFailure(issues) }
    }
}

extension String {
    /// Trims ASCII and full-width spaces and tabs.
    var trimmingSpaces: String {
        // Most fields neither start nor end with a space, a tab or U+3000 (E3 80 80): their first
        // and last bytes say so without walking characters.
        if let first = utf8.first, let last = utf8.last, first != 0x20, first != 0x09, first != 0xE3,
           last != 0x20, last != 0x09, last != 0x80 {
            return self
        }
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\u{3000}" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\u{3000}" { s.removeLast() }
        return String(s)
    }
}
