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

    /// The tile inside a gzip member.
    public static func gunzip(_ member: ByteBuffer) throws -> ByteBuffer {
        var input = member
        return try input.decompress(with: .gzip())
    }

    /// Whether an `Accept-Encoding` value accepts gzip (RFC 9110 §12.5.3: `gzip` or `*` with a
    /// non-zero `q`; `x-gzip` is the same coding).
    public static func accepted(by acceptEncoding: String?) -> Bool {
        guard let acceptEncoding else { return false }
        var gzip: Double?, any: Double?
        for item in acceptEncoding.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = parts.first, !coding.isEmpty else { continue }
            var q = 1.0
            for p in parts.dropFirst() where p.hasPrefix("q=") { q = Double(p.dropFirst(2)) ?? 0 }
            if coding == "gzip" || coding == "x-gzip" { gzip = q } else if coding == "*" { any = q }
        }
        return (gzip ?? any ?? 0) > 0
    }
}
