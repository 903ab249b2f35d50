import Foundation

/// A fact a provider keeps about itself at the desk (issue #20): its hours for a service, its
/// service area, the night capabilities it declares, its contact. Declarations sit beside the
/// official files, never over them, and carry when they were last confirmed.
public struct Declaration: Sendable, Equatable, Codable {
    public enum Fact: String, Sendable, Codable, CaseIterable { case hours, area, capabilities, contact }
    public var providerID: Int64
    public var fact: Fact
    /// The service it is for; nil: every service of the provider.
    public var service: String?
    /// The value as JSON (see ``DeclaredHours``, ``DeclaredArea``, ``DeclaredCapabilities``, ``DeclaredContact``).
    public var value: String
    public var updatedAt: Date
    public var updatedBy: String
    public var confirmedAt: Date
    public var confirmedBy: String

    public init(providerID: Int64, fact: Fact, service: String?, value: String, updatedAt: Date, updatedBy: String, confirmedAt: Date,
                confirmedBy: String) {
        self.providerID = providerID
        self.fact = fact
        self.service = service
        self.value = value
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.confirmedAt = confirmedAt
        self.confirmedBy = confirmedBy
    }

    public func decoded<T: Decodable>(_ type: T.Type) -> T? {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try? d.decode(type, from: Data(value.utf8))
    }
}

/// Hours for one service, in `opening_hours`.
public struct DeclaredHours: Sendable, Codable, Equatable {
    public var openingHours: String
    public init(openingHours: String) { self.openingHours = openingHours }
}

/// A service area as a provider declares it: a list of municipalities or 町字, a radius, or a
/// polygon drawn on the map (GeoJSON geometry text).
public struct DeclaredArea: Sendable, Codable, Equatable {
    public enum Rule: String, Sendable, Codable { case municipalities, towns, radius, polygon }
    public struct Town: Sendable, Codable, Equatable {
        public var municipalityCode: String
        public var town: String
        public init(municipalityCode: String, town: String) { self.municipalityCode = municipalityCode; self.town = town }
    }
    public var rule: Rule
    public var municipalities: [String]?
    public var towns: [Town]?
    public var radiusM: Double?
    public var polygon: String?

    public init(rule: Rule, municipalities: [String]? = nil, towns: [Town]? = nil, radiusM: Double? = nil, polygon: String? = nil) {
        self.rule = rule
        self.municipalities = municipalities
        self.towns = towns
        self.radiusM = radiusM
        self.polygon = polygon
    }
}

/// Capabilities the provider declares (`nursing_24h`, …), and its notes on the official ones,
/// which it cannot remove.
public struct DeclaredCapabilities: Sendable, Codable, Equatable {
    public var capabilities: [String]
    public var notes: [String: String]?
    public init(capabilities: [String], notes: [String: String]? = nil) { self.capabilities = capabilities; self.notes = notes }
}

/// How coordinators reach the provider, and a note for them.
public struct DeclaredContact: Sendable, Codable, Equatable {
    public var phone: String?
    public var fax: String?
    public var email: String?
    /// `phone`, `fax` or `email`.
    public var preferred: String?
    public var note: String?
    public init(phone: String? = nil, fax: String? = nil, email: String? = nil, preferred: String? = nil, note: String? = nil) {
        self.phone = phone
        self.fax = fax
        self.email = email
        self.preferred = preferred
        self.note = note
    }
}

extension Encodable {
    /// The value as the declarations table keeps it: JSON, snake_case keys, sorted.
    public func declarationJSON() throws -> String {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }
}
