import Foundation
import GRDB
import KakehashiModel

/// (ア)–(ク) progress from a CSV that municipalities or their prefecture keep:
/// `municipality_code,item,fiscal_year,stage,recorded_on,note`, or the Japanese headings
/// 市区町村コード, 項目, 年度, 段階, 記録日, 備考. `item` is `a`…`h` or ア…ク, `stage` the English value or
/// 未着手・検討中・実施中・評価・改善, `fiscal_year` 2025 or 2025年度, `recorded_on` YYYY-MM-DD (empty: the
/// day of the import). Each row records a stage as a steward's write does, audited as the import's:
/// not a release, so nothing recorded before is deleted. The whole file lands or nothing does.
enum ProgressImporter {
    static func run(_ paths: [String], into database: SpatialDatabase, options: ImportOptions, now: Date = Date()) throws -> [ImportReport] {
        let files = try paths.map(SourceFile.init(path:))
        let parsed = try files.map { try parse($0, options: options, now: now) }
        let write = { (db: Database) throws -> [ImportReport] in
            try zip(files, parsed).map { file, p in
                var rejected = p.rejected, loaded = 0
                for (line, entry) in p.entries {
                    do {
                        try SpatialDatabase.putProgress(db, entry, role: "import", source: "import:\(file.name)")
                        loaded += 1
                    } catch ProgressRefusal.unknownMunicipality(let code) {
                        rejected.append(ImportIssue(file: file.name, line: line, column: "municipality_code",
                                                    "市区町村コード \(code) は境界にも人口にもありません（先に boundaries か population を取り込んでください）"))
                    }
                }
                if !options.skipInvalid, !rejected.isEmpty { throw ImportFailure(rejected) }
                return ImportReport(status: options.dryRun ? .dryRun : .loaded, datasetID: 0, kind: .progress, file: file.name, sha256: file.sha256,
                                    sourceKey: "progress", referenceDate: nil, rowsRead: p.rowsRead, rowsLoaded: loaded,
                                    rowsRejected: rejected.count, superseded: [], warnings: [], rejected: rejected)
            }
        }
        do {
            if options.dryRun {
                return try database.writeRecords { db in throw DataImport.DryRun(reports: try write(db)) }
            }
            return try database.writeRecords(write)
        } catch let dry as DataImport.DryRun {
            return dry.reports
        }
    }

    struct Parsed {
        var rowsRead = 0
        var entries: [(line: Int, entry: ProgressEntry)] = []
        var rejected: [ImportIssue] = []
    }

    static func parse(_ file: SourceFile, options: ImportOptions, now: Date) throws -> Parsed {
        let (text, _) = try file.text()
        let table = try CSVTable(text: text, file: file.name)
        let c = try table.require([
            ("municipality_code", ["municipality_code", "市区町村コード"]), ("item", ["item", "項目"]),
            ("fiscal_year", ["fiscal_year", "年度"]), ("stage", ["stage", "段階"]),
        ])
        try table.requireRectangular()
        let cDate = table.column(["recorded_on", "記録日"]), cNote = table.column(["note", "備考"])
        let today = ProgressEntry.day(of: now)
        var out = Parsed(), errors = RowErrors(options), sink = ParsedDataset(kind: .progress, file: file, sourceKey: "progress")
        var seen: [String: Int] = [:]
        for row in table.rows {
            out.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let code = r.municipalityCode(c[0])
            let item = ProgressItem(text: r.text(c[1]))
            if item == nil { r.fail(c[1], "項目は a～h か ア～ク です（値: \(FieldText.excerpt(r.text(c[1]))))") }
            let yearText = FieldText.halfWidth(r.text(c[2]))
            let year = Int(yearText.hasSuffix("年度") ? String(yearText.dropLast(2)) : yearText)
            if year.map({ !ProgressEntry.fiscalYears.contains($0) }) ?? true {
                r.fail(c[2], "年度は \(ProgressEntry.fiscalYears.lowerBound)～\(ProgressEntry.fiscalYears.upperBound) の西暦です（値: \(FieldText.excerpt(yearText))）")
            }
            let stage = ProgressStage(text: r.text(c[3]))
            if stage == nil { r.fail(c[3], "段階は 未着手・検討中・実施中・評価・改善 のいずれかです（値: \(FieldText.excerpt(r.text(c[3]))))") }
            var day = r.optional(cDate) ?? today
            day = day.replacingOccurrences(of: "/", with: "-")
            if !ProgressEntry.isDay(day) { r.fail(cDate, "記録日は YYYY-MM-DD です（値: \(FieldText.excerpt(day))）") }
            let note = r.optional(cNote)
            if let note, note.count > 2_000 { r.fail(cNote, "備考は 2,000 文字までです（\(note.count) 文字）") }
            if let code, let item, let year, let first = seen["\(code)/\(item.rawValue)/\(year)"] {
                r.fail(c[0], "\(code) の (\(item.letter)) \(year) 年度が重複しています（最初は \(first) 行目）")
            }
            guard errors.accept(r, into: &sink), let code, let item, let year, let stage else { continue }
            seen["\(code)/\(item.rawValue)/\(year)"] = row.line
            out.entries.append((row.line, ProgressEntry(municipalityCode: code, item: item, fiscalYear: year, stage: stage, recordedOn: day, note: note,
                                                       updatedAt: now, updatedBy: "import:\(file.name)")))
        }
        try errors.check()
        out.rejected = sink.rejected
        return out
    }
}
