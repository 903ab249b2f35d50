import Foundation
import GRDB

/// Who signs in to the desk: a steward (the municipality or 医師会 running Kakehashi) or a provider's
/// staff, tied to the providers they may edit. A steward of one municipality (`municipality` set)
/// records that municipality's (ア)–(ク) progress and nothing else.
public struct DeskAccount: Sendable, Equatable, Codable {
    public enum Role: String, Sendable, Codable, CaseIterable { case steward, provider }
    public var id: Int64
    public var login: String
    public var role: Role
    public var providers: [Int64]
    public var createdAt: Date
    public var disabledAt: Date?
    /// A steward's municipality (5-digit code; a 政令市 as a whole, e.g. 11100); nil: the whole region.
    public var municipality: String? = nil

    /// A steward of the whole region: invites, manages accounts, and edits any provider's desk.
    public var isRegionSteward: Bool { role == .steward && municipality == nil }

    /// Whether the account may edit the provider's desk.
    public func mayEdit(_ provider: Int64) -> Bool { disabledAt == nil && (isRegionSteward || providers.contains(provider)) }

    /// Whether the account may record the municipality's (ア)–(ク) progress.
    public func mayWriteProgress(of code: String) -> Bool {
        disabledAt == nil && role == .steward && (municipality == nil || municipality == code)
    }
}

/// Why the desk refused an account operation. The texts never tell whether a login exists.
public enum DeskRefusal: Error, Equatable {
    /// Unknown, expired, used or revoked: one answer for all.
    case invitationInvalid
    case loginTaken
    case providerMissing(Int64)
    case accountMissing(String)
    /// A steward invitation for a municipality neither the boundaries nor the population know.
    case municipalityMissing(String)
}

extension SpatialDatabase {
    static let accountColumns = "id, login, role, created_at, disabled_at, municipality"

    static func account(_ db: Database, _ r: Row) throws -> DeskAccount {
        let id: Int64 = r["id"]
        let providers = try Int64.fetchAll(db, sql: "SELECT provider_id FROM desk_account_providers WHERE account_id = ? ORDER BY provider_id", arguments: [id])
        return DeskAccount(id: id, login: r["login"], role: DeskAccount.Role(rawValue: r["role"]) ?? .provider, providers: providers,
                           createdAt: date(r["created_at"]) ?? .distantPast, disabledAt: (r["disabled_at"] as String?).flatMap(date),
                           municipality: r["municipality"])
    }

    /// The account of a login with its password hash, or nil (the caller still spends a hash's time).
    public func deskAccount(login: String) throws -> (account: DeskAccount, passwordHash: String)? {
        try reader.read { db in
            guard let r = try Row.fetchOne(db, sql: "SELECT \(Self.accountColumns), password_hash FROM desk_accounts WHERE login = ?",
                                           arguments: [login]) else { return nil }
            return (try Self.account(db, r), r["password_hash"])
        }
    }

    /// Every account, oldest first (for the steward's page).
    public func deskAccounts() throws -> [DeskAccount] {
        try reader.read { db in
            try Row.fetchAll(db, sql: "SELECT \(Self.accountColumns) FROM desk_accounts ORDER BY id").map { try Self.account(db, $0) }
        }
    }

    /// Disables an account and revokes its sessions; audited. Throws ``DeskRefusal/accountMissing``.
    public func disableDeskAccount(login: String, actor: String, at now: Date = Date()) throws {
        try writeRecords { db in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM desk_accounts WHERE login = ?", arguments: [login]) else {
                throw DeskRefusal.accountMissing(login)
            }
            let t = Self.timestamp(now)
            try db.execute(sql: "UPDATE desk_accounts SET disabled_at = coalesce(disabled_at, ?) WHERE id = ?", arguments: [t, id])
            try db.execute(sql: "UPDATE desk_sessions SET revoked_at = coalesce(revoked_at, ?) WHERE account_id = ?", arguments: [t, id])
            // What it handed out goes with it: its open invitations can no longer be used.
            try db.execute(sql: "UPDATE desk_invitations SET revoked_at = ? WHERE created_by = ? AND used_at IS NULL AND revoked_at IS NULL",
                           arguments: [t, "desk:" + login])
            try AuditLog.append(db, at: now, actor: actor, action: "desk.account.disable", target: "account:\(login)", detail: ["role": "steward"])
        }
    }

    // MARK: Sessions

    /// Opens a session for the account; returns the token for the cookie (kept only as its hash).
    public func openDeskSession(account: Int64, lifetime: TimeInterval, at now: Date = Date()) throws -> String {
        let token = DeskSecret.token()
        try writeRecords { db in
            try db.execute(sql: "INSERT INTO desk_sessions (token_hash, account_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                           arguments: [DeskSecret.hash(token), account, Self.timestamp(now), Self.timestamp(now.addingTimeInterval(lifetime))])
        }
        return token
    }

    /// The account of a live session: not revoked, not expired, the account not disabled.
    public func deskSession(token: String, at now: Date = Date()) throws -> DeskAccount? {
        try reader.read { db in
            guard let r = try Row.fetchOne(db, sql: """
                SELECT a.id, a.login, a.role, a.created_at, a.disabled_at, a.municipality FROM desk_sessions s JOIN desk_accounts a ON a.id = s.account_id
                WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND a.disabled_at IS NULL
                """, arguments: [DeskSecret.hash(token), Self.timestamp(now)]) else { return nil }
            return try Self.account(db, r)
        }
    }

    public func revokeDeskSession(token: String, at now: Date = Date()) throws {
        try writeRecords { db in
            try db.execute(sql: "UPDATE desk_sessions SET revoked_at = coalesce(revoked_at, ?) WHERE token_hash = ?",
                           arguments: [Self.timestamp(now), DeskSecret.hash(token)])
        }
    }
}
