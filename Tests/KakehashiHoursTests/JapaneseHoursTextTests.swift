import Foundation
import Testing
@testable import KakehashiHours

/// Japanese hours as people type them, read into `opening_hours`; nothing guessed without a note.
@Suite struct JapaneseHoursTextTests {
    @Test(arguments: [
        ("月〜金 9:00〜18:00", "Mo-Fr 09:00-18:00"),
        ("月～金　９時～１８時", "Mo-Fr 09:00-18:00"),
        ("月－金　９：００－１８：００", "Mo-Fr 09:00-18:00"),
        ("月〜金 9:00〜12:00、14:00〜18:00", "Mo-Fr 09:00-12:00,14:00-18:00"),
        ("平日 9時半～17時30分", "Mo-Fr 09:30-17:30"),
        ("祝日休み", "PH off"),
        ("年末年始（12/29〜1/3）休み", "Dec 29-Jan 03 off"),
        ("年末年始休み", "Dec 29-Jan 03 off"),
        ("12月31日休み", "Dec 31 off"),
        ("24時間", "24/7"),
        ("土日 24時間", "Sa,Su 00:00-24:00"),
        ("水曜午後休診", "We 12:00-24:00 off"),
        ("第2・第4土曜休み", "Sa[2,4] off"),
        ("月〜土 9:00〜18:00、水曜午後休診、日曜・祝日休み、年末年始休み",
         "Mo-Sa 09:00-18:00; We 12:00-24:00 off; Su,PH off; Dec 29-Jan 03 off"),
        ("月〜金 18時〜翌9時、土曜 9:00〜13:00", "Sa 09:00-13:00, Mo-Fr 18:00-09:00"),
        ("休診日：日曜", "Su off"),
        ("9時から18時まで", "09:00-18:00"),
        ("平日9:00〜18:00 土曜9:00〜12:00", "Mo-Fr 09:00-18:00; Sa 09:00-12:00"),
        ("月曜～金曜 9時～17時 土・日・祝 休み", "Mo-Fr 09:00-17:00; Sa,Su,PH off"),
        ("第1・3土曜休み", "Sa[1,3] off"),
        ("月〜金 9:00〜18:00、昼休み 12:00〜13:00", "Mo-Fr 09:00-18:00; 12:00-13:00 off"),
        ("月〜金 9:00〜12:00 / 14:00〜18:00", "Mo-Fr 09:00-12:00,14:00-18:00"),
        // The 日 of 曜日 is no Sunday, after one day or a range's end.
        ("土曜日 9:00〜12:00", "Sa 09:00-12:00"),
        ("月曜日～金曜日 9:00～17:00", "Mo-Fr 09:00-17:00"),
        ("月曜日〜土曜日 9:00〜18:00、日曜日休み", "Mo-Sa 09:00-18:00; Su off"),
        // `※` ends a clause as a line break does.
        ("月〜金 9:00〜18:00 ※土日祝休み", "Mo-Fr 09:00-18:00; Sa,Su,PH off"),
    ])
    func reads(text: String, canonical: String) throws {
        let r = JapaneseHoursText.read(text)
        #expect(r.canonical == canonical)
        #expect(r.unread.isEmpty, "\(r.unread)")
        let hours = try OpeningHours(try #require(r.canonical))
        #expect(!hours.warnings().contains { $0.kind == .overwritesPreviousNight || $0.kind == .hiddenByLaterRule }, "\(canonical)")
    }

    /// A browser sends a textarea's line breaks as CRLF, one Character in Swift; a quoted CSV cell may too.
    @Test(arguments: ["\n", "\r\n", "\r"])
    func lineBreaksOfEveryKindEndAClause(newline: String) {
        let r = JapaneseHoursText.read("水曜午後休診\(newline)日曜・祝日休み\(newline)")
        #expect(r.canonical == "We 12:00-24:00 off; Su,PH off")
        #expect(r.unread.isEmpty, "\(r.unread)")
    }

    /// A label alone on its line (`休診日：`) heads the next line; read apart, it closed every day.
    @Test(arguments: ["\n", "\r\n", "\r"])
    func labelsOnTheirOwnLine(newline: String) {
        for colon in ["：", ""] {
            let r = JapaneseHoursText.read("診療時間\(colon)\(newline)月〜金 9:00〜18:00\(newline)休診日\(colon)\(newline)土曜、日曜・祝日")
            #expect(r.canonical == "Mo-Fr 09:00-18:00; Sa off; Su,PH off", "\(colon)")
            #expect(r.unread.isEmpty, "\(r.unread)")
        }
    }

    /// A closing that names no days, dates or times is said unread: a bare `off` would close every day.
    @Test func aClosingOfNothingNamedIsUnread() {
        let r = JapaneseHoursText.read("月〜土 9:00〜18:00 昼休み")
        #expect(r.canonical == "Mo-Sa 09:00-18:00")
        #expect(r.unread == ["昼休み"])
    }

    @Test func partsOfTheDayAreTakenFromTheOtherHoursOrSaidUnknown() {
        let clipped = JapaneseHoursText.read("月〜土 9:00〜18:00、土曜午前")
        #expect(clipped.canonical == "Mo-Sa 09:00-18:00; Sa 09:00-12:00")
        #expect(clipped.notes == ["「土曜午前」の午前を、ほかの時間（09:00-18:00）の午前として 09:00-12:00 と読みました"])
        let alone = JapaneseHoursText.read("土曜午前")
        #expect(alone.canonical == #"Sa unknown "午前""#)
        #expect(alone.notes.first?.contains("時刻が書かれていない") == true)
        let days = JapaneseHoursText.read("月・水・金")
        #expect(days.canonical == "Mo,We,Fr unknown" && days.notes.count == 1)
    }

    @Test func whatCannotBeReadIsSaid() {
        let r = JapaneseHoursText.read("月〜金 9:00〜18:00（要予約）")
        #expect(r.canonical == "Mo-Fr 09:00-18:00")
        #expect(r.unread == ["要予約"])
        let none = JapaneseHoursText.read("お問い合わせください")
        #expect(none.canonical == nil && none.unread == ["お問い合わせください"])
    }

    /// A weekday kanji inside another word is no day: the 日 of `の日` or `日中`, the 月 of `毎月`.
    @Test(arguments: [
        ("月〜金 9:00〜12:00、要相談の日あり", "Mo-Fr 09:00-12:00"),
        ("月〜金 9:00〜12:00、日中は訪問", "Mo-Fr 09:00-12:00"),
        ("毎月第2水曜休み", "We[2] off"),
        ("土日祝休み", "Sa,Su,PH off"),
        ("毎週月・木 9:00〜12:00", "Mo,Th 09:00-12:00"),
    ])
    func kanjiInsideWordsAreNoDays(text: String, canonical: String) {
        #expect(JapaneseHoursText.read(text).canonical == canonical, "\(JapaneseHoursText.read(text))")
    }

    /// A closing in brackets or beside the hours is a clause of its own; the hours stay every day's.
    @Test(arguments: [
        ("9:00〜18:00（木曜は休診）", "09:00-18:00; Th off"),
        ("月〜土 9:00〜12:00（木・土午後休診）", "Mo-Sa 09:00-12:00; Th,Sa 12:00-24:00 off"),
        ("火曜定休 10:00〜19:00", "10:00-19:00; Tu off"),
        ("10:00〜19:00 定休日：水曜日", "10:00-19:00; We off"),
        ("9:00〜18:00 平日のみ", "Mo-Fr 09:00-18:00"),
        ("土日営業 10:00〜17:00", "Sa,Su 10:00-17:00"),
        ("診療時間月〜金 9:00〜18:00", "Mo-Fr 09:00-18:00"),
        ("年末年始（12/29〜1/3）休み", "Dec 29-Jan 03 off"),
        ("営業時間 8:30〜17:30 営業日 月〜金", "Mo-Fr 08:30-17:30"),
        ("休日：土曜・祝日", "Sa,PH off"),
        ("第2・第4土曜日 9:00〜12:00", "Sa[2,4] 09:00-12:00"),
        ("日祝・年末年始休み", "Su,PH off; Dec 29-Jan 03 off"),
        ("月〜金 9:00〜18:00 12/29〜1/3休み", "Mo-Fr 09:00-18:00; Dec 29-Jan 03 off"),
        ("定休日：土曜、日曜、祝日", "Sa off; Su off; PH off"),
        ("診療時間 9:00〜12:00/15:00〜18:00 水・土は午前のみ", "09:00-12:00,15:00-18:00; We,Sa 09:00-12:00"),
        ("月〜土 9:00〜12:00 月・火・木・金 15:00〜18:00", "Mo-Sa 09:00-12:00; Mo,Tu,Th,Fr 09:00-12:00,15:00-18:00"),
        ("平日：9:00〜18:00／土曜：9:00〜13:00／日祝：休診", "Mo-Fr 09:00-18:00; Sa 09:00-13:00; Su,PH off"),
        ("12/29〜1/3 休診", "Dec 29-Jan 03 off"),
        ("9:00〜18:00 昼休み12:00〜13:00", "09:00-18:00; 12:00-13:00 off"),
        ("9:00〜18:00（年中無休）", "Mo-Su 09:00-18:00"),
        ("日祝、年末年始休み", "Su,PH off; Dec 29-Jan 03 off"),
        ("12/31、1/1休み", "Dec 31 off; Jan 01 off"),
        ("8:30〜17:30（土日祝日、年末年始除く）", "08:30-17:30; Sa,Su,PH off; Dec 29-Jan 03 off"),
        ("祝日除く月〜金 9:00〜18:00", "Mo-Fr 09:00-18:00; PH off"),
        ("24時間、月〜金 18時〜翌9時", "00:00-24:00, Mo-Fr 18:00-09:00"),
        ("営業時間：9:00〜18:00\n営業日：月曜日〜金曜日", "Mo-Fr 09:00-18:00"),
        ("営業日：月〜金\n営業時間：8:30〜17:30", "Mo-Fr 08:30-17:30"),
        ("平日9時〜18時（土日祝、年末年始休業）", "Mo-Fr 09:00-18:00; Sa,Su,PH off; Dec 29-Jan 03 off"),
        ("月〜金 9:00〜18:00、土曜 9:00〜12:00（午後休診）", "Mo-Fr 09:00-18:00; Sa 09:00-12:00; Sa 12:00-24:00 off"),
        // Each item of a closing list has its own part of the day; `土曜午前` beside a closing stays open.
        ("月〜土 9:00〜12:00 15:00〜18:00 木曜午後・土曜午後・日曜・祝日休診",
         "Mo-Sa 09:00-12:00,15:00-18:00; Th,Sa 12:00-24:00 off; Su,PH off"),
        ("月〜土 9:00〜12:00 15:00〜18:00 休診日：木曜午後、土曜午後、日曜、祝日",
         "Mo-Sa 09:00-12:00,15:00-18:00; Th 12:00-24:00 off; Sa 12:00-24:00 off; Su off; PH off"),
        ("月〜土 9:00〜12:00 15:00〜18:00\n休診日：木曜午後・土曜午後・日曜・祝日",
         "Mo-Sa 09:00-12:00,15:00-18:00; Th,Sa 12:00-24:00 off; Su,PH off"),
        // A part covers the weekdays before it, not Sunday or holidays.
        ("月〜土 9:00〜12:00 15:00〜18:00 休診日：日曜・祝日・水曜午後",
         "Mo-Sa 09:00-12:00,15:00-18:00; Su,PH off; We 12:00-24:00 off"),
        ("月〜土 9:00〜12:00 15:00〜18:00 日・祝・土曜午後休診", "Mo-Sa 09:00-12:00,15:00-18:00; Su,PH off; Sa 12:00-24:00 off"),
        ("月〜土 9:00〜12:00 15:00〜18:00 木曜・土曜午後休診", "Mo-Sa 09:00-12:00,15:00-18:00; Th,Sa 12:00-24:00 off"),
        ("9:00〜12:00 14:00〜18:00 平日・土曜午後休診", "09:00-12:00,14:00-18:00; Mo-Sa 12:00-24:00 off"),  // 平日 is no Sunday
        ("9:00〜12:00 14:00〜18:00 日曜・祝日午後休診", "09:00-12:00,14:00-18:00; Su,PH 12:00-24:00 off"),
        ("月〜土 9:00〜12:00 15:00〜18:00 休診日：日曜・祝日・木曜午後、土曜午後",
         "Mo-Sa 09:00-12:00,15:00-18:00; Su,PH off; Th 12:00-24:00 off; Sa 12:00-24:00 off"),
        ("月〜土 9:00〜12:00 15:00〜18:00 休診日：木曜日・土曜日午後", "Mo-Sa 09:00-12:00,15:00-18:00; Th,Sa 12:00-24:00 off"),
        ("休診日：木曜午後・日曜・祝日、土曜午後、年末年始", "Th 12:00-24:00 off; Su,PH off; Sa 12:00-24:00 off; Dec 29-Jan 03 off"),
        ("休診日：日曜・祝日・年末年始・水曜午後", "Su,PH off; Dec 29-Jan 03 off; We 12:00-24:00 off"),
        ("休診日：日・祝・毎週水曜午後", "Su,PH off; We 12:00-24:00 off"),
        // Regressions a probe found in a trial rule: a day's part before another closing stays in it;
        // an open list (`、祝日・土曜午前`) is not split.
        ("9:00〜12:00、14:00〜18:00 水曜午後 土曜午後休診", "09:00-12:00,14:00-18:00; We,Sa 12:00-24:00 off"),
        ("月〜金 9:00〜18:00、祝日・土曜午前", "Mo-Fr 09:00-18:00; Sa,PH 09:00-12:00"),
        // Items of a closing apart at a space.
        ("月〜土 9:00〜12:00、15:00〜18:00 木曜・土曜午後 日曜・祝日休診", "Mo-Sa 09:00-12:00,15:00-18:00; Th,Sa 12:00-24:00 off; Su,PH off"),
        ("月〜土 9:00〜12:00 15:00〜18:00 休診日：日曜・祝日 水曜午後", "Mo-Sa 09:00-12:00,15:00-18:00; Su,PH off; We 12:00-24:00 off"),
        ("月〜土 9:00〜18:00、土曜午前、日曜休み", "Mo-Sa 09:00-18:00; Sa 09:00-12:00; Su off"),
        ("9:00〜12:00 14:00〜18:00 水曜日休診 日曜日は午前のみ", "09:00-12:00,14:00-18:00; Su 09:00-12:00; We off"),
        // A closing of a part of the day, then another closing or days after a space.
        ("月〜土 9:00〜12:00、14:00〜18:00 火曜午前・金曜午後休診 日祝休診",
         "Mo-Sa 09:00-12:00,14:00-18:00; Tu 00:00-12:00 off; Fr 12:00-24:00 off; Su,PH off"),
        ("月〜金 9:00〜12:00、14:00〜18:00 水曜午前休診 土曜・日曜・祝日休診", "Mo-Fr 09:00-12:00,14:00-18:00; We 00:00-12:00 off; Sa,Su,PH off"),
        ("月〜金 9:00〜17:00 土曜午前のみ 日祝休み", "Mo-Fr 09:00-17:00; Sa 09:00-12:00; Su,PH off"),
        // 午前 and 午後 meet at the hours' midday break.
        ("月〜土 9:00〜12:30、15:00〜18:30 木曜午後・土曜午後休診 日曜は午前のみ診療",
         "Mo-Sa 09:00-12:30,15:00-18:30; Su 09:00-12:30; Th,Sa 12:30-24:00 off"),
        ("月〜土 9:00〜13:00、15:00〜19:00 休診：木曜午後、日曜、祝日", "Mo-Sa 09:00-13:00,15:00-19:00; Th 13:00-24:00 off; Su off; PH off"),
        // A bracket about days moved after its clause leaves what followed it a clause of its own.
        ("月〜土 9:00〜12:00、15:00〜18:00（木・土は午前のみ）日祝休診", "Mo-Sa 09:00-12:00,15:00-18:00; Th,Sa 09:00-12:00; Su,PH off"),
        ("9:00〜12:30 / 15:00〜18:30（水・土午後、日・祝休診）", "09:00-12:30,15:00-18:30; We,Sa 12:30-24:00 off; Su,PH off"),
        // Times after a closing of a part of the day are that day's; 午前のみ after a label stays open;
        // a longer Saturday is no other day's 午前; `※` at a bracket's start.
        ("月〜金 9:00〜18:00、土曜は午前休診 14:00〜17:00", "Mo-Fr 09:00-18:00; Sa 14:00-17:00; Sa 00:00-12:00 off"),
        ("月〜金 9:00〜12:00、14:00〜18:00\n休診日：日曜・祝日\n土曜は午前のみ", "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:00; Su,PH off"),
        ("月〜金 9:00〜12:00、15:00〜18:00、土曜 9:00〜13:00、水曜は午前のみ", "Mo-Fr 09:00-12:00,15:00-18:00; Sa 09:00-13:00; We 09:00-12:00"),
        ("月〜金 9:00〜18:00、土曜 9:00〜12:00（※午後休診）", "Mo-Fr 09:00-18:00; Sa 09:00-12:00; Sa 12:00-24:00 off"),
        // A lunch break after its times closes them.
        ("9:00〜18:00 12:00〜13:00 昼休み", "09:00-18:00; 12:00-13:00 off"),
        ("月〜金 9:00〜18:00、12:00〜13:00は昼休み 土日祝休み", "Mo-Fr 09:00-18:00; 12:00-13:00 off; Sa,Su,PH off"),
        ("月〜土 9:00〜18:00 昼休み 12:00〜13:00", "Mo-Sa 09:00-18:00; 12:00-13:00 off"),
        // A label with its colon starts a clause, as 介護 listings run them on one line.
        ("営業時間：8:30〜17:30 営業日：月〜土曜 定休日：日曜", "Mo-Sa 08:30-17:30; Su off"),
        ("診療時間：9:00〜18:00 診療日：月・火・木・金・土 休診日：水曜・日曜・祝日", "Mo,Tu,Th-Sa 09:00-18:00; We,Su,PH off"),
        // Items of a closing apart at `/`; two closings joined by `・`; a part and its closing apart.
        ("9:00〜12:00、14:00〜18:00 休診日：日・祝／水・土午後", "09:00-12:00,14:00-18:00; Su,PH off; We,Sa 12:00-24:00 off"),
        ("9:00〜18:00 日曜祝日休診・水曜午後休診", "09:00-18:00; Su,PH off; We 12:00-24:00 off"),
        ("9:00〜12:00、14:00〜18:00 木曜午後 休診 日祝休診", "09:00-12:00,14:00-18:00; Th 12:00-24:00 off; Su,PH off"),
        // Afternoons before a closing are its items; a morning only before a closing of a part.
        ("9:00〜12:00、14:00〜18:00 月・水・金午後、土曜午前休診", "09:00-12:00,14:00-18:00; Mo,We,Fr 12:00-24:00 off; Sa 00:00-12:00 off"),
        ("月〜土 9:00〜12:00、14:00〜18:00 木曜午後、土曜午後、日曜、祝日休診",
         "Mo-Sa 09:00-12:00,14:00-18:00; Th 12:00-24:00 off; Sa 12:00-24:00 off; Su off; PH off"),
        // Under a label, a list item after `、` splits by its parts as the label's own list does.
        ("月〜土 9:00〜12:00 15:00〜18:00 休診日：日曜、祝日・水曜午後", "Mo-Sa 09:00-12:00,15:00-18:00; Su off; PH off; We 12:00-24:00 off"),
        // On a weekday no hours open, a morning listed apart by a space is open, a closed afternoon
        // opens the morning; a morning in a `・` list stays closed.
        ("平日9:00〜18:00 土曜午前 日祝休診", "Mo-Fr 09:00-18:00; Sa 09:00-12:00; Su,PH off"),
        ("月〜金 9:00〜18:00、土曜午後、日曜休み", "Mo-Fr 09:00-18:00; Sa 09:00-12:00; Su off"),
        ("月〜金 9:00〜18:00 土曜午後・日曜・祝日休診", "Mo-Fr 09:00-18:00; Sa 09:00-12:00; Su,PH off"),
        ("月・火・木・金 9:00〜18:00 水曜午後・日曜・祝日休診", "Mo,Tu,Th,Fr 09:00-18:00; We 09:00-12:00; Su,PH off"),
        ("月〜金 9:00〜18:00 土曜午前・日曜・祝日休診", "Mo-Fr 09:00-18:00; Sa 00:00-12:00 off; Su,PH off"),
        // Hours under their label join the days under theirs across a closing between them, never a closing's list.
        ("営業日：月〜金（祝日を除く） 営業時間：8:30〜17:30", "Mo-Fr 08:30-17:30; PH off"),
        ("営業日：月〜金 ※祝日は休み 営業時間：9:00〜18:00", "Mo-Fr 09:00-18:00; PH off"),
        ("定休日：土曜、日曜、祝日\n営業時間：9:00〜18:00", "09:00-18:00; Sa off; Su off; PH off"),
        // Not a label inside a word; labels in 【】; 年中無休 under a closing's label; 提供日 is no Sunday.
        ("年末年始休業日：12/30〜1/3", "Dec 30-Jan 03 off"),
        ("【営業時間】9:00〜17:30【定休日】土日祝", "09:00-17:30; Sa,Su,PH off"),
        ("営業時間：10:00〜19:00【定休日：水曜】", "10:00-19:00; We off"),
        ("営業時間:9時～18時/定休日:日曜日", "09:00-18:00; Su off"),
        // An end alone ends the other hours' last session begun; a range's まで ends the clause.
        ("営業時間：9:00〜18:00（土曜は13:00まで） 定休日：日曜・祝日", "09:00-18:00; Sa 09:00-13:00; Su,PH off"),
        ("月〜金 9:00〜12:00、14:00〜18:00 土曜は12:30まで 日祝休診", "Mo-Fr 09:00-12:00,14:00-18:00; Sa 09:00-12:30; Su,PH off"),
        ("月〜金 9:00〜18:00 土曜9:00〜13:00まで 日祝休み", "Mo-Fr 09:00-18:00; Sa 09:00-13:00; Su,PH off"),
        // 休日診療 opens; a closing and a part joined by `・`.
        ("※休日診療：第1日曜 9:00〜12:00", "Su[1] 09:00-12:00"),
        ("月〜土 9:00〜19:00 木曜休診・日曜祝日は午前のみ", "Mo-Sa 09:00-19:00; Su,PH 09:00-12:00; Th off"),
        ("9:00～12:00、17:00～20:00（火曜・金曜は19:00まで）", "09:00-12:00,17:00-20:00; Tu,Fr 09:00-12:00,17:00-19:00"),
        // An exception in brackets is a clause of its own: 年中無休 with its dates off, a lunch break off.
        ("年中無休（年末年始を除く） 9:00～18:00", "Mo-Su 09:00-18:00; Dec 29-Jan 03 off"),
        ("9:00～18:00 年中無休（年末年始を除く）", "Mo-Su 09:00-18:00; Dec 29-Jan 03 off"),
        ("定休日：年中無休（12/31～1/3は休み） 営業時間：10:00～19:00", "Mo-Su 10:00-19:00; Dec 31-Jan 03 off"),
        ("月～金 8:30～17:15（12:00～13:00を除く）", "Mo-Fr 08:30-17:15; 12:00-13:00 off"),
        // Times before their days on a line, as tables flatten; labelled days and the days listed after them.
        ("9時～12時、13時～17時 月曜～金曜", "Mo-Fr 09:00-12:00,13:00-17:00"),
        ("9:00～12:00 月～土\n15:00～18:00 月火水金\n休診日 木曜午後・土曜午後・日曜・祝日",
         "Mo-Sa 09:00-12:00; Mo-We,Fr 09:00-12:00,15:00-18:00; Su,PH off; Th,Sa 12:00-24:00 off"),
        ("診療日：月～金、第1・第3土曜 診療時間：9:00～16:00", "Mo-Fr 09:00-16:00; Sa[1,3] 09:00-16:00"),
        // A pharmacy's 休日 hours; a bracket of days with times is two clauses; a spaced slash between columns.
        ("平日：9:00～20:00 休日：10:00～18:00", "Mo-Fr 09:00-20:00; Sa,Su,PH 10:00-18:00"),
        ("営業時間：平日9:00～17:00（土曜日は9:00～12:00、第2・第4土曜日は休み）", "Mo-Fr 09:00-17:00; Sa 09:00-12:00; Sa[2,4] off"),
        ("営業時間 9:00〜18:00 / 定休日 日曜・祝日 / 土曜 9:00〜13:00", "09:00-18:00; Sa 09:00-13:00; Su,PH off"),
        // A break written after its times, as 休み or 休憩.
        ("9:00～18:00 12:00～13:00は休み", "09:00-18:00; 12:00-13:00 off"),
        ("平日 9:00～18:00（12:00～13:00 休憩） 土曜 9:00～12:00", "Mo-Fr 09:00-18:00; Sa 09:00-12:00; 12:00-13:00 off"),
        ("午前 9:00～12:00 月火水木金土\n午後 14:00～18:00 月火水金\n※日曜・祝日は休診", "Mo-Sa 09:00-12:00; Mo-We,Fr 09:00-12:00,14:00-18:00; Su,PH off"),
        // 午前/午後 and 正午 before a time, 365日, and a closing label of nothing.
        ("月～金曜日：午前9時～午後6時、土曜日：午前9時～正午", "Mo-Fr 09:00-18:00; Sa 09:00-12:00"),
        ("年中無休（365日営業） 8:00～20:00", "Mo-Su 08:00-20:00"),
        ("営業日 月曜日～日曜日 営業時間 8:30～17:30 定休日 なし", "Mo-Su 08:30-17:30"),
        // Days said open without times take the other days' hours; not a label of days, nor on call.
        ("9:00〜17:00 土日祝も診療", "09:00-17:00; Sa,Su,PH 09:00-17:00"),
        ("月～金 9:00～17:00 祝日も営業 土日休み", "Mo-Fr 09:00-17:00; PH 09:00-17:00; Sa,Su off"),
        ("診療時間 9:00～12:00 14:00～18:00 休診日 日曜日（祝日は診療）", "09:00-12:00,14:00-18:00; PH 09:00-12:00,14:00-18:00; Su off"),
        ("営業日：月～土 営業時間：平日9:00～18:00 土曜9:00～12:00", "Mo-Fr 09:00-18:00; Sa 09:00-12:00"),
        ("営業時間：10:00〜20:00 定休日：年中無休", "Mo-Su 10:00-20:00"),
        ("提供日：月〜土 営業時間：9:00〜17:00", "Mo-Sa 09:00-17:00"),
        ("月〜土 9:00〜12:00、14:00〜18:00 日曜・祝日休診／木曜午後休診", "Mo-Sa 09:00-12:00,14:00-18:00; Su,PH off; Th 12:00-24:00 off"),
    ])
    func closingsBesideTheHours(text: String, canonical: String) {
        #expect(JapaneseHoursText.read(text).canonical == canonical, "\(JapaneseHoursText.read(text))")
        #expect(JapaneseHoursText.proposal(text) != nil, "the proposal parses: \(canonical)")
    }

    /// Words after times that cannot be read are said, not dropped: the night is on call, not open.
    @Test func wordsAroundTheHoursAreRead() {
        #expect(JapaneseHoursText.read("9:00〜18:00 祝日・年末年始を除く").unread.isEmpty)
        // On call is no opening: a station's `24時間対応` stays unread, so it is not evaluated.
        #expect(JapaneseHoursText.read("営業時間：8:30〜17:30 営業日：月〜金 24時間対応").unread == ["対応"])
    }

    @Test func wordsAfterTimesAreSaid() {
        let r = JapaneseHoursText.read("月〜金 9:00〜18:00、18:00〜翌9:00はオンコール")
        #expect(r.unread == ["オンコール"], "\(r)")
        #expect(JapaneseHoursText.read("日・祝日休診（第1日曜は診療）").canonical?.contains("Su[1] off") == false)
    }

    /// An exception or a closing of dates is not a list of closed days (found by a second probe).
    @Test(arguments: [
        ("月〜金（祝日除く）", false),
        ("年中無休（12/31〜1/3は休み）", false),
        ("平日 9:00〜12:00、13:00〜18:00（12:00〜13:00昼休み）", true),
        ("9:00〜18:00（昼休み 12:00〜13:00）", true),
        ("月〜金（祝日除く） 9:00〜18:00", true),
    ])
    func notEveryDayClosed(text: String, hasHours: Bool) throws {
        let canonical = try #require(JapaneseHoursText.read(text).canonical)
        #expect(!canonical.contains("Mo-Fr off") && !canonical.contains("Mo-Su off"), "\(canonical)")
        if hasHours {
            let hours = try OpeningHours(canonical)
            #expect(hours.state(at: Date(timeIntervalSince1970: 1_796_605_200)).state == .open, "\(canonical)")  // Mon 2026-12-07 10:00 JST
        }
    }
}
