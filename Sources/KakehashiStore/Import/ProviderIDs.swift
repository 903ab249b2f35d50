import GRDB

/// Provider ids are never given twice.
///
/// Declarations, desk accounts and invitations name a provider by id and outlive a release that
/// drops it (the provider may come back). SQLite gives a new row the largest id plus one, so the id
/// of a dropped last provider went to the next new provider, with its staff's declarations and
/// desk access. New providers therefore take ids above a high-water mark kept in the database.
struct ProviderIDs {
    /// The id the next new provider gets.
    private(set) var next: Int64

    init(_ db: Database) throws {
        // The records file too: a data file built anew beside it starts from nothing of its own.
        let high = try Int64.fetchOne(db, sql: """
            SELECT max(coalesce((SELECT high FROM provider_id_high_water), 0), coalesce((SELECT max(id) FROM providers), 0),
                       \(Self.namedInRecords))
            """) ?? 0
        next = high + 1
    }

    /// The largest provider id the records name (once they are in their own file, see RecordsFile).
    static let namedInRecords = """
        coalesce((SELECT max(provider_id) FROM records.declarations), 0),
        coalesce((SELECT max(provider_id) FROM records.desk_account_providers), 0),
        coalesce((SELECT max(provider_id) FROM records.desk_invitations), 0),
        coalesce((SELECT max(provider_id) FROM records.on_call_reports), 0)
        """

    /// Notes the id an upsert returned: the proposed one was taken when the row was new.
    mutating func noteReturned(_ id: Int64) {
        if id >= next { next = id + 1 }
    }

    func save(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO provider_id_high_water (id, high) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET high = max(high, excluded.high)
            """, arguments: [next - 1])
    }

    /// The mark for a database made before it was kept: above every id that anything names.
    static let v11: [String] = [
        "CREATE TABLE provider_id_high_water (id INTEGER PRIMARY KEY CHECK (id = 1), high INTEGER NOT NULL)",
        """
        INSERT INTO provider_id_high_water (id, high)
        SELECT 1, max(coalesce((SELECT max(id) FROM providers), 0),
                      coalesce((SELECT max(provider_id) FROM declarations), 0),
                      coalesce((SELECT max(provider_id) FROM desk_account_providers), 0),
                      coalesce((SELECT max(provider_id) FROM desk_invitations), 0),
                      coalesce((SELECT max(provider_id) FROM on_call_reports), 0))
        """,
    ]
}
