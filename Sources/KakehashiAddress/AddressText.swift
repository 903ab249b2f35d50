/// Character-level folding of Japanese address text.
///
/// `clean` turns what people type into one canonical spelling: full-width ASCII to half-width,
/// spaces removed, the many dashes after a digit to "-". `fold` is applied to both sides when
/// comparing names: it maps characters that are interchangeable in place names (ヶ/ケ/が/ガ, 之/ノ/の,
/// 旧字体 and 新字体) onto one, one character for one, so positions still line up.
public enum AddressText {
    static let dashes: Set<Character> = ["-", "－", "‐", "‑", "–", "—", "―", "−", "ー", "ｰ", "─", "━", "~", "〜", "～"]

    public static func clean(_ raw: String) -> String {
        var out: [Character] = []
        out.reserveCapacity(raw.count)
        for c in raw {
            guard let u = c.unicodeScalars.first, c.unicodeScalars.count == 1 else {
                if !c.isWhitespace { out.append(c) }
                continue
            }
            var ch = c
            switch u.value {
            case 0xFF01...0xFF5E: ch = Character(Unicode.Scalar(u.value - 0xFEE0)!)  // full-width ASCII
            case 0x3000: continue
            default: break
            }
            let v = u.value
            // Spaces, controls and invisible format characters (zero-width space, BOM, bidi marks).
            if v <= 0x20 || (0x7F...0xA0).contains(v) || (0x2000...0x200F).contains(v) || (0x2028...0x202F).contains(v)
                || (0x2060...0x206F).contains(v) || v == 0xFEFF || v == 0x3000 { continue }
            if dashes.contains(ch) {
                // A long-vowel mark inside katakana stays one ("センター"); after a digit it is a dash.
                if ch == "ー" || ch == "ｰ", let last = out.last, !(last.isASCII && last.isNumber) { out.append(ch); continue }
                out.append("-")
                continue
            }
            out.append(ch)
        }
        return String(out)
    }

    /// One representative per interchangeable character.
    public static func fold(_ c: Character) -> Character {
        guard let v = c.unicodeScalars.first?.value, v >= 0x3000 else { return c }
        return foldByScalar[v] ?? c
    }

    static let foldByScalar: [UInt32: Character] = Dictionary(uniqueKeysWithValues: foldTable.map { ($0.key.unicodeScalars.first!.value, $0.value) })

    static let foldTable: [Character: Character] = {
        var t: [Character: Character] = [:]
        for c in "ヶケｹがガヵカ" where c != "カ" { t[c] = "ケ" }
        for c in "之ノの" { t[c] = "ノ" }
        for c in "ツっッ" where c != "ツ" { t[c] = "ツ" }
        // 旧字体 and variants common in place names → 新字体.
        let pairs: [(String, Character)] = [
            ("澤", "沢"), ("邊邉", "辺"), ("髙", "高"), ("﨑嵜", "崎"), ("嶋嶌", "島"), ("濱", "浜"), ("國", "国"),
            ("廣", "広"), ("櫻", "桜"), ("德", "徳"), ("驛", "駅"), ("龍", "竜"), ("齋齊", "斎"), ("條", "条"),
            ("冨", "富"), ("槇", "槙"), ("藪籔", "薮"), ("舘", "館"), ("壽", "寿"), ("萬", "万"), ("與", "与"),
            ("會", "会"), ("縣", "県"), ("黑", "黒"), ("淺", "浅"), ("關", "関"), ("龜", "亀"), ("眞", "真"),
            ("靜", "静"), ("瀧", "滝"), ("峯", "峰"), ("藏", "蔵"), ("鐵", "鉄"), ("寳寶", "宝"), ("豐", "豊"),
            ("曽", "曾"), ("渕", "淵"), ("檜", "桧"), ("籠", "篭"), ("靱", "靭"), ("隆", "隆"), ("穗", "穂"),
            ("藝", "芸"), ("瀨", "瀬"), ("兒", "児"), ("增", "増"), ("圓", "円"), ("惠", "恵"), ("麴", "麹"), ("濤", "涛"),
            // 釆 (U+91C6) for 采: the 厚生局 名簿 writes 三郷市釆女, the gazetteer 采女.
            ("釆", "采"),
        ]
        for (olds, new) in pairs { for o in olds where o != new { t[o] = new } }
        return t
    }()

    static let kanjiDigits: [Character: Int] = ["〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]

    /// Reads a number written in digits or 漢数字 (`十五`, `二十三`, `百二`, `一〇五`) at the start of
    /// `s[i...]`; returns the value and how many characters it used.
    static func number(in s: [Character], at i: Int) -> (value: Int, length: Int)? {
        var j = i
        var digits = 0, hasDigit = false
        // Values are held below 10^10: an address of 200 digits must not overflow.
        let cap = 1_000_000_000
        while j < s.count, let d = s[j].wholeNumberValue, s[j].isASCII {
            digits = min(digits, cap) * 10 + d; j += 1; hasDigit = true
        }
        if hasDigit { return (digits, j - i) }
        // 漢数字: positional (一〇五) or with 十百千.
        var total = 0, current = 0, used = false, positional = 0, positionalOnly = true
        while j < s.count {
            let c = s[j]
            if let d = kanjiDigits[c] {
                current = min(current, cap) * 10 + d
                positional = min(positional, cap) * 10 + d
            } else if c == "十" || c == "百" || c == "千" {
                positionalOnly = false
                let unit = c == "十" ? 10 : c == "百" ? 100 : 1000
                total = min(total, cap) + (current == 0 ? 1 : current) * unit
                current = 0
            } else {
                break
            }
            used = true
            j += 1
        }
        guard used else { return nil }
        return (positionalOnly ? positional : total + current, j - i)
    }

    /// Digits → 漢数字 as 丁目 are written in the gazetteer (`3` → `三`, `12` → `十二`).
    public static func kanji(_ n: Int) -> String {
        let d = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
        if n <= 0 { return "〇" }
        if n < 10 { return d[n] }
        if n < 100 { return (n / 10 == 1 ? "" : d[n / 10]) + "十" + d[n % 10] }
        return String(n)
    }
}
