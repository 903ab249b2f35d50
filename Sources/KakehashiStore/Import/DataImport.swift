import Foundation
import GRDB
import KakehashiModel

/// Runs an import: reads and checks every file first, then writes them all in one transaction.
/// Any error leaves the database as it was. (The rows of a native CSV file are read while they
/// are written, see ``ProviderStream``; their errors roll the transaction back.)
public enum DataImport {
    public typealias Progress = @Sendable (_ stage: String, _ done: Int, _ total: Int) -> Void

    public static func run(_ kind: SourceKind, files paths: [String], into database: SpatialDatabase,
                           options: ImportOptions = ImportOptions(), progress: Progress? = nil) throws -> [ImportReport] {
        do {
            if kind == .progress { return try ProgressImporter.run(paths, into: database, options: options) }
            return try load(kind, files: paths, into: database, options: options, progress: progress)
        } catch let dry as DryRun {
            return dry.reports.map { var r = $0; if r.status == .loaded { r.status = .dryRun }; return r }
        } catch {
            // Locked by another import, disk full, read-only: said as such; the transaction rolled back.
            throw StoreFault(error, path: database.path) ?? error
        }
    }

    static func load(_ kind: SourceKind, files paths: [String], into database: SpatialDatabase,
                     options: ImportOptions, progress: Progress?) throws -> [ImportReport] {
        guard !paths.isEmpty else { throw ImportFailure(ImportIssue(file: "-", "ファイルが指定されていません")) }
        let files = try paths.map(SourceFile.init(path:))
        var batches: [[ParsedDataset]] = []
        switch kind {
        case .iryo:
            // Facility files and hours files may come in any order; hours go with the facility file before them.
            let (facilityFiles, hoursFiles) = try splitIryo(files)
            guard hoursFiles.count <= facilityFiles.count else {
                throw ImportFailure(ImportIssue(file: hoursFiles[0].name, "診療時間ファイルに対応する施設ファイルがありません"))
            }
            for (i, f) in facilityFiles.enumerated() {
                progress?("読み込み \(f.name)", i, facilityFiles.count)
                batches.append(try IryoImporter.parse(facilities: f, hours: i < hoursFiles.count ? hoursFiles[i] : nil, options: options))
            }
        case .population where files.contains { Workbook.isZip($0.data) }:
            // The official IPSS workbooks of one command are one release (総人口 and its age tables).
            let workbooks = files.filter { Workbook.isZip($0.data) }
            progress?("読み込み \(workbooks.map(\.name).joined(separator: "・"))", 0, files.count)
            batches.append(try ProjectionWorkbookImporter.parse(workbooks, options: options))
            for f in files where !Workbook.isZip(f.data) { batches.append([try parse(kind, f, options: options, database: database)]) }
        default:
            for (i, f) in files.enumerated() {
                progress?("読み込み \(f.name)", i, files.count)
                batches.append([try parse(kind, f, options: options, database: database)])
            }
        }
        let parsed = batches.map { batch in
            batch.map { var part = $0; part.credit = options.credit ?? part.credit ?? part.kind.credit; return part }
        }
        // Two files of one release in one command: the later would supersede the earlier and
        // delete its rows (a.csv and a.geojson of the native format share the key providers:a).
        var keys: [String: String] = [:]
        for part in parsed.joined() where !part.sourceKey.isEmpty {
            if let earlier = keys[part.sourceKey] {
                throw ImportFailure(ImportIssue(file: part.file.name,
                    "「\(earlier)」と同じ取り込み単位（\(part.sourceKey)）です。一度に取り込むと後のファイルが前のファイルの行を置き換えてしまうため、取り込みません。ファイル名を変えるか、一つのファイルにまとめてください"))
            }
            keys[part.sourceKey] = part.file.name
        }
        if options.dryRun {
            return try database.writeReleases { db in
                let reports = try write(parsed, db: db, shrink: options.shrink, progress: progress)
                throw DryRun(reports: reports)
            }
        }
        return try database.writeReleases { db in try write(parsed, db: db, shrink: options.shrink, progress: progress) }
    }

    /// Rolls the transaction of a dry run back, carrying what it would have written.
    struct DryRun: Error { let reports: [ImportReport] }

    static func write(_ batches: [[ParsedDataset]], db: Database, shrink: ReleaseShrinkRule,
                      progress: Progress?) throws -> [ImportReport] {
        var reports: [ImportReport] = []
        for batch in batches {
            let name = batch[0].file.name
            var writeProgress: DatasetWriter.Progress?
            if let progress {
                writeProgress = { done, total in progress("書き込み \(name)", done, total) }
            }
            let providers = batch.reduce(0) { $0 + $1.providerCount }
            // Only the native format declares service areas, none, one or more per provider (a
            // radius or a list: 248,000 for the 450,000 of the stress region), each written through
            // the area index's triggers too: the count of its providers stands for its areas.
            let declaring = batch.filter { $0.kind == .providers }.reduce(0) { $0 + $1.providerCount }
            reports += try SpatialIndexPause.around(table: "providers", column: "location", rows: providers, db: db) {
                try SpatialIndexPause.around(table: "service_areas", column: "area", rows: declaring, db: db) {
                    try DatasetWriter.write(batch, into: db, shrink: shrink, progress: writeProgress)
                }
            }
        }
        return reports
    }

    static func parse(_ kind: SourceKind, _ file: SourceFile, options: ImportOptions, database: SpatialDatabase) throws -> ParsedDataset {
        switch kind {
        case .boundaries: try BoundariesImporter.parse(file, options: options)
        case .population: try PopulationImporter.parse(file, options: options)
        case .meshPopulation: try MeshPopulationImporter.parse(file, options: options)
        case .kaigo: try KaigoImporter.parse(file, options: options)
        case .zaishishin: try ZaishishinImporter.parse(file, options: options)
        case .medicalAreas: try MedicalAreasImporter.parse(file, options: options)
        case .demand: try DemandImporter.parse(file, options: options)
        case .progress: throw ImportFailure(ImportIssue(file: file.name, "進捗は ProgressImporter が取り込みます"))
        case .todokede: try TodokedeImporter.parse(file, options: options, geocoder: try database.geocoder())
        case .providers: try ProvidersImporter.parse(file, options: options)
        case .towns:
            try TownsImporter.parse(file, options: options) { prefecture, city in
                try database.reader.read { db in
                    try Row.fetchAll(db, sql: """
                        SELECT code, prefecture FROM municipalities WHERE name = ? AND (? IS NULL OR prefecture = ?)
                        """, arguments: [city, prefecture, prefecture]).map { ($0["code"], $0["prefecture"]) }
                }
            }
        case .iryo: try IryoImporter.parse(facilities: file, hours: nil, options: options)[0]
        }
    }

    /// Tells 医療情報ネット hours files (they have 診療科目コード) from facility files.
    static func splitIryo(_ files: [SourceFile]) throws -> ([SourceFile], [SourceFile]) {
        var facilities: [SourceFile] = [], hours: [SourceFile] = []
        for f in files {
            if try f.firstLine().contains("診療科目コード") { hours.append(f) } else { facilities.append(f) }
        }
        return (facilities, hours)
    }
}
