import Foundation
import GRDB

extension SpatialDatabase {
    static func declaration(_ r: Row) -> Declaration? {
        guard let fact = Declaration.Fact(rawValue: r["fact"]), let updated = date(r["updated_at"]), let confirmed = date(r["confirmed_at"]) else { return nil }
        let service: String = r["service"]
        return Declaration(providerID: r["provider_id"], fact: fact, service: service.isEmpty ? nil : service, value: r["value"],
                           updatedAt: updated, updatedBy: r["updated_by"], confirmedAt: confirmed, confirmedBy: r["confirmed_by"])
    }

    /// The declarations of one provider, or of all.
    public func declarations(provider: Int64? = nil) throws -> [Declaration] {
        try reader.read { db in try Self.declarations(db, provider: provider) }
    }

    static func declarations(_ db: Database, provider: Int64?) throws -> [Declaration] {
        try Row.fetchAll(db, sql: "SELECT * FROM declarations WHERE ? IS NULL OR provider_id = ? ORDER BY provider_id, fact, service",
                         arguments: [provider, provider]).compactMap(Self.declaration)
    }

    /// What a reload compares to see whether a declaration changed or was confirmed since: a count
    /// of changes (0: none ever).
    public func declarationsVersion() throws -> Int64 {
        try reader.read { db in try Int64.fetchOne(db, sql: "SELECT revision FROM declarations_revision") ?? 0 }
    }

    static func countChange(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO declarations_revision (id, revision) VALUES (1, 1) ON CONFLICT(id) DO UPDATE SET revision = revision + 1")
    }

    /// Writes (or, with a nil value, withdraws) one declaration; writing confirms it. Audited with
    /// the value before and after. Returns the declaration as kept (nil once withdrawn); throws
    /// ``DeskRefusal/providerMissing`` when the provider does not exist.
    @discardableResult
    public func putDeclaration(provider: Int64, fact: Declaration.Fact, service: String?, value: String?, actor: String, role: String,
                               at now: Date = Date()) throws -> Declaration? {
        try writeRecords { db in
            try Self.requireProvider(db, provider)
            let key: [any DatabaseValueConvertible] = [provider, fact.rawValue, service ?? ""]
            let before = try String.fetchOne(db, sql: "SELECT value FROM declarations WHERE provider_id = ? AND fact = ? AND service = ?",
                                             arguments: StatementArguments(key))
            let t = Self.timestamp(now)
            if let value {
                try db.execute(sql: """
                    INSERT INTO declarations (provider_id, fact, service, value, updated_at, updated_by, confirmed_at, confirmed_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(provider_id, fact, service) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at,
                        updated_by = excluded.updated_by, confirmed_at = excluded.confirmed_at, confirmed_by = excluded.confirmed_by
                    """, arguments: StatementArguments(key + [value, t, actor, t, actor]))
            } else {
                try db.execute(sql: "DELETE FROM declarations WHERE provider_id = ? AND fact = ? AND service = ?", arguments: StatementArguments(key))
            }
            try Self.countChange(db)
            var detail: [String: Any] = ["role": role, "fact": fact.rawValue]
            if let service { detail["service"] = service }
            if let before { detail["before"] = before }
            if let value { detail["after"] = value }
            try AuditLog.append(db, at: now, actor: actor, action: value == nil ? "declaration.withdraw" : "declaration.put",
                                target: "provider:\(provider)", detail: detail)
            let row = try Row.fetchOne(db, sql: "SELECT * FROM declarations WHERE provider_id = ? AND fact = ? AND service = ?",
                                       arguments: StatementArguments(key))
            return row.flatMap(Self.declaration)
        }
    }

    /// Confirms every declaration of the provider as still true today; audited. Returns how many.
    public func confirmDeclarations(provider: Int64, actor: String, role: String, at now: Date = Date()) throws -> Int {
        try writeRecords { db in
            try Self.requireProvider(db, provider)
            try db.execute(sql: "UPDATE declarations SET confirmed_at = ?, confirmed_by = ? WHERE provider_id = ?",
                           arguments: [Self.timestamp(now), actor, provider])
            let n = db.changesCount
            try Self.countChange(db)
            try AuditLog.append(db, at: now, actor: actor, action: "declaration.confirm", target: "provider:\(provider)",
                                detail: ["role": role, "confirmed": n])
            return n
        }
    }

    static func requireProvider(_ db: Database, _ provider: Int64) throws {
        guard try Int.fetchOne(db, sql: "SELECT 1 FROM providers WHERE id = ?", arguments: [provider]) != nil else {
            throw DeskRefusal.providerMissing(provider)
        }
    }
}
