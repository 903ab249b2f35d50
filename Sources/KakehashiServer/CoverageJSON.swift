import Foundation
import KakehashiAddress
import KakehashiCoverage
import KakehashiStore

/// The coverage response written straight to bytes, as `JSONEncoder` with sorted, snake-case keys
/// would write it (absent optionals left out; the geocode's keys always present). `JSONEncoder`
/// cost more than the lookup itself; a test compares the two on real answers.
struct CoverageJSON {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 16_384) { bytes.reserveCapacity(capacity) }

    static func encode(_ body: CoverageResponse) -> [UInt8] {
        var w = CoverageJSON()
        w.body(body.query, body.answer)
        return w.bytes
    }

    // MARK: Values

    mutating func raw(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: raw(#"\""#)
            case 0x5C: raw(#"\\"#)
            case 0x0A: raw(#"\n"#)
            case 0x0D: raw(#"\r"#)
            case 0x09: raw(#"\t"#)
            case 0x08: raw(#"\b"#)
            case 0x0C: raw(#"\f"#)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    mutating func number(_ d: Double) { bytes.append(contentsOf: d.description.utf8) }
    mutating func integer<I: BinaryInteger>(_ i: I) { bytes.append(contentsOf: String(i).utf8) }
    mutating func date(_ d: Date) { string(Timestamps.tokyo(d)) }

    /// Writes `"key":` after a comma when the object already has members.
    mutating func key(_ k: StaticString, _ first: inout Bool) {
        if !first { bytes.append(0x2C) }
        first = false
        bytes.append(0x22)
        raw(k)
        raw("\":")
    }

    mutating func array<T>(_ items: [T], _ each: (inout CoverageJSON, T) -> Void) {
        bytes.append(0x5B)
        for (i, item) in items.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            each(&self, item)
        }
        bytes.append(0x5D)
    }

    mutating func optionalString(_ s: String?) { if let s { string(s) } else { raw("null") } }
    mutating func optionalNumber(_ d: Double?) { if let d { number(d) } else { raw("null") } }

    // MARK: Objects, keys in sorted order

    mutating func body(_ q: CoverageResponse.Query, _ a: CoverageAnswer) {
        var first = true
        raw("{")
        key("datasets", &first); array(a.datasets) { $0.source($1) }
        if let excluded = a.excluded { key("excluded", &first); array(excluded) { $0.exclusion($1) } }
        if let m = a.municipality { key("municipality", &first); string(m) }
        if let c = a.municipalityCode { key("municipality_code", &first); string(c) }
        key("query", &first); query(q)
        key("results", &first); array(a.results) { $0.entry($1) }
        key("total", &first); integer(a.total)
        if let t = a.town { key("town", &first); string(t) }
        key("window", &first)
        var w = true
        raw("{"); key("from", &w); date(a.window.from); key("to", &w); date(a.window.to); raw("}")
        raw("}")
    }

    mutating func query(_ q: CoverageResponse.Query) {
        var first = true
        raw("{")
        key("from", &first); date(q.from)
        if let g = q.geocode { key("geocode", &first); geocode(g) }
        key("lat", &first); number(q.lat)
        key("lon", &first); number(q.lon)
        key("services", &first); array(q.services) { $0.string($1.rawValue) }
        key("to", &first); date(q.to)
        raw("}")
    }

    mutating func geocode(_ g: GeocodeResult) {
        var first = true
        raw("{")
        key("block_number", &first); optionalString(g.blockNumber)
        key("candidates", &first)
        array(g.candidates) { w, c in
            var f = true
            w.raw("{")
            w.key("city", &f); w.string(c.city)
            w.key("city_code", &f); w.string(c.cityCode)
            w.key("prefecture", &f); w.string(c.prefecture)
            if let t = c.town { w.key("town", &f); w.string(t) }
            w.raw("}")
        }
        key("city", &first); optionalString(g.city)
        key("city_code", &first); optionalString(g.cityCode)
        key("level", &first); integer(g.level)
        key("lat", &first); optionalNumber(g.lat)
        key("lon", &first); optionalNumber(g.lon)
        key("message", &first); optionalString(g.message)
        key("other", &first); optionalString(g.other)
        key("point_level", &first); optionalString(g.pointLevel)
        key("prefecture", &first); optionalString(g.prefecture)
        key("rest", &first); string(g.rest)
        key("town", &first); optionalString(g.town)
        raw("}")
    }

    mutating func source(_ s: SourceRef) {
        var first = true
        raw("{")
        key("dataset", &first); integer(s.dataset)
        key("file", &first); string(s.file)
        key("loaded_at", &first); string(s.loadedAt)
        if let r = s.referenceDate { key("reference_date", &first); string(r) }
        key("source_kind", &first); string(s.sourceKind)
        raw("}")
    }

    mutating func exclusion(_ e: Exclusion) {
        var first = true
        raw("{")
        key("detail", &first); string(e.detail)
        if let d = e.distanceM { key("distance_m", &first); number(d) }
        key("name", &first); string(e.name)
        key("provider_id", &first); integer(e.providerID)
        key("reason", &first); string(e.reason)
        key("service", &first); string(e.service.rawValue)
        raw("}")
    }

    mutating func entry(_ e: CoverageEntry) {
        var first = true
        raw("{")
        key("area", &first)
        var a = true
        raw("{"); key("detail", &a); string(e.area.detail); key("rule", &a); string(e.area.rule); raw("}")
        if let b = e.basis { key("basis", &first); string(b.rawValue) }
        key("contact", &first)
        var c = true
        raw("{")
        if let v = e.contact.email { key("email", &c); string(v) }
        if let v = e.contact.fax { key("fax", &c); string(v) }
        if let v = e.contact.onCall { key("on_call", &c); string(v) }
        if let v = e.contact.phone { key("phone", &c); string(v) }
        if let v = e.contact.preferred { key("preferred", &c); string(v) }
        if let v = e.contact.url { key("url", &c); string(v) }
        raw("}")
        key("covered", &first)
        array(e.covered) { w, i in
            var f = true
            w.raw("{"); w.key("basis", &f); w.string(i.basis.rawValue); w.key("from", &f); w.date(i.from); w.key("to", &f); w.date(i.to); w.raw("}")
        }
        if let d = e.distanceM { key("distance_m", &first); number(d) }
        key("kind", &first); string(e.kind)
        if let v = e.lat { key("lat", &first); number(v) }
        if let v = e.lon { key("lon", &first); number(v) }
        key("name", &first); string(e.name)
        if let n = e.nextChange { key("next_change", &first); date(n) }
        key("notes", &first); array(e.notes) { $0.string($1) }
        key("official_id", &first); string(e.officialID)
        key("provider_id", &first); integer(e.providerID)
        key("service", &first); string(e.service.rawValue)
        key("source", &first); string(e.source)
        key("sources", &first); array(e.sources) { $0.source($1) }
        key("status", &first); string(e.status.rawValue)
        raw("}")
    }
}
