"""Does a ranking setting generalise? Every row evaluated on the tuning halves of our judged sets and on
RealTimeQA (where settings are chosen) and on the test halves (reported, never chosen on).

    .venv/bin/python bench/generalisation.py [--rows default,title-0,...] [--halves tune,test]

Sets (bench/common.half, bench/realtimeqa): Reuters topic questions (reuters.jsonl), Reuters dates,
outlet and misspelt names (reuters-filters.jsonl), the self-written newsroom archive (newsroom.jsonl),
and RealTimeQA's quiz-cited and answer-matched questions, each asked as of its quiz's date. Indexes:
bench/out/reuters-index (bench/index_and_query.py), bench/out/rtqa-index (bench/realtimeqa.py), and
bench/out/newsroom-index, made here. Also counts the spelling variants added to correctly spelled
questions (every question but the "spelling" kind), per 100 questions.

Writes bench/out/generalisation.json and prints one Markdown table per half.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import realtimeqa as rtqa  # noqa: E402
from bench.common import OUT, REUTERS, REUTERS_INDEX, ROOT, half  # noqa: E402
from index import pipeline, schema, store_reader  # noqa: E402
from index.encoder import ServingEncoder, serve_queries  # noqa: E402
from index.engines.faiss import IndexReader  # noqa: E402
from index.settings import Settings  # noqa: E402
from retrieval.evaluate import CUTOFFS, ranked_articles, score  # noqa: E402
from retrieval.search import SearchSettings, Searcher  # noqa: E402
from retrieval.variants import VariantSettings  # noqa: E402

NEWSROOM = ROOT / "bench" / "archives" / "newsroom.jsonl"
DEFAULT = SearchSettings(answer_highlight=False)  # the highlight does not change the ranking; it costs encodes


@dataclass(frozen=True)
class Row:
    settings: SearchSettings = DEFAULT
    title_weight: float = schema.TITLE_WEIGHT  # the full-text index's rank function reads it per query


ROWS: dict[str, Row] = {
    "default": Row(),
    **{f"title {w}": Row(title_weight=w) for w in (0.0, 0.25, 0.5)},
    **{f"prefer_floor {f}": Row(replace(DEFAULT, prefer_floor=f)) for f in (0.0, 0.1, 0.4)},
    **{f"ordinary_zipf {z}": Row(replace(DEFAULT, variants=VariantSettings(ordinary_zipf=z)))
       for z in (1.5, 2.0, 2.5, 3.0)},
    "no spelling variants": Row(replace(DEFAULT, variants=VariantSettings(spelling=False))),
    "recency 7 days": Row(replace(DEFAULT, recency_half_life_days=7.0)),
    "dense_weight 0.5": Row(replace(DEFAULT, fusion=replace(DEFAULT.fusion, dense_weight=0.5))),
    "dense_weight 0.3": Row(replace(DEFAULT, fusion=replace(DEFAULT.fusion, dense_weight=0.3))),
}


@dataclass(frozen=True)
class Judged:
    question: str
    relevant: frozenset[str]
    kind: str
    as_of: object = None  # datetime; None: the archive's newest article


def sets(which: str) -> dict[str, tuple[Path, list[Judged]]]:
    """Set name -> (index, questions) for one half."""
    ours = {
        "Reuters topics": (REUTERS_INDEX, half("reuters.jsonl", which)),
        "Reuters dates/outlet/names": (REUTERS_INDEX, half("reuters-filters.jsonl", which)),
        "newsroom": (OUT / "newsroom-index", half("newsroom.jsonl", which)),
    }
    found = {name: (path, [Judged(j.question, j.relevant, j.kind or "plain") for j in judgements])
             for name, (path, judgements) in ours.items()}
    if which == "tune":  # RealTimeQA is tuning data only: its figures are the target, not a held-out check
        asked = rtqa.questions()
        for label in ("human_cited", "answer_match"):
            found[f"RealTimeQA {label}"] = (rtqa.INDEX, [Judged(q.question, q.relevant, "plain", q.as_of)
                                                         for q in asked if q.label == label])
    return found


def run(searcher: Searcher, judged: list[Judged]) -> dict:
    totals = {f"recall@{k}": 0.0 for k in CUTOFFS} | {"mrr@10": 0.0, "ndcg@10": 0.0}
    empty = variants = plain = 0
    as_of = searcher.reader.snapshot().archive_end
    for j in judged:
        answer = searcher.ask(j.question, limit=10, as_of=j.as_of or as_of)
        recall, rr, ndcg = score(ranked_articles(answer), j.relevant)
        for k in CUTOFFS:
            totals[f"recall@{k}"] += recall[k]
        totals["mrr@10"] += rr
        totals["ndcg@10"] += ndcg
        empty += not answer.hits
        if j.kind != "spelling":
            plain += 1
            variants += sum(len(found) for _, found in answer.query.variants)
    row = {k: round(v / len(judged), 3) for k, v in totals.items()}
    return row | {"questions": len(judged), "empty": empty, "correctly_spelled": plain, "variants": variants,
                  "variants_per_100": round(100 * variants / plain, 1) if plain else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated row names")
    parser.add_argument("--halves", default="tune,test")
    args = parser.parse_args()
    serve_queries()
    engine = Settings.from_env()
    pipeline.add([NEWSROOM], replace(engine, data_dir=OUT / "newsroom-index"), quiet=True)
    if REUTERS.exists():
        pipeline.add([REUTERS], replace(engine, data_dir=REUTERS_INDEX), quiet=True)  # upgrades; unchanged: no encoding
    rtqa.index()
    searchers: dict[Path, Searcher] = {}
    results: dict = {}
    for which in args.halves.split(","):
        for name in args.rows.split(","):
            row = ROWS[name]
            store_reader.TITLE_WEIGHT = row.title_weight
            for set_name, (data_dir, judged) in sets(which).items():
                if data_dir not in searchers:
                    searchers[data_dir] = Searcher(IndexReader(data_dir),
                                                   ServingEncoder(replace(engine, data_dir=data_dir)))
                searcher = searchers[data_dir]
                searcher.settings = row.settings
                results.setdefault(which, {}).setdefault(name, {})[set_name] = run(searcher, judged)
                print(which, name, set_name, results[which][name][set_name], flush=True)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "generalisation.json").write_text(json.dumps(results, indent=2) + "\n")
    for which, rows in results.items():
        print(markdown(which, rows))


def markdown(which: str, rows: dict) -> str:
    columns = list(next(iter(rows.values())))
    first = next(iter(rows.values()))
    head = " | ".join(f"{c} ({first[c]['questions']} q)" for c in columns)
    lines = [f"### {'tuning halves and RealTimeQA (chosen on)' if which == 'tune' else 'test halves (held out)'}",
             "", "R@5 / nDCG@10 / empty answers; spelling variants per 100 correctly spelled questions", "",
             f"| row | {head} | variants/100 |", "|---" * (len(columns) + 2) + "|"]
    for name, sets_ in rows.items():
        cells = " | ".join(f"{v['recall@5']:.3f} / {v['ndcg@10']:.3f} / {v['empty']}" for v in sets_.values())
        spelled = sum(v["variants"] for v in sets_.values())
        count = sum(v["correctly_spelled"] for v in sets_.values())
        lines.append(f"| {name} | {cells} | {100 * spelled / max(count, 1):.1f} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
