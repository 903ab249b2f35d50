import Foundation
import GRDB

/// A provider as the steward follows it at the desk: accounts, open invitations, declarations and
/// the oldest confirmation among them.
public struct DeskProviderStatus: Sendable, Codable, Equatable {
    public var id: Int64
    public var name: String
    public var kind: String
    public var municipalityCode: String?
    public var accounts: Int
    public var openInvitations: Int
    public var declarations: Int
    /// The oldest confirmation of its declarations (contact aside): what goes stale first.
    public var oldestConfirmedAt: Date?
}

extension SpatialDatabase {
    /// Providers whose name contains `name`; without a name, those the desk knows (invited, with an
    /// account or a declaration). By id, at most `limit`.
    public func deskProviderStatuses(name: String?, limit: Int, at now: Date = Date()) throws -> [DeskProviderStatus] {
        try reader.read { db in
            let pattern = name.map { "%" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%" }
            return try Row.fetchAll(db, sql: """
                SELECT p.id, p.name, p.kind, p.municipality_code,
                    (SELECT count(*) FROM desk_account_providers ap JOIN desk_accounts a ON a.id = ap.account_id
                     WHERE ap.provider_id = p.id AND a.disabled_at IS NULL) AS accounts,
                    (SELECT count(*) FROM desk_invitations i WHERE i.provider_id = p.id AND i.used_at IS NULL AND i.revoked_at IS NULL
                     AND i.expires_at > ?) AS open_invitations,
                    (SELECT count(*) FROM declarations d WHERE d.provider_id = p.id) AS declarations,
                    (SELECT min(confirmed_at) FROM declarations d WHERE d.provider_id = p.id AND d.fact != 'contact') AS oldest
                FROM providers p
                WHERE CASE WHEN ? IS NULL
                    THEN p.id IN (SELECT provider_id FROM desk_account_providers UNION SELECT provider_id FROM desk_invitations
                                  WHERE provider_id IS NOT NULL UNION SELECT provider_id FROM declarations)
                    ELSE p.name LIKE ? ESCAPE '\\' END
                ORDER BY p.id LIMIT ?
                """, arguments: [Self.timestamp(now), pattern, pattern, limit]).map { r in
                DeskProviderStatus(id: r["id"], name: r["name"], kind: r["kind"], municipalityCode: r["municipality_code"], accounts: r["accounts"],
                                   openInvitations: r["open_invitations"], declarations: r["declarations"],
                                   oldestConfirmedAt: (r["oldest"] as String?).flatMap(Self.date))
            }
        }
    }
}
