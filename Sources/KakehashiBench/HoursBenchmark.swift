import ArgumentParser
import Foundation
import KakehashiDemo
import KakehashiHours

/// Parses and evaluates 100k real-shaped `opening_hours` specs (the shapes of the 医療情報ネット
/// conversions, 介護 利用可能曜日, pharmacies and night services) and prints the rates.
struct HoursBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "hours")

    @Option(help: "How many specs")
    var specs = 100_000

    @Option(help: "How many state evaluations")
    var evaluations = 2_000_000

    func run() throws {
        var rng = SeededRandom(seed: 7)
        let texts = (0..<specs).map { _ in Self.spec(&rng) }

        var t0 = Date()
        var parsed: [OpeningHours] = []
        parsed.reserveCapacity(texts.count)
        for t in texts { parsed.append(try OpeningHours(t)) }
        let parseSeconds = Date().timeIntervalSince(t0)

        // Instants spread over 2026, wall-clock Tokyo.
        let base = 1_767_193_200.0  // 2026-01-01T00:00:00+09:00
        let instants = (0..<4096).map { _ in Date(timeIntervalSince1970: base + Double(rng.next() % (365 * 86_400))) }
        t0 = Date()
        var open = 0
        for k in 0..<evaluations {
            if parsed[k % parsed.count].state(at: instants[k & 4095]).state == .open { open += 1 }
        }
        let stateSeconds = Date().timeIntervalSince(t0)

        t0 = Date()
        var intervals = 0
        for (k, h) in parsed.enumerated() {
            let from = instants[k & 4095]
            intervals += h.intervals(from: from, to: from.addingTimeInterval(7 * 86_400)).count
        }
        let weekSeconds = Date().timeIntervalSince(t0)

        print("specs: \(specs) (\(Set(texts).count) distinct shapes), example: \(texts[0])")
        print(String(format: "parse:            %10.0f specs/s   (%.2f s)", Double(specs) / parseSeconds, parseSeconds))
        print(String(format: "state at instant: %10.0f evals/s   (%.2f s, %d open)", Double(evaluations) / stateSeconds, stateSeconds, open))
        print(String(format: "one-week window:  %10.0f evals/s   (%.2f s, %d intervals)", Double(specs) / weekSeconds, weekSeconds, intervals))
        print("reference: the best-known implementation parses and evaluates about 9,000 specs/s;")
        print(String(format: "  targets: evaluation ≥ 900,000/s (%.0f×), parsing ≥ 90,000/s (%.0f×)",
                     Double(evaluations) / stateSeconds / 9_000, Double(specs) / parseSeconds / 9_000))
    }

    static func spec(_ rng: inout SeededRandom) -> String {
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        let morning = pick(["08:30-12:00", "09:00-12:00", "09:00-12:30", "08:45-12:30", "09:30-13:00"])
        let afternoon = pick(["14:00-18:00", "15:00-18:30", "16:00-18:00", "13:30-17:30", "14:30-19:00"])
        switch rng.next() % 6 {
        case 0, 1:  // a clinic from 医療情報ネット
            let half = pick(["We", "Th", "Sa"])
            var s = "Mo-Fr \(morning),\(afternoon); \(half) \(morning); Sa \(morning); PH off"
            if rng.next() % 2 == 0 { s += "; Dec \(pick(["28", "29", "30"]))-Jan \(pick(["03", "04"])) off" }
            if rng.next() % 4 == 0 { s += "; Aug 13-Aug 15 off" }
            if rng.next() % 5 == 0 { s += "; Sa[2,4] off" }
            return s
        case 2:  // 介護 利用可能曜日
            return pick(["Mo-Fr unknown", "Mo-Sa unknown; PH off", "Mo-Su unknown; PH unknown", "Mo,We,Fr unknown",
                         "Mo-Fr 08:30-17:30; PH off", "24/7", "Mo-Fr 09:00-18:00 \"緊急時は24時間連絡可\""])
        case 3:  // pharmacy
            return "Mo-Fr 09:00-\(pick(["18:00", "19:00", "20:00"])); Sa 09:00-\(pick(["13:00", "17:00"])); PH off; Dec 29-Jan 03 off"
        case 4:  // night service
            return "Mo-Su \(pick(["18:00", "20:00", "22:00"]))-\(pick(["02:00", "06:00", "08:00"])); PH \(pick(["off", "18:00-08:00"]))"
        default:  // hospital outpatient with fallback
            return "Mo-Fr \(morning); Sa \(morning); PH off || unknown \"要問合せ\""
        }
    }
}
