import ArgumentParser
import Foundation
import KakehashiModel
import KakehashiStore

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "公開データを取り込みます（1 回の取り込みは全体が入るか、何も変えないかのどちらかです）",
        discussion: "種類: " + SourceKind.allCases.map(\.rawValue).joined(separator: ", ")
    )

    @Argument(help: "データの種類")
    var kind: SourceKind

    @Argument(help: "取り込むファイル（iryo は施設ファイルと診療時間ファイルを組で）")
    var files: [String]

    @Option(help: "データベースのパス")
    var db: String

    @Flag(help: "不正な行を除外して残りを取り込む（既定では 1 行でも不正なら全体を中止）")
    var skipInvalid = false

    @Flag(help: "座標が日本の範囲外の行（公開データに数件ある発行元の誤り）も不正として扱う（既定では位置不明として取り込み、警告に出す）")
    var strict = false

    @Option(help: "基準年（ファイルから読み取れないとき）")
    var year: Int?

    @Option(help: "都道府県名（API 形式の町字ファイルで、フォルダ名から分からないとき）")
    var prefecture: String?

    @Option(help: "公開日・基準日 (YYYY-MM-DD)")
    var referenceDate: String?

    @Flag(help: "ファイルを検査して結果だけを表示（データベースは変更しない）")
    var dryRun = false

    @Flag(help: "同じ出典の旧版より大幅に少ない版（既定: 半分未満）でも置き換える（0 件の版は常に拒否）")
    var allowShrink = false

    @Option(help: "旧版の行のうち、新しい版が取り込むべき割合（0〜1、これ未満なら --allow-shrink なしでは拒否）")
    var minimumShare = 0.5

    @Flag(help: "結果を JSON で出力")
    var json = false

    func validate() throws {
        guard (0...1).contains(minimumShare) else {
            throw ValidationError("--minimum-share は 0 以上 1 以下の数で指定してください（値: \(minimumShare)）")
        }
    }

    func run() throws {
        let database = try SpatialDatabase(path: db)
        var options = ImportOptions(skipInvalid: skipInvalid, year: year, prefecture: prefecture, referenceDate: referenceDate)
        options.dryRun = dryRun
        options.strict = strict
        options.shrink = ReleaseShrinkRule(minimumShare: minimumShare, allowShrink: allowShrink)
        let progress = ProgressLine(enabled: !json)
        do {
            let reports = try DataImport.run(kind, files: files, into: database, options: options) { stage, done, total in
                progress.show(stage, done, total)
            }
            progress.finish()
            try database.close()
            if json {
                try printJSON(reports)
            } else {
                for r in reports { print(r.summary) }
            }
        } catch let failure as ImportFailure {
            progress.finish()
            try? database.close()
            if json {
                try printJSON(["error": failure.issues])
            } else {
                printError(failure.description)
            }
            throw ExitCode(2)
        }
    }
}

extension SourceKind: ExpressibleByArgument {}
