import Foundation
import GRDB

/// One line of the audit log: who wrote (or was refused), in which role, what, to which provider,
/// with the state before and after. Every write of the server and the desk goes through here.
enum AuditLog {
    static func append(_ db: Database, at now: Date, actor: String, action: String, target: String, detail: [String: Any]) throws {
        let json = String(decoding: try JSONSerialization.data(withJSONObject: detail, options: [.sortedKeys]), as: UTF8.self)
        try db.execute(sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
                       arguments: [SpatialDatabase.timestamp(now), actor, action, target, json])
    }
}

extension SpatialDatabase {
    /// Records a refused write or read (the scope did not allow it): nothing else is written.
    public func auditRefusal(actor: String, role: String, action: String, provider: Int64, reason: String, at now: Date = Date()) throws {
        try auditRefusal(actor: actor, role: role, action: action, target: "provider:\(provider)", reason: reason, at: now)
    }

    /// A refusal of something that is not one provider's (the steward's pages, a session's CSRF token).
    public func auditRefusal(actor: String, role: String, action: String, target: String, reason: String, at now: Date = Date()) throws {
        try writeRecords { db in
            try AuditLog.append(db, at: now, actor: actor, action: action + ".refused", target: target, detail: ["role": role, "reason": reason])
        }
    }
}
