import Foundation
import GRDB
import KakehashiModel
import Testing
import ZIPFoundation
@testable import KakehashiStore

/// Small 名簿 in the published layout, written by the tests: CSV saved from the workbook, other
/// bureaus' habits, replacement by a newer month, and bad files.
@Suite struct TodokedeFileTests {
    static let header = ["項番", "都道府県コード", "都道府県名", "区分", "医療機関番号", "併設医療機関番号", "医療機関記号番号", "医療機関名称",
                         "医療機関所在地（郵便番号）", "医療機関所在地（住所）", "電話番号", "FAX番号", "病床数", "受理届出名称", "受理記号", "受理番号",
                         "算定開始年月日", "個別有効開始年月日", "備考（見出し）", "備考（データ）", "市町村コード", "市町村名", "種別コード", "種別"]

    /// One 届出 row: the institution's columns and the 届出's.
    static func row(_ number: String, _ name: String, _ code: String, since: String = "令和 6年10月 1日", noticeNumber: String = "第1号",
                    division: String = "医科", address: String = "所沢市並木１－１－１", remark: (String, String)? = nil) -> [String] {
        ["1", "11", "埼玉県", division, number, "", "", name, "359-0042", address, "04(2998)0001", "", "", "届出", code, noticeNumber,
         since, "", remark?.0 ?? "", remark?.1 ?? "", "", "", "", ""]
    }

    static func csv(_ rows: [[String]], title: String = "[令和７年９月１日 現在 ]令和７年１０月２日作成 全医療機関出力") -> String {
        ([[title], [], header] + rows).map { $0.map { "\"\($0)\"" }.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A database with 埼玉's boundaries and towns (the geocoder's gazetteer).
    static func database(in dir: URL) throws -> SpatialDatabase {
        let db = try SpatialDatabase(path: dir.appendingPathComponent("t.sqlite").path)
        _ = try DataImport.run(.boundaries, files: [Fixtures.path(Fixtures.boundaries[0])], into: db)
        _ = try DataImport.run(.towns, files: [Fixtures.path("towns/towns_saitama_chiba_tokyo.csv")], into: db)
        return db
    }

    static func failure(_ text: String, name: String = "meibo.csv") throws -> [ImportIssue] {
        try failure(Data(text.utf8), name: name)
    }

    static func failure(_ data: Data, name: String) throws -> [ImportIssue] {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("t.sqlite").path)
        do {
            _ = try DataImport.run(.todokede, files: [Fixtures.write(data, name: name, in: dir)], into: db)
            Issue.record("should have been refused")
        } catch let f as ImportFailure {
            return f.issues
        }
        return []
    }

    @Test func aCSVSavedFromTheWorkbookInShiftJIS() throws {
        let dir = try Fixtures.scratch()
        let db = try Self.database(in: dir)
        let text = Self.csv([
            Self.row("2510352", "ひがとこ在宅診療所", "支援診２ア", since: "令和元年 5月 1日", noticeNumber: "第77号"),
            Self.row("2510352", "ひがとこ在宅診療所", "在医総管１", remark: ("連携", "所沢市内 3 機関")),
            // 備考 carried over onto a row of its own, as some bureaus write them.
            ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "（続き）夜間は携帯電話", "", "", "", ""],
            Self.row("2503431", "所沢第一病院", "在後病", since: "R6.4.1"),
            Self.row("2503431", "所沢第一病院", "ＸＹＺ未知", since: "2024/04/01"),
        ])
        let path = try Fixtures.write(try BadInputTests.iconv(text, to: "CP932"), name: "meibo_sjis.csv", in: dir)
        let report = try #require(try DataImport.run(.todokede, files: [path], into: db).first)
        #expect(report.rowsLoaded == 2 && report.referenceDate == "2025-09-01" && report.warnings.isEmpty, "\(report.warnings)")
        let caps = try db.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.official_id, p.kind, p.location_level, c.capability, c.detail, c.notice_number, c.since
                FROM providers p JOIN provider_capabilities c ON c.provider_id = p.id ORDER BY 1, 4
                """).map { "\($0["official_id"] as String) \($0["kind"] as String) \($0["location_level"] as String? ?? "-") \($0["capability"] as String) \($0["detail"] as String? ?? "-") \($0["notice_number"] as String? ?? "-") \($0["since"] as String? ?? "-")" }
        }
        #expect(caps == [
            "1112503431 hospital town home_backup_hospital - 第1号 2024-04-01",
            "1112510352 clinic town home_support_clinic enhanced_joint 第77号 2019-05-01",
            "1112510352 clinic town regular_home_visits - 第1号 2024-10-01",
        ])
        let notices = try db.reader.read { db in try Row.fetchAll(db, sql: "SELECT code, remarks FROM provider_notices ORDER BY id").map { "\($0["code"] as String)|\($0["remarks"] as String? ?? "")" } }
        #expect(notices == ["支援診２ア|", "在医総管１|連携：所沢市内 3 機関\n（続き）夜間は携帯電話", "在後病|", "ＸＹＺ未知|"])
        let services = try db.reader.read { db in try String.fetchAll(db, sql: "SELECT service FROM provider_services ORDER BY 1") }
        #expect(services == ["backup_admission", "home_visit_medical"])
    }

    /// 在医総管２ is the 注14 基準 (the 2025-10 静岡 file: 田沢医院 holds 在医総管１ 第490号 since 平成21年
    /// and withdrew its 在医総管２ 第3号 of 令和7年): the fee's 届出 keeps its own number and date.
    @Test func theReducedRateNoticeIsNotTheFeeItself() throws {
        let dir = try Fixtures.scratch()
        let db = try Self.database(in: dir)
        let text = Self.csv([
            Self.row("1110701", "田沢医院", "在医総管１", since: "平成21年 4月 1日", noticeNumber: "第490号"),
            Self.row("1110701", "田沢医院", "在医総管２", since: "令和 7年 4月 1日", noticeNumber: "第3号"),
            Self.row("1110701", "田沢医院", "在医総管２", since: "令和 7年 4月 1日", noticeNumber: "第3号",
                     remark: ("「新規届出」及び「取り下げ」の区分", "取り下げ")),
            Self.row("1110702", "二の医院", "在医総管２", since: "令和 7年 8月 1日", noticeNumber: "第2号"),
        ])
        _ = try DataImport.run(.todokede, files: [Fixtures.write(text, name: "shizuoka.csv", in: dir)], into: db)
        let caps = try db.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.official_id, c.capability, c.notice_number, c.since FROM providers p JOIN provider_capabilities c ON c.provider_id = p.id
                """).map { "\($0["official_id"] as String) \($0["capability"] as String) \($0["notice_number"] as String) \($0["since"] as String)" }
        }
        #expect(caps == ["1111110701 regular_home_visits 第490号 2009-04-01"])
        let notices = try db.reader.read { db in try Row.fetchAll(db, sql: "SELECT code, remarks FROM provider_notices ORDER BY id").map { "\($0["code"] as String)|\($0["remarks"] as String? ?? "")" } }
        #expect(notices == ["在医総管１|", "在医総管２|「新規届出」及び「取り下げ」の区分：取り下げ", "在医総管２|"])
        let services = try db.reader.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT service FROM provider_services ORDER BY 1") }
        #expect(services == ["home_visit_medical"])
    }

    /// 東海北陸, 九州 and 四国 repeat a 届出's whole row for each 備考 pair (the 2025-10 富山 file:
    /// 一般入院 第10号 and six rows more, 病棟種別, 病床数, …): one 届出 with its remarks in order.
    @Test func aBureauThatRepeatsTheRowForEachRemark() throws {
        let dir = try Fixtures.scratch()
        let db = try Self.database(in: dir)
        let text = Self.csv([
            Self.row("0110023", "富山第一病院", "一般入院", noticeNumber: "第10号"),
            Self.row("0110023", "富山第一病院", "一般入院", noticeNumber: "第10号", remark: ("病棟種別", "一般")),
            Self.row("0110023", "富山第一病院", "一般入院", noticeNumber: "第10号", remark: ("病床数", "507床")),
            Self.row("0110023", "富山第一病院", "一般入院", noticeNumber: "第10号", remark: ("栄養管理体制の基準を満たす", "栄養管理体制の基準を満たす")),
            // Another 届出 of the same code is another number: kept apart.
            Self.row("0110023", "富山第一病院", "一般入院", noticeNumber: "第11号", remark: ("病棟種別", "療養")),
            Self.row("0110023", "富山第一病院", "支援病３", noticeNumber: "第5号"),
            // Repeated without 備考 (関東信越 lists 療養環境加算 once per ward): one 届出 a row, as published.
            Self.row("0110023", "富山第一病院", "療養１", noticeNumber: "第3号"),
            Self.row("0110023", "富山第一病院", "療養１", noticeNumber: "第3号"),
            // Not right after its 届出: another institution's row came between.
            Self.row("0110024", "富山第二病院", "一般入院", noticeNumber: "第12号"),
            Self.row("0110023", "富山第一病院", "支援病３", noticeNumber: "第5号", remark: ("備考", "後の行")),
        ])
        _ = try DataImport.run(.todokede, files: [Fixtures.write(text, name: "toyama.csv", in: dir)], into: db)
        let notices = try db.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT code, notice_number, remarks FROM provider_notices ORDER BY id")
                .map { "\($0["code"] as String) \($0["notice_number"] as String? ?? "-")|\($0["remarks"] as String? ?? "")" }
        }
        #expect(notices == ["一般入院 第10号|病棟種別：一般\n病床数：507床\n栄養管理体制の基準を満たす", "一般入院 第11号|病棟種別：療養", "支援病３ 第5号|",
                            "療養１ 第3号|", "療養１ 第3号|", "支援病３ 第5号|備考：後の行", "一般入院 第12号|"])
        let capabilities = try db.reader.read { db in try String.fetchAll(db, sql: "SELECT capability FROM provider_capabilities") }
        #expect(capabilities == ["home_support_hospital"])
    }

    /// A sheet's XML of these rows (title, blank, header and 届出), each cell an inline string.
    static func sheetXML(_ rows: [[String]]) -> String {
        rows.enumerated().map { n, cells in
            "<row r=\"\(n + 2)\">" + cells.map { "<c t=\"inlineStr\"><is><t>\($0)</t></is></c>" }.joined() + "</row>"
        }.joined()
    }

    static func zip(_ entries: [(path: String, data: Data)]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        for (path, data) in entries {
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }

    /// Most bureaus publish a month as a zip of workbooks (九州: 医科, 歯科 and 薬局 of a prefecture).
    @Test func aZipOfWorkbooksAsTheBureausPublishThem() throws {
        let dir = try Fixtures.scratch()
        let db = try Self.database(in: dir)
        let title = ["[令和７年９月１日 現在 ]令和７年１０月２日作成 全医療機関出力"]
        let ika = try WorkbookTests.book(sheets: [("Sheet1", Self.sheetXML([title, Self.header, Self.row("2510352", "ひがとこ在宅診療所", "支援診２")]))])
        let shika = try WorkbookTests.book(sheets: [("Sheet1", Self.sheetXML([title, Self.header,
            Self.row("2500011", "なみき歯科", "歯援診２", division: "歯科")]))])
        let zip = try Fixtures.write(try Self.zip([("r0709/shisetsu_ika_11.xlsx", ika), ("r0709/shisetsu_shika_11.xlsx", shika),
                                                   ("__MACOSX/r0709/._shisetsu_ika_11.xlsx", Data("junk".utf8)), ("r0709/readme.txt", Data("説明".utf8))]),
                                     name: "shisetsu_11.zip", in: dir)
        let report = try #require(try DataImport.run(.todokede, files: [zip], into: db).first)
        #expect(report.rowsLoaded == 2)
        let held = try db.reader.read { db in
            try String.fetchAll(db, sql: "SELECT p.official_id || ' ' || c.capability FROM providers p JOIN provider_capabilities c ON c.provider_id = p.id ORDER BY 1")
        }
        #expect(held == ["1112510352 home_support_clinic", "1132500011 home_support_dental"])
        // A zip with neither a workbook nor one inside is refused, saying so.
        let other = try WorkbookTests.workbook(["docs/readme.txt": "x"])
        #expect(try Self.failure(other, name: "other.zip").first?.message.contains("中に .xlsx もない zip") == true)
        // Another table beside the workbooks would be left unread: the zip is refused, naming it.
        let mixed = try Self.zip([("r0709/shisetsu_ika_11.xlsx", ika), ("r0709/shisetsu_yakkyoku_11.csv", Data("項番".utf8))])
        let refused = try Self.failure(mixed, name: "mixed.zip")
        #expect(refused.first?.message.contains("読めない表のファイルがあります: r0709/shisetsu_yakkyoku_11.csv") == true, "\(refused)")
    }

    @Test func aNewerMonthReplacesTheOlderAndSaysWhatChanged() throws {
        let dir = try Fixtures.scratch()
        let db = try Self.database(in: dir)
        let september = Self.csv([Self.row("2510352", "ひがとこ在宅診療所", "支援診３"), Self.row("2503431", "所沢第一病院", "在後病"),
                                  Self.row("2505535", "並木病院", "支援病３")])
        _ = try DataImport.run(.todokede, files: [Fixtures.write(september, name: "r0709.csv", in: dir)], into: db)
        // October: the clinic became 機能強化型, the hospital withdrew its 在後病 届出.
        let october = Self.csv([Self.row("2510352", "ひがとこ在宅診療所", "支援診２"), Self.row("2503431", "所沢第一病院", "時間外１"),
                                Self.row("2505535", "並木病院", "支援病３")], title: "[令和７年１０月１日 現在 ]")
        let report = try #require(try DataImport.run(.todokede, files: [Fixtures.write(october, name: "r0710.csv", in: dir)], into: db).first)
        #expect(report.superseded.count == 1 && report.referenceDate == "2025-10-01")
        let changes = try #require(report.capabilityChanges)
        #expect(changes.map(\.description) == [
            "1112503431 所沢第一病院: 追加 after_hours_phone:1／取消 home_backup_hospital",
            "1112510352 ひがとこ在宅診療所: 追加 home_support_clinic:enhanced_joint／取消 home_support_clinic:standard",
        ])
        #expect(report.summary.contains("届出の変化: 2 件"))
        let backup = try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM provider_capabilities WHERE capability = 'home_backup_hospital'") }
        #expect(backup == 0)
    }

    /// A clinic in 医療情報ネット, the 名簿 and the 介護 data is one provider with three sources, and
    /// a join that is not certain is listed, not made.
    @Test func oneInstitutionManySources() throws {
        let dir = try Fixtures.scratch()
        let db = try Self.database(in: dir)
        let iryo = """
            "ID","正式名称","機関区分","都道府県コード","市区町村コード","所在地","所在地座標（緯度）","所在地座標（経度）"
            "1121100000001","ひがとこ在宅診療所","2","11","208","埼玉県所沢市並木1丁目1番1号",35.80012,139.47021
            "1121100000002","医療法人社団　秀栄会　所沢第一病院","1","11","208","埼玉県所沢市並木",35.80500,139.47500

            """
        _ = try DataImport.run(.iryo, files: [Fixtures.write(iryo, name: "02-1_clinic_facility_info.csv", in: dir)], into: db)
        let meibo = Self.csv([Self.row("2510352", "ひがとこ在宅診療所", "支援診２"),
                              Self.row("2503431", "医療法人社団 秀栄会 所沢第一病院", "在後病", address: "所沢市並木")])
        let report = try #require(try DataImport.run(.todokede, files: [Fixtures.write(meibo, name: "meibo.csv", in: dir)], into: db).first)
        let kaigo = """
            都道府県コード又は市区町村コード,事業所名,サービスの種類,住所,緯度,経度,事業所番号
            112089,ひがとこ在宅診療所,訪問看護,埼玉県所沢市並木1-1-1,35.80012,139.47021,1112510352

            """
        _ = try DataImport.run(.kaigo, files: [Fixtures.write(kaigo, name: "jigyosho_130.csv", in: dir)], into: db)

        let joined = try db.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.source AS owner, s.source, s.official_id, s.joined_by FROM provider_sources s JOIN providers p ON p.id = s.provider_id
                ORDER BY s.source
                """).map { "\($0["owner"] as String) ← \($0["source"] as String) \($0["official_id"] as String) \($0["joined_by"] as String)" }
        }
        #expect(joined == ["iryo ← kaigo:130 1112510352 institution_code", "iryo ← todokede 1112510352 name_address"])
        let clinic = try db.reader.read { db in
            try Row.fetchOne(db, sql: """
                SELECT p.location_level, X(p.location) AS x, p.institution_code,
                       (SELECT group_concat(service, ',') FROM (SELECT service FROM provider_services WHERE provider_id = p.id ORDER BY service)) AS services,
                       (SELECT group_concat(capability) FROM provider_capabilities WHERE provider_id = p.id) AS capabilities
                FROM providers p WHERE p.source = 'iryo' AND p.official_id = '1121100000001'
                """)
        }
        #expect(clinic?["location_level"] as String? == nil && clinic?["x"] as Double? == 139.47021, "the source's own point is kept")
        #expect(clinic?["institution_code"] as String? == "1112510352")
        #expect(clinic?["services"] as String? == "home_visit_medical,home_visit_nursing")
        #expect(clinic?["capabilities"] as String? == "home_support_clinic")
        // The hospital's address has no 番地: perhaps the same, so listed for a person, and kept apart.
        let listed = report.warnings.filter { $0.column == "照合" }
        #expect(listed.count == 1 && listed[0].message.contains("1121100000002"), "\(report.warnings)")
        let providers = try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM providers") }
        #expect(providers == 3)
        // The provider's facts name every joined source and how it was joined.
        let id = try #require(try db.reader.read { try Int64.fetchOne($0, sql: "SELECT id FROM providers WHERE official_id = '1121100000001'") })
        let facts = try #require(try db.providerFacts(id: id))
        #expect(facts.0.joinedSources.map { "\($0.source) \($0.officialID) \($0.joinedBy)" }.sorted()
                == ["kaigo:130 1112510352 institution_code", "todokede 1112510352 name_address"])
        #expect(Set(facts.0.capabilities.map(\.datasetID)) == Set(facts.0.joinedSources.filter { $0.source == "todokede" }.map(\.datasetID)))
    }

    /// What a joined source lent a provider (an exact point, a code) survives the next release of
    /// the source that owns it: a 名簿 month must not put a clinic back on its town's point.
    @Test func lentFactsSurviveTheOwnersNextRelease() throws {
        let dir = try Fixtures.scratch()
        let db = try Self.database(in: dir)
        _ = try DataImport.run(.todokede, files: [Fixtures.write(Self.csv([Self.row("2510352", "ひがとこ在宅診療所", "支援診３")]), name: "r0709.csv", in: dir)], into: db)
        let iryo = """
            "ID","正式名称","機関区分","都道府県コード","市区町村コード","所在地","所在地座標（緯度）","所在地座標（経度）"
            "1121100000001","ひがとこ在宅診療所","2","11","208","埼玉県所沢市並木1丁目1番1号",35.80012,139.47021

            """
        _ = try DataImport.run(.iryo, files: [Fixtures.write(iryo, name: "02-1_clinic_facility_info.csv", in: dir)], into: db)
        func point() throws -> String? {
            try db.reader.read { db in
                try String.fetchOne(db, sql: "SELECT printf('%.5f %s', X(location), coalesce(location_level, 'exact')) FROM providers WHERE official_id = '1112510352'")
            }
        }
        #expect(try point() == "139.47021 exact", "the 医療情報ネット point replaced the town's")
        let october = Self.csv([Self.row("2510352", "ひがとこ在宅診療所", "支援診２")], title: "[令和７年１０月１日 現在 ]")
        _ = try DataImport.run(.todokede, files: [Fixtures.write(october, name: "r0710.csv", in: dir)], into: db)
        #expect(try point() == "139.47021 exact", "the next 名簿 month keeps it")
        let detail = try db.reader.read { try String.fetchOne($0, sql: "SELECT detail FROM provider_capabilities WHERE capability = 'home_support_clinic'") }
        #expect(detail == "enhanced_joint")
    }

    @Test func badFilesAreRefusedWithRowAndColumn() throws {
        // No header row anywhere near the top.
        var issues = try Self.failure("名簿\n項番,名称\n1,a\n")
        #expect(issues.first?.message.contains("見出し行が見つかりません") == true, "\(issues)")
        // The header found by its names, one required column missing.
        var noDivision = Self.header
        noDivision[3] = "種類"
        issues = try Self.failure(([["title"], noDivision] as [[String]]).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n")
        #expect(issues.first?.column == "区分" && issues.first?.line == 2, "\(issues)")
        // A date that is not a date; a 10-digit code where 7 are expected.
        issues = try Self.failure(Self.csv([Self.row("2510352", "a", "支援診３", since: "令和 6年13月 1日"),
                                            Self.row("1112510352", "b", "支援診３")]))
        #expect(issues.map { "\($0.line ?? 0) \($0.column ?? "")" } == ["4 算定開始年月日", "5 医療機関番号"], "\(issues)")
        #expect(issues[1].message.contains("10 桁の医療機関コード"))
        // A workbook cut short.
        let real = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path(TodokedeTests.shika)))
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("t.sqlite").path)
        #expect(throws: ImportFailure.self) {
            _ = try DataImport.run(.todokede, files: [Fixtures.write(real.prefix(100_000), name: "cut.xlsx", in: dir)], into: db)
        }
        // An old binary workbook.
        issues = try Self.failure(Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]), name: "old.xls")
        #expect(issues.first?.message.contains(".xls") == true, "\(issues)")
    }

    @Test func datesAsFilesWriteThem() {
        #expect(JapaneseDate.iso("令和 6年10月 1日") == "2024-10-01")
        #expect(JapaneseDate.iso("令和元年 5月 1日") == "2019-05-01")
        #expect(JapaneseDate.iso("平成22年 4月 1日") == "2010-04-01")
        #expect(JapaneseDate.iso("Ｈ２２．４．１") == "2010-04-01")
        #expect(JapaneseDate.iso("昭和64年1月7日") == "1989-01-07")
        #expect(JapaneseDate.iso("2024/02/29") == "2024-02-29")
        #expect(JapaneseDate.iso("45566") == "2024-10-01", "an Excel serial day")
        for bad in ["令和 6年13月 1日", "2023/02/29", "令和", "4月1日", "令和6年10月1日頃", "60", ""] { #expect(JapaneseDate.iso(bad) == nil, "\(bad)") }
        #expect(JapaneseDate.asOf("[令和７年９月１日 現在 ]令和７年１０月２日作成 全医療機関出力") == "2025-09-01")
        #expect(TodokedeCodes.meaning(of: "支援診２ア")?.detail == "enhanced_joint")
        #expect(TodokedeCodes.meaning(of: "在薬総")?.capability == .pharmacy24h && TodokedeCodes.meaning(of: "在薬")?.capability == .pharmacyHomeVisits)
        #expect(TodokedeCodes.meaning(of: "医療ＤＸ") == nil)
    }
}
