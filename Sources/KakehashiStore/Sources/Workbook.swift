import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// An Excel workbook (Office Open XML, `.xlsx`) read as text: every sheet's non-empty rows with
/// their spreadsheet row numbers, each cell as text — shared and inline strings as written (phonetic
/// guides left out), numbers as stored (whole numbers without `.0`), booleans as TRUE/FALSE.
///
/// Official workbooks are tables of text; formatting, formulas and dates as Excel shows them are
/// not needed, so only the workbook, its relationships, the shared strings and the sheets are read.
public struct Workbook: Sendable {
    public struct Sheet: Sendable {
        public let name: String
        /// `line` is the spreadsheet row number; `fields[0]` is column A.
        public let rows: [CSVTable.Row]
    }

    public let file: String
    public let sheets: [Sheet]

    /// A part larger than this when inflated is refused: official sheets are tens of megabytes.
    static let maximumPartBytes: UInt64 = 1 << 30

    /// Whether the bytes start as a zip archive (an xlsx is one).
    public static func isZip(_ data: Data) -> Bool { data.starts(with: [0x50, 0x4B, 0x03, 0x04]) }

    /// The workbooks of a zip: the zip itself when it is one, else every `.xlsx` inside it, in order
    /// of path (most 厚生局 publish a month's 名簿 as a zip of workbooks, one per prefecture or division).
    /// Another table file inside (`.xls`, `.csv`, …) refuses the zip: a month read in part would replace
    /// the whole; other files (a PDF of notes) are passed over.
    public static func books(in data: Data, file: String) throws -> [Workbook] {
        guard let archive = try? Archive(data: data, accessMode: .read), archive["xl/workbook.xml"] == nil else {
            return [try Workbook(data: data, file: file)]
        }
        var books: [Entry] = [], unread: [String] = []
        for entry in archive where entry.type == .file && !entry.path.hasPrefix("__MACOSX/") {
            // Names may be Shift_JIS read as CP437: only their ASCII suffix is relied on.
            let name = (entry.path.split(separator: "/").last.map(String.init) ?? "").lowercased()
            if name.hasPrefix("~$") { continue }
            if name.hasSuffix(".xlsx") { books.append(entry) }
            else if [".xls", ".xlsm", ".xlsb", ".csv", ".ods"].contains(where: name.hasSuffix) { unread.append(shownName(entry)) }
        }
        func failure(_ message: String) -> ImportFailure { ImportFailure(ImportIssue(file: file, message)) }
        guard unread.isEmpty else {
            throw failure("zip の中に読めない表のファイルがあります: \(unread.prefix(5).joined(separator: "、"))。Excel ブック（.xlsx）だけの zip にするか、展開して一つずつ取り込んでください")
        }
        guard !books.isEmpty else { throw failure("Excel ブックではありません（xl/workbook.xml がなく、中に .xlsx もない zip です）") }
        guard books.count <= maximumBooks else { throw failure("zip の中の Excel ブックが多すぎます（\(books.count) 冊、上限 \(maximumBooks) 冊）") }
        var inflated: UInt64 = 0
        return try books.sorted { $0.path < $1.path }.map { entry in
            let inner = "\(file)／\(shownName(entry))"
            var bytes = Data()
            do {
                _ = try archive.extract(entry) { chunk in
                    // Counted as inflated, not as declared: a zip may declare less than it holds.
                    inflated += UInt64(chunk.count)
                    guard inflated <= maximumPartBytes else { throw ImportFailure(ImportIssue(file: inner, "展開後が大きすぎます（zip 全体で \(maximumPartBytes) バイトまで）")) }
                    bytes.append(chunk)
                }
            } catch let f as ImportFailure {
                throw f
            } catch {
                throw ImportFailure(ImportIssue(file: inner, "展開できません（ファイルが壊れています: \(error)）"))
            }
            return try Workbook(data: bytes, file: inner)
        }
    }

    /// More workbooks than this in one zip is not a 名簿 month (a bureau's has at most a few dozen).
    static let maximumBooks = 200

    /// An entry's name for messages: UTF-8 when it is, else Shift_JIS (Japanese Windows), else as read.
    static func shownName(_ entry: Entry) -> String {
        for encoding in [String.Encoding.utf8, .shiftJIS] {
            let name = entry.path(using: encoding)
            if !name.isEmpty { return name }
        }
        return entry.path
    }

    public init(data: Data, file: String) throws {
        self.file = file
        func failure(_ message: String) -> ImportFailure { ImportFailure(ImportIssue(file: file, message)) }
        guard Self.isZip(data), let archive = try? Archive(data: data, accessMode: .read) else {
            throw failure("Excel ブック（.xlsx）として読めません: zip 形式ではないか、ファイルが壊れています")
        }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            guard entry.uncompressedSize <= Self.maximumPartBytes else {
                throw failure("\(path) が大きすぎます（展開後 \(entry.uncompressedSize) バイト）")
            }
            var bytes = Data()
            do {
                _ = try archive.extract(entry) { chunk in
                    guard UInt64(bytes.count + chunk.count) <= Self.maximumPartBytes else {
                        throw failure("\(path) が大きすぎます（展開後 \(Self.maximumPartBytes) バイトを超えます）")
                    }
                    bytes.append(chunk)
                }
            } catch let f as ImportFailure {
                throw f
            } catch {
                throw failure("\(path) を展開できません（ファイルが壊れています: \(error)）")
            }
            return bytes
        }
        guard let workbook = try part("xl/workbook.xml") else {
            throw failure("Excel ブックではありません（xl/workbook.xml がない zip です）")
        }
        let targets = try part("xl/_rels/workbook.xml.rels").map { try XMLParts.relationships($0, file: file) } ?? [:]
        let shared = try part("xl/sharedStrings.xml").map { try XMLParts.sharedStrings($0, file: file) } ?? []
        var sheets: [Sheet] = []
        for (n, entry) in try XMLParts.sheetList(workbook, file: file).enumerated() {
            // Targets are relative to xl/ unless absolute; the first sheet's usual name stands in for a missing link.
            let target = targets[entry.relation] ?? "worksheets/sheet\(n + 1).xml"
            let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
            guard let xml = try part(path) else { throw failure("シート「\(entry.name)」の本体 \(path) がありません") }
            sheets.append(Sheet(name: entry.name, rows: try XMLParts.rows(xml, shared: shared, file: "\(file)（\(entry.name)）")))
        }
        guard !sheets.isEmpty else { throw failure("Excel ブックにシートがありません") }
        self.sheets = sheets
    }
}

/// The XML parts of a workbook, each read with Foundation's streaming parser.
enum XMLParts {
    static func relationships(_ xml: Data, file: String) throws -> [String: String] {
        let reader = ElementReader()
        var targets: [String: String] = [:]
        reader.start = { name, attributes in
            if name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] { targets[id] = target }
        }
        try reader.parse(xml, part: "xl/_rels/workbook.xml.rels", file: file)
        return targets
    }

    static func sheetList(_ xml: Data, file: String) throws -> [(name: String, relation: String)] {
        let reader = ElementReader()
        var sheets: [(String, String)] = []
        reader.start = { name, attributes in
            guard name == "sheet" else { return }
            let relation = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value ?? ""
            sheets.append((attributes["name"] ?? "Sheet\(sheets.count + 1)", relation))
        }
        try reader.parse(xml, part: "xl/workbook.xml", file: file)
        return sheets
    }

    /// The shared string table: each `<si>`'s text runs joined, phonetic guides (`<rPh>`) left out.
    static func sharedStrings(_ xml: Data, file: String) throws -> [String] {
        let reader = ElementReader()
        var strings: [String] = [], current = "", inText = false, phonetic = 0
        reader.start = { name, _ in
            switch name {
            case "si": current = ""
            case "rPh": phonetic += 1
            case "t": inText = phonetic == 0
            default: break
            }
        }
        reader.end = { name in
            switch name {
            case "si": strings.append(current)
            case "rPh": phonetic -= 1
            case "t": inText = false
            default: break
            }
        }
        reader.text = { if inText { current += $0 } }
        try reader.parse(xml, part: "xl/sharedStrings.xml", file: file)
        return strings
    }

    /// A sheet's rows; empty rows are left out.
    static func rows(_ xml: Data, shared: [String], file: String) throws -> [CSVTable.Row] {
        let reader = ElementReader()
        var rows: [CSVTable.Row] = [], cells: [String] = [], rowNumber = 0
        var column = -1, type = "", value = "", inValue = false, inlineText = false, phonetic = 0
        var problem: String?
        reader.start = { name, attributes in
            switch name {
            case "row":
                rowNumber = attributes["r"].flatMap { Int($0) } ?? rowNumber + 1
                cells = []; column = -1
            case "c":
                column = attributes["r"].flatMap(Self.column(ofReference:)) ?? column + 1
                type = attributes["t"] ?? ""; value = ""
            case "v": inValue = true
            case "rPh": phonetic += 1
            case "t": inlineText = type == "inlineStr" && phonetic == 0
            default: break
            }
        }
        reader.end = { name in
            switch name {
            case "v": inValue = false
            case "t": inlineText = false
            case "rPh": phonetic -= 1
            case "c":
                let text: String
                switch type {
                case "s":
                    guard let i = Int(value), shared.indices.contains(i) else {
                        problem = problem ?? "\(rowNumber) 行目のセルが共有文字列 \(value) を指していますが、共有文字列は \(shared.count) 件です"
                        return
                    }
                    text = shared[i]
                case "b": text = value == "1" ? "TRUE" : "FALSE"
                case "inlineStr", "str", "e": text = value
                default: text = Self.number(value)
                }
                guard column >= 0, column < 16_384 else { return }
                if cells.count <= column { cells.append(contentsOf: repeatElement("", count: column + 1 - cells.count)) }
                cells[column] = text
            case "row":
                if cells.contains(where: { !$0.isEmpty }) { rows.append(CSVTable.Row(line: rowNumber, fields: cells)) }
            default: break
            }
        }
        reader.text = { if inValue || inlineText { value += $0 } }
        try reader.parse(xml, part: "sheet", file: file)
        if let problem { throw ImportFailure(ImportIssue(file: file, problem)) }
        return rows
    }

    /// The 0-based column of a cell reference such as `X35545`; nil when it has no letters.
    static func column(ofReference ref: String) -> Int? {
        var n = 0, letters = 0
        for u in ref.utf8 {
            guard u >= 65 && u <= 90 else { break }
            n = n * 26 + Int(u - 64); letters += 1
            if letters > 3 { return nil }
        }
        return letters == 0 ? nil : n - 1
    }

    /// A stored number as a person reads it: `12.0` and `1.2E+3` become `12` and `1200`.
    static func number(_ stored: String) -> String {
        guard let d = Double(stored), d.isFinite, d == d.rounded(), abs(d) < 1e15 else { return stored }
        return String(Int64(d))
    }
}

/// Foundation's streaming XML parser with closures for the three events a part needs.
final class ElementReader: NSObject, XMLParserDelegate {
    var start: (String, [String: String]) -> Void = { _, _ in }
    var end: (String) -> Void = { _ in }
    var text: (String) -> Void = { _ in }

    func parse(_ xml: Data, part: String, file: String) throws {
        // Fed as a stream: handed whole, libxml2 refuses a part over 10 MB ("huge input lookup"),
        // and official sheets are one line of 30 MB and more.
        let parser = XMLParser(stream: InputStream(data: xml))
        parser.delegate = self
        guard parser.parse() else {
            let reason = parser.parserError.map { "\($0.localizedDescription)" } ?? "不明な理由"
            throw ImportFailure(ImportIssue(file: file,
                                            "Excel ブックの \(part) が XML として読めません（ファイルが壊れています: \(reason)）"))
        }
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        start(Self.local(elementName), attributes)
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        end(Self.local(elementName))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text(string) }

    /// Drops a namespace prefix (`x:row` in some writers' sheets).
    static func local(_ name: String) -> String {
        guard let colon = name.firstIndex(of: ":") else { return name }
        return String(name[name.index(after: colon)...])
    }
}
