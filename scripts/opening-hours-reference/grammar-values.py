"""Random values from the opening_hours grammar (no PH or SH: the reference run has no holidays),
for suite-answers.mjs: years, months and dates, weeks, weekdays and nth weekdays, times with open
ends and ranges past midnight, states and comments, joined by ; , and ||.
usage: python3 grammar-values.py [COUNT] > grammar.json"""
import json
import random
import sys

random.seed(11)
DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def pick(*options):
    return random.choice(options)()


def years():
    y = random.randint(2025, 2028)
    return pick(lambda: f"{y}", lambda: f"{y}-{y + random.randint(1, 2)}", lambda: f"{y}+", lambda: f"{y},{y + 2}")


def date():
    m = random.choice(MONTHS)
    return pick(lambda: m, lambda: f"{m} {random.randint(1, 28):02d}", lambda: f"{m} {random.choice(DAYS)}[{random.choice(['1', '2', '-1'])}]",
                lambda: "easter")


def dates():
    def one():
        return pick(lambda: date(), lambda: f"{date()}-{date()}", lambda: f"{random.choice(MONTHS)} {random.randint(1, 14):02d}-{random.randint(15, 28)}")
    return ",".join(one() for _ in range(random.choice([1, 1, 2])))


def weeks():
    a = random.randint(1, 40)
    return "week " + pick(lambda: f"{a:02d}", lambda: f"{a:02d}-{a + random.randint(1, 12):02d}", lambda: f"{a:02d}-{a + 10:02d}/{random.randint(2, 4)}")


def weekdays():
    def one():
        return pick(lambda: random.choice(DAYS), lambda: f"{random.choice(DAYS)}-{random.choice(DAYS)}",
                    lambda: f"{random.choice(DAYS)}[{random.choice(['1', '2', '-1', '1,3', '2-4'])}]")
    return ",".join(one() for _ in range(random.choice([1, 1, 2, 3])))


def clock(lo=0, hi=24):
    h = random.randint(lo, hi - 1)
    return f"{h:02d}:{random.choice(['00', '30', '15'])}"


def times():
    def one():
        return pick(lambda: f"{clock(6, 12)}-{clock(12, 23)}", lambda: f"{clock(17, 23)}-{clock(0, 9)}", lambda: f"{clock(8, 23)}+",
                    lambda: f"{clock(8, 12)}-{clock(13, 20)}+", lambda: f"{clock(18, 23)}-{random.randint(25, 30)}:00", lambda: "00:00-24:00")
    return ",".join(one() for _ in range(random.choice([1, 1, 2])))


def rule():
    parts = []
    if random.random() < 0.15: parts.append(years())
    if random.random() < 0.3: parts.append(dates())
    if random.random() < 0.1: parts.append(weeks())
    if random.random() < 0.7: parts.append(weekdays())
    if random.random() < 0.75: parts.append(times())
    elif random.random() < 0.2: parts.append("24/7")
    if random.random() < 0.3 or not parts: parts.append(random.choice(["off", "closed", "open", "unknown", '"要予約"', 'open "電話で"']))
    return " ".join(parts)


values = set()
count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
while len(values) < count:
    rules = [rule() for _ in range(random.choice([1, 2, 2, 3]))]
    values.add(rules[0] + "".join(random.choice(["; ", "; ", ", ", " || "]) + r for r in rules[1:]))
json.dump(sorted(values), sys.stdout, ensure_ascii=False)
