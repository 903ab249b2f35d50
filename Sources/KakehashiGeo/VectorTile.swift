import Foundation

/// A web-map tile address (XYZ, Web Mercator).
public struct TileID: Sendable, Hashable, CustomStringConvertible {
    public let z: Int
    public let x: Int
    public let y: Int

    public init?(z: Int, x: Int, y: Int) {
        guard (0...22).contains(z), x >= 0, y >= 0, x < 1 << z, y < 1 << z else { return nil }
        self.z = z
        self.x = x
        self.y = y
    }

    public var description: String { "\(z)/\(x)/\(y)" }

    /// The tile in longitude/latitude.
    public var bounds: GeoBox {
        let n = Double(1 << z)
        func lat(_ y: Double) -> Double { atan(sinh(.pi * (1 - 2 * y / n))) * 180 / .pi }
        return GeoBox(minLon: Double(x) / n * 360 - 180, minLat: lat(Double(y + 1)), maxLon: Double(x + 1) / n * 360 - 180, maxLat: lat(Double(y)))
    }

    /// The tiles of a zoom level that a box touches.
    public static func covering(_ box: GeoBox, zoom z: Int) -> [TileID] {
        let n = Double(1 << z)
        func tx(_ lon: Double) -> Int { min(Int(n) - 1, max(0, Int(((lon + 180) / 360 * n).rounded(.down)))) }
        func ty(_ lat: Double) -> Int {
            let r = lat * .pi / 180
            return min(Int(n) - 1, max(0, Int(((1 - log(tan(r) + 1 / cos(r)) / .pi) / 2 * n).rounded(.down))))
        }
        var out: [TileID] = []
        for x in tx(box.minLon)...tx(box.maxLon) { for y in ty(box.maxLat)...ty(box.minLat) { out.append(TileID(z: z, x: x, y: y)!) } }
        return out
    }
}

/// Encodes Mapbox Vector Tiles 2.1 (https://github.com/mapbox/vector-tile-spec/tree/master/2.1):
/// geometry clipped to the tile plus a buffer, quantised to the tile grid (which simplifies it for
/// the zoom), rings wound as the spec requires, properties in per-layer key and value tables.
public struct VectorTileEncoder {
    public enum Value: Hashable, Sendable {
        /// `float` is the spec's 32-bit value: seven significant digits, half the bytes of a double.
        case string(String), float(Float), double(Double), int(Int64), bool(Bool)
    }

    public struct Feature: Sendable {
        public var id: UInt64?
        public var geometry: Geometry
        public var properties: [(String, Value)]

        public init(id: UInt64?, geometry: Geometry, properties: [(String, Value)]) {
            self.id = id
            self.geometry = geometry
            self.properties = properties
        }
    }

    public let tile: TileID
    public let extent: Int
    public let buffer: Int
    private var layers: [[UInt8]] = []

    public init(tile: TileID, extent: Int = 4096, buffer: Int = 64) {
        self.tile = tile
        self.extent = extent
        self.buffer = buffer
    }

    /// Tile pixel coordinates of a position (y grows downwards).
    func project(_ p: GeoPoint) -> (Double, Double) {
        let n = Double(1 << tile.z)
        let mx = (p.lon + 180) / 360 * n
        let r = max(-85.05112878, min(85.05112878, p.lat)) * .pi / 180
        let my = (1 - log(tan(r) + 1 / cos(r)) / .pi) / 2 * n
        return ((mx - Double(tile.x)) * Double(extent), (my - Double(tile.y)) * Double(extent))
    }

    public mutating func addLayer(name: String, features: [Feature]) {
        var keys: [String] = [], keyIndex: [String: Int] = [:]
        var values: [Value] = [], valueIndex: [Value: Int] = [:]
        // Feature messages go straight into one buffer through scratch arrays reused from feature to
        // feature: an array per tag list, message and packed field was most of a dense tile's time.
        var encodedFeatures: [UInt8] = [], count = 0
        var tags: [UInt32] = [], msg: [UInt8] = [], scratch: [UInt8] = []
        for f in features {
            guard let (type, commands) = encode(f.geometry) else { continue }
            tags.removeAll(keepingCapacity: true)
            for (k, v) in f.properties {
                let ki: Int
                if let i = keyIndex[k] { ki = i } else { ki = keys.count; keys.append(k); keyIndex[k] = ki }
                let vi: Int
                if let i = valueIndex[v] { vi = i } else { vi = values.count; values.append(v); valueIndex[v] = vi }
                tags.append(UInt32(ki))
                tags.append(UInt32(vi))
            }
            msg.removeAll(keepingCapacity: true)
            if let id = f.id { Proto.varintField(1, id, into: &msg) }
            Proto.packed(2, tags, into: &msg, scratch: &scratch)
            Proto.varintField(3, UInt64(type), into: &msg)
            Proto.packed(4, commands, into: &msg, scratch: &scratch)
            Proto.bytesField(2, msg, into: &encodedFeatures)
            count += 1
        }
        guard count > 0 else { return }
        var layer: [UInt8] = []
        layer.reserveCapacity(encodedFeatures.count + 64 * (keys.count + values.count) + 64)
        Proto.varintField(15, 2, into: &layer)
        Proto.bytesField(1, Array(name.utf8), into: &layer)
        layer += encodedFeatures
        for k in keys { Proto.bytesField(3, Array(k.utf8), into: &layer) }
        var m: [UInt8] = []
        for v in values {
            m.removeAll(keepingCapacity: true)
            switch v {
            case .string(let s): Proto.bytesField(1, Array(s.utf8), into: &m)
            case .float(let f): Proto.key(2, wire: 5, into: &m); withUnsafeBytes(of: f.bitPattern.littleEndian) { m += $0 }
            case .double(let d): Proto.key(3, wire: 1, into: &m); withUnsafeBytes(of: d.bitPattern.littleEndian) { m += $0 }
            case .int(let i): Proto.varintField(6, UInt64(bitPattern: (i << 1) ^ (i >> 63)), into: &m)
            case .bool(let b): Proto.varintField(7, b ? 1 : 0, into: &m)
            }
            Proto.bytesField(4, m, into: &layer)
        }
        Proto.varintField(5, UInt64(extent), into: &layer)
        layers.append(layer)
    }

    /// The encoded tile (empty when no layer has a feature in it).
    public func data() -> Data {
        var tile: [UInt8] = []
        for l in layers { Proto.bytesField(3, l, into: &tile) }
        return Data(tile)
    }

    // MARK: Geometry

    /// (geometry type, command integers); nil when nothing is left in the tile.
    func encode(_ g: Geometry) -> (Int, [UInt32])? {
        let lo = Double(-buffer), hi = Double(extent + buffer)
        switch g {
        case .point(let p):
            let (x, y) = project(p)
            guard x >= lo, x <= hi, y >= lo, y <= hi else { return nil }
            return (1, [Self.command(1, 1), Self.zigzag(Int32(x.rounded(.down))), Self.zigzag(Int32(y.rounded(.down)))])
        case .lineString:
            return nil
        case .polygon, .multiPolygon:
            var snapped: GridPolygonRepair.Polygons = []
            for polygon in g.polygons ?? [] {
                var rings: [[(Int32, Int32)]] = []
                for (k, ring) in polygon.enumerated() {
                    var pts: [(Int32, Int32)] = []
                    for (x, y) in Self.clip(ring.map(project), lo: lo, hi: hi) {
                        let q = (Int32(x.rounded()), Int32(y.rounded()))
                        if pts.last.map({ $0 != q }) ?? true { pts.append(q) }
                    }
                    while pts.count > 1, pts.first! == pts.last! { pts.removeLast() }
                    if pts.count >= 3, Self.area(pts) != 0 {
                        rings.append(pts)
                    } else if k == 0 {
                        break  // the exterior is gone in this tile: so are its holes
                    }
                }
                if !rings.isEmpty { snapped.append(rings) }
            }
            var commands: [UInt32] = []
            var cx: Int32 = 0, cy: Int32 = 0
            for polygon in GridPolygonRepair.valid(snapped) {
                for (k, ring) in polygon.enumerated() {
                    var pts = ring
                    // Exterior rings have positive area in tile coordinates (clockwise on screen).
                    let area = Self.area(pts)
                    if area == 0 { continue }
                    if (k == 0) != (area > 0) { pts.reverse() }
                    commands.append(Self.command(1, 1))
                    commands += [Self.zigzag(pts[0].0 - cx), Self.zigzag(pts[0].1 - cy)]
                    cx = pts[0].0; cy = pts[0].1
                    commands.append(Self.command(2, pts.count - 1))
                    for p in pts.dropFirst() {
                        commands += [Self.zigzag(p.0 - cx), Self.zigzag(p.1 - cy)]
                        cx = p.0; cy = p.1
                    }
                    commands.append(Self.command(7, 1))
                }
            }
            return commands.isEmpty ? nil : (3, commands)
        }
    }

    static func area(_ pts: [(Int32, Int32)]) -> Int64 {
        var s: Int64 = 0
        for i in 0..<pts.count {
            let a = pts[i], b = pts[(i + 1) % pts.count]
            s += Int64(a.0) * Int64(b.1) - Int64(b.0) * Int64(a.1)
        }
        return s
    }

    /// Sutherland–Hodgman clipping of a ring to the square [lo, hi]².
    static func clip(_ ring: [(Double, Double)], lo: Double, hi: Double) -> [(Double, Double)] {
        var out = ring
        let edges: [(((Double, Double)) -> Bool, ((Double, Double), (Double, Double)) -> (Double, Double))] = [
            ({ $0.0 >= lo }, { a, b in (lo, a.1 + (b.1 - a.1) * (lo - a.0) / (b.0 - a.0)) }),
            ({ $0.0 <= hi }, { a, b in (hi, a.1 + (b.1 - a.1) * (hi - a.0) / (b.0 - a.0)) }),
            ({ $0.1 >= lo }, { a, b in (a.0 + (b.0 - a.0) * (lo - a.1) / (b.1 - a.1), lo) }),
            ({ $0.1 <= hi }, { a, b in (a.0 + (b.0 - a.0) * (hi - a.1) / (b.1 - a.1), hi) }),
        ]
        for (inside, intersect) in edges {
            guard !out.isEmpty else { break }
            let input = out
            out = []
            var prev = input.last!
            for cur in input {
                if inside(cur) {
                    if !inside(prev) { out.append(intersect(prev, cur)) }
                    out.append(cur)
                } else if inside(prev) {
                    out.append(intersect(prev, cur))
                }
                prev = cur
            }
        }
        return out
    }

    static func command(_ id: UInt32, _ count: Int) -> UInt32 { (id & 0x7) | (UInt32(count) << 3) }
    static func zigzag(_ n: Int32) -> UInt32 { UInt32(bitPattern: (n << 1) ^ (n >> 31)) }
}

/// The few protocol-buffer encodings the tile format needs.
enum Proto {
    static func varint(_ v: UInt64, into out: inout [UInt8]) {
        var v = v
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }
    static func key(_ field: Int, wire: Int, into out: inout [UInt8]) { varint(UInt64(field << 3 | wire), into: &out) }
    static func varintField(_ field: Int, _ v: UInt64, into out: inout [UInt8]) { key(field, wire: 0, into: &out); varint(v, into: &out) }
    static func bytesField(_ field: Int, _ bytes: [UInt8], into out: inout [UInt8]) {
        key(field, wire: 2, into: &out); varint(UInt64(bytes.count), into: &out); out += bytes
    }
    /// A packed repeated field; `scratch` holds the body while its length is not yet known.
    static func packed(_ field: Int, _ values: [UInt32], into out: inout [UInt8], scratch: inout [UInt8]) {
        guard !values.isEmpty else { return }
        scratch.removeAll(keepingCapacity: true)
        for v in values { varint(UInt64(v), into: &scratch) }
        bytesField(field, scratch, into: &out)
    }
}
