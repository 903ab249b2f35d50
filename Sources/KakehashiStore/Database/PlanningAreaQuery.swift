import Foundation
import GRDB
import KakehashiGeo
import KakehashiModel

/// A planning area and the municipalities it is made of.
public struct PlanningArea: Sendable {
    public var kind: PlanningAreaKind
    public var code: String
    public var name: String
    public var prefectureCode: String
    public var members: [String]
    public var datasetID: Int64
}

extension SpatialDatabase {
    /// The areas of a kind, each with its member municipalities (sorted by code).
    public func planningAreas(_ kind: PlanningAreaKind) throws -> [PlanningArea] {
        try reader.read { db in
            var areas: [String: PlanningArea] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT area_code, area_name, prefecture_code, municipality_code, dataset_id FROM planning_area_members
                WHERE kind = ? ORDER BY area_code, municipality_code
                """, arguments: [kind.rawValue]) {
                let code: String = r["area_code"]
                areas[code, default: PlanningArea(kind: kind, code: code, name: r["area_name"], prefectureCode: r["prefecture_code"], members: [],
                                                   datasetID: r["dataset_id"])].members.append(r["municipality_code"])
            }
            return areas.values.sorted { $0.code < $1.code }
        }
    }

    /// The 地域医療構想区域: those drawn apart from the 二次医療圏 where a prefecture has any, else its
    /// 二次医療圏 themselves (same code and name, as in 埼玉・千葉・東京), so that MHLW's demand per
    /// 構想区域 always finds its area.
    public func conceptAreas() throws -> [PlanningArea] {
        let drawn = try planningAreas(.conceptArea)
        let prefectures = Set(drawn.map(\.prefectureCode))
        let same = try planningAreas(.secondaryMedicalArea).filter { !prefectures.contains($0.prefectureCode) }
        return (drawn + same.map { var a = $0; a.kind = .conceptArea; return a }).sorted { $0.code < $1.code }
    }

    /// The members' boundaries dissolved into one (GEOS's union through SpatiaLite); nil where none
    /// of them is loaded.
    public func dissolvedBoundary(of codes: [String]) throws -> Geometry? {
        guard !codes.isEmpty else { return nil }
        return try reader.read { db in
            let text = try String.fetchOne(db, sql: """
                SELECT AsGeoJSON(ST_Union(boundary), 7) FROM municipalities WHERE code IN (\(codes.map { _ in "?" }.joined(separator: ",")))
                """, arguments: StatementArguments(codes))
            return Self.geometry(geoJSON: text)
        }
    }
}

/// A 構想区域's demand for a kind of care in one fiscal year.
public struct AreaDemand: Sendable {
    public var fiscalYear: Int
    public var projected: Bool
    public var receiptsPerMonth: Double
    public var datasetID: Int64

    /// The figure a layer of population `year` shows: that year's, else the latest actual one up to
    /// it (2024's actual beside 2025's population); a projection only for its own year.
    public static func shown(_ held: [AreaDemand], year: Int?) -> AreaDemand? {
        guard let year else { return held.filter { !$0.projected }.max { $0.fiscalYear < $1.fiscalYear } }
        return held.first { $0.fiscalYear == year } ?? held.filter { !$0.projected && $0.fiscalYear <= year }.max { $0.fiscalYear < $1.fiscalYear }
    }
}

extension SpatialDatabase {
    /// Each 構想区域's demand for a kind of care, every fiscal year held.
    public func demand(_ care: CareDemand) throws -> [String: [AreaDemand]] {
        try reader.read { db in
            var result: [String: [AreaDemand]] = [:]
            for r in try Row.fetchAll(db, sql: """
                SELECT area_code, fiscal_year, projected, receipts_per_month, dataset_id FROM area_demand WHERE care = ? ORDER BY area_code, fiscal_year
                """, arguments: [care.rawValue]) {
                result[r["area_code"], default: []].append(AreaDemand(fiscalYear: r["fiscal_year"], projected: r["projected"],
                                                                      receiptsPerMonth: r["receipts_per_month"], datasetID: r["dataset_id"]))
            }
            return result
        }
    }
}
