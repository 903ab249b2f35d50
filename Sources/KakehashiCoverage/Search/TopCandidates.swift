import KakehashiGeo
import KakehashiModel

/// One qualifying (provider, service) while an answer is sought. The area, notes and report are
/// worked out again only for the page.
struct RankedCandidate {
    /// See ``RankKey``: status, basis and distance (approximate, in decimetres) in one integer.
    var key: UInt64
    let provider: Int32
    /// Its timeline's number: in its plan, or the lookup's (``Weighing/timeline(_:)``).
    let timeline: Int32
    let service: ServiceKind
    /// Which of the request's plans holds the timeline; -1: the request's own list.
    var plan: Int32 = -1
    /// The exact distance, once worked out for the page (NaN until then).
    var distance = Double.nan
    /// The ``EntryMemoNumbers`` number of a plan's qualified provider; 0: none.
    var memo = 0
    /// The provider's location where the caller had it at hand (NaN: read it from the packed
    /// facts, a cache miss per provider).
    var lat = Double.nan, lon = Double.nan
    /// Its place in its plan's qualified list (-1: none), where its reduced latitude is kept.
    var qualified: Int32 = -1

    /// Where the provider is, nil when unknown.
    func location(_ packed: [PackedFacts]) -> GeoPoint? {
        if !lat.isNaN { return GeoPoint(lon: lon, lat: lat) }
        let h = packed[Int(provider)]
        return h.located ? GeoPoint(lon: h.lon, lat: h.lat) : nil
    }
}

/// The best `capacity` candidates seen, in key order: only the head is shown, so thousands of
/// qualifying providers are never sorted.
struct TopCandidates {
    let capacity: Int
    private(set) var entries: [RankedCandidate] = []

    init(capacity: Int) {
        self.capacity = capacity
        entries.reserveCapacity(capacity + 1)
    }

    var isFull: Bool { entries.count >= capacity }
    /// The key an entry must not exceed to get in (nil while there is room).
    var worstKey: UInt64? { isFull ? entries.last?.key : nil }

    /// The entries, left empty here: the caller then holds their only reference and can change
    /// them in place.
    mutating func take() -> [RankedCandidate] {
        defer { entries = [] }
        return entries
    }

    mutating func offer(_ r: RankedCandidate, _ index: CoverageIndex) {
        if isFull, let last = entries.last, !index.precedes(r, last) { return }
        var k = entries.count
        while k > 0, index.precedes(r, entries[k - 1]) { k -= 1 }
        entries.insert(r, at: k)
        if entries.count > capacity { entries.removeLast() }
    }
}
