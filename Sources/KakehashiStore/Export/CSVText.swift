/// Rows written as CSV (RFC 4180): a field is quoted when it holds a comma, a quote or a line break.
public enum CSVText {
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }

    public static func field(_ s: String) -> String {
        guard s.contains(where: { ",\"\n\r".contains($0) }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
