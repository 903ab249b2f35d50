/// Rows written as CSV (RFC 4180): a field is quoted when it holds a comma, a quote or a line break.
public enum CSVText {
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    public static func field(_ s: String) -> String {
        // `isNewline` also catches CRLF, one Character (a textarea's line break, as browsers send it).
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
