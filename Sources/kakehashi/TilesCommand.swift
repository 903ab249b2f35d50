import ArgumentParser
import Foundation
import KakehashiCoverage
import KakehashiGeo
import KakehashiLayers
import KakehashiStore

struct TilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tiles", abstract: "ベクトルタイルを作ります", subcommands: [TilesBuild.self])
}

struct TilesBuild: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "build", abstract: "レイヤーを MBTiles 1.3 か PMTiles v3 にまとめます（進捗を表示）")

    @Option(help: "データベースのパス") var db: String
    @Option(help: ArgumentHelp("レイヤー: " + TileSource.layers.joined(separator: ", "))) var layer: String
    @Option(help: "最小ズーム") var minzoom = 5
    @Option(help: "最大ズーム") var maxzoom = 14
    @Option(help: "出力ファイル（例: tiles/municipalities.mbtiles）") var out: String
    @Option(help: "形式: mbtiles か pmtiles（省略時は出力ファイルの拡張子で決めます）") var format: String?

    /// Whether the archive is PMTiles: asked, or named `.pmtiles`.
    var pmtiles: Bool { (format ?? (out.hasSuffix(".pmtiles") ? "pmtiles" : "mbtiles")) == "pmtiles" }

    func validate() throws {
        guard TileSource.layers.contains(layer) else { throw ValidationError("レイヤーは \(TileSource.layers.joined(separator: ", ")) のどれかです") }
        guard (0...16).contains(minzoom), (minzoom...16).contains(maxzoom) else { throw ValidationError("ズームは 0 ≤ minzoom ≤ maxzoom ≤ 16 です") }
        if let format, !["mbtiles", "pmtiles"].contains(format) { throw ValidationError("--format は mbtiles か pmtiles です") }
    }

    func run() throws {
        let database = try SpatialDatabase(path: db, access: .readOnly)
        defer { try? database.close() }
        let index = CoverageIndex(try database.providerFacts())
        guard let bounds = index.bounds else { throw ValidationError("行政区域が読み込まれていません（boundaries を先に取り込んでください）") }
        let source = TileSource(database: database, index: index, onCall: OnCallBoard(try database.currentOnCallReports()))
        let writer = pmtiles ? nil : try MBTilesWriter(path: out)
        var archive = PMTilesArchive()
        let fields = (try? JSONSerialization.data(withJSONObject: ["vector_layers": [["id": layer, "fields": TileSource.fields(layer), "minzoom": minzoom, "maxzoom": maxzoom]]], options: [.sortedKeys]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        try writer?.metadata([
            ("name", "kakehashi-\(layer)"), ("format", "pbf"), ("type", "overlay"), ("version", index.dataVersion),
            ("description", "Kakehashi \(layer)"), ("bounds", "\(bounds.minLon),\(bounds.minLat),\(bounds.maxLon),\(bounds.maxLat)"),
            ("center", "\(bounds.center.lon),\(bounds.center.lat),\(minzoom)"), ("minzoom", String(minzoom)), ("maxzoom", String(maxzoom)),
            ("attribution", index.datasetCredits.joined(separator: " / ")), ("json", fields),
        ])
        let start = Date()
        let progress = ProgressLine(enabled: true)
        var written = 0, visited = 0
        for z in minzoom...maxzoom {
            let ids = TileID.covering(bounds, zoom: z)
            var batch: [(z: Int, x: Int, y: Int, data: Data)] = []
            for (n, id) in ids.enumerated() {
                let data = try source.tile(layer, id)
                visited += 1
                // MBTiles 1.3: `pbf` tiles are stored gzip-compressed.
                if !data.isEmpty {
                    let gzipped = try TileCompression.gzip(data)
                    if pmtiles { archive.add(z: id.z, x: id.x, y: id.y, gzipped: gzipped) } else { batch.append((id.z, id.x, id.y, gzipped)) }
                    written += 1
                }
                if batch.count >= 2_000 { try writer?.add(batch); batch.removeAll() }
                if n % 200 == 0 { progress.show("ズーム \(z)", n, ids.count) }
            }
            try writer?.add(batch)
        }
        progress.finish()
        try writer?.close()
        if pmtiles {
            // The same description as the MBTiles metadata, as PMTiles viewers read it.
            let layers: [[String: Any]] = [["id": layer, "fields": TileSource.fields(layer), "minzoom": minzoom, "maxzoom": maxzoom]]
            try archive.write(to: out, metadata: [
                "name": "kakehashi-\(layer)", "type": "overlay", "version": index.dataVersion, "description": "Kakehashi \(layer)",
                "attribution": index.datasetCredits.joined(separator: " / "), "vector_layers": layers,
            ], bounds: bounds, center: bounds.center, centerZoom: minzoom)
        }
        print(String(format: "%@: %d タイル（調べたタイル %d、%.1f 秒）", out, written, visited, Date().timeIntervalSince(start)))
    }
}
