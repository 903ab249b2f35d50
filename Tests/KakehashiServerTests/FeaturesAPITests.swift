import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import Testing

/// OGC API – Features, read by GDAL's own OAPIF driver over a real socket.
@Suite struct FeaturesAPITests {
    typealias F = ServerFixture

    static func ogrinfo(_ args: [String]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["ogrinfo"] + args
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test func gdalReadsTheCollections() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.live) { client in
            let port = try #require(client.port)
            let listing = try Self.ogrinfo(["-ro", "OAPIF:http://127.0.0.1:\(port)"])
            #expect(listing.contains("1: providers"))
            #expect(listing.contains("2: municipalities"))
            #expect(listing.contains("3: meshes"))
            let summary = try Self.ogrinfo(["-ro", "-so", "OAPIF:http://127.0.0.1:\(port)", "municipalities"])
            #expect(summary.contains("Feature Count: 193"), "\(summary.prefix(600))")
            let one = try Self.ogrinfo(["-ro", "-q", "-where", "code = '11208'", "OAPIF:http://127.0.0.1:\(port)", "municipalities"])
            #expect(one.contains("population_total (Integer") || one.contains("population_total (Integer64") || one.contains("339782"), "\(one.prefix(800))")
            #expect(one.contains("339782"))
        }
    }

    @Test func itemsPageWithNumberMatchedAndLinks() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/collections/providers/items?bbox=139.40,35.75,139.55,35.85&limit=10&offset=0", method: .get) { r in
                #expect(r.headers[.contentType] == "application/geo+json")
                let fc = try F.json(r.body)
                #expect(fc["numberReturned"] as? Int == 10)
                #expect(((fc["numberMatched"] as? Int) ?? 0) > 10)
                let links = fc["links"] as? [[String: Any]] ?? []
                #expect(links.contains { $0["rel"] as? String == "next" && ($0["href"] as? String)?.contains("offset=10") == true })
            }
            try await client.execute(uri: "/collections/rivers/items", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/conformance", method: .get) { r in
                let c = try F.json(r.body)["conformsTo"] as? [String] ?? []
                #expect(c.contains("http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"))
            }
        }
    }
}
