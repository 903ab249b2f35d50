import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

extension CoverageIndex {
    /// Answers a coverage query from memory.
    ///
    /// The indexed search (``answerBySearch(_:_:reports:)``) answers by default. Points of one
    /// 0.01° cell share most of their answer for a service and window, so from the second query of
    /// a cell, service, municipality and window on that is read from a ``CellPlan`` instead.
    /// Explanations use the full scan (``answerByScan(_:_:reports:)``), the plain reference the
    /// other two are tested against.
    public func answer(_ q: CoverageQuery, onCall: OnCallBoard) -> CoverageAnswer {
        // The 町字 waits for the plans, which know the few towns a point of their cell can be nearest to.
        let place = locate(q, town: false)
        let board = onCall.versionedSnapshot()
        if q.explain { return answerByScan(q, place.town(for: q, self, among: nil), reports: board.reports) }
        if let answer = answerFromPlans(q, place, reports: board.reports, version: board.version) { return answer }
        return answerBySearch(q, place.town(for: q, self, among: nil), reports: board.reports)
    }

    /// The answer of the full scan alone: the reference, for comparisons and benchmarks.
    public func answerByFullScan(_ q: CoverageQuery, onCall: OnCallBoard) -> CoverageAnswer {
        answerByScan(q, locate(q), reports: onCall.versionedSnapshot().reports)
    }

    /// The query's municipality and 町字: the geocoder's where the point came from an address.
    struct Place: Sendable {
        /// The municipality's name, when the point lies in one.
        let name: String?
        let code: String?
        /// Nil also while not sought yet (see ``locate(_:town:)``).
        var town: String?
        /// The municipality's number in ``CoverageIndex/municipalityIndex`` (-2: none).
        let home: Int32
        var townSought: Bool

        /// The place with its 町字: the query's, or the nearest one's (among `candidates` of the
        /// municipality's towns where given).
        func town(for q: CoverageQuery, _ index: CoverageIndex, among candidates: [Int32]?) -> Place {
            guard !townSought else { return self }
            var p = self
            p.town = q.town ?? code.flatMap { index.nearestTown(to: q.point, in: $0, among: candidates) }
            p.townSought = true
            return p
        }

        /// The place at a point, as the eligibility rules see it.
        func patient(_ point: GeoPoint) -> PatientPoint { PatientPoint(point: point, code: code, home: home, town: town) }
    }

    /// The query's municipality and (unless `town` is false) its 町字.
    func locate(_ q: CoverageQuery, town: Bool = true) -> Place {
        // By position in the list: copying a municipality (its boundary) retained shared arrays.
        let (name, found) = municipalities.withUnsafeBufferPointer { list -> (String?, String?) in
            // By index too: `firstIndex(where:)` hands the closure a copy of each municipality.
            let k = q.municipalityCode.flatMap { c in list.indices.first { list[$0].code == c } } ?? list.indices.first { list[$0].holds(q.point) }
            return (k.map { list[$0].name }, k.map { list[$0].code })
        }
        let code = q.municipalityCode ?? found
        let place = Place(name: name, code: code, town: nil, home: code.flatMap { municipalityIndex[$0] } ?? -2, townSought: false)
        return town ? place.town(for: q, self, among: nil) : place
    }
}
