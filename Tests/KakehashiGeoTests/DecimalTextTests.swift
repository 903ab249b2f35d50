import Testing
import KakehashiGeo

@Suite struct DecimalTextTests {
    @Test func readsDecimalNumbers() {
        #expect(Double(decimalText: "35.79") == 35.79)
        #expect(Double(decimalText: "-139") == -139)
        #expect(Double(decimalText: "+1.5e2") == 150)
        #expect(Double(decimalText: "1E-3") == 0.001)
        #expect(Double(decimalText: ".5") == 0.5)
    }

    /// Swift's `Double(_:)` reads every one of these; none is a coordinate.
    @Test func refusesWhatIsNotADecimal() {
        for text in ["0x1.1cp5", "0X23", "inf", "-infinity", "nan", "1e400", "", "-", ".", "1e", "1.2.3", "1-2", "35,79", " 35", "e5", "1e5e5"] {
            #expect(Double(decimalText: text) == nil, "\(text)")
        }
    }
}
