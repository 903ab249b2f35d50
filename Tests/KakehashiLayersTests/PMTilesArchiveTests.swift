import Foundation
import KakehashiGeo
import KakehashiStore
import Testing
@testable import KakehashiLayers

/// PMTiles v3 (issue #22), checked by an independent reader: protomaps' own `pmtiles` package
/// (PyPI) reads every tile back and compares it with the MBTiles of the same tiles.
@Suite struct PMTilesArchiveTests {
    @Test func tileIDsFollowTheHilbertCurveOfTheSpec() {
        let ids = [(0, 0, 0), (1, 0, 0), (1, 0, 1), (1, 1, 1), (1, 1, 0), (2, 0, 0)].map { PMTilesArchive.tileID(z: $0.0, x: $0.1, y: $0.2) }
        #expect(ids == [0, 1, 2, 3, 4, 5])
    }

    /// The reader's verdict on an archive beside an MBTiles of the same tiles.
    static func compare(_ mbtiles: String, _ pmtiles: String) throws -> String {
        let script = """
            import sqlite3, sys
            from pmtiles.reader import Reader, MmapSource, all_tiles
            con = sqlite3.connect(sys.argv[1])
            expected = {(z, x, (1 << z) - 1 - r): d for z, x, r, d in con.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles")}
            with open(sys.argv[2], "rb") as f:
                source = MmapSource(f)
                reader, got = Reader(source), {}
                for (z, x, y), d in all_tiles(source):
                    got[(z, x, y)] = d
                h = reader.header()
                # Every tile by the traversal; one in 2,000 also by lookup (a lookup decodes a whole leaf: 0.2 s).
                same = sum(1 for i, (k, v) in enumerate(sorted(expected.items())) if got.get(k) == v and (i % 2000 or reader.get(*k) == v))
                print(len(expected), len(got), same, h["leaf_directory_length"] > 0, h["min_zoom"], h["max_zoom"], h["tile_compression"].name)
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, mbtiles, pmtiles]
        let out = Pipe()
        (p.standardOutput, p.standardError) = (out, out)
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func everyTileReadsBackByTheReferenceReaderWithLeavesRunsAndRepeats() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("pmtiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var archive = PMTilesArchive()
        var tiles: [(z: Int, x: Int, y: Int, data: Data)] = []
        // Some 60,000 distinct tiles at z9 (too many for the root: leaves), a run of one repeated tile
        // along z10's curve, and the same content again elsewhere (stored once).
        let same = try TileCompression.gzip(Data("the sea".utf8))
        // Gaps and lengths that vary, so that the directory does not compress into the root.
        var seed: UInt64 = 20261206
        func next() -> Int { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Int(seed >> 33) }
        for x in 0..<300 {
            for y in 0..<300 where next() % 3 != 0 {
                tiles.append((9, x, y, try TileCompression.gzip(Data(String(repeating: "\(x)/\(y);", count: next() % 90 + 1).utf8))))
            }
        }
        for x in 0..<32 { for y in 0..<32 { tiles.append((10, x, y, same)) } }
        tiles.append((3, 5, 2, same))
        for t in tiles { archive.add(z: t.z, x: t.x, y: t.y, gzipped: t.data) }
        let pm = dir.appendingPathComponent("t.pmtiles").path, mb = dir.appendingPathComponent("t.mbtiles").path
        try archive.write(to: pm, metadata: ["name": "test", "vector_layers": []], bounds: GeoBox(minLon: 139, minLat: 35, maxLon: 140, maxLat: 36),
                          center: GeoPoint(lon: 139.5, lat: 35.5), centerZoom: 9)
        let writer = try MBTilesWriter(path: mb)
        try writer.add(tiles)
        try writer.close()
        let verdict = try Self.compare(mb, pm)
        #expect(verdict == "\(tiles.count) \(tiles.count) \(tiles.count) True 3 10 GZIP", "\(verdict)")
        // The header and the root directory fit the first 16 KiB.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: pm))
        let rootEnd = bytes[8..<16].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) } + bytes[16..<24].withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(bytes.prefix(7) == Data("PMTiles".utf8) && bytes[7] == 3 && rootEnd <= 16_384)
    }
}
