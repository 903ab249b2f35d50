import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

extension CoverageIndex {
    /// Whether at least one provider covers the point for the service over the whole window — the
    /// question the gap layers ask of every mesh cell. Stops at the first; `cache` keeps shared
    /// availabilities across calls with the same window.
    public func anyCovers(_ point: GeoPoint, service: ServiceKind, window: CoverageWindow, onCall: [Int64: OnCallReport],
                          now: Date, cache: inout [Int: CoverageStatus?]) -> Bool {
        let from = window.from.timeIntervalSince1970, to = window.to.timeIntervalSince1970
        let place = municipality(containing: point)
        let code = place?.code
        let patient = PatientPoint(point: point, code: code, home: code.flatMap { municipalityIndex[$0] } ?? -2,
                                   town: code.flatMap { nearestTown(to: point, in: $0) })
        var candidates: [Int32] = nearby(point, metres: max(eligibility.distanceLimit(service) ?? 0, largestRadiusM), service: service)
        if let code {
            candidates += byAreaMunicipality[service]?[code] ?? []
            candidates += byHomeMunicipality[service]?[code] ?? []
        }
        candidates += polygonProviders
        let around = Geodesic.Around(point)
        for i in candidates {
            let p = providers[Int(i)]
            guard p.services.contains(service) else { continue }
            let position = p.facts.location.map { ProviderPosition($0, around: around) }
            guard refusal(i, service: service, position: position, at: patient) == nil else { continue }
            if let r = onCall[p.facts.id], r.service == nil || r.service == service.rawValue, r.endsAt > now {
                if availability(p, service: service, from: from, to: to, report: r, now: now).status == .covered { return true }
                continue
            }
            let group = groups[Int(i) * ServiceKind.allCases.count + service.ordinal]
            let key = group == Self.ungrouped ? -1 - Int(i) : Int(group)
            let status: CoverageStatus?
            if let cached = cache[key] { status = cached } else {
                status = availability(p, service: service, from: from, to: to, report: nil, now: now).status
                cache[key] = status
            }
            if status == .covered { return true }
        }
        return false
    }

    /// The municipality (code, name, prefecture) whose boundary holds a point.
    public func municipalityOf(_ point: GeoPoint) -> (code: String, name: String)? {
        municipality(containing: point).map { ($0.code, $0.name) }
    }

    /// Every loaded municipality with its boundary.
    public var municipalityShapes: [(code: String, prefecture: String, name: String, boundary: Geometry)] {
        municipalities.map { ($0.code, $0.prefecture, $0.name, $0.boundary) }
    }

    /// How many providers offer each service, per municipality (by the provider's own municipality).
    public func providerCounts() -> [String: [ServiceKind: Int]] {
        var counts: [String: [ServiceKind: Int]] = [:]
        for p in providers {
            guard let code = p.facts.municipalityCode else { continue }
            for s in p.services { counts[code, default: [:]][s, default: 0] += 1 }
        }
        return counts
    }

    /// Per municipality, the providers holding each capability (in the manner of 見える化's 在支診 counts).
    public func capabilityCounts() -> [String: [Capability: Int]] {
        var counts: [String: [Capability: Int]] = [:]
        for p in providers {
            guard let code = p.facts.municipalityCode else { continue }
            for c in p.capabilities { counts[code, default: [:]][c, default: 0] += 1 }
        }
        return counts
    }

    /// The datasets the providers' registrations come from.
    public var registrationDatasetIDs: Set<Int64> { Set(providers.flatMap { $0.registrations.map(\.dataset) }) }

    public func dataset(_ id: Int64) -> SourceRef? { sourceRefs([id]).first }

    /// The datasets the providers come from.
    public var providerDatasetIDs: Set<Int64> { Set(providers.map(\.facts.datasetID)) }
}
