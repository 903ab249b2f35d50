import Foundation
import KakehashiCoverage
import KakehashiGeo

/// A layer as an RFC 7946 FeatureCollection (indicator definitions and datasets as foreign
/// members, keys in sorted order), written straight to bytes a piece at a time.
///
/// Built through `JSONSerialization` (a dictionary per feature, each geometry written, parsed and
/// written again), the 41,000-cell mesh layer held about 450 MB at once for a 17 MB file; written
/// here, what is held is the layer and one piece. The server sends the pieces as they are written.
public struct LayerGeoJSON {
    private let layer: Layer
    private var next = 0
    private var started = false
    private var done = false

    public init(_ layer: Layer) { self.layer = layer }

    /// The next piece of about `bytes` or more (whole features), or nil after the last.
    public mutating func piece(bytes: Int = 256 << 10) -> [UInt8]? {
        guard !done else { return nil }
        var out = JSONBytes(capacity: bytes + 4096)
        if !started {
            head(&out)
            started = true
        }
        while next < layer.features.count, out.bytes.count < bytes {
            if next > 0 { out.raw(",") }
            feature(layer.features[next], &out)
            next += 1
        }
        if next == layer.features.count {
            tail(&out)
            done = true
        }
        return out.bytes
    }

    /// The whole document.
    public static func document(_ layer: Layer) -> Data {
        var writer = LayerGeoJSON(layer), data = Data()
        while let piece = writer.piece() { data.append(contentsOf: piece) }
        return data
    }

    // Keys in sorted order: datasets, features, indicators, name, type.
    private func head(_ out: inout JSONBytes) {
        out.raw(#"{"datasets":["#)
        for (k, d) in layer.datasets.enumerated() {
            if k > 0 { out.raw(",") }
            out.raw(#"{"dataset":\#(d.dataset),"file":"#); out.string(d.file)
            out.raw(#","loaded_at":"#); out.string(d.loadedAt)
            out.raw(#","reference_date":"#); if let r = d.referenceDate { out.string(r) } else { out.raw("null") }
            out.raw(#","source_kind":"#); out.string(d.sourceKind); out.raw("}")
        }
        out.raw(#"],"features":["#)
    }

    private func feature(_ f: Layer.Feature, _ out: inout JSONBytes) {
        out.raw(#"{"geometry":"#); out.raw(f.geometry.geoJSON)
        out.raw(#","id":"#); out.string(f.id)
        out.raw(#","properties":{"#)
        for (k, column) in layer.columns.sorted().enumerated() {
            if k > 0 { out.raw(",") }
            out.string(column); out.raw(":")
            switch f.values[column] ?? .none {
            case .text(let s): out.string(s)
            case .number(let d): out.number((d * 10_000).rounded() / 10_000)
            case .integer(let i): out.raw(String(i))
            case .flag(let b): out.raw(b ? "true" : "false")
            case .none: out.raw("null")
            }
        }
        out.raw(#"},"type":"Feature"}"#)
    }

    private func tail(_ out: inout JSONBytes) {
        out.raw(#"],"indicators":["#)
        for (k, i) in layer.indicators.enumerated() {
            if k > 0 { out.raw(",") }
            out.raw(#"{"definition":"#); out.string(i.definition)
            out.raw(#","id":"#); out.string(i.id)
            out.raw(#","name":"#); out.string(i.name)
            out.raw(#","sources":["#)
            for (n, s) in i.sources.enumerated() { if n > 0 { out.raw(",") }; out.string(s) }
            out.raw(#"],"unit":"#); out.string(i.unit); out.raw("}")
        }
        out.raw(#"],"name":"#); out.string(layer.name)
        out.raw(#","type":"FeatureCollection"}"#)
    }
}

/// JSON text as UTF-8 bytes: strings escaped as RFC 8259 requires (quote, backslash, controls),
/// everything else as is.
struct JSONBytes {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
            case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
            case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
            case ..<0x20: bytes.append(contentsOf: Array(String(format: "\\u%04x", b).utf8))
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    /// Whole numbers without a fraction, others in the shortest form that reads back the same.
    mutating func number(_ d: Double) {
        guard d.isFinite else { return raw("null") }
        if d == d.rounded(), abs(d) < 1e15 { raw(String(Int64(d))) } else { raw("\(d)") }
    }
}
