import Foundation
import Testing
import ZIPFoundation
@testable import KakehashiStore

/// The xlsx reader on the real 厚生局 workbooks and on the edges other writers produce.
@Suite struct WorkbookTests {
    @Test func readsTheRealMeiboAsPublished() throws {
        let path = try Fixtures.path("todokede/todokede_ika_11_saitama_r0710.xlsx")
        let book = try Workbook(data: try Data(contentsOf: URL(fileURLWithPath: path)), file: "ika.xlsx")
        #expect(book.sheets.count == 1)
        let rows = book.sheets[0].rows
        #expect(rows[0].line == 2 && rows[0].fields[0].hasPrefix("[令和７年９月１日 現在 ]"))
        let header = try #require(rows.first { $0.fields.first == "項番" })
        #expect(header.line == 4 && header.fields.count == 24 && header.fields[4] == "医療機関番号" && header.fields[23] == "種別")
        let first = try #require(rows.first { $0.line == 5 })
        #expect(first.fields[4] == "0101303" && first.fields[7] == "田辺医院" && first.fields[16] == "平成22年 4月 1日")
        #expect(rows.last?.line == 35545)
    }

    /// A workbook of the given parts, written as Excel and LibreOffice lay them out.
    static func workbook(_ parts: [String: String]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, text) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    static let ns = #"xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#

    static func book(sheets: [(name: String, xml: String)], shared: [String]? = nil) throws -> Data {
        var parts: [String: String] = [:]
        let list = sheets.enumerated().map { #"<sheet name="\#($1.name)" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"# }.joined()
        parts["xl/workbook.xml"] = #"<?xml version="1.0" encoding="UTF-8"?><workbook \#(ns)><sheets>\#(list)</sheets></workbook>"#
        let rels = sheets.indices.map { #"<Relationship Id="rId\#($0 + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/s\#($0 + 1).xml"/>"# }.joined()
        parts["xl/_rels/workbook.xml.rels"] = #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\#(rels)</Relationships>"#
        for (i, s) in sheets.enumerated() {
            parts["xl/worksheets/s\(i + 1).xml"] = #"<?xml version="1.0"?><worksheet \#(ns)><sheetData>\#(s.xml)</sheetData></worksheet>"#
        }
        if let shared {
            let items = shared.map { "<si>\($0)</si>" }.joined()
            parts["xl/sharedStrings.xml"] = #"<?xml version="1.0"?><sst \#(ns) count="\#(shared.count)">\#(items)</sst>"#
        }
        return try workbook(parts)
    }

    @Test func cellsOfEveryKind() throws {
        let sheet = """
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>インライン</t></is></c></row>
            <row r="3"><c r="B3"><v>101303</v></c><c r="C3"><v>1.5</v></c><c r="D3" t="b"><v>1</v></c><c r="E3"><v>4.5E+3</v></c></row>
            <row r="4"></row>
            <row r="5"><c t="s"><v>1</v></c><c t="str"><v>式の結果</v></c></row>
            """
        // A shared string in runs, with a phonetic guide that is not part of the text.
        let shared = ["<r><t>医療</t></r><r><t xml:space=\"preserve\">機関 </t></r><rPh sb=\"0\" eb=\"2\"><t>イリョウ</t></rPh>", "<t>次</t>"]
        let book = try Workbook(data: try Self.book(sheets: [("名簿", sheet)], shared: shared), file: "t.xlsx")
        let rows = book.sheets[0].rows
        #expect(rows.map(\.line) == [1, 3, 5], "empty rows are left out")
        #expect(rows[0].fields == ["医療機関 ", "", "インライン"])
        #expect(rows[1].fields == ["", "101303", "1.5", "TRUE", "4500"])
        #expect(rows[2].fields == ["次", "式の結果"], "cells without a reference follow one another")
    }

    @Test func everySheetInOrder() throws {
        let one = #"<row r="1"><c r="A1" t="inlineStr"><is><t>埼玉県</t></is></c></row>"#
        let two = #"<x:row r="2" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:c r="B2" t="inlineStr"><x:is><x:t>千葉県</x:t></x:is></x:c></x:row>"#
        let book = try Workbook(data: try Self.book(sheets: [("埼玉", one), ("千葉", two)]), file: "t.xlsx")
        #expect(book.sheets.map(\.name) == ["埼玉", "千葉"])
        #expect(book.sheets[1].rows.first?.fields == ["", "千葉県"], "a namespace prefix on elements is read too")
    }

    static func refusal(_ data: Data) -> String {
        do {
            _ = try Workbook(data: data, file: "bad.xlsx")
            Issue.record("should have been refused")
            return ""
        } catch let f as ImportFailure {
            return f.description
        } catch {
            Issue.record("unexpected \(error)")
            return ""
        }
    }

    @Test func whatIsNotAWorkbookIsSaidSo() throws {
        #expect(Self.refusal(Data("項番,医療機関番号\n".utf8)).contains("zip 形式ではない"))
        let good = try Self.book(sheets: [("S", #"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#)])
        // Cut short: the central directory is gone.
        #expect(Self.refusal(good.prefix(good.count / 2)).contains("Excel ブック（.xlsx）として読めません"))
        // A zip, but of something else.
        #expect(Self.refusal(try Self.workbook(["word/document.xml": "<w/>"])).contains("xl/workbook.xml がない"))
        // A sheet that is not XML, and a shared string index past the table.
        let broken = try Self.book(sheets: [("S", "<row r=\"1\"><c r=\"A1\"><v>1</v></row>")])
        #expect(Self.refusal(broken).contains("XML として読めません"))
        let pastTable = try Self.book(sheets: [("S", #"<row r="1"><c r="A1" t="s"><v>7</v></c></row>"#)], shared: ["<t>a</t>"])
        #expect(Self.refusal(pastTable).contains("共有文字列 7"))
    }
}
