import Foundation
import Testing
@testable import KakehashiHours

/// Answers compared with the reference implementation's (opening_hours.js, default mode, no
/// holidays or sun times, evaluated in Asia/Tokyo). The cases file holds the reference's answers,
/// not its code: `scripts/opening-hours-reference` makes it from a checkout of opening_hours.js.
/// `KAKEHASHI_OH_REFERENCE=FILE` compares another such file (e.g. made from the reference's own
/// test values, in the zone `KAKEHASHI_OH_REFERENCE_TZ`) and prints the agreement without failing.
@Suite struct ReferenceAgreementTests {
    struct Case: Decodable {
        var value: String
        var at: [String]?
        var states: [[String?]]?
        var error: String?
        var warnings: [String]?
    }

    struct Agreement {
        var values = 0, refusedByUs = 0, refusedByReference = 0, acceptedOnlyByReference = 0, instants = 0
        var wrong: [String] = []
        var refused: [String] = []
        /// Values the reference refuses and Kakehashi reads.
        var readOnlyHere: [String] = []
        /// Values whose warnings (of the kinds Kakehashi gives) differ from the reference's.
        var warningsDiffer: [String] = []
        var warningsCompared = 0
    }

    static let tokyo = TimeZone(identifier: "Asia/Tokyo")!

    static func instant(_ text: String, in zone: TimeZone = tokyo) -> Date {
        var c = DateComponents()
        let p = text.split(whereSeparator: { "-T:".contains($0) }).map { Int($0)! }
        (c.year, c.month, c.day, c.hour, c.minute, c.second) = (p[0], p[1], p[2], p[3], p[4], p[5])
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(from: c)!
    }

    static func compare(_ lines: [Substring], at shared: [String], zone: TimeZone = tokyo) throws -> Agreement {
        var a = Agreement()
        for line in lines where !line.isEmpty {
            let c = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            a.values += 1
            let hours: OpeningHours
            do {
                hours = try OpeningHours(c.value)
            } catch {
                if c.error == nil { a.acceptedOnlyByReference += 1; a.refused.append(c.value) } else { a.refusedByReference += 1 }
                continue
            }
            guard let states = c.states else { a.refusedByReference += 1; a.readOnlyHere.append(c.value); continue }
            let instants = c.at ?? shared
            // A line without instants would compare nothing and pass: say so.
            guard !instants.isEmpty, instants.count == states.count else {
                a.wrong.append("\(c.value): \(instants.count) instants for \(states.count) answers")
                continue
            }
            if let theirs = c.warnings { a.compareWarnings(c.value, ours: hours, theirs: theirs) }
            for (k, t) in instants.enumerated() {
                a.instants += 1
                let ours = hours.state(at: instant(t, in: zone), timeZone: zone)
                let theirs = (states[k][0] ?? "", states[k].count > 1 ? states[k][1] : nil)
                if ours.state.rawValue != theirs.0 || ours.comment != theirs.1 {
                    a.wrong.append("\(c.value) at \(t): reference \(theirs.0) \(theirs.1 ?? "-"), ours \(ours.state.rawValue) \(ours.comment ?? "-")")
                    break  // one per value
                }
            }
        }
        return a
    }

    /// The reference's warning texts ("value <--- (text)") of the kinds Kakehashi gives.
    static func referenceKinds(_ warnings: [String]) -> [String] {
        let known = OpeningHoursWarning.Kind.allCases.compactMap { OpeningHoursWarning($0, rule: nil, detail: "1").reference?.prefix(16) }
        return warnings.compactMap { w in
            guard let r = w.range(of: "<--- (") else { return nil }
            let text = String(w[r.upperBound...].dropLast())
            // "Please use notation" is also said of other words than dashes, the colon and quotes.
            guard known.contains(where: { text.hasPrefix($0) }),
                  !text.hasPrefix("Please use notation") || ["-", ":", "\""].contains(where: { text.hasPrefix("Please use notation \"\($0)\"") })
            else { return nil }
            return text
        }.sorted()
    }

    struct Cases: Decodable {
        var at: [String]
        var cases: [Item]
        struct Item: Decodable {
            var value: String
            var states: String?
            var comments: [String: String]?
            var error: String?
        }
    }

    /// Values whose answers still differ from the reference's, each with why (issue #19): listed so
    /// that the difference is seen, and the test fails once it is gone so that the list is kept true.
    /// None at present.
    static let knownDifferences: Set<String> = []

    /// Every value of `scripts/opening-hours-reference/values.txt`: the same state and comment as
    /// the reference at each of its instants.
    @Test func sameAnswersAsTheReference() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Reference/cases.json")
        let corpus = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: file))
        let instants = corpus.at.map { Self.instant($0) }
        let names: [Character: String] = ["o": "open", "c": "closed", "u": "unknown"]
        #expect(corpus.cases.count >= 83 && instants.count > 2_500)
        for c in corpus.cases {
            guard let states = c.states.map(Array.init) else {
                Issue.record("the reference refuses \(c.value): \(c.error ?? "")")
                continue
            }
            let hours = try OpeningHours(c.value)
            var wrong = 0, first: String?
            for (k, t) in instants.enumerated() {
                let ours = hours.state(at: t, timeZone: Self.tokyo)
                let theirs = (names[states[k]] ?? "?", c.comments?[String(k)])
                if ours.state.rawValue != theirs.0 || ours.comment != theirs.1 {
                    wrong += 1
                    first = first ?? "\(corpus.at[k]): reference \(theirs.0) \(theirs.1 ?? "-"), ours \(ours.state.rawValue) \(ours.comment ?? "-")"
                }
            }
            if Self.knownDifferences.contains(c.value) {
                #expect(wrong > 0, "\(c.value) now agrees with the reference: take it off knownDifferences")
            } else {
                #expect(wrong == 0, "\(c.value): \(wrong) of \(instants.count) instants differ, first \(first ?? "")")
            }
        }
    }

    @Test func localReferenceFile() throws {
        guard let path = ProcessInfo.processInfo.environment["KAKEHASHI_OH_REFERENCE"] else { return }
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        // The zone the file was made in (its instants are wall-clock times there): the reference's
        // suite assumes Europe/Berlin, with its summer time.
        let zone = TimeZone(identifier: ProcessInfo.processInfo.environment["KAKEHASHI_OH_REFERENCE_TZ"] ?? "Asia/Tokyo") ?? Self.tokyo
        let a = try Self.compare(lines, at: [], zone: zone)
        print("reference values \(a.values): refused by the reference \(a.refusedByReference); accepted only by the reference \(a.acceptedOnlyByReference); evaluated \(a.values - a.refusedByReference - a.acceptedOnlyByReference), of which wrong \(a.wrong.count)")
        print("of the values the reference refuses, read by Kakehashi \(a.readOnlyHere.count)")
        for r in a.readOnlyHere { print("READ_ONLY_HERE \(r)") }
        print("warnings compared for \(a.warningsCompared) values, of which differ \(a.warningsDiffer.count)")
        for w in a.warningsDiffer { print("WARNINGS \(w)") }
        for w in a.wrong { print("WRONG \(w)") }
        for r in a.refused { print("REFUSED \(r)") }
    }
}

extension ReferenceAgreementTests.Agreement {
    /// Compares the two sets of warnings (as the reference's texts; dates in the past and other
    /// kinds Kakehashi does not give are left out), evaluated on the reference suite's date.
    mutating func compareWarnings(_ value: String, ours hours: OpeningHours, theirs: [String]) {
        warningsCompared += 1
        let now = Date(timeIntervalSince1970: 1_349_049_600)  // 2012-10-01, the suite's first day
        let ours = hours.warnings(now: now).compactMap(\.reference).sorted()
        let expected = ReferenceAgreementTests.referenceKinds(theirs)
        if ours != expected { warningsDiffer.append("\(value): reference \(expected.map { $0.prefix(40) }), ours \(ours.map { $0.prefix(40) })") }
    }
}
