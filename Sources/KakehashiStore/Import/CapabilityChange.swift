import GRDB

/// What a new release of a source changed in one provider's capabilities (as `capability:detail`).
public struct CapabilityChange: Sendable, Codable, Equatable, CustomStringConvertible {
    public var source: String
    public var officialID: String
    public var name: String
    public var gained: [String]
    public var lost: [String]

    public var description: String {
        var parts: [String] = []
        if !gained.isEmpty { parts.append("追加 " + gained.joined(separator: ", ")) }
        if !lost.isEmpty { parts.append("取消 " + lost.joined(separator: ", ")) }
        return "\(officialID) \(name): " + parts.joined(separator: "／")
    }

    struct Held { var name: String; var capabilities: Set<String> }

    /// The capabilities the datasets' providers hold, by `source/official_id`.
    static func held(by datasets: [Int64], db: Database) throws -> [String: Held] {
        guard !datasets.isEmpty else { return [:] }
        let list = datasets.map(String.init).joined(separator: ",")
        var held: [String: Held] = [:]
        // A cursor, and each provider's entry changed in place: a reload of 450,000 providers reads
        // this twice.
        let rows = try Row.fetchCursor(db, sql: """
            SELECT p.source, p.official_id, p.name, c.capability, c.detail
            FROM providers p LEFT JOIN provider_capabilities c ON c.provider_id = p.id AND c.dataset_id IN (\(list))
            WHERE p.dataset_id IN (\(list)) OR c.dataset_id IS NOT NULL
            """)
        while let r = try rows.next() {
            let key = "\(r["source"] as String)/\(r["official_id"] as String)"
            if let c: String = r["capability"] {
                held[key, default: Held(name: r["name"], capabilities: [])].capabilities.insert((r["detail"] as String?).map { "\(c):\($0)" } ?? c)
            } else if held[key] == nil {
                held[key] = Held(name: r["name"], capabilities: [])
            }
        }
        return held
    }

    /// The providers whose capabilities differ, in order of key.
    static func between(_ before: [String: Held], _ after: [String: Held]) -> [CapabilityChange] {
        // Only the keys that changed are sorted: most providers keep their capabilities.
        let changed = before.filter { $0.value.capabilities != after[$0.key]?.capabilities ?? [] }.map(\.key)
            + after.filter { before[$0.key] == nil && !$0.value.capabilities.isEmpty }.map(\.key)
        return changed.sorted().map { key in
            let was = before[key]?.capabilities ?? [], now = after[key]?.capabilities ?? []
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            return CapabilityChange(source: parts[0], officialID: parts.count > 1 ? parts[1] : "", name: after[key]?.name ?? before[key]?.name ?? "",
                                    gained: now.subtracting(was).sorted(), lost: was.subtracting(now).sorted())
        }
    }
}
