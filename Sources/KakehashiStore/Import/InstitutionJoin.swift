import Foundation
import GRDB
import KakehashiAddress
import KakehashiModel

/// One institution, many sources: a clinic is in the 厚生局 名簿 (医療機関番号), in 医療情報ネット (its
/// own ID, coordinates and hours) and, for みなし指定 visiting nursing, in the 介護 data. Each official
/// source joins the provider another source already loaded for the same institution instead of
/// making a second one, and the join records how it was made:
/// - **institution code**: the same 10-digit 医療機関コード (a 名簿 institution, a みなし 事業所番号) — certain;
/// - **name, address and phone**: all three equal once normalised — taken as certain;
/// - **name and address** where one source publishes no phone (医療情報ネット does not): equal, and
///   the address down to its 番地 (it holds a digit) — taken as certain;
/// - anything less (two of three equal, the third differing; an address without 番地): not joined,
///   listed in the import report for a person to confirm.
/// The native provider format is never joined: its ids are the operator's own.
enum InstitutionJoin {
    enum Method: String {
        case institutionCode = "institution_code", nameAddressPhone = "name_address_phone", nameAddress = "name_address"
    }

    /// The source families whose providers are joined (`kaigo:130` is of family `kaigo`). Records of
    /// one family are never joined to each other: one office designated for two 介護 services is two
    /// providers, as in the source.
    static let officialSources: Set<String> = ["todokede", "iryo", "kaigo", "zaishishin"]

    static func family(_ source: String) -> String { String(source.prefix { $0 != ":" }) }

    /// Whether records of this source are joined to other sources' providers.
    static func joins(_ source: String) -> Bool { officialSources.contains(family(source)) }

    /// Name, address and phone folded for comparison.
    struct Keys: Equatable {
        let name: String?
        let address: String?
        let phone: String?

        init(_ p: ProviderRecord) {
            name = Self.fold(p.name)
            address = p.address.flatMap(Self.address)
            phone = p.phone.flatMap { Self.nonEmpty(String($0.filter { $0.isASCII && $0.isNumber })) }
        }

        /// 全角 to 半角, spaces and punctuation gone, a whole character at a time (NFKC writes a
        /// spacing ゛ as a space and a combining mark: both go).
        static func fold(_ s: String) -> String? {
            nonEmpty(String(s.precomposedStringWithCompatibilityMapping.filter { !$0.isWhitespace && !ignored.contains($0) }))
        }

        static let ignored = Set<Character>("・.,、。()（）「」")
        static let prefectureNames = Prefectures.all.map(\.name)
        /// Written as one dash, tried in this order at each place (longer marks before their prefixes).
        static let marks = ["丁目", "番地の", "番地", "番の", "番", "号", "の", "ー", "―", "‐", "−", "-"].map { Array($0.unicodeScalars) }

        /// The address without its prefecture, with 丁目・番地・号 and dashes written alike: every mark a
        /// dash, runs of dashes one, none at the end. One pass over the folded text (an import of a
        /// national file folds a hundred thousand addresses).
        static func address(_ s: String) -> String? {
            guard let folded = fold(s) else { return nil }
            // Folded text is NFKC-normalised, as the names are: bytes compare as characters would.
            let prefecture = prefectureNames.first { folded.utf8.starts(with: $0.utf8) }
            let scalars = Array(folded.unicodeScalars.dropFirst(prefecture?.unicodeScalars.count ?? 0))
            var out = String.UnicodeScalarView(), i = 0
            while i < scalars.count {
                if let mark = marks.first(where: { scalars[i...].starts(with: $0) }) {
                    if out.last != "-" { out.append("-") }
                    i += mark.count
                } else {
                    out.append(scalars[i])
                    i += 1
                }
            }
            if out.last == "-" { out.removeLast() }
            return nonEmpty(String(out))
        }

        static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }
    }

    /// A provider of another family than the two arguments name (the family, twice).
    static let otherFamily = "source != ? AND source NOT LIKE ? || ':%'"

    /// The provider of another source this record joins, and how; or nil.
    static func target(for p: ProviderRecord, keys: Keys, db: Database) throws -> (id: Int64, method: Method)? {
        guard joins(p.source) else { return nil }
        // A provider this source loaded itself stays its own (a re-import finds it by its id).
        if try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM providers WHERE source = ? AND official_id = ?"), arguments: [p.source, p.officialID]) == true {
            return nil
        }
        if let code = p.institutionCode,
           let id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM providers WHERE institution_code = ? AND institution_code IS NOT NULL AND \(otherFamily) ORDER BY id LIMIT 1"),
                                       arguments: [code, family(p.source), family(p.source)]) {
            return (id, .institutionCode)
        }
        guard let name = keys.name, let address = keys.address else { return nil }
        for r in try Row.fetchAll(db.cachedStatement(sql: """
            SELECT id, match_phone FROM providers WHERE match_name = ? AND match_name IS NOT NULL AND match_address = ? AND \(otherFamily) ORDER BY id
            """), arguments: [name, address, family(p.source), family(p.source)]) {
            let phone: String? = r["match_phone"]
            if let phone, let mine = keys.phone {
                if phone == mine { return (r["id"], .nameAddressPhone) }
            } else if address.contains(where: \.isNumber) {
                return (r["id"], .nameAddress)
            }
        }
        return nil
    }

    /// Providers of other sources that agree with the record in two of name, address and phone:
    /// perhaps the same institution, for a person to confirm.
    static func candidates(for p: ProviderRecord, keys: Keys, file: String, db: Database) throws -> [ImportIssue] {
        guard joins(p.source) else { return [] }
        // Two indexed lookups (an OR over two columns would read the whole table for every row).
        let rows = try Row.fetchAll(db.cachedStatement(sql: """
            SELECT source, official_id, name, match_name, match_address, match_phone FROM providers
            WHERE match_phone = ? AND match_phone IS NOT NULL AND \(otherFamily)
            UNION
            SELECT source, official_id, name, match_name, match_address, match_phone FROM providers
            WHERE match_name = ? AND match_name IS NOT NULL AND \(otherFamily)
            LIMIT 20
            """), arguments: [keys.phone, family(p.source), family(p.source), keys.name, family(p.source), family(p.source)])
        return rows.compactMap { r in
            let agree = [keys.name != nil && r["match_name"] == keys.name, keys.address != nil && r["match_address"] == keys.address,
                         keys.phone != nil && r["match_phone"] == keys.phone]
            guard agree.filter({ $0 }).count == 2 || (agree[0] && agree[1]) else { return nil }
            let which = zip(["名称", "所在地", "電話番号"], agree).filter { !$0.1 }.map(\.0).first ?? "番地"
            return ImportIssue(file: file, line: p.line, column: "照合",
                               "\(p.officialID) \(p.name) は \(r["source"] as String) の \(r["official_id"] as String) \(r["name"] as String) と\(which)以外が一致します。同じ医療機関なら確認してください（結合していません）")
        }
    }
}
