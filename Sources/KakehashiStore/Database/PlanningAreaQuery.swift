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
