import Foundation
import KakehashiGeo
import Testing
@testable import KakehashiCoverage
@testable import KakehashiLayers

/// The layer file written piece by piece: valid JSON, the same document `JSONSerialization` builds
/// from the same layer, and the same bytes however it is cut into pieces.
@Suite struct LayerGeoJSONTests {
    static let indicator = Indicator(id: "population_75_plus", name: "75歳以上人口", definition: "住民基本台帳の \"75歳以上\"\n人口",
                                     unit: "人", sources: ["population", "mesh"], perService: false)

    static func layer(features count: Int) -> Layer {
        let features = (0..<count).map { k -> Layer.Feature in
            let lon = 139.5 + Double(k % 40) * 0.0025, lat = 35.8 + Double(k / 40) * 0.002
            let ring = [GeoPoint(lon: lon, lat: lat), GeoPoint(lon: lon + 0.0025, lat: lat), GeoPoint(lon: lon + 0.0025, lat: lat + 0.002),
                        GeoPoint(lon: lon, lat: lat)]
            return Layer.Feature(id: "5339\(k)", geometry: .polygon([ring]), values: [
                "mesh_code": .text("5339\(k)"), "name": .text(k % 3 == 0 ? "所沢市\t\"東\"\\\u{1}区" : "柏市"),
                "population_75_plus": k % 5 == 0 ? .none : .number(Double(k) / 7), "population_total": .integer(k * 13),
                "covered": .flag(k % 2 == 0),
            ])
        }
        let dataset = SourceRef(dataset: 3, sourceKind: "mesh", file: "メッシュ/人口.csv", referenceDate: nil, loadedAt: "2026-12-06T00:00:00Z")
        return Layer(name: "meshes", columns: ["mesh_code", "name", "population_total", "population_75_plus", "covered"], features: features,
                     indicators: [Self.indicator], datasets: [dataset])
    }

    /// The document as `JSONSerialization` makes it from the layer's parts.
    static func expected(_ layer: Layer) throws -> Any {
        let features: [[String: Any]] = try layer.features.map { f in
            var properties: [String: Any] = [:]
            for c in layer.columns {
                switch f.values[c] ?? .none {
                case .text(let s): properties[c] = s
                case .number(let d): properties[c] = (d * 10_000).rounded() / 10_000
                case .integer(let i): properties[c] = i
                case .flag(let b): properties[c] = b
                case .none: properties[c] = NSNull()
                }
            }
            return ["type": "Feature", "id": f.id, "geometry": try JSONSerialization.jsonObject(with: Data(f.geometry.geoJSON.utf8)),
                    "properties": properties]
        }
        let doc: [String: Any] = [
            "type": "FeatureCollection", "name": layer.name, "features": features,
            "indicators": layer.indicators.map { ["id": $0.id, "name": $0.name, "definition": $0.definition, "unit": $0.unit, "sources": $0.sources] },
            "datasets": layer.datasets.map { d -> [String: Any] in
                ["dataset": d.dataset, "source_kind": d.sourceKind, "file": d.file, "reference_date": d.referenceDate ?? NSNull(), "loaded_at": d.loadedAt]
            },
        ]
        return try JSONSerialization.jsonObject(with: JSONSerialization.data(withJSONObject: doc))
    }

    @Test func theDocumentEqualsJSONSerializations() throws {
        let layer = Self.layer(features: 500)
        let written = LayerGeoJSON.document(layer)
        let parsed = try JSONSerialization.jsonObject(with: written)
        #expect(NSDictionary(dictionary: parsed as! [String: Any]).isEqual(to: try Self.expected(layer) as! [String: Any]))
        // Keys in sorted order, as the old writer's `.sortedKeys` gave them.
        let text = String(decoding: written, as: UTF8.self)
        #expect(text.hasPrefix(#"{"datasets":[{"dataset":3,"file":"メッシュ/人口.csv","loaded_at":"#))
        #expect(text.hasSuffix(#""name":"meshes","type":"FeatureCollection"}"#))
        #expect(text.contains(#""name":"所沢市\t\"東\"\\\u0001区""#))
    }

    @Test func piecesOfAnySizeMakeTheSameBytes() throws {
        let layer = Self.layer(features: 300)
        let whole = LayerGeoJSON.document(layer)
        for size in [1, 700, 10_000, 1 << 20] {
            var writer = LayerGeoJSON(layer), joined = Data(), count = 0
            while let piece = writer.piece(bytes: size) { joined.append(contentsOf: piece); count += 1 }
            #expect(joined == whole, "pieces of \(size) bytes")
            #expect(size > 1 << 19 ? count == 1 : count > 1)
        }
        var empty = LayerGeoJSON(Layer(name: "meshes", columns: [], features: [], indicators: [], datasets: []))
        let first = empty.piece()
        let only = try #require(first)
        #expect(empty.piece() == nil)
        #expect(String(decoding: only, as: UTF8.self) == #"{"datasets":[],"features":[],"indicators":[],"name":"meshes","type":"FeatureCollection"}"#)
    }
}
