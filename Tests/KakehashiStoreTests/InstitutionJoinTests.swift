import Foundation
import Testing
@testable import KakehashiStore

/// The keys a join compares: two spellings of one address must fold to the same key, two addresses
/// must not.
@Suite struct InstitutionJoinKeysTests {
    typealias Keys = InstitutionJoin.Keys

    @Test func addressesWrittenAlikeFoldAlike() {
        let same = ["埼玉県さいたま市浦和区常盤６丁目４番１８号", "さいたま市浦和区常盤6-4-18", "さいたま市浦和区常盤６－４－１８",
                    "さいたま市浦和区常盤6丁目4番地18", "さいたま市浦和区常盤 6丁目4番の18", "さいたま市浦和区常盤6ー4ー18号"]
        #expect(Set(same.map(Keys.address)) == ["さいたま市浦和区常盤6-4-18"])
        #expect(Keys.address("川口市本町4丁目1番8号 2階") == "川口市本町4-1-8-2階")
        #expect(Keys.address("所沢市並木１－２") != Keys.address("所沢市並木１－２－３"))
        #expect(Keys.address("東京都") == nil)
        #expect(Keys.address("番地") == nil)
        #expect(Keys.address("－－") == nil)
        #expect(Keys.address("東京都千代田区丸の内１丁目９－１") == "千代田区丸-内1-9-1")
        #expect(Keys.address("北海道札幌市中央区北１条西２丁目") == "札幌市中央区北1条西2")
        #expect(Keys.address("ｻｲﾀﾏ市1ｰ2") == "サイタマ市1-2")
        #expect(Keys.address("本町1番地の2") == "本町1-2")
    }

    @Test func namesLosePunctuationAndSpacesOnly() {
        #expect(Keys.fold("医療法人社団　ひかり会・ひかりクリニック（内科）") == "医療法人社団ひかり会ひかりクリニック内科")
        #expect(Keys.fold("ＡＢＣ薬局") == "ABC薬局")
        #expect(Keys.fold(" 、。") == nil)
        // NFKC writes a spacing ゛ as a space and a combining mark: the whole character goes.
        #expect(Keys.fold("ウ゛ィラ") == "ウィラ")
    }
}

/// Byte shortcuts of the field readers return what the character-by-character path would.
@Suite struct FieldTextShortcutTests {
    @Test func trimsOnlySpacesTabsAndIdeographicSpaces() {
        #expect("　ａ　".trimmingSpaces == "ａ")
        #expect("む".trimmingSpaces == "む")
        #expect("\tx ".trimmingSpaces == "x")
        #expect("".trimmingSpaces == "")
        #expect("a b".trimmingSpaces == "a b")
    }

    @Test func halfWidthDigitsSignsAndPoint() {
        #expect(FieldText.halfWidth("−１２．５") == "-12.5")
        #expect(FieldText.halfWidth("ｱbc") == "ｱbc")
        #expect(FieldText.halfWidth("ＡＢ") == "ＡＢ")
    }

    @Test func firstLineIsDecodedAlone() throws {
        let dir = try Fixtures.scratch()
        func file(_ bytes: [UInt8]) throws -> SourceFile {
            let path = dir.appendingPathComponent("f\(bytes.count).csv").path
            FileManager.default.createFile(atPath: path, contents: Data(bytes))
            return try SourceFile(path: path)
        }
        #expect(try file(Array("a,b\r\nc".utf8)).firstLine() == "a,b\r")
        #expect(try file([0xEF, 0xBB, 0xBF] + Array("ID,診療科目コード\nx".utf8)).firstLine() == "ID,診療科目コード")
        #expect(try file(Array("no line end".utf8)).firstLine() == "no line end")
        // A NUL after the first line is the whole text's fault, named by its line.
        let nul = try file(Array("ID\n".utf8) + [0])
        #expect(try nul.firstLine() == "ID")
        #expect(throws: ImportFailure.self) { try nul.text() }
    }
}
