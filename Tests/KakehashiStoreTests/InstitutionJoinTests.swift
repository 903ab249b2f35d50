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
    }

    @Test func namesLosePunctuationAndSpacesOnly() {
        #expect(Keys.fold("医療法人社団　ひかり会・ひかりクリニック（内科）") == "医療法人社団ひかり会ひかりクリニック内科")
        #expect(Keys.fold("ＡＢＣ薬局") == "ABC薬局")
        #expect(Keys.fold(" 、。") == nil)
    }
}
