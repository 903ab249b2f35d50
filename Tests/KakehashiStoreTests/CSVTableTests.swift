import Foundation
import Testing
@testable import KakehashiStore

/// The CSV reader's edges that real files reach (issue #17).
@Suite struct CSVTableTests {
    static func failure(_ text: String) -> [ImportIssue] {
        do {
            _ = try CSVTable(text: text, file: "t.csv")
            Issue.record("should have been refused: \(text.prefix(60))")
            return []
        } catch let f as ImportFailure {
            return f.issues
        } catch {
            Issue.record("unexpected \(error)")
            return []
        }
    }

    @Test func lineEndsOfEveryKind() throws {
        for end in ["\n", "\r\n", "\r"] {
            let t = try CSVTable(text: ["a,b", "1,2", "\"x\(end)y\",3", "4,5"].joined(separator: end) + end, file: "t.csv")
            #expect(t.header == ["a", "b"])
            #expect(t.rows.map(\.line) == [2, 3, 5], "\(end.unicodeScalars.map(\.value))")
            #expect(t.rows[1].fields[0] == "x\(end)y")
            #expect(t.rows[2].fields == ["4", "5"])
        }
    }

    /// The reader cuts fields at bytes (issue #18: reading character by character took seconds for
    /// large files); multi-byte characters next to quotes, commas and line ends stay whole.
    @Test func multiByteTextNextToEveryDelimiter() throws {
        let t = try CSVTable(text: "名称,住所\r\n\"あ\"\"い\",う\r\n\"改\r\n行\",𠮷野家\n，,\"\"\n", file: "t.csv")
        #expect(t.header == ["名称", "住所"])
        #expect(t.rows.map(\.fields) == [["あ\"い", "う"], ["改\r\n行", "𠮷野家"], ["，", ""]])
        #expect(t.rows.map(\.line) == [2, 3, 5])
        let issues = Self.failure("a,b\n\"x\"あ,1\n")
        #expect(issues.first?.line == 2 && issues.first?.column == "1 列目" && issues.first?.message.contains("閉じ引用符の後") == true, "\(issues)")
    }

    /// Where each misplaced quote is said to be, and the field-size limit to the byte.
    @Test func quoteFaultsAndTheSizeLimitToTheByte() throws {
        let misplaced = Self.failure("a,b\n1,x\"y\n")
        #expect(misplaced.first?.line == 2 && misplaced.first?.column == "2 列目" && misplaced.first?.message.contains("位置が不正") == true)
        // Text after a closing quote on the second line of a two-line record: the line where it is.
        let after = Self.failure("a,b\n\"x\ny\"z,1\n")
        #expect(after.first?.line == 3 && after.first?.column == "1 列目" && after.first?.message.contains("閉じ引用符の後") == true)
        let t = try CSVTable(text: "a,b\r\"x\",1\r2,\"y\"", file: "t.csv")
        #expect(t.rows.map(\.fields) == [["x", "1"], ["2", "y"]] && t.rows.map(\.line) == [2, 3])
        let limit = String(repeating: "a", count: CSVTable.maximumFieldBytes)
        #expect(try CSVTable(text: "a,b\n\(limit),1\n", file: "t.csv").rows[0].fields[0].utf8.count == CSVTable.maximumFieldBytes)
        #expect(Self.failure("a,b\n\(limit)a,1\n").first?.message.contains("バイトを超えています") == true)
    }

    /// The old reader read the first of two same-named columns without a word.
    @Test func aColumnNamedTwiceIsRefused() {
        let issues = Self.failure("id,名称,住所,名称\n1,a,b,c\n")
        #expect(issues.count == 1 && issues[0].column == "名称" && issues[0].message.contains("2 列目と 4 列目"), "\(issues)")
        // Unnamed columns (trailing commas) are no ambiguity.
        #expect((try? CSVTable(text: "id,,\n1,,\n", file: "t.csv")) != nil)
    }

    @Test func aHugeFieldIsRefusedWithItsLine() {
        let big = String(repeating: "あ", count: CSVTable.maximumFieldBytes / 3 + 1)
        for text in ["a,b\n1,\(big)\n", "a,b\n1,\(big)", "a,b\n\(big),2\n", "a,b\n1,\"\(big)\"\n"] {
            let issues = Self.failure(text)
            #expect(issues.first?.line == 2 && issues.first?.message.contains("バイトを超えています") == true, "\(issues)")
        }
    }

    /// `Double("0x1.1cp5")` is 35.5: a hex float in a coordinate column must not become a place.
    @Test func hexFloatCoordinatesAreRefused() throws {
        let dir = try Fixtures.scratch()
        let csv = try Fixtures.write("id,name,kind,services,lat,lon\nA1,テスト診療所,clinic,home_visit_medical,0x1.1cp5,139.47\n",
                                     name: "hex.csv", in: dir)
        let issues = try BadInputTests.refuse(.providers, [csv], in: dir)
        #expect(issues.contains { $0.line == 2 && $0.column == "lat" && $0.message.contains("数値ではありません") }, "\(issues)")
    }

    /// A service area whose ring the file left open is loaded, closed, with a warning (issue #17:
    /// the old importer closed it in silence).
    @Test func anOpenRingIsClosedWithAWarning() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let csv = try Fixtures.write("id,name,kind,services,lat,lon\nA1,テスト診療所,clinic,home_visit_medical,35.79,139.47\n", name: "open.csv", in: dir)
        let geo = try Fixtures.write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"provider":"A1","provider_source":"native","service":"home_visit_medical"},"geometry":{"type":"Polygon","coordinates":[[[139.4,35.7],[139.5,35.7],[139.5,35.8],[139.4,35.8]]]}}]}"#,
                                     name: "open-areas.geojson", in: dir)
        _ = try DataImport.run(.providers, files: [csv], into: db)
        let report = try DataImport.run(.providers, files: [geo], into: db)[0]
        #expect(report.rowsLoaded == 1)
        #expect(report.warnings.contains { $0.line == 1 && $0.message.contains("閉じていないリング") }, "\(report.warnings)")
        try db.close()
    }
}

/// A one-line JSON file has no line 3: its issues name the feature or item (issue #17: errors named
/// lines past the end of the file).
@Suite struct JSONPositionTests {
    @Test func geoJSONAndJSONIssuesNameTheFeatureOrItem() throws {
        let dir = try Fixtures.scratch()
        let geo = try Fixtures.write(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"A1","name":"a","kind":"clinic"},"geometry":{"type":"Point","coordinates":[139.4,35.7]}},{"type":"Feature","properties":{"id":"A2","name":"b","kind":"clinic"},"geometry":{"type":"Point","coordinates":[139.4,35.7]}},{"type":"Feature","properties":{"id":"A3","kind":"clinic"},"geometry":{"type":"Point","coordinates":[139.4,35.7]}}]}"#,
                                     name: "one-line.geojson", in: dir)
        let issues = try BadInputTests.refuse(.providers, [geo], in: dir)
        #expect(issues.count == 1 && issues[0].line == 3 && issues[0].unit == .feature, "\(issues)")
        #expect(issues[0].description.hasPrefix("one-line.geojson 地物 3 列「name」"), "\(issues[0])")
        #expect(ImportIssue(file: "t.json", item: 7, "x").description == "t.json 7 件目: x")
        #expect(ImportIssue(file: "t.csv", line: 7, "x").description == "t.csv:7: x")
    }
}

/// Every input in Tests/FuzzCorpus — seeds, and crashes the fuzzer found once fixed — goes through
/// the readers without a crash (`.ci/fuzz` runs the coverage-guided search itself).
@Suite struct FuzzCorpusTests {
    @Test func theCorpusReplaysWithoutACrash() throws {
        let binary = Fixtures.packageRoot.appendingPathComponent(".build/debug/kakehashi-fuzz").path
        try #require(FileManager.default.isExecutableFile(atPath: binary), "kakehashi-fuzz not built: run `swift build` first")
        let corpus = Fixtures.packageRoot.appendingPathComponent("Tests/FuzzCorpus")
        let count = try FileManager.default.contentsOfDirectory(atPath: corpus.path).count
        #expect(count >= 7)
        let out = try Shell.run(binary, [corpus.path])
        #expect(out.contains("replayed \(count) inputs without a crash"))
    }
}

/// What CSVText writes, CSVTable reads back field for field.
@Suite struct CSVTextTests {
    @Test func everyLineBreakIsQuoted() throws {
        let fields = ["a,b", "say \"hi\"", "two\r\nlines", "lf\nonly", "cr\ronly", "平文", ""]
        for f in fields.dropLast(2) { #expect(CSVText.field(f).hasPrefix("\""), "\(f.debugDescription)") }
        #expect(CSVText.field("平文") == "平文")
        let table = try CSVTable(text: "h1,h2,h3,h4,h5,h6,h7\r\n" + CSVText.row(fields) + "\r\n", file: "t.csv")
        #expect(table.rows.count == 1)
        #expect(table.rows.first?.fields == fields)
    }
}
