import Foundation
import KakehashiGeo

/// Reads typed values out of one CSV row, collecting every problem with its line and column.
struct RowReader {
    let table: CSVTable
    let row: CSVTable.Row
    var issues: [ImportIssue] = []
    /// Problems with coordinates alone: with `--skip-invalid` the row is kept, its location unknown.
    var coordinateIssues: [ImportIssue] = []
    /// Of those, coordinates that read as numbers but lie outside Japan (a publisher's fault, not the
    /// file's structure).
    var misplaced: [ImportIssue] = []

    init(table: CSVTable, row: CSVTable.Row) {
        self.table = table
        self.row = row
    }

    /// The trimmed text at a column; empty when the column is absent.
    func text(_ column: Int?) -> String {
        guard let column, column < row.fields.count else { return "" }
        return row.fields[column].trimmingSpaces
    }

    func optional(_ column: Int?) -> String? {
        let t = text(column)
        return t.isEmpty ? nil : t
    }

    mutating func fail(_ column: Int?, _ message: String) {
        issues.append(issue(column, message))
    }

    /// A 5- or 6-digit 地方公共団体コード at a column (the check digit dropped); nil, with the row
    /// failed, when it is not one. `label` names it in the message.
    mutating func municipalityCode(_ column: Int?, label: String = "市区町村コード") -> String? {
        let raw = text(column)
        let code = FieldText.municipalityCode(raw)
        if code == nil { fail(column, "\(label)は 5 桁または 6 桁の数字です（値: \(FieldText.excerpt(raw))）") }
        return code
    }

    func issue(_ column: Int?, _ message: String) -> ImportIssue {
        let name = column.map { table.header.indices.contains($0) ? table.header[$0] : "\($0 + 1) 列目" }
        return ImportIssue(file: table.file, line: row.line, column: name, message)
    }

    mutating func failCoordinate(_ column: Int?, _ message: String) {
        coordinateIssues.append(issue(column, message))
    }

    mutating func required(_ column: Int) -> String? {
        let t = text(column)
        if t.isEmpty { fail(column, "値が空です（必須）") ; return nil }
        return t
    }

    /// A non-negative whole number; "1,234" and full-width digits are accepted.
    mutating func count(_ column: Int?, required: Bool) -> Int? {
        let t = FieldText.halfWidth(text(column)).replacingOccurrences(of: ",", with: "")
        if t.isEmpty || t == "-" || t == "－" {
            if required { fail(column, "値が空です（0 以上の整数が必要です）") }
            return nil
        }
        guard let v = Int(t), v >= 0 else {
            fail(column, "0 以上の整数ではありません（値: \(FieldText.excerpt(t))）")
            return nil
        }
        // No count of people, receipts or rows comes near it; importers add counts up without overflow.
        guard v <= Self.largestCount else {
            fail(column, "値が大きすぎます（\(FieldText.excerpt(t))；\(Self.largestCount) 以下の整数が必要です）")
            return nil
        }
        return v
    }

    static let largestCount = 1_000_000_000_000

    /// A position from latitude and longitude columns.
    ///
    /// Both empty: unknown (nil). Both exactly 0: a placeholder, also unknown when
    /// `zeroMeansUnknown`. Anything else must be finite and inside Japan.
    mutating func location(lat latColumn: Int?, lon lonColumn: Int?, zeroMeansUnknown: Bool) -> (GeoPoint?, ok: Bool) {
        let latText = FieldText.halfWidth(text(latColumn)), lonText = FieldText.halfWidth(text(lonColumn))
        if latText.isEmpty && lonText.isEmpty { return (nil, true) }
        guard !latText.isEmpty, !lonText.isEmpty else {
            failCoordinate(latText.isEmpty ? latColumn : lonColumn, "緯度と経度の片方だけが空です")
            return (nil, false)
        }
        guard let lat = Double(decimalText: latText) else {
            failCoordinate(latColumn, "緯度が数値ではありません（値: \(FieldText.excerpt(latText))）")
            return (nil, false)
        }
        guard let lon = Double(decimalText: lonText) else {
            failCoordinate(lonColumn, "経度が数値ではありません（値: \(FieldText.excerpt(lonText))）")
            return (nil, false)
        }
        if lat == 0 && lon == 0 && zeroMeansUnknown { return (nil, true) }
        let p = GeoPoint(lon: lon, lat: lat)
        guard JapanExtent.contains(p) else {
            let swapped = JapanExtent.contains(GeoPoint(lon: lat, lat: lon))
            failCoordinate(latColumn, "座標 (緯度 \(latText), 経度 \(lonText)) が日本の範囲外です" + (swapped ? "。緯度と経度が入れ替わっている可能性があります" : ""))
            misplaced.append(coordinateIssues.last!)
            return (nil, false)
        }
        return (p, true)
    }
}

enum FieldText {
    /// Full-width digits, signs and the decimal point folded to ASCII.
    static func halfWidth(_ s: String) -> String {
        // Every scalar mapped below is EF BC xx or E2 88 92 in UTF-8.
        if !s.utf8.contains(where: { $0 == 0xEF || $0 == 0xE2 }) { return s }
        return String(String.UnicodeScalarView(s.unicodeScalars.map { u in
            switch u.value {
            case 0xFF10...0xFF19, 0xFF0B, 0xFF0D, 0xFF0E: Unicode.Scalar(u.value - 0xFEE0)!
            case 0x2212: "-"
            default: u
            }
        }))
    }

    static func excerpt(_ s: String) -> String {
        s.count > 40 ? String(s.prefix(40)) + "…" : s
    }

    /// The 5-digit municipality code from a 5-digit code or a 6-digit 団体コード (check digit dropped).
    static func municipalityCode(_ raw: String) -> String? {
        let t = halfWidth(raw)
        guard t.allSatisfy(\.isASCII), t.allSatisfy(\.isNumber) else { return nil }
        switch t.count {
        case 5: return t
        case 6: return String(t.prefix(5))
        default: return nil
        }
    }

    /// The two-digit prefecture codes of a list of municipality codes, sorted and joined.
    static func prefectureSet<S: Sequence>(_ codes: S) -> String where S.Element == String {
        Set(codes.map { String($0.prefix(2)) }).sorted().joined(separator: ",")
    }
}
