"""Candidate stories for the fresh end-to-end disagreement questions (bench/qrels/disagreements-e2e-fresh.jsonl):
Reuters-21578 articles within six days that share two or more rare proper nouns of their first sentences and
give a number near a word of a figure (toll, bid, strike, forecast, debt, trade, price, rate), none of them an
article already in bench/qrels/*.jsonl. Only lists candidates; the questions are written by reading the titles
and bodies. Independent of retrieval/ on purpose (candidates picked by the rules under test would flatter them).

    python bench/disagreement_fresh_scan.py > bench/out/fresh-candidates.txt
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / ".." / "shared" / "data" / "reuters21578" / "articles.jsonl"
FIGURE = re.compile(r"\b(killed|dead|died|injured|wounded|toll|bodies|bid|offer|tender|dlrs a share|dlrs per share|"
                    r"strik\w+|walkout|forecast|estimat\w+|projected|debt|deficit|surplus|trade|price[sd]?|rate[sd]?|"
                    r"pct|tonnes|barrels)\b", re.I)
NUMBER = re.compile(r"\b\d[\d,.]*\b")
PROPER = re.compile(r"\b([A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})*)")
COMMON = set("The This That Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
             "May June July August September October November December Inc Corp Co Ltd Reuter Reuters But And "
             "Its It He She They We In On At For A An Industries Group International Company Corporation".split())


def when(row: dict) -> datetime:
    # the day only: a few stamps are malformed ("31-MAR-1987 605:12:19")
    return datetime.strptime(row["date"].split()[0], "%d-%b-%Y")


def main() -> None:
    used = set()
    for f in (ROOT / "bench" / "qrels").glob("*.jsonl"):
        used |= set(re.findall(r"reuters-\d+", f.read_text(encoding="utf-8")))
    rows = []
    for line in ARTICLES.open(encoding="utf-8"):
        row = json.loads(line)
        body = " ".join((row.get("body") or "").split())
        if not body or not FIGURE.search(body) or not NUMBER.search(body):
            continue
        lead = body[:400]
        names = {n for n in PROPER.findall(lead) if n.split()[0] not in COMMON}
        rows.append((when(row), row["id"], row.get("title", ""), names, row["id"] in used))
    df = Counter(n for *_, names, _ in rows for n in names)
    rows.sort()
    taken = set()
    for i, (t, aid, title, names, isused) in enumerate(rows):
        if aid in taken:
            continue
        rare = {n for n in names if 2 <= df[n] <= 25}
        group = [(t, aid, title, isused)]
        for t2, aid2, title2, names2, used2 in rows[i + 1:]:
            if (t2 - t).days > 6:
                break
            if aid2 not in taken and len(rare & names2) >= 2:
                group.append((t2, aid2, title2, used2))
        days = {g[0].date() for g in group}
        if len(group) >= 3 and len(days) >= 2 and not any(g[3] for g in group):
            taken.update(g[1] for g in group)
            print(f"=== {sorted(rare & set.intersection(*[r[3] for r in rows if r[1] in {g[1] for g in group}]))[:5]}")
            for g in group:
                print(f"  {g[1]} {g[0]:%d %b} {g[2]}")


if __name__ == "__main__":
    main()
