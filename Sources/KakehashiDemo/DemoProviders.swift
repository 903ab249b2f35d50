import Foundation
import KakehashiGeo

/// The 介護サービス情報公表システム files of the demo region, one per service type.
struct KaigoService {
    let code: String
    let name: String
    let label: String
    let count: Int

    static let all = [
        KaigoService(code: "110", name: "訪問介護", label: "ヘルパーステーション", count: 45),
        KaigoService(code: "130", name: "訪問看護", label: "訪問看護ステーション", count: 36),
        KaigoService(code: "430", name: "居宅介護支援", label: "ケアプランセンター", count: 50),
        KaigoService(code: "710", name: "夜間対応型訪問介護", label: "夜間ヘルプ", count: 3),
        KaigoService(code: "760", name: "定期巡回・随時対応型訪問介護看護", label: "定期巡回センター", count: 5),
        KaigoService(code: "770", name: "看護小規模多機能型居宅介護", label: "看多機", count: 4),
    ]
}

extension DemoRegion {
    static let namePrefixes = ["かけはし", "みなと", "おか", "もり", "さくら", "ひまわり", "あおば", "しおさい", "こもれび", "やまて",
                               "たけのうち", "はまかぜ", "つばさ", "なごみ", "あさひ", "みどり", "ほほえみ", "ふれあい", "すずらん", "いずみ"]
    static let availableDays = ["月～金", "月～土", "毎日", "365日", "土日祝日を除く", "月,水,金", "月～金 9:00～18:00",
                                "平日 8:30～17:30", "24時間365日", "月～土（祝日を除く）", "要相談", ""]

    /// A CSV field, quoted when it holds a comma or a quote.
    static func quoted(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func phone(_ rng: inout SeededRandom) -> String { "000-\(rng.int(100...999))-\(rng.int(1000...9999))" }

    /// 6-digit 団体コード: the 5-digit code and its JIS X 0401/0402 check digit.
    static func withCheckDigit(_ code: String) -> String {
        let digits = code.compactMap { $0.wholeNumberValue }
        let sum = zip(digits, [6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
        return code + String((11 - sum % 11) % 10)
    }

    func kaigoCSV(_ service: KaigoService, _ places: ProviderPlaces, _ rng: inout SeededRandom, _ ids: inout Int,
                  nursing: inout [(String, GeoPoint)]) -> String {
        var s = "都道府県コード又は市区町村コード,No,都道府県名,市区町村名,事業所名,事業所名カナ,サービスの種類,住所,方書（ビル名等）,緯度,経度,電話番号,FAX番号,法人番号,法人の名称,事業所番号,利用可能曜日,利用可能曜日特記事項,定員,URL,高齢者の方と障害者の方が同時一体的に利用できるサービス,介護保険の通常の指定基準を満たしている,障害福祉の通常の指定基準を満たしている,備考\n"
        for n in 1...service.count {
            ids += 1
            let (town, p, address) = places.place(&rng)
            let id = "99\(String(format: "%08d", 70_000_000 + ids * 37))"
            let name = "\(rng.pick(Self.namePrefixes))\(service.label)\(n)（デモ）"
            let days = rng.pick(Self.availableDays)
            let note = rng.chance(0.1) ? "緊急時は24時間連絡可" : ""
            let fax = rng.chance(0.7) ? Self.phone(&rng) : ""
            let municipalityName = "\(town.municipality.county ?? "")\(town.municipality.name)"
            s += "\(Self.withCheckDigit(town.municipality.code)),\(n),\(Self.prefecture),\(municipalityName),\(name),,\(service.name),\(address),,\(p.lat),\(p.lon),\(Self.phone(&rng)),\(fax),,社会福祉法人デモ福祉会,\(id),\(Self.quoted(days)),\(note),,,,,,\n"
            if service.code == "130" { nursing.append((id, p)) }
        }
        return s
    }

    func zaishishinCSV(_ places: ProviderPlaces, _ rng: inout SeededRandom) -> String {
        var s = "id,name,address,category,facility_type,jis_code,municipality,pref,lat,lon,geocode,subtype,enhanced,enhanced_kind\n"
        for n in 1...16 {
            let (town, p, address) = places.place(&rng)
            let hospital = n % 6 == 0
            let subtype = rng.int(1...3)
            let kind = ["enhanced_single", "joint", "standard"][subtype - 1]
            let name = hospital ? "\(rng.pick(Self.namePrefixes))在宅病院\(n)（デモ）" : "\(rng.pick(Self.namePrefixes))在宅クリニック\(n)（デモ）"
            s += "\(9_900_000 + n),\(name),\(address),\(hospital ? "病院" : "一般診療所"),\(hospital ? "home_support_hospital" : "home_support_clinic"),\(town.municipality.code),\(town.municipality.county ?? "")\(town.municipality.name),\(Self.prefecture),\(p.lat),\(p.lon),demo,\(subtype),\(subtype < 3),\(kind)\n"
        }
        return s
    }

    func iryoCSVs(_ places: ProviderPlaces, _ rng: inout SeededRandom) -> (String, String) {
        var facilities = "ID,正式名称,正式名称（フリガナ）,機関区分,都道府県コード,市区町村コード,所在地,所在地座標（緯度）,所在地座標（経度）,電話番号,FAX番号,案内用ホームページアドレス,休診日_年末年始\n"
        let days = ["月", "火", "水", "木", "金", "土", "日", "祝"]
        var hours = "ID,診療科目コード,診療科目名,診療時間帯"
        for d in days { hours += ",\(d)_診療開始時間,\(d)_診療終了時間,\(d)_外来受付開始時間,\(d)_外来受付終了時間" }
        hours += "\n"
        let specialities = [("01", "内科"), ("02", "小児科"), ("16", "整形外科"), ("30", "皮膚科")]
        for n in 1...40 {
            let (town, p, address) = places.place(&rng)
            let id = "99\(town.municipality.code.suffix(3))\(String(format: "%08d", 10_000 + n))"
            let hospital = n % 8 == 0
            let lat = n == 40 ? "0" : "\(p.lat)", lon = n == 40 ? "0" : "\(p.lon)"  // 0,0 = unknown, as in the national file
            facilities += "\(id),\(rng.pick(Self.namePrefixes))\(hospital ? "病院" : "医院")\(n)（デモ）,,\(hospital ? 1 : 2),99,\(town.municipality.code.suffix(3)),\(address),\(lat),\(lon),\(Self.phone(&rng)),\(rng.chance(0.6) ? Self.phone(&rng) : ""),,\(rng.chance(0.8) ? 1 : 0)\n"
            let (code, name) = rng.pick(specialities)
            let closed = rng.int(2...3)  // Wednesday or Thursday afternoon off
            for (slot, (start, end)) in [("09:00", "12:30"), ("14:30", "18:00")].enumerated() {
                hours += "\(id),\(code),\(name),\(slot + 1)"
                for (i, _) in days.enumerated() {
                    let open = i < 5 ? !(slot == 1 && i == closed) : (i == 5 && slot == 0)
                    hours += open ? ",\(start),\(end),\(start),\(end)" : ",,,,"
                }
                hours += "\n"
            }
        }
        return (facilities, hours)
    }

    func pharmaciesCSV(_ places: ProviderPlaces, _ munis: [Municipality], _ rng: inout SeededRandom) -> String {
        var s = "id,name,kind,services,lat,lon,address,municipality_code,phone,fax,email,preferred_contact,capabilities,opening_hours,hours_service,area_radius_m,area_municipalities,area_towns\n"
        for n in 1...30 {
            let (town, p, address) = places.place(&rng)
            let h24 = n % 7 == 0
            let hours = h24 ? "24/7" : rng.pick(["Mo-Fr 09:00-19:00; Sa 09:00-13:00; PH off", "Mo-Sa 09:00-18:00; PH off; Dec 29-Jan 03 off", "Mo-Fr 08:30-20:00; Sa,Su 10:00-17:00"])
            let area: String
            switch n % 3 {
            case 0: area = "\(rng.pick([2000, 3000, 4000])),,"
            case 1: area = ",\(town.municipality.code),"
            default: area = ",,\(town.municipality.code):\(town.name);\(town.municipality.code):\(rng.pick(town.municipality.towns))"
            }
            s += "DEMO-PH-\(String(format: "%03d", n)),\(rng.pick(Self.namePrefixes))薬局\(n)（デモ）,pharmacy,home_pharmacy,\(p.lat),\(p.lon),\(address),\(town.municipality.code),\(Self.phone(&rng)),\(Self.phone(&rng)),,\(rng.chance(0.5) ? "fax" : "phone"),\(h24 ? "pharmacy_24h" : ""),\"\(hours)\",home_pharmacy,\(area)\n"
        }
        return s
    }

    /// Hand-drawn-looking service-area polygons for some visiting-nurse stations of the kaigo file.
    func serviceAreas(_ nursing: [(String, GeoPoint)], _ rng: inout SeededRandom) -> String {
        var features: [String] = []
        for (i, (id, p)) in nursing.enumerated() where i % 3 == 0 {
            let r = rng.uniform(0.03...0.06)
            var ring: [GeoPoint] = []
            for k in 0..<12 {
                let a = Double(k) / 12 * 2 * Double.pi
                let rr = r * rng.uniform(0.75...1.0)
                ring.append(GeoPoint(lon: Self.r6(p.lon + rr * cos(a) * 1.2), lat: Self.r6(p.lat + rr * sin(a))))
            }
            ring.append(ring[0])
            features.append(#"{"type":"Feature","properties":{"provider_source":"kaigo:130","provider":"\#(id)","service":"home_visit_nursing"},"geometry":\#(Geometry.polygon([ring]).geoJSON)}"#)
        }
        return "{\"type\":\"FeatureCollection\",\"name\":\"訪問看護の通常の事業の実施地域（合成データ）\",\"features\":[\n" + features.joined(separator: ",\n") + "\n]}\n"
    }
}
