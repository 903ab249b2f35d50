import Foundation
import Hummingbird
import NIOCore

/// Where the web page finds its libraries and base map.
public struct WebSettings: Sendable {
    /// Debian's `libjs-*` packages install Leaflet, Leaflet.markercluster and Chart.js here.
    public var javascriptRoot: String
    /// A raster tile URL template (`{z}/{x}/{y}`) for a background map; nil: no background, the
    /// page draws boundaries and 町字 names from Kakehashi's own layers.
    public var basemapURL: String?
    public var basemapAttribution: String?

    public init(javascriptRoot: String = "/usr/share/javascript", basemapURL: String? = nil, basemapAttribution: String? = nil) {
        self.javascriptRoot = javascriptRoot
        self.basemapURL = basemapURL
        self.basemapAttribution = basemapAttribution
    }

    /// The library files the page loads, by URL path under `/vendor/`; nothing else is served
    /// from the JavaScript folder.
    static let vendorFiles: Set<String> = [
        "leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/leaflet.markercluster.js",
        "leaflet/MarkerCluster.css", "leaflet/MarkerCluster.Default.css",
        "leaflet/images/layers.png", "leaflet/images/layers-2x.png", "leaflet/images/marker-icon.png",
        "leaflet/images/marker-icon-2x.png", "leaflet/images/marker-shadow.png",
        "chart.js/chart.min.js",
    ]

    /// The Debian packages behind ``vendorFiles``, for messages.
    static let packages = "libjs-leaflet libjs-leaflet.markercluster libjs-chart.js"

    /// Library files that are not installed.
    public var missingLibraries: [String] {
        Self.vendorFiles.sorted().filter { !FileManager.default.fileExists(atPath: javascriptRoot + "/" + $0) }
    }
}

/// The web page for coordinators and planners: `GET /` for browsers (the OGC landing page stays
/// JSON for clients that ask for it), its script and style, its settings, and the Debian libraries.
struct WebController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.get("/web/{file}") { _, context in try self.asset(context.parameters.get("file") ?? "") }
        // The provider desk's page (Japanese), at /desk and /desk/; its data comes from /v1/desk/….
        router.get("/desk") { _, _ in try WebPage.page("desk.html") }
        // A municipality's printable profile (?code=11208); its data comes from /v1/trends, /v1/compare and /v1/progress.
        router.get("/profile") { _, _ in try WebPage.page("profile.html") }
        router.get("/vendor/{package}/{file}") { _, context in
            try self.vendor("\(context.parameters.get("package") ?? "")/\(context.parameters.get("file") ?? "")")
        }
        router.get("/vendor/{package}/images/{file}") { _, context in
            try self.vendor("\(context.parameters.get("package") ?? "")/images/\(context.parameters.get("file") ?? "")")
        }
    }

    func asset(_ name: String) throws -> Response {
        if name == "config.json" {
            return try JSON.response(PageConfig(
                basemapUrl: state.web.basemapURL, basemapAttribution: state.web.basemapAttribution,
                bounds: state.focus.map { [$0.minLon, $0.minLat, $0.maxLon, $0.maxLat] },
                credits: state.index.datasetCredits, dataVersion: state.index.dataVersion,
                medicalRadiusM: state.index.settings.medicalRadiusM))
        }
        guard WebPage.assets.contains(name), let data = WebPage.resource(name) else {
            throw Problem(.notFound, "ファイルが見つかりません", "/web/ にあるのは app.js, app.css, desk.js, desk.css, profile.js, profile.css, config.json です")
        }
        return WebPage.file(data, name: name, maxAge: 300)
    }

    func vendor(_ path: String) throws -> Response {
        guard WebSettings.vendorFiles.contains(path) else {
            throw Problem(.notFound, "ファイルが見つかりません", "/vendor/ で配信するのは地図とグラフのライブラリだけです")
        }
        guard let data = FileManager.default.contents(atPath: state.web.javascriptRoot + "/" + path) else {
            throw Problem(.notFound, "ライブラリが入っていません",
                          "\(path) がありません。Debian の \(WebSettings.packages) を入れてください（bash .ci/setup）")
        }
        return WebPage.file(data, name: path, maxAge: 86_400)
    }

    struct PageConfig: Encodable {
        var basemapUrl: String?
        var basemapAttribution: String?
        var bounds: [Double]?
        var credits: [String]
        var dataVersion: String
        var medicalRadiusM: Double
    }
}

/// The page's bundled files.
enum WebPage {
    static let assets: Set<String> = ["app.js", "app.css", "desk.js", "desk.css", "profile.js", "profile.css"]

    /// The bundled files, read once: they are part of the build and never change while it runs.
    static let bundled: [String: Data] = Dictionary(uniqueKeysWithValues: (assets.union(["index.html", "desk.html", "profile.html"])).compactMap { name in
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts[1], subdirectory: "Web"),
              let data = try? Data(contentsOf: url) else { return nil }
        return (name, data)
    })

    static func resource(_ name: String) -> Data? { bundled[name] }

    /// A browser asks for HTML; GDAL, QGIS and scripts ask for JSON or anything. `f=html|json`
    /// decides explicitly, as OGC API pages do.
    static func wantsHTML(_ request: Request) throws -> Bool {
        if let f = request.uri.queryParameters.get("f") {
            guard f == "html" || f == "json" else { throw Problem.badRequest("f", "f に使える値は html と json です") }
            return f == "html"
        }
        return (request.headers[.accept] ?? "").contains("text/html")
    }

    static func index() throws -> Response { try page("index.html") }

    static func page(_ name: String) throws -> Response {
        guard let data = resource(name) else {
            throw Problem(.internalServerError, "ページを読み込めません", "\(name) がビルドに含まれていません")
        }
        return file(data, name: name, maxAge: 0)
    }

    static func file(_ data: Data, name: String, maxAge: Int) -> Response {
        var headers = HTTPFields()
        let types = ["html": "text/html; charset=utf-8", "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "png": "image/png"]
        headers[.contentType] = types[String(name.split(separator: ".").last ?? "")] ?? "application/octet-stream"
        headers[.cacheControl] = maxAge == 0 ? "no-cache" : "public, max-age=\(maxAge)"
        headers[.contentSecurityPolicy] = "default-src 'self'; img-src 'self' data: https: http:; style-src 'self' 'unsafe-inline'"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
