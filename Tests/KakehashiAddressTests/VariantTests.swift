import Testing
@testable import KakehashiAddress

/// Each variant class the normaliser must read, with real addresses of the fixture gazetteer.
@Suite struct VariantTests {
    static func read(_ s: String) throws -> NormalisedAddress { try AddressFixtures.normaliser.normalise(s) }

    static func expect(_ input: String, _ city: String, _ town: String?, _ block: String?, other: String? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let a = try read(input)
        #expect(a.city == city, "\(input)", sourceLocation: sourceLocation)
        #expect(a.town == town, "\(input)", sourceLocation: sourceLocation)
        #expect(a.blockNumber == block, "\(input)", sourceLocation: sourceLocation)
        #expect(a.other == other, "\(input)", sourceLocation: sourceLocation)
    }

    @Test func widthsAndKanjiNumerals() throws {
        try Self.expect("埼玉県所沢市元町２８番９号", "所沢市", "元町", "28-9")
        try Self.expect("埼玉県所沢市元町二十八番九号", "所沢市", "元町", "28-9")
        try Self.expect("東京都豊島区南大塚3丁目41-12", "豊島区", "南大塚三丁目", "41-12")
        try Self.expect("東京都豊島区南大塚三丁目四十一番十二号", "豊島区", "南大塚三丁目", "41-12")
        try Self.expect("千葉県柏市柏１０２５番地の１４", "柏市", "柏", "1025-14")
        try Self.expect("千葉県柏市柏一〇二五－一四", "柏市", "柏", "1025-14")
    }

    /// Long runs of digits after a town were read into an Int that overflowed and stopped the
    /// process (found by fuzzing, issue #17): the server's geocoder with them.
    @Test func longNumbersDoNotOverflow() throws {
        for tail in [String(repeating: "9", count: 40), String(repeating: "九", count: 40), String(repeating: "九", count: 25) + "千" + String(repeating: "九", count: 25)] {
            let a = try Self.read("埼玉県所沢市元町" + tail)
            #expect(a.city == "所沢市")
        }
    }

    /// The 厚生局 名簿 writes 釆 (U+91C6) where the gazetteer has 采: four 三郷市 clinics went unplaced.
    @Test func variantOfSai() throws {
        try Self.expect("埼玉県三郷市釆女１丁目１０２－２", "三郷市", "采女一丁目", "102-2")
    }

    @Test func chomeAndBlockSeparators() throws {
        try Self.expect("東京都豊島区西池袋５－１５－７", "豊島区", "西池袋五丁目", "15-7")
        try Self.expect("東京都豊島区巣鴨３丁目１８ー２１", "豊島区", "巣鴨三丁目", "18-21")
        try Self.expect("東京都豊島区南池袋２丁目２２‐６", "豊島区", "南池袋二丁目", "22-6")
        try Self.expect("東京都豊島区南池袋２丁目２２の６", "豊島区", "南池袋二丁目", "22-6")
        try Self.expect("東京都豊島区南池袋2丁目22番6号", "豊島区", "南池袋二丁目", "22-6")
        try Self.expect("東京都豊島区南池袋2丁22-6", "豊島区", "南池袋二丁目", "22-6")
        // "柏7-5": 柏 exists without 丁目, so 7-5 is 番地-号, not 七丁目.
        try Self.expect("千葉県柏市柏7-5", "柏市", "柏", "7-5")
        try Self.expect("千葉県柏市柏7-5-15", "柏市", "柏七丁目", "5-15")
    }

    @Test func interchangeableKana() throws {
        try Self.expect("千葉県柏市光ヶ丘1丁目4-23", "柏市", "光ケ丘一丁目", "4-23")
        try Self.expect("千葉県柏市光が丘1丁目4-23", "柏市", "光ケ丘一丁目", "4-23")
        try Self.expect("東京都豊島区雑司ヶ谷3丁目3-25", "豊島区", "雑司が谷三丁目", "3-25")
        try Self.expect("東京都豊島区雑司ケ谷3丁目3-25", "豊島区", "雑司が谷三丁目", "3-25")
        try Self.expect("埼玉県所沢市星ノ宮2丁目1-29", "所沢市", "星の宮二丁目", "1-29")
        try Self.expect("埼玉県所沢市星之宮2丁目1-29", "所沢市", "星の宮二丁目", "1-29")
    }

    @Test func oldCharacterForms() throws {
        try Self.expect("東京都豊島区髙田3丁目30-14", "豊島区", "高田三丁目", "30-14")
        try Self.expect("埼玉県比企郡嵐山町将軍沢100", "比企郡嵐山町", "大字将軍澤", "100")
        try Self.expect("千葉県柏市篠篭田453-69", "柏市", "篠籠田", "453-69")
    }

    @Test func omittedPrefectureCountyAndOaza() throws {
        try Self.expect("所沢市元町28-9", "所沢市", "元町", "28-9")
        #expect(try Self.read("所沢市元町28-9").prefecture == "埼玉県")
        try Self.expect("埼玉県三芳町大字藤久保1100", "入間郡三芳町", "大字藤久保", "1100")
        try Self.expect("三芳町藤久保1100", "入間郡三芳町", "大字藤久保", "1100")
        try Self.expect("埼玉県所沢市上安松1100", "所沢市", "大字上安松", "1100")
        try Self.expect("埼玉県所沢市字上安松1100", "所沢市", "大字上安松", "1100")
        try Self.expect("埼玉県所沢市大字上安松1100", "所沢市", "大字上安松", "1100")
    }

    @Test func postalCodesSpacesAndBuildings() throws {
        try Self.expect("〒359-1124 埼玉県所沢市元町28-9", "所沢市", "元町", "28-9")
        try Self.expect("〒３５９－１１２４　埼玉県所沢市元町２８－９", "所沢市", "元町", "28-9")
        try Self.expect("359-1124 所沢市元町28-9", "所沢市", "元町", "28-9")
        try Self.expect(" 埼玉県　所沢市 元町 28 - 9 ", "所沢市", "元町", "28-9")
        try Self.expect("東京都豊島区東池袋3丁目1-1 サンシャイン60 45階", "豊島区", "東池袋三丁目", "1-1", other: "サンシャイン6045階")
        try Self.expect("東京都豊島区南長崎２丁目３－１０－１０７", "豊島区", "南長崎二丁目", "3-10-107")
        try Self.expect("埼玉県所沢市元町28番9号ハイツ所沢101号室", "所沢市", "元町", "28-9", other: "ハイツ所沢101号室")
    }

    @Test func levelsBelowTown() throws {
        let city = try Self.read("埼玉県所沢市存在しない町1-2")
        #expect(city.level == .city)
        #expect(city.city == "所沢市" && city.cityCode == "11208")
        #expect(city.town == nil)
        #expect(city.other == "存在しない町1-2")
        let pref = try Self.read("埼玉県どこか")
        #expect(pref.level == .prefecture && pref.city == nil)
        let none = try Self.read("どこでもない場所")
        #expect(none.level == .none)
    }

    @Test func ambiguousCitiesGiveCandidates() throws {
        // 府中市 is both in 東京都 and 広島県: without the prefecture there is no guessing. (A small
        // gazetteer written for the test: both cities given a 本町.)
        let g = Gazetteer(
            cities: [("13206", "東京都", "府中市", nil), ("34208", "広島県", "府中市", nil)],
            towns: [("13206", "本町", nil), ("13206", "宮町一丁目", nil), ("34208", "本町", nil), ("34208", "府川町", nil)])
        let n = AddressNormaliser(gazetteer: g)
        let a = try n.normalise("府中市本町1-1")
        #expect(a.level == .none)
        #expect(a.city == nil && a.town == nil)
        #expect(Set(a.candidates.map(\.cityCode)) == ["13206", "34208"])
        #expect(a.candidates.allSatisfy { $0.town == "本町" })
        let b = try n.normalise("東京都府中市宮町一丁目1-1")
        #expect(b.level == .town && b.cityCode == "13206" && b.town == "宮町一丁目" && b.candidates.isEmpty)
        let c = try n.normalise("府中市府川町1-1")
        #expect(c.cityCode == "34208" && c.town == "府川町" && c.prefecture == "広島県")
    }

    @Test(arguments: ["", "   ", "😀😀😀", "\u{0007}\u{0008}", "abc def 123"])
    func garbageIsAClearError(_ input: String) {
        #expect(throws: AddressInputError.self) { try Self.read(input) }
    }

    @Test func hugeInputIsRefused() {
        let huge = String(repeating: "東京都豊島区", count: 2_000)  // 12,000 characters
        #expect {
            try Self.read(huge)
        } throws: { ($0 as? AddressInputError)?.description.contains("長すぎます") == true }
    }
}
