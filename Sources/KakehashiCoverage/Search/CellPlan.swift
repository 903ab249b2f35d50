import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// What every point of one 0.01° cell (about 1.1 × 0.9 km) shares for one service, municipality,
/// window and state of the on-call board: the providers that qualify wherever in the cell the
/// point lies (``Reach/everywhere`` by ``Eligibility``), with their availability and the least rank
/// key a point can give them, and the few whose answer depends on where exactly the point is — near
/// a distance limit, or with a 町字 list, a drawn area or an on-call report. A lookup then weighs
/// only those few and reads the head of the rest in order, instead of every candidate within 16 km.
/// A speed structure: its answers equal the full scan's (tested byte for byte).
final class CellPlan: Sendable {
    struct Key: Hashable, Sendable {
        let cell: Int64
        let service: ServiceKind
        let municipality: String?
        let from: Double
        let to: Double
        let board: Int
    }

    /// Qualifies at every point of the cell. `bound`: the least rank key any point of it can give.
    /// Its location is kept here (NaN: unknown): read from ``CoverageIndex/packed``, it was a cache
    /// miss per provider, half the time of reading a plan.
    struct Qualified: Sendable {
        let bound: UInt64
        let provider: Int32
        let timeline: Int32
        /// Which of the provider's declared areas an entry shows (-1: none declared).
        let area: Int32
        let lat: Double
        let lon: Double
        /// Its ``Geodesic/reducedLatitude(_:)``, for the page's exact distances.
        let sinU: Double
        let cosU: Double
    }

    /// Qualifies within `limit` metres (exact near it) when `limit` > 0; otherwise decided in full
    /// at each lookup, with the plan's `timeline` when it has one (-1: an on-call report or no
    /// shared availability group, worked out per lookup).
    struct Undecided: Sendable {
        let provider: Int32
        let timeline: Int32
        let limit: Double
        let lat: Double
        let lon: Double
    }

    let service: ServiceKind
    let timelines: [CoverageIndex.Timeline]
    /// Each timeline's status and basis bits of the rank key (``RankKey/group(_:)``; nil status: 0, never read).
    let ranks: [UInt64]
    /// The first ``CellPlan/kept`` qualified providers by bound.
    let qualified: [Qualified]
    let qualifiedCount: Int
    /// The bound of the first qualified provider not kept (`.max` when all are).
    let restBound: UInt64
    let undecided: [Undecided]
    /// The ``EntryMemoNumbers`` number of each kept qualified provider's entry.
    let memos: [Int]
    /// The municipality's towns a point of the cell can be nearest to (nil: weigh them all).
    let towns: [Int32]?

    /// More than a page ever reads from the head of the qualified providers (the head is short: the
    /// nearest of the best status and basis); a lookup that would need more uses the full scan.
    static let kept = 128
    static let cellDegrees = 0.01

    init(service: ServiceKind, timelines: [CoverageIndex.Timeline], qualified: [Qualified], undecided: [Undecided], towns: [Int32]?, memos: ([Qualified]) -> [Int]) {
        self.towns = towns
        self.service = service
        self.timelines = timelines
        ranks = timelines.map { $0.status == nil ? 0 : RankKey.group($0) }
        let sorted = qualified.sorted { $0.bound < $1.bound }
        self.qualified = Array(sorted.prefix(Self.kept))
        qualifiedCount = sorted.count
        restBound = sorted.count > Self.kept ? sorted[Self.kept].bound : .max
        self.undecided = undecided
        self.memos = memos(self.qualified)
    }

    /// Roughly what the plan holds in memory, for the cache's budget.
    var bytes: Int {
        256 + qualified.count * (MemoryLayout<Qualified>.stride + 8) + undecided.count * MemoryLayout<Undecided>.stride + ranks.count * 8
            + (towns?.count ?? 0) * 4 + timelines.reduce(0) { $0 + 64 + $1.covered.count * MemoryLayout<CoveredInterval>.stride }
    }
}
