import ArgumentParser
import Foundation
import Hummingbird
import KakehashiServer
import Logging

struct ServeCommand: AsyncParsableCommand, ServerExecutorChoice {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "HTTP サーバーを起動します（SIGTERM で処理中の要求を終えてから停止）"
    )

    @Option(help: "データベースのパス") var db: String
    @Option(help: "待ち受けるアドレス") var host = "127.0.0.1"
    @Option(help: "ポート番号") var port = 8080
    @Option(help: "書き込み用トークンのハッシュを記したファイル（kakehashi token add で作成）") var tokens: String?
    @Option(help: "往診・訪問診療の直線距離の上限（km）") var medicalRadiusKm = 16.0
    @Option(help: "よく問い合わせのある区画の下準備に使うメモリ（MB。同じ区画・サービス・時間帯の 8 回目の問い合わせから使います。0 で使いません）") var planCacheMb = 32
    @Option(help: "ログの詳しさ（trace, debug, info, notice, warning, error）") var logLevel = "info"
    @Option(help: "地図の背景タイルの URL（{z}/{x}/{y} を含む。既定は背景なし：境界と町字名だけで描きます）") var basemapUrl: String?
    @Option(help: "背景タイルの出典表示") var basemapAttribution: String?
    @Option(help: "Leaflet と Chart.js のある場所（Debian の libjs-* パッケージ）") var javascriptRoot = "/usr/share/javascript"
    @Option(help: "要求を処理するスレッド: event-loops（NIO のイベントループ、既定）か dispatch（Swift 既定のプール）") var executor = ServerExecutor.eventLoops

    @Option(help: "新しい取り込みを確かめてデータを読み直す間隔（秒。0 で読み直さない）") var reloadInterval = 60
    @Option(help: "リンクに書くこのサーバーの URL（プロキシの後ろで使うとき。例: https://kakehashi.city.example）。省略時は Host ヘッダー（形式を確かめたうえで）") var publicUrl: String?
    @Option(help: "この前段のプロキシが付ける X-Forwarded-For を信じる（そのアドレス。繰り返し可）：窓口のログイン制限を利用者のアドレスごとに数えるため") var trustedProxy: [String] = []
    @Option(help: "作ったタイルを置いておくメモリ（MB）") var tileCacheMb = CacheBudgets().tiles >> 20
    @Option(help: "夜間の確保状況つきレイヤー（service と date ごと）を置いておくメモリ（MB）") var layerVariantCacheMb = CacheBudgets().layerVariants >> 20
    @Option(help: "作ったレイヤーファイル（/v1/layers の GeoJSON・CSV）を置いておくメモリ（MB）") var layerFileCacheMb = CacheBudgets().layerFiles >> 20

    func run() async throws {
        guard let level = Logger.Level(rawValue: logLevel) else { throw ValidationError("--log-level が不正です") }
        guard planCacheMb >= 0 else { throw ValidationError("--plan-cache-mb は 0 以上です") }
        guard reloadInterval >= 0 else { throw ValidationError("--reload-interval は 0 以上の秒数です") }
        guard tileCacheMb >= 0, layerVariantCacheMb >= 0, layerFileCacheMb >= 0 else { throw ValidationError("キャッシュの MB は 0 以上です") }
        if let publicUrl, !(publicUrl.hasPrefix("http://") || publicUrl.hasPrefix("https://")) || publicUrl.hasSuffix("/") {
            throw ValidationError("--public-url は http:// か https:// で始まり / で終わらない URL です")
        }
        if let basemapUrl, !(basemapUrl.contains("{z}") && basemapUrl.contains("{x}") && basemapUrl.contains("{y}")) {
            throw ValidationError("--basemap-url には {z} {x} {y} を含めてください")
        }
        var config = ServerConfiguration(
            databasePath: db, host: host, port: port, tokenFile: tokens, medicalRadiusM: medicalRadiusKm * 1000, logLevel: level)
        config.planCacheBytes = planCacheMb << 20
        config.web = WebSettings(javascriptRoot: javascriptRoot, basemapURL: basemapUrl, basemapAttribution: basemapAttribution)
        config.reloadInterval = reloadInterval > 0 ? .seconds(reloadInterval) : nil
        config.publicBaseURL = publicUrl
        config.trustedProxies = Set(trustedProxy)
        config.caches.tiles = tileCacheMb << 20
        config.caches.layerVariants = layerVariantCacheMb << 20
        config.caches.layerFiles = layerFileCacheMb << 20
        let app = try await buildApplication(config)
        announce("Kakehashi: http://\(host):\(port)/ で待ち受けます（地図: ブラウザで開く、OpenAPI: /openapi.json）")
        try await app.runService()
    }
}
