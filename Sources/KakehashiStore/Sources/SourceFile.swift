import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An input file read whole: its bytes, SHA-256 and decoded text.
public struct SourceFile: Sendable {
    public enum Encoding: String, Sendable, Codable {
        case utf8 = "UTF-8"
        case utf8BOM = "UTF-8 (BOM)"
        case shiftJIS = "Shift_JIS (CP932)"
    }

    public let path: String
    public let data: Data
    public let sha256: String

    public var name: String { (path as NSString).lastPathComponent }

    public init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportFailure(ImportIssue(file: path, "ファイルを読めません（存在しないか、読み取り権限がありません）"))
        }
        self.path = path
        self.data = data
        sha256 = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// Several files read as one release (the 結果表 workbooks of one command): named after them all,
    /// and its hash is of their hashes in order of name, so a release that adds or changes a workbook
    /// is never taken for one already loaded.
    public init(combining files: [SourceFile]) {
        let sorted = files.sorted { $0.name < $1.name }
        path = sorted.map(\.name).joined(separator: "+")
        data = Data()
        sha256 = SHA256.hash(data: Data(sorted.map(\.sha256).joined(separator: "\n").utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// The file as text: UTF-8 with or without BOM, or Shift_JIS (CP932) as official MHLW files
    /// sometimes are. Anything else is refused with the line where decoding failed.
    public func text() throws -> (String, Encoding) {
        try decode(data)
    }

    /// The first line as text, decoded as `text()` would: enough to tell a layout by its header
    /// without decoding a file of a hundred megabytes twice.
    public func firstLine() throws -> String {
        let end = data.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress, let found = memchr(base, 0x0A, raw.count) else { return raw.count }
            return UnsafeRawPointer(found) - base
        }
        return try decode(data.prefix(end)).0
    }

    private func decode(_ data: Data) throws -> (String, Encoding) {
        if data.starts(with: [0xEF, 0xBB, 0xBF]) {
            guard let s = String(data: data.dropFirst(3), encoding: .utf8) else { throw badBytes(from: data.dropFirst(3)) }
            return (s, .utf8BOM)
        }
        if data.starts(with: [0xFF, 0xFE]) || data.starts(with: [0xFE, 0xFF]) {
            throw ImportFailure(ImportIssue(file: name, line: 1, "UTF-16 のファイルには対応していません。UTF-8 か Shift_JIS で保存してください"))
        }
        if let nul = firstNUL(in: data) {
            let line = data[data.startIndex..<nul].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw ImportFailure(ImportIssue(file: name, line: line,
                "文字コードが違います（NUL バイトがあります: UTF-16 か、テキストではないファイルです）。UTF-8 か Shift_JIS で保存してください"))
        }
        if let s = String(data: data, encoding: .utf8) { return (s, .utf8) }
        if let s = Self.decodeCP932(data) { return (s, .shiftJIS) }
        throw badBytes(from: data)
    }

    /// Where the first NUL byte is, found by `memchr`: `Data.firstIndex(of:)` goes byte by byte
    /// through Swift's exclusivity checks, about a second for a file of 50 MB.
    private func firstNUL(in data: Data) -> Data.Index? {
        data.withUnsafeBytes { raw -> Data.Index? in
            guard let base = raw.baseAddress, let found = memchr(base, 0, raw.count) else { return nil }
            return data.startIndex + (UnsafeRawPointer(found) - base)
        }
    }

    /// Names the first line holding bytes that are neither UTF-8 nor Shift_JIS.
    private func badBytes(from bytes: Data) -> ImportFailure {
        var line = 1
        for chunk in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if String(data: Data(chunk), encoding: .utf8) == nil, Self.decodeCP932(Data(chunk)) == nil {
                break
            }
            line += 1
        }
        return ImportFailure(ImportIssue(
            file: name, line: line,
            "文字コードを判別できません（UTF-8 でも Shift_JIS でもないバイト列があります）"))
    }

    /// CP932 through glibc's iconv; nil when the bytes are not valid CP932.
    static func decodeCP932(_ data: Data) -> String? {
        let cd = iconv_open("UTF-8", "CP932")
        guard cd != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(cd) }
        var input = [UInt8](data)
        var output = [UInt8](repeating: 0, count: input.count * 3 + 16)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(inBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var outPtr: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(outBuf.baseAddress)?.assumingMemoryBound(to: CChar.self)
                var inLeft = inBuf.count, outLeft = outBuf.count
                if inLeft == 0 { return 0 }
                let rc = iconv(cd, &inPtr, &inLeft, &outPtr, &outLeft)
                return rc == -1 || inLeft != 0 ? nil : outBuf.count - outLeft
            }
        }
        guard let produced else { return nil }
        return String(decoding: output[..<produced], as: UTF8.self)
    }
}
