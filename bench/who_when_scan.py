"""Every "when" and "who" disagreement retrieval.claims would show between two Reuters sentences (articles with
id numbers up to 10000 only: the others are held out) with the same event key (a meeting's kinds aside), at most 14 days apart: a wider
net than any story, to read for false ones (docs/evaluation.md, "Fifth round: who and when"; tuned on).

    PYTHONPATH=. python bench/who_when_scan.py [--limit 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.claims import claims, disagreements  # noqa: E402
from retrieval.records import Citation, Report  # noqa: E402

REUTERS = Path(os.environ.get("NEWSDESK_REUTERS", ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"))
# sentences as Reuters' bodies run: up to a full stop before a capital (abbreviations such as "U.S." stay inside)
_SENTENCE = re.compile(r"\S(?:[^.]|\.(?=\S)|\.(?=\s+[a-z0-9]))*\.?")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=10000, help="the highest article id number read")
    args = parser.parse_args()
    found = []
    for line in REUTERS.open(encoding="utf-8"):
        row = json.loads(line)
        if int(row["id"].split("-")[1]) > args.limit:
            continue
        when = datetime.strptime(row["date"].split(".")[0].strip(), "%d-%b-%Y %H:%M:%S")
        for match in _SENTENCE.finditer(row["body"]):
            sentence = " ".join(match.group(0).split())
            for claim in claims(sentence, "en"):
                key = ":".join(claim.event.split(":")[:2]) if claim.about == "when" else claim.event  # kinds aside
                found.append((key, Report(Citation(row["id"], row["title"], None, "Reuters", when), sentence, 0, "en")))
    shown = 0
    for i, (event, a) in enumerate(found):
        for other, b in found[i + 1:]:
            if other != event or a.citation.article_id == b.citation.article_id:
                continue
            if abs((a.citation.published_at - b.citation.published_at).days) > 14:
                continue
            for d in disagreements([a, b]):
                shown += 1
                print(f"{d.about} {event}: " + " · ".join(f"{v.value} ({v.reports[0].citation.article_id})" for v in d.values))
    print(f"{len(found)} claims; {shown} disagreements between two sentences")


if __name__ == "__main__":
    main()
