// swift-tools-version:6.1
import PackageDescription

/// One set of Swift settings shared by every target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Kakehashi",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kakehashi", targets: ["kakehashi"]),
        .executable(name: "kakehashi-bench", targets: ["KakehashiBench"]),
        .executable(name: "kakehashi-fuzz", targets: ["KakehashiFuzz"]),
        .library(name: "KakehashiStore", targets: ["KakehashiStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Header names of our own (X-CSRF-Token).
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // bcrypt for the desk's passwords (issue #20).
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // A binary heap for the lookup's nearest-cell-first walk.
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        // Excel workbooks (the 厚生局 名簿) are zip archives of XML parts.
        .package(url: "https://github.com/weichsel/ZIPFoundation.git", from: "0.9.20"),
    ],
    targets: [
        // C libraries: module maps and shims only.
        .systemLibrary(
            name: "CSpatiaLite",
            pkgConfig: "spatialite",
            providers: [.apt(["libspatialite-dev", "libsqlite3-dev"])]
        ),
        .systemLibrary(
            name: "CProj",
            pkgConfig: "proj",
            providers: [.apt(["libproj-dev", "proj-data"])]
        ),
        .systemLibrary(
            name: "CGEOS",
            providers: [.apt(["libgeos-dev"])]
        ),

        // The nouns every layer shares (services, capabilities, provider and source kinds).
        .target(name: "KakehashiModel", swiftSettings: swiftSettings),

        // Pure value types and algorithms: no I/O.
        .target(name: "KakehashiGeo", dependencies: ["CProj", "CGEOS"], swiftSettings: swiftSettings),
        .target(name: "KakehashiHours", swiftSettings: swiftSettings),
        .target(name: "KakehashiAddress", swiftSettings: swiftSettings),
        // Speed machinery shared by the layers and the server: caches bounded by bytes.
        .target(name: "KakehashiCache", swiftSettings: swiftSettings),

        // Sources → import → store.
        .target(
            name: "KakehashiStore",
            dependencies: [
                "CSpatiaLite", "KakehashiModel", "KakehashiGeo", "KakehashiHours", "KakehashiAddress",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: swiftSettings
        ),
        // The coverage question: who covers a point, for which service, in which window.
        .target(
            name: "KakehashiCoverage",
            dependencies: [
                "KakehashiModel", "KakehashiGeo", "KakehashiHours", "KakehashiStore", "KakehashiCache",
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: swiftSettings
        ),
        // Indicators and map layers.
        .target(
            name: "KakehashiLayers",
            dependencies: [
                "KakehashiModel", "KakehashiCoverage", "KakehashiStore", "KakehashiGeo", "KakehashiHours", "KakehashiCache",
                // gzip for tiles: MBTiles `pbf` is gzip-compressed, and most map clients accept it.
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Present: the HTTP server.
        .target(
            name: "KakehashiServer",
            dependencies: [
                "KakehashiModel", "KakehashiCoverage", "KakehashiStore", "KakehashiAddress", "KakehashiHours", "KakehashiGeo", "KakehashiLayers",
                "KakehashiCache",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                // The HTTP parts as Hummingbird's channel carries them (for the parser-error problem).
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            // The web page's own HTML, script and style; Leaflet and Chart.js come from Debian.
            resources: [.copy("Web"), .copy("Resources")],
            swiftSettings: swiftSettings
        ),
        // The synthetic demo region, written in the official file layouts.
        .target(name: "KakehashiDemo", dependencies: ["KakehashiGeo"], swiftSettings: swiftSettings),

        // Present: the command line.
        .executableTarget(
            name: "kakehashi",
            dependencies: [
                "KakehashiModel", "KakehashiStore", "KakehashiDemo", "KakehashiGeo", "KakehashiHours", "KakehashiAddress",
                "KakehashiCoverage", "KakehashiServer", "KakehashiLayers",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "KakehashiBench",
            dependencies: [
                "KakehashiModel", "KakehashiStore", "KakehashiHours", "KakehashiAddress", "KakehashiGeo", "KakehashiDemo", "KakehashiCoverage",
                "KakehashiLayers", "KakehashiServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                // The server's router timed in process, with a testing channel for its requests' context.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),

        // Coverage-guided fuzzing of the text readers (`.ci/fuzz`); built plainly it replays inputs.
        .target(name: "CLibFuzzer"),
        .executableTarget(
            name: "KakehashiFuzz",
            dependencies: ["KakehashiStore", "KakehashiHours", "KakehashiAddress", "CLibFuzzer"],
            swiftSettings: swiftSettings
        ),

        .testTarget(
            name: "KakehashiCoverageTests",
            dependencies: ["KakehashiCoverage", "KakehashiModel", "KakehashiStore", "KakehashiGeo", "KakehashiHours"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KakehashiLayersTests",
            dependencies: ["KakehashiLayers", "KakehashiCoverage", "KakehashiModel", "KakehashiGeo", "KakehashiStore"],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "KakehashiCacheTests", dependencies: ["KakehashiCache"], swiftSettings: swiftSettings),
        .testTarget(name: "KakehashiGeoTests", dependencies: ["KakehashiGeo"], swiftSettings: swiftSettings),
        .testTarget(name: "KakehashiHoursTests", dependencies: ["KakehashiHours", "KakehashiTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "KakehashiAddressTests", dependencies: ["KakehashiAddress", "KakehashiTestSupport"], swiftSettings: swiftSettings),
        // Fixture paths and scratch folders shared by the test targets.
        .target(name: "KakehashiTestSupport", path: "Tests/KakehashiTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "KakehashiServerTests",
            dependencies: [
                "KakehashiTestSupport", "KakehashiModel", "KakehashiServer", "KakehashiCoverage", "KakehashiStore", "KakehashiHours", "KakehashiLayers",
                "KakehashiGeo",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KakehashiStoreTests",
            dependencies: ["KakehashiModel", "KakehashiStore", "KakehashiDemo", "KakehashiGeo", "KakehashiHours", "KakehashiTestSupport",
                           // Writes the small workbooks of the reader's edge cases.
                           .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: swiftSettings
        ),
    ]
)
