import Foundation
import GRDB
import Testing
@testable import KakehashiStore

/// What people record about a provider (declarations, desk accounts, invitations) names it by id
/// and outlives a release that drops it: that id must never name another provider.
@Suite struct ProviderIDTests {
    @Test func aDroppedProvidersIDIsNeverGivenToAnother() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let lines = try BadInputTests.lines(BadInputTests.kaigo, count: 13)  // header and 12 offices
        let v1 = try Fixtures.write(lines.prefix(11).joined(separator: "\n"), name: "jigyosho_130_v1.csv", in: dir)
        _ = try DataImport.run(.kaigo, files: [v1], into: db)
        let last = try #require(try db.reader.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM providers") })
        try db.putDeclaration(provider: last, fact: .contact, service: nil, value: #"{"phone":"04-0000-0000"}"#, actor: "staff", role: "provider")
        let invitation = try db.createDeskInvitation(role: .provider, provider: last, createdBy: "steward", validFor: 3600)
        _ = invitation

        // The next release drops that office; the one after adds two offices never seen before.
        let v2 = try Fixtures.write(lines.prefix(10).joined(separator: "\n"), name: "jigyosho_130_v2.csv", in: dir)
        _ = try DataImport.run(.kaigo, files: [v2], into: db)
        let v3 = try Fixtures.write((lines.prefix(10) + lines.suffix(2)).joined(separator: "\n"), name: "jigyosho_130_v3.csv", in: dir)
        _ = try DataImport.run(.kaigo, files: [v3], into: db)

        let ids = try db.reader.read { try Int64.fetchAll($0, sql: "SELECT id FROM providers") }
        #expect(ids.count == 11)
        #expect(!ids.contains(last), "a new office took the id \(last) that a declaration and an invitation name")
        #expect(try db.declarations(provider: last).count == 1)
        try db.close()
    }
}
