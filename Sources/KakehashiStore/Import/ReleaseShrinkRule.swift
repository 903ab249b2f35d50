/// The rule that keeps a broken release from replacing a good one.
///
/// A newer release of a source takes over its predecessor's rows and deletes the rest, so a file
/// that parses but keeps almost nothing (every geometry failing repair, a header-only file, line
/// ends the reader did not split) would empty the region while reporting success. An import that
/// loads no rows is always refused; one that keeps less than `minimumShare` of the rows its
/// predecessor loaded is refused unless the person running it says the shrink is intended.
public struct ReleaseShrinkRule: Sendable {
    /// The share of the predecessor's rows a release must load to replace it without being told to.
    public var minimumShare: Double
    /// `--allow-shrink`: the person running the import says a smaller release is intended.
    public var allowShrink: Bool

    public init(minimumShare: Double = 0.5, allowShrink: Bool = false) {
        self.minimumShare = minimumShare
        self.allowShrink = allowShrink
    }

    /// Throws when a release of `file` that loads `loaded` rows may not replace releases that
    /// loaded `previous` rows (0: a first release).
    func check(file: String, loaded: Int, previous: Int) throws {
        if loaded == 0 {
            let replacing = previous > 0 ? "旧版の \(previous) 件を 0 件で置き換えることになるため、" : ""
            throw ImportFailure(ImportIssue(file: file,
                "取り込める行が 0 件です。\(replacing)取り込みません（見出しだけのファイル、空の FeatureCollection、すべての行が除外された、改行が読み取れない、などが考えられます）"))
        }
        guard !allowShrink, previous > 0, Double(loaded) < Double(previous) * minimumShare else { return }
        let percent = Int((minimumShare * 100).rounded())
        throw ImportFailure(ImportIssue(file: file,
            "同じ出典の旧版は \(previous) 件でしたが、この版で取り込めるのは \(loaded) 件です（旧版の \(percent)% 未満）。壊れた版で正しいデータを消さないよう、取り込みません。縮小が意図したものなら --allow-shrink を付けて実行してください"))
    }
}
