import Foundation
import KakehashiDemo
import KakehashiGeo
import KakehashiStore

/// The stress region: providers of every kind spread over the municipalities of the three
/// prefectures (far denser than reality), in the native provider format.
enum StressRegion {
    /// The three prefectures' boundaries, towns, population and mesh population with `providers`
    /// generated providers, at `path` (kept as it is when the file exists).
    static func database(at path: String, providers: Int, hoursVariety: Int = 0, fixtures: String, scratch: URL) throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        let f = { (name: String) in (fixtures as NSString).appendingPathComponent(name) }
        let t0 = Date()
        let db = try SpatialDatabase(path: path)
        let boundaryFiles = ["11", "12", "13"].map { f("boundaries/N03-21_\($0)_210101_s0010.geojson") }
        _ = try DataImport.run(.boundaries, files: boundaryFiles, into: db)
        _ = try DataImport.run(.towns, files: [f("towns/towns_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.population, files: [f("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.meshPopulation, files: [f("mesh/mesh250m_2010_5339_population.csv")], into: db)
        let csv = scratch.appendingPathComponent("stress.csv")
        try write(providers, hoursVariety: hoursVariety, boundaries: boundaryFiles, to: csv)
        _ = try DataImport.run(.providers, files: [csv.path], into: db)
        try db.close()
        print(String(format: "generated and imported %d providers in %.0f s", providers, Date().timeIntervalSince(t0)))
    }

    /// `hoursVariety`: how many distinct hours strings the providers with hours draw from; 0 for
    /// the three usual ones.
    static func write(_ count: Int, hoursVariety: Int = 0, boundaries: [String], to url: URL) throws {
        var polygons: [(Geometry, GeoBox, String)] = []
        for path in boundaries {
            for feature in try GeoJSONReader.features(from: Data(contentsOf: URL(fileURLWithPath: path))) {
                guard let g = feature.geometry, let code = feature.properties["N03_007"]?.text else { continue }
                let pts = g.allPoints
                polygons.append((g, GeoBox(minLon: pts.map(\.lon).min()!, minLat: pts.map(\.lat).min()!, maxLon: pts.map(\.lon).max()!, maxLat: pts.map(\.lat).max()!), code))
            }
        }
        // Mainland only: the islands of Tokyo would stretch the box over the Pacific.
        let box = GeoBox(minLon: 138.9, minLat: 34.9, maxLon: 140.9, maxLat: 36.3)
        var rng = SeededRandom(seed: 450)
        var out = "id,name,kind,services,lat,lon,municipality_code,phone,capabilities,opening_hours,hours_service,area_radius_m,area_municipalities\n"
        out.reserveCapacity(count * 120)
        var n = 0
        let kinds: [(String, String, Int)] = [  // kind, service, weight
            ("clinic", "home_visit_medical", 15), ("visiting_nurse_station", "home_visit_nursing", 15), ("home_care_office", "home_care", 20),
            ("care_management_office", "care_management", 25), ("pharmacy", "home_pharmacy", 20), ("home_care_office", "night_home_care", 2),
            ("home_care_office", "regular_visit_24h", 3),
        ]
        let totalWeight = kinds.reduce(0) { $0 + $1.2 }
        while n < count {
            let p = GeoPoint(lon: box.minLon + Double(rng.next() % 1_000_000) / 1_000_000 * (box.maxLon - box.minLon),
                             lat: box.minLat + Double(rng.next() % 1_000_000) / 1_000_000 * (box.maxLat - box.minLat))
            guard let m = polygons.first(where: { $0.1.contains(p) && $0.0.contains(p) }) else { continue }
            n += 1
            var w = Int(rng.next() % UInt64(totalWeight))
            var kind = kinds[0]
            for k in kinds { if w < k.2 { kind = k; break }; w -= k.2 }
            let capability = kind.1 == "home_visit_medical" && rng.next() % 3 == 0 ? "home_support_clinic"
                : kind.1 == "home_visit_nursing" && rng.next() % 2 == 0 ? "nursing_24h" : ""
            var hours = ["Mo-Fr 09:00-18:00; Sa 09:00-12:00; PH off", "Mo-Sa 08:30-17:30; PH off; Dec 29-Jan 03 off", "Mo-Su 18:00-08:00", "", ""][Int(rng.next() % 5)]
            if hoursVariety > 0, !hours.isEmpty { hours = variedHours(Int(rng.next() % UInt64(hoursVariety))) }
            let radius = kind.1 == "home_pharmacy" ? String(2000 + Int(rng.next() % 3) * 1000) : ""
            let municipalities = kind.1 == "home_visit_nursing" || kind.1 == "home_care" ? m.2 : ""
            out += "S\(n),ストレス\(n),\(kind.0),\(kind.1),\(p.lat),\(p.lon),\(m.2),000-0000-0000,\(capability),\"\(hours)\",\(hours.isEmpty ? "" : kind.1),\(radius),\(municipalities)\n"
        }
        try Data(out.utf8).write(to: url)
    }

    /// The `k`th of 55,296 distinct day-time hours, as varied as clinics' and offices' own: opening
    /// and closing by the quarter hour, Saturday, a weekday off, a lunch break, holidays, 年末年始.
    static func variedHours(_ k: Int) -> String {
        func clock(_ m: Int) -> String { String(format: "%02d:%02d", m / 60, m % 60) }
        let open = 7 * 60 + k % 12 * 15, close = 16 * 60 + k / 12 % 16 * 15
        let day = [[clock(open) + "-" + clock(close)], [clock(open) + "-12:00", "13:00-" + clock(close)], [clock(open) + "-12:30", "14:00-" + clock(close)]][k / 4608 % 3]
            .joined(separator: ",")
        var rules = ["Mo-Fr " + day]
        rules += [[], ["Sa 09:00-12:00"], ["Sa 09:00-13:00"], ["Sa " + day]][k / 192 % 4]
        rules += [[], ["We off"], ["Th off"], ["Tu off"], ["Fr off"], ["Mo off"]][k / 768 % 6]
        rules += k / 13824 % 2 == 0 ? [] : ["PH off"]
        rules += k / 27648 % 2 == 0 ? [] : ["Dec 29-Jan 03 off"]
        return rules.joined(separator: "; ")
    }
}
