/// A normalised address: what was recognised, how far, and what is left.
public struct NormalisedAddress: Sendable, Equatable, Codable {
    public enum Level: Int, Sendable, Codable, Comparable {
        case none = 0, prefecture = 1, city = 2, town = 3
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Candidate: Sendable, Equatable, Codable {
        public var prefecture: String
        public var city: String
        public var cityCode: String
        public var town: String?
    }

    public var prefecture: String?
    public var city: String?
    public var cityCode: String?
    public var town: String?
    /// 番地・号 as `6-21`, or nil when none was found.
    public var blockNumber: String?
    /// What follows the 番地・号: building, room, anything else.
    public var other: String?
    public var level: Level
    /// Other readings that fit as well as this one; empty when the reading is unique.
    public var candidates: [Candidate]

    /// 番地・号 then the rest, as one string.
    public var rest: String {
        [blockNumber, other].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// What the normaliser refuses to read.
public struct AddressInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
}

/// Reads Japanese addresses as people write them into prefecture, city, 町字 and 番地・号, against
/// a ``Gazetteer``. Pure: no I/O.
public struct AddressNormaliser: Sendable {
    public let gazetteer: Gazetteer
    public static let maximumLength = 200

    public init(gazetteer: Gazetteer) { self.gazetteer = gazetteer }

    public func normalise(_ raw: String) throws(AddressInputError) -> NormalisedAddress {
        try normalise(raw, prefectureHint: nil, depth: 0)
    }

    /// The address folded for matching, its postal code gone; refuses empty, overlong and non-Japanese text.
    static func cleaned(_ raw: String) throws(AddressInputError) -> [Character] {
        let tooLong = AddressInputError(description: "住所が長すぎます（\(maximumLength) 文字まで）")
        if raw.count > maximumLength * 4 { throw tooLong }
        var text = Array(AddressText.clean(raw))
        stripPostalCode(&text)
        guard !text.isEmpty else { throw AddressInputError(description: "住所が空です") }
        guard text.count <= maximumLength else { throw tooLong }
        guard text.contains(where: { isJapanese($0) }) else {
            throw AddressInputError(description: "住所として読める文字がありません（漢字・かなを含む住所を入力してください）")
        }
        return text
    }

    func normalise(_ raw: String, prefectureHint: String?, depth: Int) throws(AddressInputError) -> NormalisedAddress {
        var text = try Self.cleaned(raw)
        let folded = text.map(AddressText.fold)
        var pos = 0

        // Prefecture, if written.
        var prefecture: String?
        for p in gazetteer.prefectures where folded.starts(with: p.full) {
            prefecture = p.name
            pos = p.full.count
            break
        }

        // City: the longest spelling that fits, within the prefecture when known.
        var cityMatches = gazetteer.citySpellings(startingWith: folded[pos...])  // (city index, length)
        if let p = prefecture ?? prefectureHint {
            let within = cityMatches.filter { gazetteer.cities[$0.0].prefecture == p }
            // A hint (from a repeated place) only narrows; a written prefecture decides.
            if prefecture != nil || !within.isEmpty { cityMatches = within }
        }
        if prefecture == nil, cityMatches.isEmpty, let short = shortPrefecture(folded) {
            // "東京墨田区", "埼玉さいたま市": the prefecture without 都・府・県, when a city of it follows.
            let after = gazetteer.citySpellings(startingWith: folded[short.length...]).filter { gazetteer.cities[$0.0].prefecture == short.name }
            if !after.isEmpty { prefecture = short.name; pos = short.length; cityMatches = after }
        }
        let bestCityLength = cityMatches.map(\.1).max() ?? 0
        let cityFits = cityMatches.filter { $0.1 == bestCityLength }.map(\.0)
        guard bestCityLength > 0 else {
            return NormalisedAddress(prefecture: prefecture, city: nil, cityCode: nil, town: nil, blockNumber: nil,
                                     other: String(text[pos...]).nonEmpty, level: prefecture == nil ? .none : .prefecture, candidates: [])
        }
        pos += bestCityLength

        // Town within each fitting city: the longest reading wins, ties become candidates.
        var townMatches: [(city: Int, town: Int?, end: Int)] = []
        for ci in cityFits {
            let found = matchTowns(folded, text, from: pos, cityCode: gazetteer.cities[ci].code)
            if found.isEmpty { townMatches.append((ci, nil, pos)) }
            for (ti, end) in found { townMatches.append((ci, ti, end)) }
        }
        let bestEnd = townMatches.map(\.end).max() ?? pos

        // Data entry often repeats the place: "…さいたま市大宮区さいたま市大宮区三橋", "…鎌ケ谷市千葉県鎌ヶ谷市…".
        // When no town follows the city but a prefecture or a city starts again, read from there.
        if bestEnd == pos, pos < text.count, depth < 2 {
            let restFolded = Array(folded[pos...])
            let startsAgain = gazetteer.prefectures.contains { restFolded.starts(with: $0.full) }
                || !gazetteer.citySpellings(startingWith: restFolded).isEmpty
            if startsAgain, let again = try? normalise(String(text[pos...]), prefectureHint: gazetteer.cities[cityFits[0]].prefecture, depth: depth + 1),
               again.level >= .city {
                return again
            }
        }
        let best = townMatches.filter { $0.end == bestEnd && ($0.town != nil || bestEnd == pos) }
        let (block, other) = Self.blockAndRest(Array(text[bestEnd...]))
        guard best.count == 1 else {
            // Several readings fit equally well: say what they share and list them, never guess.
            let candidates = best.map { m in
                NormalisedAddress.Candidate(prefecture: gazetteer.cities[m.city].prefecture, city: gazetteer.cities[m.city].name,
                                            cityCode: gazetteer.cities[m.city].code, town: m.town.map { gazetteer.towns[$0].name })
            }
            let oneCity = Set(candidates.map(\.cityCode)).count == 1
            let onePrefecture = Set(candidates.map(\.prefecture)).count == 1
            return NormalisedAddress(
                prefecture: onePrefecture ? candidates[0].prefecture : prefecture, city: oneCity ? candidates[0].city : nil,
                cityCode: oneCity ? candidates[0].cityCode : nil, town: nil, blockNumber: block, other: other,
                level: oneCity ? .city : (onePrefecture ? .prefecture : .none), candidates: candidates)
        }
        let city = gazetteer.cities[best[0].city]
        let town = best[0].town.map { gazetteer.towns[$0] }
        return NormalisedAddress(
            prefecture: city.prefecture, city: city.name, cityCode: city.code, town: town?.name,
            blockNumber: block, other: other, level: town == nil ? .city : .town, candidates: [])
    }

    func shortPrefecture(_ folded: [Character]) -> (name: String, length: Int)? {
        for p in gazetteer.prefectures { if let short = p.short, folded.starts(with: short) { return (p.name, short.count) } }
        return nil
    }

    /// Towns of a city that fit at `pos`, with where each reading ends.
    func matchTowns(_ folded: [Character], _ text: [Character], from start: Int, cityCode: String) -> [(Int, Int)] {
        guard let index = gazetteer.townIndex[cityCode] else { return [] }
        var results: [(Int, Int)] = []
        var starts = [start]
        // 大字 / 字 may be written or left out.
        if hasPrefix(folded, ["大", "字"], at: start) { starts.append(start + 2) } else if start < folded.count, folded[start] == "字" { starts.append(start + 1) }
        for s in starts where s < folded.count {
            for ti in index[folded[s]] ?? [] {
                let t = gazetteer.towns[ti]
                guard hasPrefix(folded, t.base, at: s) else { continue }
                var end = s + t.base.count
                if let chome = t.chome {
                    guard let n = AddressText.number(in: text, at: end), n.value == chome else { continue }
                    end += n.length
                    if hasPrefix(folded, ["丁", "目"], at: end) {
                        end += 2
                    } else if end < folded.count, folded[end] == "丁" {
                        end += 1
                    } else if end < folded.count, folded[end] == "-",
                              Self.hasBlockAfterDash(text, end + 1)
                                || (!gazetteer.hasPlainTown(base: t.base, cityCode: cityCode) && AddressText.number(in: text, at: end + 1) != nil) {
                        // "西池袋5-15-7": 5 is the 丁目; "櫛引町2-221" too, as there is no 櫛引町 without 丁目.
                        end += 1
                    } else {
                        continue
                    }
                }
                results.append((ti, end))
            }
        }
        // A town without 丁目 whose name is followed by what reads as "N丁目" is the wrong one.
        let longest = results.map(\.1).max() ?? 0
        return results.filter { $0.1 == longest }
    }

    /// After "5-", the 丁目 reading needs at least a 番地 and a 号 ("15-7"), or a 番地 with 番/番地.
    static func hasBlockAfterDash(_ text: [Character], _ i: Int) -> Bool {
        guard let first = AddressText.number(in: text, at: i) else { return false }
        let j = i + first.length
        return j < text.count && (text[j] == "-" || text[j] == "番")
    }

    /// Splits what follows the town into 番地・号 (`28-9`) and the rest (building, room…).
    static func blockAndRest(_ s: [Character]) -> (String?, String?) {
        var parts: [Int] = []
        var i = 0
        while i < s.count {
            guard let n = AddressText.number(in: s, at: i) else { break }
            // 漢数字 start a block number only when a unit or the end follows ("七左町" is a name).
            if !s[i].isASCII {
                let after = i + n.length
                guard after == s.count || "番号丁-のノ之".contains(s[after]) else { break }
            }
            parts.append(n.value)
            i += n.length
            // Separators: 番地, 番, 丁目 (a 丁目 the gazetteer does not know), 号, の, -.
            if i + 1 < s.count, s[i] == "番", s[i + 1] == "地" {
                i += 2
            } else if i + 1 < s.count, s[i] == "丁", s[i + 1] == "目" {
                i += 2
            } else if i < s.count, s[i] == "番" {
                i += 1
            } else if i < s.count, s[i] == "号" {
                i += 1
                break
            } else if i < s.count, s[i] == "-" || s[i] == "の" || s[i] == "之" || s[i] == "ノ" {
                i += 1
            } else {
                break
            }
            // "1025番地の14", "3番-2": a joining mark may follow the unit.
            if i < s.count, s[i] == "-" || s[i] == "の" || s[i] == "之" || s[i] == "ノ", AddressText.number(in: s, at: i + 1) != nil { i += 1 }
            if AddressText.number(in: s, at: i) == nil { break }
        }
        let block = parts.isEmpty ? nil : parts.map(String.init).joined(separator: "-")
        var rest = String(s[i...])
        while let f = rest.first, f == "-" || f == "、" || f == "," { rest.removeFirst() }
        return (block, rest.nonEmpty)
    }

    func hasPrefix(_ s: [Character], _ p: [Character], at i: Int) -> Bool {
        guard i + p.count <= s.count, !p.isEmpty else { return false }
        for k in 0..<p.count where s[i + k] != p[k] { return false }
        return true
    }

    /// Leading "〒123-4567", "〒1234567" or "123-4567".
    static func stripPostalCode(_ text: inout [Character]) {
        var i = 0
        if text.first == "〒" { i = 1 }
        var digits = 0, j = i
        while j < text.count, text[j].isASCII, text[j].isNumber || (text[j] == "-" && digits == 3) {
            if text[j].isNumber { digits += 1 }
            j += 1
        }
        if digits == 7 || (i == 1 && digits > 0) { text.removeFirst(j) } else if i == 1 { text.removeFirst() }
    }

    static func isJapanese(_ c: Character) -> Bool {
        guard let v = c.unicodeScalars.first?.value else { return false }
        return (0x3040...0x30FF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0xF900...0xFAFF).contains(v)
    }
}

extension String {
    var nonEmpty: String? { isEmpty ? nil : self }
}
