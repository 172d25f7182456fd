"""The disagreements as the product shows them (docs/evaluation.md, "Disagreements", end to end):
`Searcher.ask(question, limit=3)` on the whole Reuters archive, as the bot asks, for the questions of
bench/qrels/disagreements.jsonl (each group's question, in its group's half) and of bench/qrels/reuters.jsonl
(in its half of bench/qrels/split.json); every disagreement of `answer.story.disagreements` is scored
against the judgements of bench/qrels/disagreements-e2e.jsonl (made by reading the articles).

    NEWSDESK_MODEL_CACHE=... HF_HUB_OFFLINE=1 PYTHONPATH=. python bench/disagreement_e2e.py \
        [--data-dir /work/main/bench/out/reuters-e5] [--show] [--halves tune,test|fresh|batch5]

A shown disagreement is real when every two reports it sets apart were judged to give different values for
the same thing (`apart`), false when some two of them were judged not to (a pair of a judged disagreement
that is not in its `apart`), and unjudged otherwise: those are listed, to be judged by reading and added.
`--saved` scores the answers the last run saved instead of asking again. `--halves fresh` asks the questions of bench/qrels/disagreements-e2e-fresh.jsonl (seen since), `--halves batch5`
the held-out ones of bench/qrels/disagreements-e2e-batch5.jsonl.
What is asked and shown is also written to bench/out/disagreement-e2e-<halves>.jsonl (with the sentences, which stay
there: they are Reuters' text).
"""

from __future__ import annotations

import argparse
import json
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import OUT, QRELS, SPLIT  # noqa: E402

JUDGED_GROUPS = ROOT / "bench" / "qrels" / "disagreements.jsonl"
JUDGED = ROOT / "bench" / "qrels" / "disagreements-e2e.jsonl"
# questions written after the rules were fixed, from an archive scan, never asked before being committed:
# the first held-out set (`--halves fresh`), seen since
FRESH = ROOT / "bench" / "qrels" / "disagreements-e2e-fresh.jsonl"
# written and committed (0ec857f) after every set above had been seen, before anything ran on it (`--halves batch5`)
BATCH5 = ROOT / "bench" / "qrels" / "disagreements-e2e-batch5.jsonl"
# written after batch 5 had been judged and the fourth round's rules made on it, committed before anything
# ran on it (`--halves batch6`)
BATCH6 = ROOT / "bench" / "qrels" / "disagreements-e2e-batch6.jsonl"


def questions() -> list[dict]:
    """Each question with its set and half."""
    out = []
    for line in JUDGED_GROUPS.read_text(encoding="utf-8").splitlines():
        group = json.loads(line)
        out.append({"set": "disagreements", "key": group["id"], "split": group["split"], "question": group["question"]})
    test = set(json.loads(SPLIT.read_text())["reuters.jsonl"]["test"])
    for number, line in enumerate(QRELS.read_text(encoding="utf-8").splitlines(), start=1):
        out.append({"set": "reuters", "key": str(number), "split": "test" if number in test else "tune",
                    "question": json.loads(line)["question"]})
    for path, name in ((FRESH, "fresh"), (BATCH5, "batch5"), (BATCH6, "batch6")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            out.append({"set": name, "key": item["key"], "split": name, "question": item["question"]})
    return out


def ask_all(data_dir: Path, halves: set[str]) -> list[dict]:
    from index.encoder import ServingEncoder
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.search import SearchSettings, Searcher

    searcher = Searcher(IndexReader(data_dir), ServingEncoder(Settings.from_env(data_dir=data_dir)), SearchSettings())
    searcher.serve()
    rows = []
    for item in (q for q in questions() if q["split"] in halves):
        answer = searcher.ask(item["question"], limit=3)
        shown = []
        for d in (answer.story.disagreements if answer.story is not None else ()):
            shown.append({"about": d.about, "values": [
                {"value": v.value, "articles": [r.citation.article_id for r in v.reports],
                 "sentences": [r.sentence for r in v.reports]} for v in d.values]})
        story = [{"article": r.citation.article_id, "sentence": r.sentence} for r in answer.story.reports] \
            if answer.story is not None else []
        rows.append({**item, "shown": shown, "story": story})
    return rows


def _pairs(values: list[dict]) -> set[frozenset[str]]:
    pairs = set()
    for a, b in combinations(values, 2):
        pairs |= {frozenset((x, y)) for x in a["articles"] for y in b["articles"] if x != y}
    return pairs


def judgements() -> dict[tuple[str, str, str], tuple[set, set]]:
    """(set, key, about) -> (pairs judged apart, pairs judged not apart)."""
    out: dict[tuple[str, str, str], tuple[set, set]] = {}
    if not JUDGED.exists():
        return out
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        j = json.loads(line)
        apart, same = out.setdefault((j["set"], j["key"], j["about"]), (set(), set()))
        real = {frozenset(p) for p in j["apart"]}
        apart |= real
        same |= _pairs(j["values"]) - real
    for apart, same in out.values():
        same -= apart
    return out


def verdict(row: dict, d: dict, judged) -> str:
    apart, same = judged.get((row["set"], row["key"], d["about"]), (set(), set()))
    pairs = _pairs(d["values"])
    if pairs <= apart:
        return "real"
    if pairs & same:
        return "false"
    return "unjudged"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path("/work/main/bench/out/reuters-e5"))
    parser.add_argument("--halves", default="tune,test", help="tune, test, fresh, batch5 and/or batch6 (the held-out questions)")
    parser.add_argument("--show", action="store_true")
    # the held-out questions are asked once; their judgements are scored against that run
    parser.add_argument("--saved", action="store_true", help="score the answers saved by the last run, not ask again")
    args = parser.parse_args()
    halves = args.halves.split(",")
    saved = OUT / f"disagreement-e2e-{'-'.join(halves)}.jsonl"
    if args.saved:
        rows = [json.loads(line) for line in saved.read_text(encoding="utf-8").splitlines()]
    else:
        rows = ask_all(args.data_dir, set(halves))
        OUT.mkdir(parents=True, exist_ok=True)
        with saved.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
    judged = judgements()
    real_known = {k: v for k, v in judged.items() if v[0]}
    for half in halves:
        chosen = [r for r in rows if r["split"] == half]
        counts = {"real": 0, "false": 0, "unjudged": 0}
        found = set()
        for row in chosen:
            for d in row["shown"]:
                v = verdict(row, d, judged)
                counts[v] += 1
                if v == "real":
                    found.add((row["set"], row["key"], d["about"]))
                if args.show:
                    print(f"  {v:8} {half} {row['set']}:{row['key']} {d['about']}: "
                          + " · ".join(f"{x['value']} ({', '.join(x['articles'])})" for x in d["values"]))
        known = {k for k in real_known if any(r["set"] == k[0] and r["key"] == k[1] for r in chosen)}
        shown = sum(counts.values())
        judged_shown = counts["real"] + counts["false"]
        print(f"End to end, {half} half: {len(chosen)} questions, {shown} disagreements shown: real {counts['real']}, "
              f"false {counts['false']}, unjudged {counts['unjudged']}; precision "
              f"{counts['real'] / judged_shown if judged_shown else float('nan'):.3f} of judged; "
              f"judged-real disagreements still shown {len(found & known)}/{len(known)}")


if __name__ == "__main__":
    main()
