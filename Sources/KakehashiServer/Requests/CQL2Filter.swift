import Foundation

/// A CQL2 text filter (OGC API – Features Part 3, https://docs.ogc.org/is/21-065r2/21-065r2.html) at
/// the level users ask for: Basic CQL2 — comparisons (`=`, `<>`, `<`, `<=`, `>`, `>=`) of a
/// property with a string or number literal, `IS [NOT] NULL`, `AND`, `OR`, `NOT`, parentheses — and
/// `S_INTERSECTS(geometry, BBOX(w, s, e, n))` or with `POINT(x y)`. Anything else is a 400 naming
/// what is not supported. Evaluated on the features as they are served (their `properties`).
indirect enum CQL2Filter: Equatable {
    enum Literal: Equatable { case text(String), number(Double), bool(Bool) }
    enum Comparison: String { case eq = "=", ne = "<>", lt = "<", le = "<=", gt = ">", ge = ">=" }

    case compare(String, Comparison, Literal)
    case isNull(String, negated: Bool)
    case and(CQL2Filter, CQL2Filter)
    case or(CQL2Filter, CQL2Filter)
    case not(CQL2Filter)
    /// A box (w, s, e, n) in CRS84; a point is a box of no size.
    case intersects(minLon: Double, minLat: Double, maxLon: Double, maxLat: Double)
    /// Not CQL2: a `;`-separated list property holding the value (the providers' `service=` parameter).
    case listContains(String, String)

    struct Unsupported: Error { let message: String }

    /// Parses the text, checking every property against `queryables`.
    static func parse(_ text: String, queryables: Set<String>) throws -> CQL2Filter {
        var p = Parser(tokens: try tokenize(text), queryables: queryables)
        let filter = try p.orExpression()
        guard p.at == p.tokens.count else { throw Unsupported(message: "「\(p.tokens[p.at].text)」から先が読めません") }
        return filter
    }

    struct Token { var text: String; var isString = false; var isNumber = false }

    static func tokenize(_ text: String) throws -> [Token] {
        var tokens: [Token] = [], chars = Array(text), i = 0
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            if c == "'" {
                var s = "", j = i + 1, closed = false
                while j < chars.count {
                    if chars[j] == "'" {
                        if j + 1 < chars.count, chars[j + 1] == "'" { s.append("'"); j += 2; continue }
                        closed = true
                        break
                    }
                    s.append(chars[j]); j += 1
                }
                guard closed else { throw Unsupported(message: "文字列の ' が閉じていません") }
                tokens.append(Token(text: s, isString: true)); i = j + 1; continue
            }
            if "(),".contains(c) { tokens.append(Token(text: String(c))); i += 1; continue }
            if "<>=".contains(c) {
                let two = i + 1 < chars.count ? String([c, chars[i + 1]]) : ""
                if ["<=", ">=", "<>"].contains(two) { tokens.append(Token(text: two)); i += 2 } else { tokens.append(Token(text: String(c))); i += 1 }
                continue
            }
            if c.isNumber || c == "-" || c == "." {
                var j = i + 1
                while j < chars.count, chars[j].isNumber || ".eE+-".contains(chars[j]) { j += 1 }
                let s = String(chars[i..<j])
                guard Double(s) != nil else { throw Unsupported(message: "数値「\(s.prefix(20))」が読めません") }
                tokens.append(Token(text: s, isNumber: true)); i = j; continue
            }
            if c.isLetter || c == "_" || c == "\"" {
                if c == "\"" {
                    guard let end = chars[(i + 1)...].firstIndex(of: "\"") else { throw Unsupported(message: "\" が閉じていません") }
                    tokens.append(Token(text: String(chars[(i + 1)..<end]))); i = end + 1; continue
                }
                var j = i + 1
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." || chars[j] == ":" { j += 1 }
                tokens.append(Token(text: String(chars[i..<j]))); i = j; continue
            }
            throw Unsupported(message: "記号「\(c)」は使えません")
        }
        return tokens
    }

    struct Parser {
        let tokens: [Token]
        let queryables: Set<String>
        var at = 0

        var peek: Token? { at < tokens.count ? tokens[at] : nil }
        func isWord(_ w: String) -> Bool { peek.map { !$0.isString && $0.text.uppercased() == w } ?? false }

        mutating func take() throws -> Token {
            guard let t = peek else { throw Unsupported(message: "式が途中で終わっています") }
            at += 1
            return t
        }

        mutating func expect(_ text: String) throws {
            let t = try take()
            guard !t.isString, t.text.uppercased() == text else { throw Unsupported(message: "「\(text)」のところに「\(t.text.prefix(20))」があります") }
        }

        mutating func orExpression() throws -> CQL2Filter {
            var left = try andExpression()
            while isWord("OR") { at += 1; left = .or(left, try andExpression()) }
            return left
        }

        mutating func andExpression() throws -> CQL2Filter {
            var left = try notExpression()
            while isWord("AND") { at += 1; left = .and(left, try notExpression()) }
            return left
        }

        mutating func notExpression() throws -> CQL2Filter {
            if isWord("NOT") { at += 1; return .not(try notExpression()) }
            return try primary()
        }

        mutating func number() throws -> Double {
            let t = try take()
            guard t.isNumber, let v = Double(t.text) else { throw Unsupported(message: "数値のところに「\(t.text.prefix(20))」があります") }
            return v
        }

        mutating func primary() throws -> CQL2Filter {
            if peek?.text == "(" && !(peek?.isString ?? true) {
                at += 1
                let inner = try orExpression()
                try expect(")")
                return inner
            }
            if isWord("S_INTERSECTS") {
                at += 1
                try expect("(")
                let property = try take()
                guard ["geometry", "geom"].contains(property.text) else { throw Unsupported(message: "S_INTERSECTS の最初は geometry です") }
                try expect(",")
                let shape = try take().text.uppercased()
                try expect("(")
                let filter: CQL2Filter
                switch shape {
                case "BBOX":
                    let w = try number()
                    try expect(","); let s = try number()
                    try expect(","); let e = try number()
                    try expect(","); let n = try number()
                    guard w <= e, s <= n else { throw Unsupported(message: "BBOX は 西, 南, 東, 北 の順です") }
                    filter = .intersects(minLon: w, minLat: s, maxLon: e, maxLat: n)
                case "POINT":
                    let x = try number(), y = try number()
                    filter = .intersects(minLon: x, minLat: y, maxLon: x, maxLat: y)
                default:
                    throw Unsupported(message: "S_INTERSECTS に使えるのは BBOX と POINT です（\(shape.prefix(20)) は使えません）")
                }
                try expect(")")
                try expect(")")
                return filter
            }
            let name = try take()
            guard !name.isString, !name.isNumber else { throw Unsupported(message: "比較の左は属性名です（「\(name.text.prefix(20))」）") }
            guard queryables.contains(name.text) else {
                throw Unsupported(message: "属性「\(name.text.prefix(40))」はありません（queryables を参照してください）")
            }
            if isWord("IS") {
                at += 1
                let negated = isWord("NOT")
                if negated { at += 1 }
                try expect("NULL")
                return .isNull(name.text, negated: negated)
            }
            let op = try take()
            guard !op.isString, let comparison = Comparison(rawValue: op.text) else {
                throw Unsupported(message: "演算子「\(op.text.prefix(20))」は使えません（=, <>, <, <=, >, >=, IS NULL）")
            }
            let value = try take()
            if !value.isString, ["TRUE", "FALSE"].contains(value.text.uppercased()) {
                guard comparison == .eq || comparison == .ne else { throw Unsupported(message: "真偽値は = と <> で比べます") }
                return .compare(name.text, comparison, .bool(value.text.uppercased() == "TRUE"))
            }
            guard value.isString || value.isNumber else { throw Unsupported(message: "比較の右は文字列（'…'）、数値、TRUE・FALSE です") }
            return .compare(name.text, comparison, value.isString ? .text(value.text) : .number(Double(value.text)!))
        }
    }

    /// Whether a served feature (its `properties` and `geometry`) matches.
    func matches(_ feature: [String: Any]) -> Bool {
        let properties = feature["properties"] as? [String: Any] ?? [:]
        switch self {
        case .and(let a, let b): return a.matches(feature) && b.matches(feature)
        case .or(let a, let b): return a.matches(feature) || b.matches(feature)
        case .not(let a): return !a.matches(feature)
        case .isNull(let name, let negated):
            let missing = properties[name] == nil || properties[name] is NSNull
            return negated ? !missing : missing
        case .compare(let name, let op, let literal):
            let value = properties[name]
            let order: ComparisonResult
            switch (literal, value) {
            case (.bool(let b), let v as Bool): order = v == b ? .orderedSame : .orderedAscending
            case (.bool(let b), let v as NSNumber): order = v.boolValue == b ? .orderedSame : .orderedAscending
            case (.bool, _): return false
            case (.number(let n), let v as NSNumber):
                let d = v.doubleValue
                order = d < n ? .orderedAscending : d > n ? .orderedDescending : .orderedSame
            case (.number(let n), let v as String):
                guard let d = Double(v) else { return false }
                order = d < n ? .orderedAscending : d > n ? .orderedDescending : .orderedSame
            case (.text(let t), let v as String): order = v < t ? .orderedAscending : v > t ? .orderedDescending : .orderedSame
            case (.text(let t), let v as NSNumber): order = v.stringValue < t ? .orderedAscending : v.stringValue > t ? .orderedDescending : .orderedSame
            default: return false
            }
            switch op {
            case .eq: return order == .orderedSame
            case .ne: return order != .orderedSame
            case .lt: return order == .orderedAscending
            case .le: return order != .orderedDescending
            case .gt: return order == .orderedDescending
            case .ge: return order != .orderedAscending
            }
        case .listContains(let name, let value):
            return (properties[name] as? String)?.split(separator: ";").contains { $0 == value } ?? false
        case .intersects(let w, let s, let e, let n):
            return GeometryBox.intersects(feature["geometry"] as? [String: Any], w: w, s: s, e: e, n: n)
        }
    }
}

/// Whether a GeoJSON geometry (points, lines' vertices, polygons) meets a box: a vertex in the box,
/// a box corner inside a polygon, or an edge crossing the box's edges.
enum GeometryBox {
    static func intersects(_ geometry: [String: Any]?, w: Double, s: Double, e: Double, n: Double) -> Bool {
        guard let geometry, let type = geometry["type"] as? String, let coordinates = geometry["coordinates"] else { return false }
        func point(_ v: Any) -> (Double, Double)? {
            guard let a = v as? [Any], a.count >= 2, let x = (a[0] as? NSNumber)?.doubleValue, let y = (a[1] as? NSNumber)?.doubleValue else { return nil }
            return (x, y)
        }
        func inside(_ p: (Double, Double)) -> Bool { p.0 >= w && p.0 <= e && p.1 >= s && p.1 <= n }
        func rings(_ v: Any) -> [[(Double, Double)]] { (v as? [Any] ?? []).map { ($0 as? [Any] ?? []).compactMap(point) } }
        switch type {
        case "Point": return point(coordinates).map(inside) ?? false
        case "MultiPoint": return (coordinates as? [Any] ?? []).compactMap(point).contains(where: inside)
        case "LineString":
            // A vertex in the box, or a segment crossing one of its edges.
            let line = (coordinates as? [Any] ?? []).compactMap(point)
            return line.contains(where: inside) || polygonEdgesCross([line], w, s, e, n)
        case "Polygon": return polygon(rings(coordinates), w, s, e, n)
        case "MultiPolygon": return (coordinates as? [Any] ?? []).contains { polygon(rings($0), w, s, e, n) }
        default: return false
        }
    }

    static func polygon(_ rings: [[(Double, Double)]], _ w: Double, _ s: Double, _ e: Double, _ n: Double) -> Bool {
        guard let outer = rings.first, outer.count >= 3 else { return false }
        if outer.contains(where: { $0.0 >= w && $0.0 <= e && $0.1 >= s && $0.1 <= n }) { return true }
        let corners = [(w, s), (e, s), (e, n), (w, n)]
        // A box corner inside the polygon (inside the outer ring and outside every hole).
        func contains(_ ring: [(Double, Double)], _ p: (Double, Double)) -> Bool {
            var inside = false, j = ring.count - 1
            for i in ring.indices {
                let (a, b) = (ring[i], ring[j])
                if (a.1 > p.1) != (b.1 > p.1), p.0 < (b.0 - a.0) * (p.1 - a.1) / (b.1 - a.1) + a.0 { inside.toggle() }
                j = i
            }
            return inside
        }
        if corners.contains(where: { c in contains(outer, c) && !rings.dropFirst().contains { contains($0, c) } }) { return true }
        return polygonEdgesCross(rings, w, s, e, n)
    }

    /// Whether a segment of the rings (or lines) crosses an edge of the box: the segments' extents
    /// overlap and each straddles the other's line (touching counts).
    static func polygonEdgesCross(_ rings: [[(Double, Double)]], _ w: Double, _ s: Double, _ e: Double, _ n: Double) -> Bool {
        let corners = [(w, s), (e, s), (e, n), (w, n)]
        func crosses(_ p1: (Double, Double), _ p2: (Double, Double), _ q1: (Double, Double), _ q2: (Double, Double)) -> Bool {
            func side(_ a: (Double, Double), _ b: (Double, Double), _ c: (Double, Double)) -> Double { (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0) }
            guard min(p1.0, p2.0) <= max(q1.0, q2.0), min(q1.0, q2.0) <= max(p1.0, p2.0),
                  min(p1.1, p2.1) <= max(q1.1, q2.1), min(q1.1, q2.1) <= max(p1.1, p2.1) else { return false }
            return side(p1, p2, q1) * side(p1, p2, q2) <= 0 && side(q1, q2, p1) * side(q1, q2, p2) <= 0
        }
        let edges = [(corners[0], corners[1]), (corners[1], corners[2]), (corners[2], corners[3]), (corners[3], corners[0])]
        for ring in rings where ring.count >= 2 {
            for i in 1..<ring.count where edges.contains(where: { crosses(ring[i - 1], ring[i], $0.0, $0.1) }) { return true }
        }
        return false
    }
}
