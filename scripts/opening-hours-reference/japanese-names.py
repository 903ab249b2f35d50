"""Values with Japanese weekday names as people type them, for suite-answers.mjs: 月 … 日 and
月曜日 … 日曜日 beside English names, joined by the dashes and list marks Japanese input gives
(～ 〜 ー 、 ・ and the rest), in one to three rules joined by ; , or ||.
usage: python3 japanese-names.py > japanese.json"""
import json
import random
import sys

random.seed(7)
KANJI = list("月火水木金土日")
NAMES = [KANJI, [k + "曜日" for k in KANJI], ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]]
DASHES = ["-", "～", "~", "–", "ー", " - ", " ～ ", " to ", "〜", "—", "−", " ー "]
LISTS = [",", ",", ", ", "、", "・"]
TIMES = ["09:00-18:00", "9:00～18:00", "09:00-12:00,14:00-18:00", "10:00-12:00 , 13:00-17:00", "08:30-17:30",
         "18:00-09:00", "10:00+", "09：00-12：00", "off", "closed", '"要予約"', "24/7"]


def day_item():
    names = random.choice(NAMES)
    if random.random() < 0.5:
        ends = names if random.random() < 0.7 else random.choice(NAMES)
        return random.choice(names) + random.choice(DASHES) + random.choice(ends)
    nth = random.choice(["[1]", "[-1]", "[2,4]"]) if random.random() < 0.1 else ""
    return random.choice(names) + nth


def rule():
    text = random.choice(LISTS).join(day_item() for _ in range(random.choice([1, 1, 2, 3])))
    if random.random() < 0.1:
        text = random.choice(["Jan ", "Dec ", "Jan-Mar ", "2026 "]) + text
    if random.random() < 0.1:
        text += ":"
    return text + " " + random.choice(TIMES)


values = set()
for _ in range(1500):
    rules = [rule() for _ in range(random.choice([1, 1, 2, 2, 3]))]
    values.add(rules[0] + "".join(random.choice(["; ", "; ", ", ", " || "]) + r for r in rules[1:]))
values.update(["月", "日", "土曜日", "月-金", "月～金 9:00～18:00; 土 9:00～12:00; 日,PH off", "Dec 日[-1] 10:00-12:00",
               "Jan 月[1] 10:00-12:00", "月 10:00-12:00, 月 13:00-14:00", "Mo 10:00-12:00, 月 13:00-14:00",
               "Mo-Fr 10:00-12:00; 土 10:00-12:00", "Su[1] 10:00-12:00, 日[2] 10:00-12:00", "月曜日～金曜日 ９：００～１８：００"])
json.dump(sorted(values), sys.stdout, ensure_ascii=False)
