import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import KakehashiStore
import NIOCore
import Testing

/// Declarations go stale (issue #20): hours or an area not confirmed for 180 days answer
/// `unknown` with the reason; confirming them brings them back.
@Suite struct DeclarationFreshnessTests {
    typealias F = ServerFixture
    typealias D = DeskTests

    @Test func staleHoursAnswerUnknownUntilConfirmed() async throws {
        let state = try D.state()
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        let long = state.clock().addingTimeInterval(-200 * 86_400)
        try state.database.putDeclaration(provider: n1, fact: .hours, service: "home_visit_nursing",
                                          value: try DeclaredHours(openingHours: "Mo-Fr 18:00-09:00").declarationJSON(),
                                          actor: "desk:n1", role: "provider", at: long)
        _ = try state.reloadIfChanged()
        let code = try D.invite(state, provider: n1)
        try await F.app(state).test(.router) { client in
            let stale = try #require(try await D.coverage(client, F.inside))
            #expect(stale["status"] as? String == "unknown")
            #expect((stale["notes"] as? [String] ?? []).contains("declared_hours_stale"))
            #expect((stale["declared"] as? [[String: Any]])?.first?["days_since_confirmed"] as? Int == 200)
            let s = try await D.accept(client, code: code, login: "n1-staff")
            let (_, desk) = try await D.send(client, .get, "/v1/desk/providers/\(n1)", s)
            let hours = (try F.json(desk)["declarations"] as? [[String: Any]])?.first
            #expect(hours?["confirmation_due"] as? Bool == true && hours?["stale"] as? Bool == true)
            #expect(try await D.send(client, .post, "/v1/desk/providers/\(n1)/confirm", s).0 == .ok)
            _ = try state.reloadIfChanged()
            let fresh = try #require(try await D.coverage(client, F.inside))
            #expect(fresh["status"] as? String == "covered" && fresh["basis"] as? String == "hours")
            #expect(!(fresh["notes"] as? [String] ?? []).contains("declared_hours_stale"))
        }
    }

    @Test func aStaleAreaMakesTheAnswerUnknown() async throws {
        let state = try D.state()
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        let long = state.clock().addingTimeInterval(-181 * 86_400)
        let area = DeclaredArea(rule: .polygon, polygon: D.drawn)
        try state.database.putDeclaration(provider: n1, fact: .hours, service: nil, value: try DeclaredHours(openingHours: "24/7").declarationJSON(),
                                          actor: "desk:n1", role: "provider", at: state.clock())
        try state.database.putDeclaration(provider: n1, fact: .area, service: nil, value: try area.declarationJSON(), actor: "desk:n1", role: "provider", at: long)
        _ = try state.reloadIfChanged()
        try await F.app(state).test(.router) { client in
            let entry = try #require(try await D.coverage(client, F.inside))
            #expect(entry["status"] as? String == "unknown")
            #expect((entry["notes"] as? [String] ?? []).contains("declared_area_stale"))
        }
    }

    /// Two changes within one second are both read (the reload counts changes, not timestamps).
    @Test func twoChangesWithinASecondAreBothSeen() async throws {
        let state = try D.state()
        let n1 = try F.id(of: "NATIVE-N1", in: state)
        let at = state.clock()
        var versions = [state.index.dataVersion]
        for (hours, listed) in [("Mo-Fr 18:00-09:00", true), ("Mo-Fr 10:00-11:00", false)] {
            try state.database.putDeclaration(provider: n1, fact: .hours, service: "home_visit_nursing",
                                              value: try DeclaredHours(openingHours: hours).declarationJSON(), actor: "desk:n1", role: "provider", at: at)
            #expect(try state.reloadIfChanged() == .reloaded(providers: state.index.providerCount))
            let entry = try await F.app(state).test(.router) { client in try await D.coverage(client, F.inside) }
            #expect((entry != nil) == listed, "\(hours)")
            versions.append(state.index.dataVersion)
        }
        // Tiles and layers are cached and tagged by the data version: each change gives a new one.
        #expect(Set(versions).count == 3)
    }
}
