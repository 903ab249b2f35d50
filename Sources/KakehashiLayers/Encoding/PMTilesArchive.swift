import Foundation
import KakehashiGeo

/// A PMTiles v3 archive (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): one file
/// that any static web server or object store serves with HTTP range requests, read by MapLibre
/// through the pmtiles protocol and by GDAL, so a prefecture can publish its planner maps without
/// running the server. Tiles are kept in memory until `write` (a layer's archive is megabytes),
/// then laid out as the spec recommends: header, root directory, metadata, leaf directories, tiles
/// in tile-id order (clustered), identical tiles stored once and runs of them as one entry.
public struct PMTilesArchive {
    struct Entry {
        var tileID: UInt64
        var offset: UInt64
        var length: UInt32
        var runLength: UInt32
    }

    /// Tiles already gzip-compressed (the archive says so in its header), by tile id.
    private var tiles: [UInt64: Data] = [:]
    private var zooms: ClosedRange<Int>?

    public init() {}

    public var count: Int { tiles.count }

    /// The spec's tile id: the tiles of every lower zoom, then the position on the zoom's Hilbert curve.
    public static func tileID(z: Int, x: Int, y: Int) -> UInt64 {
        var id: UInt64 = ((1 << (2 * UInt64(z))) - 1) / 3
        var (x, y) = (UInt64(x), UInt64(y))
        let n: UInt64 = 1 << UInt64(z)
        var s = n / 2
        while s > 0 {
            let rx: UInt64 = x & s > 0 ? 1 : 0, ry: UInt64 = y & s > 0 ? 1 : 0
            id += s * s * ((3 * rx) ^ ry)
            // Rotate the quadrant so that the curve continues where the last one ended.
            if ry == 0 {
                if rx == 1 { (x, y) = (n - 1 - x, n - 1 - y) }
                (x, y) = (y, x)
            }
            s /= 2
        }
        return id
    }

    /// Adds a gzip-compressed tile (an empty tile is left out, as MBTiles builds leave it out).
    public mutating func add(z: Int, x: Int, y: Int, gzipped data: Data) {
        guard !data.isEmpty else { return }
        tiles[Self.tileID(z: z, x: x, y: y)] = data
        zooms = zooms.map { min($0.lowerBound, z)...max($0.upperBound, z) } ?? z...z
    }

    /// Writes the archive. `metadata` is the JSON object of the spec's chapter 5 (`vector_layers`, `name`, `attribution`…).
    public func write(to path: String, metadata: [String: Any], bounds: GeoBox, center: GeoPoint, centerZoom: Int) throws {
        // The tile data: in id order, each distinct content once, consecutive repeats as one run.
        var entries: [Entry] = [], body = Data(), stored: [Data: (offset: UInt64, length: UInt32)] = [:]
        for id in tiles.keys.sorted() {
            let data = tiles[id]!
            if var last = entries.last, last.tileID + UInt64(last.runLength) == id, stored[data].map({ $0.offset == last.offset }) == true {
                last.runLength += 1
                entries[entries.count - 1] = last
                continue
            }
            let place = stored[data] ?? (UInt64(body.count), UInt32(data.count))
            if stored[data] == nil {
                stored[data] = place
                body.append(data)
            }
            entries.append(Entry(tileID: id, offset: place.offset, length: place.length, runLength: 1))
        }
        guard !entries.isEmpty else { throw Failure(description: "タイルが 1 枚もありません") }
        let (root, leaves) = try Self.directories(entries)
        let meta = try TileCompression.gzip(try JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys]))
        let rootOffset: UInt64 = 127, metaOffset = rootOffset + UInt64(root.count)
        let leafOffset = metaOffset + UInt64(meta.count), dataOffset = leafOffset + UInt64(leaves.count)
        var header = Data("PMTiles".utf8)
        header.append(3)
        for v in [rootOffset, UInt64(root.count), metaOffset, UInt64(meta.count), leafOffset, UInt64(leaves.count), dataOffset, UInt64(body.count),
                  UInt64(tiles.count), UInt64(entries.count), UInt64(stored.count)] {
            withUnsafeBytes(of: v.littleEndian) { header.append(contentsOf: $0) }
        }
        // Clustered; directories and tiles gzip; MVT; zooms.
        header.append(contentsOf: [1, 2, 2, 1, UInt8(zooms?.lowerBound ?? 0), UInt8(zooms?.upperBound ?? 0)])
        func degrees(_ d: Double) { withUnsafeBytes(of: Int32((d * 10_000_000).rounded()).littleEndian) { header.append(contentsOf: $0) } }
        degrees(bounds.minLon); degrees(bounds.minLat); degrees(bounds.maxLon); degrees(bounds.maxLat)
        header.append(UInt8(centerZoom))
        degrees(center.lon); degrees(center.lat)
        precondition(header.count == 127)
        try (header + root + meta + leaves + body).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The root directory (header and root within the first 16 KiB, as the spec requires) and the
    /// leaf directories: entries go to leaves of 4,096 or more, grown until the root fits.
    static func directories(_ entries: [Entry]) throws -> (root: Data, leaves: Data) {
        let root = try serialize(entries)
        if root.count + 127 <= 16_384 { return (root, Data()) }
        var size = max(4_096, entries.count / 3_500)
        while true {
            var leaves = Data(), pointers: [Entry] = []
            for start in stride(from: 0, to: entries.count, by: size) {
                let leaf = try serialize(Array(entries[start..<min(start + size, entries.count)]))
                pointers.append(Entry(tileID: entries[start].tileID, offset: UInt64(leaves.count), length: UInt32(leaf.count), runLength: 0))
                leaves.append(leaf)
            }
            let root = try serialize(pointers)
            if root.count + 127 <= 16_384 { return (root, leaves) }
            size += size / 5
        }
    }

    /// A directory as the spec encodes it: count, then columns of varints (tile ids as deltas, run
    /// lengths, lengths, offsets as 0 when contiguous with the entry before, else offset + 1), gzip.
    static func serialize(_ entries: [Entry]) throws -> Data {
        var out = Data()
        func varint(_ value: UInt64) {
            var v = value
            while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
            out.append(UInt8(v))
        }
        varint(UInt64(entries.count))
        var last: UInt64 = 0
        for e in entries { varint(e.tileID - last); last = e.tileID }
        for e in entries { varint(UInt64(e.runLength)) }
        for e in entries { varint(UInt64(e.length)) }
        for (i, e) in entries.enumerated() {
            varint(i > 0 && e.offset == entries[i - 1].offset + UInt64(entries[i - 1].length) ? 0 : e.offset + 1)
        }
        return try TileCompression.gzip(out)
    }
}
