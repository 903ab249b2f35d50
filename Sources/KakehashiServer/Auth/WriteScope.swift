import Foundation

/// Who a token writes as and what it may write (issue #20). A steward may write any provider; a
/// coordinator any provider's on-call report (heard by phone, audited as such); a provider's
/// staff and an app only the providers listed; an app with none listed only reads. The (ア)–(ク)
/// progress of a municipality is written by its own steward (role `municipality` with the
/// municipalities listed) or by a steward (any, or those listed). A token past its expiry writes nothing.
public struct WriteScope: Sendable, Equatable {
    public enum Role: String, Sendable, CaseIterable {
        case steward, coordinator, provider, app, municipality
    }

    public var role: Role
    /// The providers (ids as the API names them) it may write; nil: any the role allows.
    public var providers: Set<Int64>?
    /// The municipalities (5-digit codes) whose progress it may write; nil: any the role allows.
    public var municipalities: Set<String>?
    /// The first instant it no longer works; nil: no expiry.
    public var expires: Date?

    public init(role: Role, providers: Set<Int64>? = nil, municipalities: Set<String>? = nil, expires: Date? = nil) {
        self.role = role
        self.providers = providers
        self.municipalities = municipalities
        self.expires = expires
    }

    /// A token file line with a name and a hash only, as written before scopes: it keeps writing
    /// what it wrote, any provider's on-call report.
    public static let unscoped = WriteScope(role: .coordinator)

    public func mayWriteOnCall(of provider: Int64) -> Bool {
        switch role {
        case .steward, .coordinator: providers.map { $0.contains(provider) } ?? true
        case .provider, .app: providers?.contains(provider) ?? false
        case .municipality: false
        }
    }

    /// Whether it may record the municipality's (ア)–(ク) progress.
    public func mayWriteProgress(of municipality: String) -> Bool {
        switch role {
        case .steward: municipalities.map { $0.contains(municipality) } ?? true
        case .municipality: municipalities?.contains(municipality) ?? false
        case .coordinator, .provider, .app: false
        }
    }

    /// Whether it may change the provider's desk (hours, area, capabilities, contact): a steward's
    /// or the provider's own staff's token; coordinators and apps only post on-call reports.
    public func mayEditDesk(of provider: Int64) -> Bool {
        switch role {
        case .steward: providers.map { $0.contains(provider) } ?? true
        case .provider: providers?.contains(provider) ?? false
        case .coordinator, .app, .municipality: false
        }
    }

    public func hasExpired(at now: Date) -> Bool { expires.map { now >= $0 } ?? false }

    /// The scope's fields as the token file writes them after the hash
    /// (`role=app providers=12,15 expires=2027-04-01T00:00:00+09:00`).
    public var fileFields: [String] {
        ["role=\(role.rawValue)"]
            + (providers.map { ["providers=" + $0.sorted().map(String.init).joined(separator: ",")] } ?? [])
            + (municipalities.map { ["municipalities=" + $0.sorted().joined(separator: ",")] } ?? [])
            + (expires.map { ["expires=" + Timestamps.tokyo($0)] } ?? [])
    }

    /// Reads the fields after the hash; nil for a field it does not know (the file then fails closed).
    public init?(fileFields fields: [Substring]) {
        self = .unscoped
        var sawRole = false
        for field in fields {
            let pair = field.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            switch pair[0] {
            case "role":
                guard let r = Role(rawValue: pair[1]) else { return nil }
                (role, sawRole) = (r, true)
            case "providers":
                let ids = pair[1].split(separator: ",").compactMap { Int64($0) }
                guard !ids.isEmpty, ids.count == pair[1].split(separator: ",").count else { return nil }
                providers = Set(ids)
            case "municipalities":
                let codes = pair[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard !codes.isEmpty, codes.allSatisfy({ $0.count == 5 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
                municipalities = Set(codes)
            case "expires":
                guard let d = Timestamps.parse(pair[1]) else { return nil }
                expires = d
            default:
                return nil
            }
        }
        if !sawRole && !fields.isEmpty { return nil }
    }
}
