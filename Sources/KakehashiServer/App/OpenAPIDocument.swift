import Foundation

/// The OpenAPI 3.1 description of every endpoint, served at `/openapi.json`: a document of its own
/// (`Resources/openapi.json`), kept equal to the routes and to the Swift enums by tests;
/// `schemathesis` checks the running server against it in CI.
enum OpenAPIDocument {
    static let json: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json", subdirectory: "Resources"),
              let data = try? Data(contentsOf: url) else { fatalError("Resources/openapi.json is missing from the server's bundle") }
        return Array(data)
    }()
}
