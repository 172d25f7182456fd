"""Candidate groups for the judged disagreements (bench/qrels/disagreements.jsonl): Reuters-21578 reports
of one story, a few days apart, whose sentences give a figure for the same kind of thing. Only finds
candidates; which sentences and which disagreements are judged by reading (bench/qrels/README.md).

    python bench/disagreement_candidates.py [KIND ...] > bench/out/disagreement-candidates.txt

Independent of retrieval.figures on purpose: candidates picked by the rules under test would flatter them.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

import blingfire

ARTICLES = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "reuters21578" / "articles.jsonl"

# a number near a word of the kind of figure a story revises
KINDS = {
    "casualty": r"\b(killed|dead|died|injured|wounded|missing|death toll|bodies|survivors|drowned|homeless)\b",
    "bid": r"\b(dlrs a share|dlrs per share|tender offer|bid|offer)\b",
    "strike": r"\b(strik\w+|workers|walkout|stoppage)\b",
    "forecast": r"\b(forecast|estimate[sd]?|projected|expects?|predicted)\b.*\b(pct|percent)\b",
}
NUMBER = re.compile(r"\b\d[\d,.]*\b|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                    r"forty|fifty|hundred|dozen)\b", re.I)
PROPER = re.compile(r"(?<![.!?]\s)(?<!^)\b([A-Z][a-z]{2,}(?:\s[A-Z][a-z]{2,})*)")
COMMON = set("The This That Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
             "May June July August September October November December Inc Corp Co Ltd Reuter Reuters But And "
             "Its It He She They We In On At For".split())


def sentences(body: str) -> list[tuple[int, int]]:
    """Sentence offsets into the body as stored: newlines (Reuters' line wraps) read as spaces, which keeps
    every offset."""
    flat = body.replace("\n", " ")
    if not flat.strip():
        return []
    return [(a, b) for a, b in blingfire.text_to_sentences_and_offsets(flat)[1]]


def date(row: dict) -> datetime:
    return datetime.strptime(row["date"].split(".")[0].strip(), "%d-%b-%Y %H:%M:%S")


def main(kinds: list[str]) -> None:
    rows = [json.loads(line) for line in ARTICLES.open(encoding="utf-8")]
    found = []
    for row in rows:
        body = row.get("body") or ""
        for a, b in sentences(body):
            text = " ".join(body[a:b].split())
            for kind in kinds:
                if re.search(KINDS[kind], text, re.I) and NUMBER.search(text):
                    names = {n for n in PROPER.findall(text) if n.split()[0] not in COMMON}
                    found.append((kind, row["id"], date(row), a, b, text, names))
    df = Counter(n for *_, names in found for n in names)
    by_article: dict[tuple[str, str], list] = {}
    for item in found:
        by_article.setdefault((item[0], item[1]), []).append(item)
    keys = sorted(by_article, key=lambda k: by_article[k][0][2])
    seen = set()
    for i, key in enumerate(keys):
        names = {n for it in by_article[key] for n in it[6] if df[n] <= 40}
        group = [key]
        for other in keys[i + 1:]:
            if other[0] != key[0] or other in seen:
                continue
            if (by_article[other][0][2] - by_article[key][0][2]).days > 6:
                break
            onames = {n for it in by_article[other] for n in it[6] if df[n] <= 40}
            if len(names & onames) >= 2:
                group.append(other)
        if len(group) >= 2:
            seen.update(group[1:])
            print(f"=== {key[0]} shared={sorted(set.intersection(*[{n for it in by_article[g] for n in it[6]} for g in group]))[:6]}")
            for g in group:
                for kind, aid, when, a, b, text, _ in by_article[g]:
                    print(f"  {aid} {when:%d %b %H:%M} [{a},{b}] {text[:300]}")


if __name__ == "__main__":
    main(sys.argv[1:] or list(KINDS))
