import CompressNIO
import Foundation
import NIOCore

/// gzip for vector tiles. MBTiles 1.3 defines `pbf` as gzip-compressed Mapbox Vector Tiles, and map
/// clients (browsers, MapLibre, QGIS) accept `Content-Encoding: gzip`: a 70 KB mesh tile of 250 m
/// cells shrinks to about 24 KB. Uses zlib through
/// [compress-nio](https://github.com/adam-fowler/compress-nio).
public enum TileCompression {
    /// The gzip member of a tile (zlib's default level: tiles are compressed once and served many times).
    public static func gzip(_ tile: ByteBuffer) throws -> ByteBuffer {
        var input = tile
        return try input.compress(with: .gzip())
    }

    public static func gzip(_ tile: Data) throws -> Data {
        let compressed = try gzip(ByteBuffer(bytes: tile))
        return Data(compressed.readableBytesView)
    }

    /// Whether an `Accept-Encoding` value accepts gzip (RFC 9110 §12.5.3: `gzip` or `*` with a
    /// non-zero `q`; `x-gzip` is the same coding). Read byte by byte: it runs on every tile request.
    public static func accepted(by acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var gzip: Double?, any: Double?
        for item in acceptEncoding.utf8.split(separator: UInt8(ascii: ",")) {
            let parts = item.split(separator: UInt8(ascii: ";"))
            guard let coding = parts.first.map(trimmed), !coding.isEmpty else { continue }
            var q = 1.0
            for p in parts.dropFirst() {
                let t = trimmed(p)
                if t.count > 2, t.first.map({ $0 | 0x20 }) == UInt8(ascii: "q"), t.dropFirst().first == UInt8(ascii: "=") {
                    q = Double(String(decoding: t.dropFirst(2), as: UTF8.self)) ?? 0
                }
            }
            if equalsIgnoringCase(coding, "gzip") || equalsIgnoringCase(coding, "x-gzip") {
                gzip = q
            } else if coding.elementsEqual("*".utf8) {
                any = q
            }
        }
        return (gzip ?? any ?? 0) > 0
    }

    private static func trimmed(_ bytes: Substring.UTF8View.SubSequence) -> Substring.UTF8View.SubSequence {
        let space = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        var t = bytes
        while let f = t.first, space(f) { t = t.dropFirst() }
        while let l = t.last, space(l) { t = t.dropLast() }
        return t
    }

    /// ASCII case-insensitive comparison with a lowercase token.
    private static func equalsIgnoringCase(_ bytes: Substring.UTF8View.SubSequence, _ token: StaticString) -> Bool {
        guard bytes.count == token.utf8CodeUnitCount else { return false }
        return token.withUTF8Buffer { t in
            zip(bytes, t).allSatisfy { a, b in (a >= 65 && a <= 90 ? a | 0x20 : a) == b }
        }
    }
}
