import Foundation
import GRDB

/// One loaded file, as `kakehashi datasets` lists it.
public struct DatasetSummary: Sendable, Codable {
    public var id: Int64
    public var sourceKind: String
    public var sourceKey: String
    public var fileName: String
    public var sha256: String
    public var rowsRead: Int
    public var rowsLoaded: Int
    public var rowsRejected: Int
    public var warnings: Int
    public var referenceDate: String?
    public var credit: String
    public var loadedAt: String
    public var supersededBy: Int64?
}

extension SpatialDatabase {
    /// The newest load's id (0 before any): every load that changes the data adds a dataset row, so
    /// a running server compares this to know when to read the data again.
    public func latestDatasetID() throws -> Int64 {
        try reader.read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM datasets") ?? 0 }
    }

    /// Every load, newest first.
    public func datasets() throws -> [DatasetSummary] {
        try reader.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM datasets ORDER BY id DESC").map { r in
                DatasetSummary(id: r["id"], sourceKind: r["source_kind"], sourceKey: r["source_key"], fileName: r["file_name"],
                               sha256: r["sha256"], rowsRead: r["rows_read"], rowsLoaded: r["rows_loaded"],
                               rowsRejected: r["rows_rejected"], warnings: r["warnings"], referenceDate: r["reference_date"],
                               credit: r["credit"], loadedAt: r["loaded_at"], supersededBy: r["superseded_by"])
            }
        }
    }

    /// The full report of one load (warnings and rejected rows included).
    public func report(dataset id: Int64) throws -> ImportReport? {
        try reader.read { db in
            guard let json = try String.fetchOne(db, sql: "SELECT report FROM datasets WHERE id = ?", arguments: [id]) else { return nil }
            return try JSONDecoder().decode(ImportReport.self, from: Data(json.utf8))
        }
    }
}
