import Foundation
import Testing
@testable import KakehashiServer

/// The CQL2 text subset (issue #22) on features as they are served: precedence, literals, and the
/// geometry tests at their edges (a box on the line of an edge but beyond it does not meet it).
@Suite struct CQL2FilterTests {
    static var square: [String: Any] { ["type": "Feature", "properties": ["name": "A+B", "n": 5, "flag": true],
                                        "geometry": ["type": "Polygon", "coordinates": [[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]]]] }

    func matches(_ text: String, _ feature: [String: Any] = square) throws -> Bool {
        try CQL2Filter.parse(text, queryables: ["name", "n", "flag"]).matches(feature)
    }

    @Test func precedenceLiteralsAndNulls() throws {
        #expect(try matches("n = 5 OR n = 6 AND name = 'x'"))  // AND binds first
        #expect(try !matches("(n = 5 OR n = 6) AND name = 'x'"))
        #expect(try matches("NOT n > 5 AND n >= 5 AND n <= 5.0 AND n <> 4 AND n < 5.5e0"))
        #expect(try matches("name = 'A+B' AND flag = TRUE AND flag <> false"))
        #expect(throws: CQL2Filter.Unsupported.self) { try matches("missing IS NULL") }  // not a queryable
        #expect(try matches("name IS NOT NULL"))
        #expect(throws: CQL2Filter.Unsupported.self) { try matches("flag > TRUE") }
        #expect(throws: CQL2Filter.Unsupported.self) { try matches("name = 'unclosed") }
    }

    @Test func intersectionsAtTheirEdges() throws {
        // On the line of the square's bottom edge, but far from it: no.
        #expect(try !matches("S_INTERSECTS(geometry, BBOX(5, 0, 6, 1))"))
        #expect(try !matches("S_INTERSECTS(geometry, POINT(3 0))"))
        // Overlapping, around it, inside it, touching its corner: yes.
        #expect(try matches("S_INTERSECTS(geometry, BBOX(0.5, 0.5, 2, 2))"))
        #expect(try matches("S_INTERSECTS(geometry, BBOX(-1, -1, 2, 2))"))
        #expect(try matches("S_INTERSECTS(geometry, BBOX(0.2, 0.2, 0.3, 0.3))"))
        #expect(try matches("S_INTERSECTS(geometry, POINT(1 1))"))
        // A line crossing the box without a vertex in it.
        let line: [String: Any] = ["type": "Feature", "properties": [:], "geometry": ["type": "LineString", "coordinates": [[-1.0, 0.5], [2.0, 0.5]]]]
        #expect(try matches("S_INTERSECTS(geometry, BBOX(0, 0, 1, 1))", line))
        #expect(try !matches("S_INTERSECTS(geometry, BBOX(0, 0.6, 1, 1))", line))
    }

    @Test func aFormEncodedFilterKeepsItsPlus() throws {
        // `+` is a space as a form writes it; %2B is a plus.
        func filter(_ query: String) throws -> String? { try QueryParameters.formText("filter", inQuery: query, max: 2_000) }
        #expect(try filter("limit=2&filter=name+%3D+%27A%2BB%27") == "name = 'A+B'")
        // Given twice (the second past any length check) or undecodable: a 400, never left out.
        #expect(throws: Problem.self) { try filter("filter=a%3D1&filter=b%3D2") }
        #expect(throws: Problem.self) { try filter("filter=name%3D%27%E3%81%27") }
        #expect(throws: Problem.self) { try filter("filter=" + String(repeating: "a", count: 2_001)) }
    }
}
