import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// One service area of a provider as a shape to draw: the same rules the lookup applies, including
/// the defaults for providers that declare no area, so a map shows what the answer used.
public struct ServiceAreaShape: Sendable {
    /// The services the shape applies to (empty: every service of the provider).
    public var services: [ServiceKind]
    public var rule: AreaRule
    public var detail: String
    /// Polygons for areas; one point per 町字 for `towns` (the gazetteer holds points, not outlines).
    public var geometries: [(geometry: Geometry, label: String?)]
}

extension CoverageIndex {
    /// The drawable service areas of a provider, or nil when the id is unknown.
    public func serviceAreaShapes(providerID: Int64) -> [ServiceAreaShape]? {
        guard let i = index(of: providerID) else { return nil }
        let p = providers[Int(i)]
        var shapes: [ServiceAreaShape] = []
        func limitText(_ s: ServiceKind, _ metres: Double) -> String {
            Eligibility.limitIsLegal(s) ? "\(s.japaneseName)の上限 \(Int(metres / 1000)) km（直線距離）" : "架け橋の検索範囲 \(Int(metres / 1000)) km（直線距離）"
        }
        for a in p.areas {
            let services = a.service.map { [$0] } ?? []
            switch a.rule {
            case .radius(let r):
                guard let loc = p.facts.location else { continue }
                shapes.append(.init(services: services, rule: .radius, detail: "事業所から半径 \(Int(r)) m",
                                    geometries: [(.polygon([Geodesic.circle(around: loc, metres: r)]), nil)]))
            case .municipalities(let codes):
                let found = codes.sorted().compactMap(municipality(code:))
                shapes.append(.init(services: services, rule: .municipalities,
                                    detail: "実施地域の市区町村：" + found.map(\.name).joined(separator: "、"),
                                    geometries: found.map { ($0.boundary, $0.name) }))
            case .towns(let keys):
                let points: [(Geometry, String?)] = keys.sorted().compactMap { key in
                    let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
                    guard parts.count == 2, let t = towns[parts[0]]?.first(where: { $0.name == parts[1] }) else { return nil }
                    return (.point(t.point), t.name)
                }
                shapes.append(.init(services: services, rule: .towns, detail: "実施地域の町字（\(keys.count) か所）", geometries: points))
            case .polygon(let g, _):
                shapes.append(.init(services: services, rule: .polygon, detail: "登録された実施地域", geometries: [(g, nil)]))
            }
        }
        // Services without a declared area get the lookup's defaults.
        for s in p.services.sorted(by: { $0.rawValue < $1.rawValue }) where !p.areas.contains(where: { $0.service == nil || $0.service == s }) {
            if let limit = eligibility.distanceLimit(s) {
                guard let loc = p.facts.location else { continue }
                shapes.append(.init(services: [s], rule: Eligibility.limitIsLegal(s) ? .legalRadius : .searchRadius, detail: "実施地域の登録なし：" + limitText(s, limit),
                                    geometries: [(.polygon([Geodesic.circle(around: loc, metres: limit)]), nil)]))
            } else if let code = p.facts.municipalityCode, let m = municipality(code: code) {
                if let k = shapes.firstIndex(where: { $0.rule == .homeMunicipality }) { shapes[k].services.append(s); continue }
                shapes.append(.init(services: [s], rule: .homeMunicipality, detail: "実施地域の登録なし：所在市区町村（\(m.name)）",
                                    geometries: [(m.boundary, m.name)]))
            }
        }
        // Declared areas are still capped by the service's straight-line limit.
        for s in p.services.sorted(by: { $0.rawValue < $1.rawValue }) {
            guard let limit = eligibility.distanceLimit(s), let loc = p.facts.location,
                  p.areas.contains(where: { $0.service == nil || $0.service == s }) else { continue }
            shapes.append(.init(services: [s], rule: .legalLimit, detail: limitText(s, limit),
                                geometries: [(.polygon([Geodesic.circle(around: loc, metres: limit)]), nil)]))
        }
        return shapes
    }

    /// Every 町字 representative point in the box, for labels on the map.
    public func townPoints(in box: GeoBox) -> [ProviderFactsSnapshot.Town] {
        towns.values.flatMap { $0 }.filter { box.contains($0.point) }.sorted { ($0.municipalityCode, $0.name) < ($1.municipalityCode, $1.name) }
    }
}

extension CoverageIndex {
    /// Where most providers are: the 2nd to 98th percentile of their positions, so that remote
    /// islands (Tokyo's reach 24° N) do not set a map's first view.
    public var providerFocus: GeoBox? {
        let placed = providers.compactMap(\.facts.location)
        guard placed.count >= 2 else { return bounds }
        let lons = placed.map(\.lon).sorted(), lats = placed.map(\.lat).sorted()
        let lo = placed.count / 50, hi = placed.count - 1 - placed.count / 50
        return GeoBox(minLon: lons[lo], minLat: lats[lo], maxLon: lons[hi], maxLat: lats[hi])
    }
}

extension CoverageIndex {
    /// Declared radius areas whose circle may meet the box (for the service-area tiles; the
    /// defaults — 16 km, the home municipality — are not declared areas and are left to
    /// `/v1/providers/{id}/service-area`).
    public func radiusAreas(in box: GeoBox) -> [(provider: Int64, service: String?, centre: GeoPoint, radiusM: Double)] {
        guard largestRadiusM > 0 else { return [] }
        let mid = GeoPoint(lon: (box.minLon + box.maxLon) / 2, lat: (box.minLat + box.maxLat) / 2)
        let reach = Geodesic.box(around: mid, metres: largestRadiusM)
        let dLon = (reach.maxLon - reach.minLon) / 2, dLat = (reach.maxLat - reach.minLat) / 2
        let wide = GeoBox(minLon: box.minLon - dLon, minLat: box.minLat - dLat, maxLon: box.maxLon + dLon, maxLat: box.maxLat + dLat)
        var out: [(Int64, String?, GeoPoint, Double)] = []
        forEachCell(of: wide) { cell in
            for i in cell {
                let p = providers[Int(i)]
                guard let loc = p.facts.location else { continue }
                for a in p.areas {
                    guard case .radius(let r) = a.rule else { continue }
                    let b = Geodesic.box(around: loc, metres: r)
                    guard b.minLon <= box.maxLon, b.maxLon >= box.minLon, b.minLat <= box.maxLat, b.maxLat >= box.minLat else { continue }
                    out.append((p.facts.id, a.service?.rawValue, loc, r))
                }
            }
        }
        return out.sorted { $0.0 < $1.0 }
    }
}
