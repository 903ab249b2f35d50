/// The town-level gazetteer the normaliser matches against: municipalities and their 町字 with
/// representative points. Built from the store's `towns` and `municipalities` tables (or any list).
public struct Gazetteer: Sendable {
    public struct Place: Sendable, Hashable {
        public var lon: Double
        public var lat: Double
        public init(lon: Double, lat: Double) { self.lon = lon; self.lat = lat }
    }

    public struct City: Sendable {
        public let code: String
        public let prefecture: String
        /// As the gazetteer writes it: `所沢市`, `さいたま市西区`, `入間郡三芳町`.
        public let name: String
        public var point: Place?
        /// Spellings that may stand in an address: the name, and without the 郡.
        let spellings: [[Character]]
    }

    public struct Town: Sendable {
        public let cityCode: String
        /// As the gazetteer writes it: `常盤一丁目`, `大字上安松`.
        public let name: String
        public let point: Place?
        /// The name without 大字/字 and without the trailing 丁目, folded; and the 丁目 number.
        let base: [Character]
        let chome: Int?
    }

    public let cities: [City]
    public let towns: [Town]
    /// Towns of a city, keyed by the folded first character of their base.
    let townIndex: [String: [Character: [Int]]]
    let citiesByPrefecture: [String: [Int]]
    /// The 47 prefectures and any other the gazetteer names (the synthetic 架空県 of the demo), folded.
    let prefectures: [(name: String, full: [Character], short: [Character]?)]
    /// "cityCode/base" of towns without 丁目, to tell "柏7-5" (柏 7番5) from "櫛引町2-221" (二丁目 221).
    let plainTowns: Set<String>
    /// City spellings keyed by their first character: (city index, spelling).
    let spellingIndex: [Character: [(Int, [Character])]]

    /// The cities whose spelling starts `s`, with the spelling's length.
    func citySpellings<S: Collection>(startingWith s: S) -> [(Int, Int)] where S.Element == Character {
        guard let first = s.first else { return [] }
        var found: [(Int, Int)] = []
        for (ci, spelling) in spellingIndex[first] ?? [] where s.starts(with: spelling) { found.append((ci, spelling.count)) }
        return found
    }

    func hasPlainTown(base: [Character], cityCode: String) -> Bool { plainTowns.contains(cityCode + "/" + String(base)) }

    public init(cities: [(code: String, prefecture: String, name: String, point: Place?)],
                towns: [(cityCode: String, name: String, point: Place?)]) {
        var cityList: [City] = []
        var byPref: [String: [Int]] = [:]
        var seenCity = Set<String>()
        for c in cities where !seenCity.contains(c.code) {
            seenCity.insert(c.code)
            var spellings = [Self.folded(c.name)]
            if let gun = c.name.firstIndex(of: "郡") {
                spellings.append(Self.folded(String(c.name[c.name.index(after: gun)...])))
            }
            // A 政令市 ward may be written as the city alone or the ward alone ("さいたま市上峰", "見沼区堀崎町");
            // several wards then fit, and the town decides.
            if let shi = c.name.firstIndex(of: "市"), c.name.hasSuffix("区"), c.name.index(after: shi) < c.name.endIndex {
                spellings.append(Self.folded(String(c.name[...shi])))
                spellings.append(Self.folded(String(c.name[c.name.index(after: shi)...])))
            }
            byPref[c.prefecture, default: []].append(cityList.count)
            cityList.append(City(code: c.code, prefecture: c.prefecture, name: c.name, point: c.point, spellings: spellings))
        }
        var townList: [Town] = []
        var index: [String: [Character: [Int]]] = [:]
        var seenTown = Set<String>()
        for t in towns where !seenTown.contains(t.cityCode + "/" + t.name) {
            seenTown.insert(t.cityCode + "/" + t.name)
            let (base, chome) = Self.split(t.name)
            guard let first = base.first else { continue }
            index[t.cityCode, default: [:]][first, default: []].append(townList.count)
            townList.append(Town(cityCode: t.cityCode, name: t.name, point: t.point, base: base, chome: chome))
        }
        self.cities = cityList
        self.towns = townList
        let known = Set(Prefectures.all.map(\.name))
        prefectures = Prefectures.folded + Set(cityList.map(\.prefecture)).subtracting(known).sorted().map { ($0, Self.folded($0), nil) }
        var spellingIndex: [Character: [(Int, [Character])]] = [:]
        for (ci, c) in cityList.enumerated() {
            for s in Set(c.spellings.map { String($0) }) where !s.isEmpty {
                spellingIndex[s.first!, default: []].append((ci, Array(s)))
            }
        }
        self.spellingIndex = spellingIndex
        var plain = Set<String>()
        for t in townList where t.chome == nil { plain.insert(t.cityCode + "/" + String(t.base)) }
        plainTowns = plain
        townIndex = index
        citiesByPrefecture = byPref
    }

    static func folded(_ s: String) -> [Character] { AddressText.clean(s).map(AddressText.fold) }

    /// `大字上新井四丁目` → (`上新井`, 4).
    static func split(_ name: String) -> ([Character], Int?) {
        var chars = Array(AddressText.clean(name))
        if chars.starts(with: ["大", "字"]) { chars.removeFirst(2) } else if chars.first == "字", chars.count > 2 { chars.removeFirst() }
        if chars.count > 2, chars.suffix(2) == ["丁", "目"] {
            var j = chars.count - 2
            while j > 0, AddressText.kanjiDigits[chars[j - 1]] != nil || "十".contains(chars[j - 1]) || chars[j - 1].isNumber { j -= 1 }
            if j < chars.count - 2, j > 0, let n = AddressText.number(in: chars, at: j), n.length == chars.count - 2 - j {
                return (chars[..<j].map(AddressText.fold), n.value)
            }
        }
        return (chars.map(AddressText.fold), nil)
    }
}
