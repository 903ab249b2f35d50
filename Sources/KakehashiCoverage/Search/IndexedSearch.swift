import Foundation
import HeapModule
import KakehashiGeo
import KakehashiModel
import KakehashiStore

extension CoverageIndex {
    /// The answer from the ``ServiceReach`` indexes: providers a distance decides are counted by cell
    /// — whole cells inside every member's limit from their counts per availability group, members
    /// one by one only in cells the limit crosses — and the page is sought nearest cell first; those
    /// the municipality decides come from the municipality's list; the rest, and every provider with
    /// an active on-call report, are weighed one by one. Gives the full scan's answer (tested).
    func answerBySearch(_ q: CoverageQuery, _ place: Place, reports: [Int64: OnCallReport]) -> CoverageAnswer {
        // A head a little longer than the page; longer again in the rare case the approximation
        // leaves doubt about which candidate ends the page (see ``finish``).
        var capacity = q.offset + q.limit + 16
        while true {
            var search = IndexedSearch(self, q, place, reports: reports, capacity: capacity)
            for s in Set(q.services).sorted(by: { $0.rawValue < $1.rawValue }) { search.run(s) }
            let full = search.head.isFull
            let weighing = search.weighing
            if let answer = finish(q, place, head: search.head.take(), full: full, total: search.total, exclusions: nil, reports: reports,
                                   timeline: { weighing.timeline($0.timeline) }) {
                return answer
            }
            capacity *= 2
        }
    }
}

/// One lookup's walk over the ``ServiceReach`` indexes.
struct IndexedSearch {
    let index: CoverageIndex
    let patient: PatientPoint
    let around: Geodesic.Around
    var weighing: Weighing
    var head: TopCandidates
    var total = 0

    /// A cell wholly inside its members' limits: the least key a member can have, and the cell's number.
    /// (A struct: an array of tuples looked up its type's metadata at run time, under a lock.)
    struct InsideCell: Comparable {
        let bound: UInt64
        let cell: Int

        static func < (a: InsideCell, b: InsideCell) -> Bool { a.bound != b.bound ? a.bound < b.bound : a.cell < b.cell }
    }

    /// Approximate distances to a cell's nearest point and corners are widened by this much, so
    /// that a cell is taken whole only when every member lies well within its limit (the exact rule
    /// decides within 2 m of it).
    static let margin = 8.0

    init(_ index: CoverageIndex, _ q: CoverageQuery, _ place: CoverageIndex.Place, reports: [Int64: OnCallReport], capacity: Int) {
        self.index = index
        patient = place.patient(q.point)
        around = Geodesic.Around(q.point)
        weighing = Weighing(index, window: q.window, now: q.now, reports: reports)
        head = TopCandidates(capacity: capacity)
    }

    mutating func run(_ s: ServiceKind) {
        let reach = index.reach[s.ordinal]
        // Providers with an active on-call report are weighed one by one, with it: the indexes
        // count them as if they had none, so that count is taken back here.
        var reported: Set<Int32> = []
        if !weighing.reports.isEmpty {
            for id in weighing.reports.keys {
                guard let i = index.index(of: id), index.packed[Int(i)].services & s.bit != 0, weighing.activeReport(i, s) != nil else { continue }
                let kind = index.reachKind(i, s)
                guard kind != .weighed else { continue }
                reported.insert(i)
                if countsWithoutReport(i, kind, s) { total -= 1 }
            }
        }
        byDistance(reach.byDistance, s, skipping: reported)
        byMunicipality(reach.byMunicipality, s, skipping: reported)
        oneByOne(reach, s, also: reported)
    }

    /// Whether provider `i` of an index kind serves the point by its group's availability.
    private mutating func countsWithoutReport(_ i: Int32, _ kind: ServiceReach.Kind, _ s: ServiceKind) -> Bool {
        let h = index.packed[Int(i)]
        switch kind {
        case .distance(let limit):
            let location = GeoPoint(lon: h.lon, lat: h.lat)
            guard patient.within(limit, of: ProviderPosition(location, around: around)) == .everywhere else { return false }
        case .municipalities(let codes):
            guard codes.contains(patient.home) else { return false }
        case .weighed: return false
        }
        return weighing.groupRank(index.groups[Int(i) * ServiceKind.allCases.count + s.ordinal]) != nil
    }

    private mutating func byDistance(_ d: DistanceMembers, _ s: ServiceKind, skipping reported: Set<Int32>) {
        guard d.largestLimit > 0 else { return }
        let m = d.members
        // Cells wholly inside: counted now, their members offered afterwards nearest cell first
        // (from a heap: only the few cells the page needs come out of it in order). Cells the
        // limit crosses come last, when the page is mostly full and their members, near the
        // limit, are mostly too far for it.
        var inside: [InsideCell] = [], edge: [Int] = []
        let diagonal = Self.cellDiagonal(around, degrees: d.cells.degrees)
        d.cells.forEach(near: patient.point, metres: d.largestLimit + Self.margin) { k, box, nearestPoint in
            let nearest = nearestPoint - Self.margin
            if nearest > d.maxLimit[k] + PatientPoint.exactBand { return }
            // No point of the cell is farther than its nearest point plus its diagonal; only cells
            // near their limit need the far corners worked out.
            let inner = d.minLimit[k] - PatientPoint.exactBand
            guard nearestPoint + diagonal + Self.margin < inner || farthestCorner(box) + Self.margin < inner else {
                edge.append(k)
                return
            }
            var best = UInt64.max
            for c in m.counts(k) {
                guard let rank = weighing.groupRank(m.countGroup[c]) else { continue }
                total += Int(m.count[c])
                best = min(best, rank)
            }
            if best != .max { inside.append(InsideCell(bound: RankKey.key(group: best, distance: max(0, nearest)), cell: k)) }
        }
        var nearestFirst = Heap(inside)
        while let cell = nearestFirst.popMin() {
            if let worst = head.worstKey, cell.bound > worst { break }
            for j in m.members(cell.cell) {
                if !reported.isEmpty, reported.contains(m.provider[j]) { continue }
                guard let rank = weighing.groupRank(m.group[j]) else { continue }
                offerUnlessPastPage(m.provider[j], j, m, rank: rank, s)
            }
        }
        for k in edge { edgeCellMembers(k, d, s, skipping: reported) }
    }

    /// The members of a cell a limit crosses. Most are decided by ``Geodesic/Around/bounds(to:)``
    /// alone, as a cell plan's undecided members are: beyond their limit, or within it and too far
    /// for the page; the distance is worked out only near the limit or for the page.
    private mutating func edgeCellMembers(_ k: Int, _ d: DistanceMembers, _ s: ServiceKind, skipping reported: Set<Int32>) {
        let m = d.members, band = PatientPoint.exactBand
        for j in m.members(k) {
            let location = GeoPoint(lon: m.lon[j], lat: m.lat[j])
            let b = around.bounds(to: location), limit = d.limit[j]
            if b.lower > limit + band { continue }
            var distance: Double?
            if !(b.upper < limit - band) {
                let position = ProviderPosition(location, around: around)
                guard patient.within(limit, of: position) == .everywhere else { continue }
                distance = position.distance
            }
            guard let rank = weighing.groupRank(m.group[j]) else { continue }
            total += 1
            if !reported.isEmpty, reported.contains(m.provider[j]) { continue }
            if let distance {
                offer(m.provider[j], j, m, rank: rank, distance: distance, s)
            } else {
                offerUnlessPastPage(m.provider[j], j, m, rank: rank, s)
            }
        }
    }

    /// The distance to a cell's farthest corner: one of the two on the far side in longitude
    /// (at either latitude a larger difference in longitude is farther).
    private func farthestCorner(_ box: GeoBox) -> Double {
        let p = patient.point
        let lon = p.lon - box.minLon > box.maxLon - p.lon ? box.minLon : box.maxLon
        return max(around.distance(to: GeoPoint(lon: lon, lat: box.minLat)), around.distance(to: GeoPoint(lon: lon, lat: box.maxLat)))
    }

    /// A generous length of a cell's diagonal near the point (1 % and a metre over).
    static func cellDiagonal(_ around: Geodesic.Around, degrees: Double) -> Double {
        let origin = around.origin
        let corner = GeoPoint(lon: origin.lon + degrees, lat: origin.lat - degrees)
        return around.distance(to: corner) * 1.01 + 1
    }

    private mutating func byMunicipality(_ byMunicipality: MunicipalityMembers, _ s: ServiceKind, skipping reported: Set<Int32>) {
        guard let k = byMunicipality.key(patient.home) else { return }
        let m = byMunicipality.members
        guard !m.members(k).isEmpty else { return }
        for c in m.counts(k) where weighing.groupRank(m.countGroup[c]) != nil {
            total += Int(m.count[c])
        }
        for j in m.members(k) {
            if !reported.isEmpty, reported.contains(m.provider[j]) { continue }
            guard let rank = weighing.groupRank(m.group[j]) else { continue }
            if m.lat[j].isNaN {
                offer(m.provider[j], j, m, rank: rank, distance: nil, s)
            } else {
                offerUnlessPastPage(m.provider[j], j, m, rank: rank, s)
            }
        }
    }

    /// Offers a located member, unless the lower bound on its distance (``Geodesic/Around/bounds(to:)``)
    /// already puts it after the page: then its distance is never worked out.
    private mutating func offerUnlessPastPage(_ i: Int32, _ j: Int, _ m: GroupedMembers, rank: UInt64, _ s: ServiceKind) {
        let location = GeoPoint(lon: m.lon[j], lat: m.lat[j])
        if let worst = head.worstKey, RankKey.key(group: rank, distance: around.bounds(to: location).lower) > worst { return }
        offer(i, j, m, rank: rank, distance: around.distance(to: location), s)
    }

    /// Offers a member to the head; `rank` is its group's status and basis bits.
    private mutating func offer(_ i: Int32, _ j: Int, _ m: GroupedMembers, rank: UInt64, distance: Double?, _ s: ServiceKind) {
        let key = RankKey.key(group: rank, distance: distance)
        if let worst = head.worstKey, key > worst { return }
        var r = RankedCandidate(key: key, provider: i, timeline: Weighing.groupTimeline(m.group[j]), service: s)
        (r.lat, r.lon) = (m.lat[j], m.lon[j])
        head.offer(r, index)
    }

    /// The providers no index decides, and `also` (reported ones), by the full rules.
    private mutating func oneByOne(_ reach: ServiceReach, _ s: ServiceKind, also: Set<Int32>) {
        var candidates = Array(also)
        let radius = max(index.eligibility.distanceLimit(s) ?? 0, index.largestRadiusM)
        if radius > 0 { reach.weighedByDistance.forEach(near: patient.point, metres: radius) { candidates.append(contentsOf: $0) } }
        candidates += reach.weighedByMunicipality[patient.home] ?? []
        candidates += reach.weighedPolygons
        candidates.sort()
        var last: Int32 = -1
        for i in candidates where i != last {
            last = i
            let h = index.packed[Int(i)]
            let position = h.located ? ProviderPosition(GeoPoint(lon: h.lon, lat: h.lat), around: around) : nil
            guard case .qualifies(let timeline) = weighing.judge(i, service: s, position: position, at: patient) else { continue }
            total += 1
            head.offer(RankedCandidate(key: weighing.rankKey(timeline, distance: position?.distance), provider: i,
                                       timeline: timeline, service: s), index)
        }
    }
}
