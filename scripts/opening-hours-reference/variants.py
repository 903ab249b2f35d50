"""Variants of the values the reference reads, as people type them, for suite-answers.mjs:
spaces around commas, dashes and semicolons (plain, full-width, tabs) and the whole value upper- or
lower-cased, comments kept as written.
usage: python3 variants.py suite.jsonl > variants.json"""
import json
import random
import re
import sys

random.seed(7)
values = [r["value"] for r in map(json.loads, open(sys.argv[1])) if "error" not in r]


def outside_comments(value, change):
    return "".join(p if p.startswith('"') else change(p) for p in re.split(r'("[^"]*")', value))


def spaced(part):
    out = ""
    for ch in part:
        if ch in ",-;" and random.random() < 0.5:
            out += random.choice([" ", "  ", "\u3000", ""]) + ch + random.choice([" ", "", "\u3000"])
        elif ch == " " and random.random() < 0.3:
            out += random.choice(["\u3000", "\t", "  "])
        else:
            out += ch
    return out


variants = set()
for v in values:
    variants.update(outside_comments(v, spaced) for _ in range(2))
    variants.update(outside_comments(v, change) for change in (str.lower, str.upper))
variants.discard("")
print(json.dumps(sorted(variants - set(values)), ensure_ascii=False))
