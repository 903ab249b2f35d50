import Foundation
import KakehashiHours
import Hummingbird
import KakehashiCoverage
import KakehashiLayers
import KakehashiModel
import KakehashiStore
import Logging
import Testing
@testable import KakehashiServer

/// The OpenAPI document is a file of its own: it must name every route the server serves, and
/// nothing else, and its enumerations must be the Swift enums'.
@Suite struct OpenAPIDocumentTests {
    static func document() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
    }

    @Test func everyRouteIsDocumentedAndNothingElse() throws {
        let (state, _, _) = try ServerFixture.state()
        let router = buildRouter(state, logger: Logger(label: "test"))
        // HEAD is generated for every GET route (and documented with it).
        let served = Set(router.routes.filter { $0.method != .head }.map { "\($0.method.rawValue) \($0.path)" })
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        let documented = Set(paths.flatMap { path, operations in
            operations.keys.filter { ["get", "put", "post", "delete", "patch"].contains($0) }.map { "\($0.uppercased()) \(path)" }
        })
        #expect(served.subtracting(documented).isEmpty, "served, not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented, not served: \(documented.subtracting(served).sorted())")
        #expect(served.count >= 20)
    }

    /// Other methods on a documented path get 405 with the methods it answers (the list the
    /// problem middleware keeps must know every path), never 404.
    @Test func everyDocumentedPathAnswers405ToOtherMethods() throws {
        let paths = try #require(try Self.document()["paths"] as? [String: [String: Any]])
        for (path, operations) in paths {
            let concrete = path.replacingOccurrences(of: #"\{[^}]+\}"#, with: "x", options: .regularExpression)
            let allowed = ProblemMiddleware<AppRequestContext>.allowedMethods(concrete)
            #expect(allowed != nil, "\(path) is not in the 405 list")
            for method in operations.keys where ["get", "put", "post", "delete", "patch"].contains(method) {
                #expect(allowed?.contains(method.uppercased()) == true, "\(method.uppercased()) \(path)")
            }
        }
    }

    /// Every `enum` in the document, by where it is.
    static func enums() throws -> [String: [String?]] {
        var found: [String: [String?]] = [:]
        func walk(_ value: Any, _ path: String) {
            if let object = value as? [String: Any] {
                if let list = object["enum"] as? [Any] { found[path] = list.map { $0 as? String } }
                for (key, child) in object { walk(child, path + "/" + key) }
            } else if let array = value as? [Any] {
                for (k, child) in array.enumerated() { walk(child, path + "/\(k)") }
            }
        }
        walk(try document(), "")
        return found
    }

    @Test func enumerationsAreTheSwiftEnums() throws {
        let enums = try Self.enums()
        func values(at suffix: String) throws -> [String?] {
            let matches = enums.filter { $0.key.hasSuffix(suffix) }
            try #require(matches.count == 1, "one enum at …\(suffix), found \(matches.keys.sorted())")
            return matches.first!.value
        }
        let services = ServiceKind.allCases.map(\.rawValue)
        // Wherever services are listed, they are all of them, in the Swift order (null: every service).
        let serviceLists = enums.values.filter { $0.contains("home_visit_medical") }
        #expect(serviceLists.count >= 5)
        for list in serviceLists { #expect(list.compactMap { $0 } == services) }
        #expect(try values(at: "/schemas/Basis") == AvailabilityBasis.allCases.map(\.rawValue))
        #expect(try values(at: "/CoverageEntry/properties/status") == CoverageStatus.allCases.map(\.rawValue))
        #expect(try values(at: "/CoverageEntry/properties/area/properties/rule") == AreaRule.allCases.filter { $0 != .legalLimit }.map(\.rawValue))
        // A provider's drawn areas name every rule, the legal limit too.
        let drawn = enums.values.filter { $0.contains("legal_limit") }
        #expect(drawn.count == 1 && drawn.first?.compactMap { $0 } == AreaRule.allCases.map(\.rawValue))
        #expect(try values(at: "/Exclusion/properties/reason") == ExclusionReason.allCases.map(\.rawValue))
        #expect(try values(at: "/Contact/properties/preferred") == ContactMeans.allCases.map(\.rawValue))
        #expect(try values(at: "/Registration/properties/capability") == Capability.allCases.map(\.rawValue))
        #expect(try values(at: "/reported_role") == WriteScope.Role.allCases.map(\.rawValue))
        #expect(try values(at: "/OpeningHoursReading/properties/warnings/items/properties/kind") == OpeningHoursWarning.Kind.allCases.map(\.rawValue))
        let indicatorLists = enums.values.filter { $0.contains("population_total") }
        #expect(indicatorLists.count >= 1 && indicatorLists.allSatisfy { $0.compactMap { $0 } == Indicators.all.map(\.id) })
    }
}
