/// An address turned into a point: the representative point of the 町字 (or of the municipality
/// when no 町字 was recognised), with the level it was found at. Below town level the answer says
/// so: a city-level point is never a doorstep.
public struct GeocodeResult: Sendable, Equatable, Codable {
    public var prefecture: String?
    public var city: String?
    public var cityCode: String?
    public var town: String?
    public var rest: String
    public var blockNumber: String?
    public var other: String?
    /// 0 nothing, 1 prefecture, 2 city, 3 town.
    public var level: Int
    public var lat: Double?
    public var lon: Double?
    /// What the point stands for: `town` (the 町字's representative point) or `city`.
    public var pointLevel: String?
    public var candidates: [NormalisedAddress.Candidate]
    /// A Japanese sentence for the person when the address was not read to town level.
    public var message: String?

    enum CodingKeys: String, CodingKey {
        case prefecture, city, cityCode = "city_code", town, rest, blockNumber = "block_number", other, level, lat, lon
        case pointLevel = "point_level", candidates, message
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        // Every key is always present, null when unknown: callers test fields, not keys.
        try c.encode(prefecture, forKey: .prefecture)
        try c.encode(city, forKey: .city)
        try c.encode(cityCode, forKey: .cityCode)
        try c.encode(town, forKey: .town)
        try c.encode(rest, forKey: .rest)
        try c.encode(blockNumber, forKey: .blockNumber)
        try c.encode(other, forKey: .other)
        try c.encode(level, forKey: .level)
        try c.encode(lat, forKey: .lat)
        try c.encode(lon, forKey: .lon)
        try c.encode(pointLevel, forKey: .pointLevel)
        try c.encode(candidates, forKey: .candidates)
        try c.encode(message, forKey: .message)
    }
}

/// Geocodes against a ``Gazetteer``; pure, no I/O.
public struct Geocoder: Sendable {
    public let normaliser: AddressNormaliser
    let townPoints: [String: Gazetteer.Place]
    let cityPoints: [String: Gazetteer.Place]

    public init(gazetteer: Gazetteer) {
        normaliser = AddressNormaliser(gazetteer: gazetteer)
        var towns: [String: Gazetteer.Place] = [:]
        for t in gazetteer.towns { if let p = t.point { towns[t.cityCode + "/" + t.name] = p } }
        townPoints = towns
        var cities: [String: Gazetteer.Place] = [:]
        for c in gazetteer.cities { if let p = c.point { cities[c.code] = p } }
        cityPoints = cities
    }

    public func geocode(_ text: String) throws(AddressInputError) -> GeocodeResult {
        let a = try normaliser.normalise(text)
        var result = GeocodeResult(
            prefecture: a.prefecture, city: a.city, cityCode: a.cityCode, town: a.town, rest: a.rest,
            blockNumber: a.blockNumber, other: a.other, level: a.level.rawValue, lat: nil, lon: nil,
            pointLevel: nil, candidates: a.candidates, message: nil)
        var point: Gazetteer.Place?
        if let code = a.cityCode, let town = a.town, let p = townPoints[code + "/" + town] {
            point = p
            result.pointLevel = "town"
        } else if let code = a.cityCode, let p = cityPoints[code] {
            point = p
            result.pointLevel = "city"
        }
        result.lat = point?.lat
        result.lon = point?.lon
        switch a.level {
        case .town where result.pointLevel == "city":
            result.message = "町字「\(a.town ?? "")」の代表点がないため、市区町村の代表点を示しています。地図上の位置は目安です"
        case .town:
            break
        case .city:
            result.message = a.candidates.isEmpty
                ? "町字まで特定できませんでした（\(a.city ?? "")）。町名・丁目を含む住所を入力してください。位置は市区町村の代表点で、訪問先の位置ではありません"
                : "町字の候補が複数あります。候補から選ぶか、住所を詳しく入力してください"
        case .prefecture, .none:
            result.message = a.candidates.isEmpty
                ? "市区町村まで特定できませんでした。都道府県・市区町村名を含む住所を入力してください"
                : "同じ名前の市区町村が複数あります。都道府県名を含めて入力してください"
        }
        return result
    }
}
