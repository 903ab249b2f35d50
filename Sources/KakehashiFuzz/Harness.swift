import Foundation
import KakehashiAddress
import KakehashiHours
import KakehashiStore

/// Coverage-guided fuzzing of the three readers of text people write: the CSV reader, the
/// `opening_hours` parser (and its evaluator over a week) and the address normaliser. The first byte
/// of an input picks the reader. Built with libFuzzer by `.ci/fuzz` (`-sanitize=fuzzer -DFUZZING`);
/// built plainly, `kakehashi-fuzz FILE…` replays inputs, so a crash found becomes a regression case
/// under `Tests/FuzzCorpus/`.
enum Harness {
    static let normaliser = AddressNormaliser(gazetteer: Gazetteer(
        cities: [("11208", "埼玉県", "所沢市", nil), ("11107", "埼玉県", "さいたま市浦和区", nil), ("13101", "東京都", "千代田区", nil),
                 ("12217", "千葉県", "柏市", nil), ("11342", "埼玉県", "入間郡三芳町", nil)],
        towns: [("11208", "元町", nil), ("11208", "東所沢和田一丁目", nil), ("13101", "丸の内一丁目", nil), ("12217", "柏", nil)]))
    static let week = (from: Date(timeIntervalSince1970: 1_795_000_000), to: Date(timeIntervalSince1970: 1_795_000_000 + 7 * 86_400))

    static func run(_ bytes: UnsafeRawBufferPointer) {
        guard let selector = bytes.first else { return }
        let text = String(decoding: bytes.dropFirst(), as: UTF8.self)
        switch selector % 3 {
        case 0:
            _ = try? CSVTable(text: text, file: "fuzz.csv")
        case 1:
            if let hours = try? OpeningHours(text) { _ = hours.intervals(from: week.from, to: week.to) }
        default:
            _ = try? normaliser.normalise(text)
        }
    }
}

#if FUZZING
import CLibFuzzer

/// SwiftPM links an executable's entry as `KakehashiFuzz_main`, so the fuzz build keeps it and hands
/// over to libFuzzer's driver.
@_cdecl("KakehashiFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        Harness.run(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
}
#else
@main
struct Replay {
    static func main() throws {
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            let url = URL(fileURLWithPath: path)
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { throw CocoaError(.fileNoSuchFile) }
            let files = isFolder.boolValue ? try FileManager.default.contentsOfDirectory(at: url, includingPropertiesForKeys: nil) : [url]
            for file in files {
                try Data(contentsOf: file).withUnsafeBytes(Harness.run)
                count += 1
            }
        }
        print("replayed \(count) inputs without a crash")
    }
}
#endif
