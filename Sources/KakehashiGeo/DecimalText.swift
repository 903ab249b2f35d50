extension Double {
    /// A number written in decimal, as coordinates are: `35.79`, `-1e-3`, `+139`. Swift's own
    /// `Double(_:)` also reads hex floats (`0x1.1cp5`), `inf` and `nan`; none of them is a
    /// coordinate anyone meant to write, so they are refused rather than read.
    public init?(decimalText text: some StringProtocol) {
        var sawDigit = false, sawDot = false, sawExponent = false, previous: Character = " "
        for c in text {
            let isExponent = c == "e" || c == "E"
            if c.isASCII && c.isNumber {
                sawDigit = true
            } else if c == ".", !sawDot, !sawExponent {
                sawDot = true
            } else if isExponent, sawDigit, !sawExponent {
                sawExponent = true
                sawDigit = false  // the exponent needs digits of its own
            } else if c == "+" || c == "-", previous == " " || previous == "e" || previous == "E" {
                // a sign at the start or after the exponent mark
            } else {
                return nil
            }
            previous = c
        }
        guard sawDigit, let value = Double(text), value.isFinite else { return nil }
        self = value
    }
}
