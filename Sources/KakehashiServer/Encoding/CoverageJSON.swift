import Foundation
import KakehashiAddress
import KakehashiCoverage
import KakehashiHours
import KakehashiStore

/// The coverage response written straight to bytes, as `JSONEncoder` with sorted, snake-case keys
/// would write it (absent optionals left out; the geocode's keys always present). `JSONEncoder`
/// cost more than the lookup itself; a test compares the two on real answers.
struct CoverageJSON {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 16_384) { bytes.reserveCapacity(capacity) }

    /// `fragments`: the providers' pieces already written (see ``EntryFragments``); without,
    /// every entry is written in full.
    /// `memos`: entries already written whole (see ``EntryMemos``); the page's others are kept there.
    static func encode(_ body: CoverageResponse, fragments: EntryFragments? = nil, memos: EntryMemos? = nil) -> [UInt8] {
        // Room for the whole body at once (an entry is about 700 bytes): grown from 16 KB, a page
        // of fifty was written three times over.
        var w = CoverageJSON(capacity: 4_096 + 768 * body.answer.page.count)
        w.body(body.query, body.answer, fragments: fragments, memos: memos)
        return w.bytes
    }

    // MARK: Values

    mutating func raw(_ s: StaticString) { s.withUTF8Buffer { bytes.append(contentsOf: $0) } }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        var s = s
        // Most strings need no escape: their UTF-8 is appended in one piece.
        s.withUTF8 { utf8 in
            var run = 0
            for (k, b) in utf8.enumerated() where b == 0x22 || b == 0x5C || b < 0x20 {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run..<k]))
                run = k + 1
                switch b {
                case 0x22: raw(#"\""#)
                case 0x5C: raw(#"\\"#)
                case 0x0A: raw(#"\n"#)
                case 0x0D: raw(#"\r"#)
                case 0x09: raw(#"\t"#)
                case 0x08: raw(#"\b"#)
                case 0x0C: raw(#"\f"#)
                default: bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, Self.hex[Int(b >> 4)], Self.hex[Int(b & 15)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[run...]))
        }
        bytes.append(0x22)
    }

    static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func number(_ d: Double) { bytes.append(contentsOf: d.description.utf8) }

    /// A distance rounded to decimetres, as `description` writes it ("329.8", "330.0") without
    /// building a string: the decimal with one digit after the point is the shortest that reads
    /// back as the same double while doubles are closer than 0.1 (below 2^49).
    mutating func decimetres(_ d: Double) {
        let t = (d * 10).rounded()
        guard t >= 0, t < 1e12, t / 10 == d else { number(d); return }
        integer(Int(t) / 10)
        bytes.append(0x2E)
        bytes.append(0x30 + UInt8(Int(t) % 10))
    }

    mutating func integer<I: BinaryInteger>(_ i: I) {
        guard i != 0 else { bytes.append(0x30); return }
        if i < 0 { bytes.append(0x2D) }
        // Least significant digit first, from the end of a small buffer.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 40) { digits in
            var v = i.magnitude, k = 40
            while v > 0 {
                k -= 1
                digits[k] = 0x30 + UInt8(v % 10)
                v /= 10
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[k...]))
        }
    }

    /// ISO 8601 in Japan time, as ``Timestamps/tokyo(_:)`` writes it, into a small buffer appended at once.
    mutating func date(_ d: Date) {
        let t = Int(d.timeIntervalSince1970.rounded(.down)) + 9 * 3600
        // A body repeats a few instants (the window's ends, the covered intervals): the last four
        // written are kept.
        if let k = recentDates.firstIndex(of: t) {
            bytes.append(contentsOf: recentDateBytes[k * 27..<(k + 1) * 27])
            return
        }
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        let civil = CivilDate(dayNumber: days)
        guard (0...9999).contains(civil.year) else { string(Timestamps.tokyo(d)); return }
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 27) { b in
            func put(_ v: Int, at i: Int, _ n: Int) {
                var v = v
                for k in stride(from: i + n - 1, through: i, by: -1) { b[k] = 0x30 + UInt8(v % 10); v /= 10 }
            }
            b[0] = 0x22
            put(civil.year, at: 1, 4); b[5] = 0x2D; put(civil.month, at: 6, 2); b[8] = 0x2D; put(civil.day, at: 9, 2)
            b[11] = 0x54; put(secs / 3600, at: 12, 2); b[14] = 0x3A; put(secs % 3600 / 60, at: 15, 2); b[17] = 0x3A; put(secs % 60, at: 18, 2)
            for (k, c) in "+09:00\"".utf8.enumerated() { b[20 + k] = c }
            bytes.append(contentsOf: UnsafeBufferPointer(b))
            if recentDates.count == 4 {
                recentDates.removeFirst()
                recentDateBytes.removeFirst(27)
            }
            recentDates.append(t)
            recentDateBytes.append(contentsOf: UnsafeBufferPointer(b))
        }
    }

    private var recentDates: [Int] = []
    private var recentDateBytes: [UInt8] = []

    /// A member after the first, written as one piece: `,"name":`.
    mutating func member(_ fragment: StaticString) { raw(fragment) }

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
        // By index: an enumerated loop copied every element (a result entry's dozens of strings).
        for i in items.indices {
            if i > 0 { bytes.append(0x2C) }
            each(&self, items[i])
        }
        bytes.append(0x5D)
    }

    mutating func optionalString(_ s: String?) { if let s { string(s) } else { raw("null") } }
    mutating func optionalNumber(_ d: Double?) { if let d { number(d) } else { raw("null") } }

    // MARK: Objects, keys in sorted order

    mutating func body(_ q: CoverageResponse.Query, _ a: CoverageAnswer, fragments: EntryFragments? = nil, memos: EntryMemos? = nil) {
        // Each entry: its memo's bytes where written before, otherwise written out now.
        let page = a.page
        var found = [EntryMemos.Memo?](repeating: nil, count: page.count)
        var arena: EntryMemos.Arena?
        if let memos, page.contains(where: { $0.memo > 0 }) {
            (arena, found) = memos.find(page.map(\.memo))
            EntryMemos.touch(found)
        }
        // Entries written in full, by page position; allocated only when there is one (an entry is
        // a few hundred bytes: a page's worth was a large allocation per lookup).
        var entries: [CoverageEntry?] = []
        var written: [(number: Int, head: [UInt8], tail: [UInt8])] = []
        for i in page.indices where found[i] == nil {
            let e = page[i].entry
            if page[i].memo > 0, memos != nil {
                var head = CoverageJSON(capacity: 512), tail = CoverageJSON(capacity: 512)
                head.entryHead(e, nil)
                tail.entryTail(e, nil)
                written.append((page[i].memo, head.bytes, tail.bytes))
            } else {
                if entries.isEmpty { entries = .init(repeating: nil, count: page.count) }
                entries[i] = e
            }
        }
        let pieces = entries.isEmpty ? nil : fragments?.fragments(for: entries)
        var first = true
        raw("{")
        key("datasets", &first); array(a.datasets) { $0.source($1) }
        if let excluded = a.excluded { key("excluded", &first); array(excluded) { $0.exclusion($1) } }
        if let m = a.municipality { key("municipality", &first); string(m) }
        if let c = a.municipalityCode { key("municipality_code", &first); string(c) }
        key("query", &first); query(q)
        key("results", &first)
        bytes.append(0x5B)
        var next = 0, comma = false
        for i in page.indices {
            if comma { bytes.append(0x2C) }
            comma = true
            if !entries.isEmpty, let e = entries[i] {
                entry(e, pieces?[i] ?? nil)
                continue
            }
            if let m = found[i] { bytes.append(contentsOf: m.head) } else { bytes.append(contentsOf: written[next].head) }
            if let d = page[i].distanceM { member(#","distance_m":"#); decimetres(d) }
            if let m = found[i] { bytes.append(contentsOf: m.tail) } else { bytes.append(contentsOf: written[next].tail); next += 1 }
        }
        bytes.append(0x5D)
        withExtendedLifetime(arena) {}
        if !written.isEmpty { memos?.store(written) }
        key("total", &first); integer(a.total)
        if let t = a.town { key("town", &first); string(t) }
        key("window", &first)
        var w = true
        raw("{"); key("from", &w); date(a.window.from)
        if let n = a.window.night { key("night", &w); string(n) }
        key("to", &w); date(a.window.to); raw("}")
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

    /// Each dataset's object as written the first time: entries repeat the same few.
    private var sources: [Int64: [UInt8]] = [:]

    mutating func source(_ s: SourceRef) {
        if let written = sources[s.dataset] {
            bytes.append(contentsOf: written)
            return
        }
        let start = bytes.count
        sourceObject(s)
        sources[s.dataset] = Array(bytes[start...])
    }

    mutating func sourceObject(_ s: SourceRef) {
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
        key("reason", &first); string(e.reason.rawValue)
        key("service", &first); string(e.service.rawValue)
        raw("}")
    }

    mutating func entry(_ e: CoverageEntry, _ fragment: EntryFragments.Fragment? = nil) {
        entryHead(e, fragment)
        if let d = e.distanceM { member(#","distance_m":"#); decimetres(d) }
        entryTail(e, fragment)
    }

    /// An entry up to its distance.
    mutating func entryHead(_ e: CoverageEntry, _ fragment: EntryFragments.Fragment?) {
        // Keys in sorted order; "area" is always first, so every later key is one fragment with its comma.
        raw(#"{"area":{"detail":"#); string(e.area.detail); raw(#","rule":"#); string(e.area.rule.rawValue); raw("}")
        if let b = e.basis { member(#","basis":"#); string(b.rawValue) }
        member(#","contact":"#)
        if let f = fragment, e.onCall == nil { piece(f, 0..<f.contactEnd) } else { contact(e.contact) }
        member(#","covered":"#)
        array(e.covered) { w, i in
            w.raw(#"{"basis":"#); w.string(i.basis.rawValue); w.raw(#","from":"#); w.date(i.from); w.raw(#","to":"#); w.date(i.to); w.raw("}")
        }
        if !e.declared.isEmpty {
            member(#","declared":"#)
            array(e.declared) { w, d in
                w.raw(#"{"confirmed_at":"#); w.date(d.confirmedAt); w.raw(#","days_since_confirmed":"#); w.integer(Int64(d.daysSinceConfirmed))
                w.raw(#","fact":"#); w.string(d.fact); w.raw(#","stale":"#); w.raw(d.stale ? "true" : "false"); w.raw("}")
            }
        }
    }

    /// An entry after its distance.
    mutating func entryTail(_ e: CoverageEntry, _ fragment: EntryFragments.Fragment?) {
        if let f = fragment { piece(f, f.contactEnd..<f.placeEnd) } else { place(e) }
        if let n = e.nextChange { member(#","next_change":"#); date(n) }
        member(#","notes":"#); array(e.notes) { $0.string($1) }
        if let f = fragment { piece(f, f.placeEnd..<f.idsEnd) } else { ids(e) }
        if let r = e.registration { member(#","registration":"#); registration(r) }
        member(#","service":"#); string(e.service.rawValue)
        if let f = fragment { piece(f, f.idsEnd..<f.end) } else { sourceMember(e) }
        member(#","sources":"#); array(e.sources) { $0.source($1) }
        member(#","status":"#); string(e.status.rawValue)
        raw("}")
    }

    mutating func piece(_ f: EntryFragments.Fragment, _ range: Range<Int>) { bytes.append(contentsOf: f.bytes(range)) }

    // The parts of an entry that depend on its provider alone (see ``EntryFragments``).

    mutating func contact(_ contact: Contact) {
        var c = true
        raw("{")
        if let v = contact.email { key("email", &c); string(v) }
        if let v = contact.fax { key("fax", &c); string(v) }
        if let v = contact.note { key("note", &c); string(v) }
        if let v = contact.onCall { key("on_call", &c); string(v) }
        if let v = contact.phone { key("phone", &c); string(v) }
        if let v = contact.preferred { key("preferred", &c); string(v) }
        if let v = contact.url { key("url", &c); string(v) }
        raw("}")
    }

    mutating func registration(_ r: Registration) {
        var c = true
        raw("{")
        key("capability", &c); string(r.capability.rawValue)
        key("dataset", &c); integer(r.dataset)
        if let v = r.detail { key("detail", &c); string(v) }
        if let v = r.noticeNumber { key("notice_number", &c); string(v) }
        if let v = r.since { key("since", &c); string(v) }
        raw("}")
    }

    mutating func place(_ e: CoverageEntry) {
        member(#","kind":"#); string(e.kind)
        if let v = e.lat { member(#","lat":"#); number(v) }
        if let v = e.locationLevel { member(#","location_level":"#); string(v) }
        if let v = e.lon { member(#","lon":"#); number(v) }
        member(#","name":"#); string(e.name)
    }

    mutating func ids(_ e: CoverageEntry) {
        member(#","official_id":"#); string(e.officialID)
        member(#","provider_id":"#); integer(e.providerID)
    }

    mutating func sourceMember(_ e: CoverageEntry) { member(#","source":"#); string(e.source) }
}
