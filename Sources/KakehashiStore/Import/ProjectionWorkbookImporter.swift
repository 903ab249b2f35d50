import Foundation
import KakehashiModel

/// 社人研「日本の地域別将来推計人口」in its official workbooks, as published:
///
/// - 結果表 (`kekkahyo1.xlsx` 総人口, `kekkahyo2_1`…`2_4` 0～14歳, 15～64歳, 65歳以上, 75歳以上): one
///   figure per workbook, a row per area — the code as a number in column A, 市などの別 in B, the
///   years side by side (E–K) under the header row that holds コード. Which figure a workbook holds is
///   read from its title above the header, else from its file name. The workbooks of one command are
///   one release: 総人口 is required, the others join it by code.
/// - `suikei_kekka.xlsx`: a row per area and year (年), 総数, then twenty five-year bands (0～4歳 …
///   95歳～) for both sexes before those of men and of women; the bands are summed into 0–14, 15–64,
///   65+ and 75+.
///
/// The earliest year of a file is its census base (実績), the later ones projections. 市などの別:
/// `a` a prefecture, `1` a 政令市 (the sum of its wards), `0` a ward, `2` a city, `3` a town or
/// village, `9` an area projected as one (福島県 浜通り地域), which stands in for its members and is
/// counted as a municipality. A national row is not an area and is passed over.
enum ProjectionWorkbookImporter {
    enum Figure: String, CaseIterable {
        case total = "総人口", age0To14 = "0～14歳", age15To64 = "15～64歳", age65Plus = "65歳以上", age75Plus = "75歳以上"

        /// The figure a 結果表 holds, named in its title (an age band before 総人口, which titles of
        /// the age tables may also mention), else by the official file name.
        static func named(in title: String, file: String) -> Figure? {
            let text = Heading.normal(title)
            let ages = allCases.dropFirst().filter { text.contains(Heading.normal($0.rawValue)) }
            if ages.count == 1 { return ages[0] }
            if ages.isEmpty, text.contains("総人口") { return .total }
            let stem = (file as NSString).deletingPathExtension.lowercased()
            return ["kekkahyo1": .total, "kekkahyo2_1": .age0To14, "kekkahyo2_2": .age15To64,
                    "kekkahyo2_3": .age65Plus, "kekkahyo2_4": .age75Plus][stem]
        }
    }

    /// A row's area: its 5-digit code (IPSS writes it as a number, 1100 for 01100) and what it is.
    struct Area: Equatable {
        var code: String
        var area: PopulationArea
        var name: String?
    }

    /// One 結果表: per area its figure for each year.
    struct WideTable {
        var file: String
        var figure: Figure
        var years: [Int]
        var rows: [(line: Int, area: Area, values: [Int?])]
    }

    static func parse(_ files: [SourceFile], options: ImportOptions) throws -> [ParsedDataset] {
        var wide: [WideTable] = [], datasets: [ParsedDataset] = []
        for file in files {
            let book = try Workbook(data: file.data, file: file.name)
            guard let (sheet, at) = book.sheets.lazy.compactMap({ s in Heading.row(of: s).map { (s, $0) } }).first else {
                throw ImportFailure(ImportIssue(file: file.name, "見出し「コード」「市などの別」が先頭 20 行にありません。社人研の結果表（kekkahyo*.xlsx）か suikei_kekka.xlsx をそのまま指定してください"))
            }
            let name = book.sheets.count > 1 ? "\(file.name)（\(sheet.name)）" : file.name
            let below = at + 1 < sheet.rows.count ? sheet.rows[at + 1].fields : []
            if ProjectionBands.bands(sheet.rows[at].fields, below) != nil {
                datasets.append(try ProjectionBands.parse(sheet, header: at, file: file, name: name, options: options))
            } else {
                wide.append(try table(sheet, header: at, file: file, name: name, options: options))
            }
        }
        let tables = files.filter { f in wide.contains { $0.file.hasPrefix(f.name) } }
        if !wide.isEmpty { datasets.append(try combine(wide, file: tables.count == 1 ? tables[0] : SourceFile(combining: tables), options: options)) }
        return datasets
    }

    /// A 結果表: years in the header row or the row under it; the first run of years is the
    /// population (the runs after it are indices and shares).
    static func table(_ sheet: Workbook.Sheet, header at: Int, file: SourceFile, name: String, options: ImportOptions) throws -> WideTable {
        let title = sheet.rows[..<at].flatMap(\.fields).joined(separator: " ") + " " + sheet.name
        guard let figure = Figure.named(in: title, file: file.name) else {
            throw ImportFailure(ImportIssue(file: name, line: sheet.rows[at].line,
                "どの人口の表か分かりません（表題にも「総人口」「0～14歳」「15～64歳」「65歳以上」「75歳以上」のどれか一つがなく、ファイル名も kekkahyo1・kekkahyo2_1～2_4 ではありません）"))
        }
        let yearRow = [at, at + 1].first { i in i < sheet.rows.count && Heading.years(sheet.rows[i].fields).count >= 2 }
        guard let yearRow else {
            throw ImportFailure(ImportIssue(file: name, line: sheet.rows[at].line, "見出しに年（例: 2020年）の列がありません"))
        }
        let years = Heading.years(sheet.rows[yearRow].fields)
        // A row stops at its last cell: the years may reach further right than the header row.
        var names = Heading.names(sheet.rows[at].fields)
        names += Array(repeating: "", count: max(0, sheet.rows[yearRow].fields.count - names.count))
        for y in years { names[y.column] = "\(y.year)年" }
        let table = try CSVTable(file: name, header: CSVTable.Row(line: sheet.rows[at].line, fields: names), rows: Array(sheet.rows[(yearRow + 1)...]))
        var result = WideTable(file: name, figure: figure, years: years.map(\.year), rows: [])
        var errors = RowErrors(options), parsed = ParsedDataset(kind: .population, file: file, sourceKey: "")
        for row in table.rows {
            var r = RowReader(table: table, row: row)
            let area = Heading.area(&r)
            if area == nil && r.issues.isEmpty { continue }
            let values = years.map { r.count($0.column, required: true) }
            guard errors.accept(r, into: &parsed), let area else { continue }
            result.rows.append((row.line, area, values))
        }
        try errors.check()
        guard !result.rows.isEmpty else { throw ImportFailure(ImportIssue(file: name, "地域の行がありません")) }
        return result
    }

    /// The 結果表 of one command as one release: 総人口 from its table, each age band joined by code.
    static func combine(_ tables: [WideTable], file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        var byFigure: [Figure: WideTable] = [:]
        for t in tables {
            if let earlier = byFigure[t.figure] {
                throw ImportFailure(ImportIssue(file: t.file, "「\(earlier.file)」と同じ\(t.figure.rawValue)の表です。一つずつ指定してください"))
            }
            byFigure[t.figure] = t
        }
        guard let total = byFigure[.total] else {
            throw ImportFailure(ImportIssue(file: tables[0].file, "総人口の表（kekkahyo1.xlsx）がありません。年齢別の表は総人口の表と一緒に取り込んでください"))
        }
        var parsed = ParsedDataset(kind: .population, file: file, sourceKey: "")
        var errors = RowErrors(options)
        var figures: [Figure: [String: (line: Int, values: [Int: Int])]] = [:]
        for (figure, t) in byFigure {
            if t.years != total.years {
                throw ImportFailure(ImportIssue(file: t.file, "年（\(t.years.map(String.init).joined(separator: "・"))）が総人口の表（\(total.years.map(String.init).joined(separator: "・"))）と違います"))
            }
            let areas = Dictionary(total.rows.map { ($0.area.code, $0.area) }, uniquingKeysWith: { a, _ in a })
            for row in t.rows {
                if areas[row.area.code]?.area != row.area.area {
                    let issue = ImportIssue(file: t.file, line: row.line, column: "コード",
                        areas[row.area.code] == nil ? "地域コード \(row.area.code) が総人口の表にありません" : "地域コード \(row.area.code) の市などの別が総人口の表と違います")
                    _ = errors.accept([issue], into: &parsed)
                    continue
                }
                if figures[figure]?[row.area.code] != nil {
                    _ = errors.accept([ImportIssue(file: t.file, line: row.line, column: "コード", "地域コード \(row.area.code) が重複しています")], into: &parsed)
                    continue
                }
                let values = Dictionary(zip(t.years, row.values).compactMap { y, v in v.map { (y, $0) } }, uniquingKeysWith: { a, _ in a })
                figures[figure, default: [:]][row.area.code] = (row.line, values)
            }
        }
        let base = total.years.min()
        var emitted = Set<String>()
        for row in total.rows {
            parsed.rowsRead += 1
            guard emitted.insert(row.area.code).inserted else { continue }  // a repeated code was reported above
            for year in total.years {
                func value(_ f: Figure) -> Int? { figures[f]?[row.area.code]?.values[year] }
                guard let sum = value(.total) else { continue }
                var record = PopulationRecord(line: row.line, code: row.area.code, name: row.area.name, year: year, total: sum,
                                              age65Plus: value(.age65Plus), age75Plus: value(.age75Plus))
                record.age0To14 = value(.age0To14)
                record.age15To64 = value(.age15To64)
                if let problem = ProjectionBands.inconsistency(record) {
                    let figure: Figure = problem.of75Plus ? .age75Plus : .age65Plus
                    let issue = ImportIssue(file: byFigure[figure]?.file ?? total.file, line: figures[figure]?[row.area.code]?.line ?? row.line,
                                            column: "\(year)年", problem.message)
                    guard errors.accept([issue], into: &parsed) else { continue }
                }
                ProjectionBands.finish(&record, area: row.area.area, base: base)
                parsed.population.append(record)
            }
        }
        try errors.check()
        return ProjectionBands.released(parsed, options: options)
    }
}

/// Reading the header rows of the IPSS workbooks.
enum Heading {
    /// Compatibility-folded (full-width to half-width), without spaces, every wave dash one `～`.
    static func normal(_ s: String) -> String {
        String(s.precomposedStringWithCompatibilityMapping.unicodeScalars.compactMap { u -> Character? in
            switch u {
            case " ", "\u{3000}", "\n", "\r", "\t": nil
            case "~", "〜", "～": "～"
            default: Character(u)
            }
        })
    }

    /// The header row: the first of the sheet's first 20 rows with both コード and 市などの別.
    static func row(of sheet: Workbook.Sheet) -> Int? {
        sheet.rows.prefix(20).firstIndex { row in
            let cells = row.fields.map(normal)
            return cells.contains { $0 == "コード" || $0 == "地域コード" } && cells.contains("市などの別")
        }
    }

    /// Year columns (`2020年`, `令和2(2020)年`, 2020) up to the first year seen twice.
    static func years(_ fields: [String]) -> [(column: Int, year: Int)] {
        var found: [(Int, Int)] = []
        for (i, text) in fields.enumerated() {
            guard let year = year(in: text) else { continue }
            if found.contains(where: { $0.1 == year }) { break }
            found.append((i, year))
        }
        return found
    }

    /// The year of a heading: its one run of four digits (`令和2(2020)年` has `2` and `2020`).
    static func year(in text: String) -> Int? {
        let runs = normal(text).split { !$0.isASCII || !$0.isNumber }.filter { $0.count == 4 }
        guard runs.count == 1, let year = Int(String(runs[0])), (1950...2100).contains(year) else { return nil }
        return year
    }

    /// Column names for the cells read by name: コード, 市などの別, 都道府県, 市区町村 (others left unnamed).
    static func names(_ fields: [String]) -> [String] {
        fields.map { field in
            let n = normal(field)
            return ["コード", "地域コード"].contains(n) ? "コード" : ["市などの別", "都道府県", "市区町村", "年", "年次"].contains(n) ? n : ""
        }
    }

    /// The area of a data row, nil for what is not one (titles, notes, the national row).
    static func area(_ r: inout RowReader) -> ProjectionWorkbookImporter.Area? {
        let raw = FieldText.halfWidth(r.text(r.table.column(["コード"]))).trimmingSpaces
        guard !raw.isEmpty, raw.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(raw), number > 0 else { return nil }
        let kind = r.text(r.table.column(["市などの別"]))
        let area: PopulationArea? = switch normal(kind) {
        case "a": .prefecture
        case "1": .designatedCity
        case "0", "2", "3", "9": .municipality
        default: nil
        }
        let code = raw.count <= 5 ? String(repeating: "0", count: 5 - raw.count) + raw : raw.count == 6 ? String(raw.prefix(5)) : ""
        if code.isEmpty || (area == .prefecture) != code.hasSuffix("000") {
            r.fail(r.table.column(["コード"]), "地域コードが読めません（値: \(FieldText.excerpt(raw))、市などの別: \(FieldText.excerpt(kind))）")
        }
        if area == nil {
            r.fail(r.table.column(["市などの別"]), "市などの別は a（都道府県）、1（政令市）、0（区）、2（市）、3（町村）、9（一括推計の地域）のいずれかです（値: \(FieldText.excerpt(kind))）")
        }
        guard let area, !code.isEmpty else { return nil }
        let municipality = r.optional(r.table.column(["市区町村"]))
        return .init(code: code, area: area, name: municipality ?? r.optional(r.table.column(["都道府県"])))
    }
}
