import Foundation
import GRDB

/// A one-time invitation: the steward makes one per provider (or for another steward); the staff
/// who hold its code choose a login and a password once, before it expires.
public struct DeskInvitation: Sendable, Equatable, Codable {
    public var id: Int64
    public var role: DeskAccount.Role
    public var providerID: Int64?
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date
    public var usedAt: Date?
    public var accountID: Int64?
    public var revokedAt: Date?
    /// A steward invitation's municipality (see ``DeskAccount/municipality``).
    public var municipality: String? = nil

    /// `open`, `used`, `expired` or `revoked` at `now`.
    public func status(at now: Date) -> String {
        usedAt != nil ? "used" : revokedAt != nil ? "revoked" : expiresAt <= now ? "expired" : "open"
    }
}

extension SpatialDatabase {
    static func invitation(_ r: Row) -> DeskInvitation {
        DeskInvitation(id: r["id"], role: DeskAccount.Role(rawValue: r["role"]) ?? .provider, providerID: r["provider_id"], createdBy: r["created_by"],
                       createdAt: date(r["created_at"]) ?? .distantPast, expiresAt: date(r["expires_at"]) ?? .distantPast,
                       usedAt: (r["used_at"] as String?).flatMap(date), accountID: r["account_id"], revokedAt: (r["revoked_at"] as String?).flatMap(date),
                       municipality: r["municipality"])
    }

    /// Creates an invitation and returns it with its code (shown once; kept only as its hash). A
    /// provider invitation needs a provider that exists; a steward invitation may be limited to one
    /// municipality the database knows. Audited.
    public func createDeskInvitation(role: DeskAccount.Role, provider: Int64?, municipality: String? = nil, createdBy: String,
                                     validFor: TimeInterval, at now: Date = Date()) throws -> (invitation: DeskInvitation, code: String) {
        let code = DeskSecret.invitationCode()
        return try writeRecords { db in
            if let provider { try Self.requireProvider(db, provider) }
            let municipality = role == .steward ? municipality : nil
            if let municipality, !(try Self.isProgressArea(db, municipality)) { throw DeskRefusal.municipalityMissing(municipality) }
            try db.execute(sql: """
                INSERT INTO desk_invitations (code_hash, role, provider_id, created_by, created_at, expires_at, municipality) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [DeskSecret.hash(code), role.rawValue, role == .provider ? provider : nil, createdBy,
                                 Self.timestamp(now), Self.timestamp(now.addingTimeInterval(validFor)), municipality])
            let id = db.lastInsertedRowID
            var detail: [String: Any] = ["role": "steward", "invitation": id, "invited_role": role.rawValue,
                                         "expires_at": Self.timestamp(now.addingTimeInterval(validFor))]
            if let municipality { detail["municipality"] = municipality }
            try AuditLog.append(db, at: now, actor: createdBy, action: "desk.invite", target: provider.map { "provider:\($0)" } ?? "steward",
                                detail: detail)
            return (Self.invitation(try Row.fetchOne(db, sql: "SELECT * FROM desk_invitations WHERE id = ?", arguments: [id])!), code)
        }
    }

    /// Whether a code names an invitation that can still be used.
    public func deskInvitationIsOpen(code: String, at now: Date = Date()) throws -> Bool {
        try reader.read { db in
            try Int.fetchOne(db, sql: "SELECT 1 FROM desk_invitations WHERE code_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?",
                             arguments: [DeskSecret.hash(DeskSecret.normalisedCode(code)), Self.timestamp(now)]) != nil
        }
    }

    /// Revokes an open invitation (false: none open with that id); audited.
    public func revokeDeskInvitation(id: Int64, actor: String, at now: Date = Date()) throws -> Bool {
        try writeRecords { db in
            try db.execute(sql: "UPDATE desk_invitations SET revoked_at = ? WHERE id = ? AND used_at IS NULL AND revoked_at IS NULL",
                           arguments: [Self.timestamp(now), id])
            guard db.changesCount == 1 else { return false }
            let provider = try Int64.fetchOne(db, sql: "SELECT provider_id FROM desk_invitations WHERE id = ?", arguments: [id])
            try AuditLog.append(db, at: now, actor: actor, action: "desk.invitation.revoke", target: provider.map { "provider:\($0)" } ?? "steward",
                                detail: ["role": "steward", "invitation": id])
            return true
        }
    }

    /// Every invitation, newest first.
    public func deskInvitations() throws -> [DeskInvitation] {
        try reader.read { db in try Row.fetchAll(db, sql: "SELECT * FROM desk_invitations ORDER BY id DESC").map(Self.invitation) }
    }

    /// Uses an invitation once: creates the account with the chosen login and password hash, ties it
    /// to the invitation's provider, and marks the invitation used — all or nothing. Audited.
    public func acceptDeskInvitation(code: String, login: String, passwordHash: String, at now: Date = Date()) throws -> DeskAccount {
        try writeRecords { db in
            let t = Self.timestamp(now)
            guard let r = try Row.fetchOne(db, sql: """
                SELECT * FROM desk_invitations WHERE code_hash = ? AND used_at IS NULL AND revoked_at IS NULL AND expires_at > ?
                """, arguments: [DeskSecret.hash(DeskSecret.normalisedCode(code)), t]) else { throw DeskRefusal.invitationInvalid }
            let invitation = Self.invitation(r)
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM desk_accounts WHERE login = ?", arguments: [login]) == nil else { throw DeskRefusal.loginTaken }
            try db.execute(sql: "INSERT INTO desk_accounts (login, role, password_hash, created_at, municipality) VALUES (?, ?, ?, ?, ?)",
                           arguments: [login, invitation.role.rawValue, passwordHash, t, invitation.municipality])
            let account = db.lastInsertedRowID
            if let p = invitation.providerID {
                try db.execute(sql: "INSERT INTO desk_account_providers (account_id, provider_id) VALUES (?, ?)", arguments: [account, p])
            }
            try db.execute(sql: "UPDATE desk_invitations SET used_at = ?, account_id = ? WHERE id = ?", arguments: [t, account, invitation.id])
            try AuditLog.append(db, at: now, actor: "desk:\(login)", action: "desk.invitation.accept",
                                target: invitation.providerID.map { "provider:\($0)" } ?? "steward",
                                detail: ["role": invitation.role.rawValue, "invitation": invitation.id])
            return try Self.account(db, try Row.fetchOne(db, sql: "SELECT \(Self.accountColumns) FROM desk_accounts WHERE id = ?", arguments: [account])!)
        }
    }
}
