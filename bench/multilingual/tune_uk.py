"""Issue 14: why Ukrainian same-language questions fail, on the TUNING pool only.

The held-out questions are exactly those `multilingual_eval.sample(questions, None, per_group=50,
seed=14)` picks; everything else in questions.jsonl is the tuning pool. This script asks only the
pool's questions (never a held-out one) of the e5 indexes, hybrid and dense (and lexical, to see BM25
alone), scores each question as `retrieval.evaluate` does (`ranked_articles`, `score`; Recall@5,
MRR@10), and writes every question that hybrid misses at 5 with what is needed to read why: the
question, its detected language, the terms and the BM25 MATCH built from it, the relevant article's
title and first lines, the titles ranked 1-5 and (--deep) its rank in each mode down to 50.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/tune_uk.py [--sets uk,ru,en] [--prefix index]
        [--label NAME] [--modes hybrid,dense,lexical] [--deep]

Once, at the end, with committed code (from a snapshot of the commit, see multilingual_eval.py):
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/tune_uk.py --held-out [--modes hybrid,dense]
asks the HELD-OUT uk->uk (WMT, Brown-UK) and ru->ru (WMT, NEREL) samples, 50 each, through
multilingual_eval.evaluate (no per-question output), and writes bench/out/multilingual/heldout-LABEL.json.

Sets: uk = Brown-UK uk->uk not held out (433); ru = NEREL ru->ru not held out, a seeded sample of 150
(the control); en = WMT en->en not held out (236). `--prefix U-index` reads the indexes built with
changed indexing code (`multilingual_eval.index('e5', 'uk', prefix='U-index')`); a language without
such an index is read from the lead's `index-e5-LANG`. Writes bench/out/multilingual/tune-LABEL.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import multilingual_eval as ml  # noqa: E402

CONTROL_SAMPLE = 150
SEED = 14
DEEP = 50  # how far down the relevant article is looked for in a failure
MODES = ("hybrid", "dense", "lexical")  # hybrid first: its failures are the ones written out


def held_out_ids(questions: list[dict]) -> set[int]:
    return {id(q) for q in ml.sample(questions, None, per_group=50, seed=SEED)}


def pool(questions: list[dict], which: str) -> list[dict]:
    """The tuning questions of one set: never a held-out one."""
    held = held_out_ids(questions)
    free = [q for q in questions if id(q) not in held]
    if which == "uk":
        return [q for q in free if q["set"] == "brown-uk"]
    if which == "ru":
        nerel = [q for q in free if q["set"] == "nerel"]
        return random.Random(SEED).sample(nerel, CONTROL_SAMPLE)
    if which == "en":
        return [q for q in free if q["set"] == "wmt" and q["lang"] == "en" and q["target"] == "en"]
    raise SystemExit(f"unknown set {which!r}: uk, ru or en")


def searcher_for(lang: str, prefix: str):
    from index.encoder import ServingEncoder
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.search import SearchSettings, Searcher

    data_dir = ml.OUT / f"{prefix}-e5-{lang}"
    if not data_dir.exists():
        data_dir = ml.OUT / f"index-e5-{lang}"
    settings = replace(Settings.from_env(data_dir=data_dir), model=ml.MODELS["e5"])
    return Searcher(IndexReader(data_dir), ServingEncoder(settings), SearchSettings(answer_highlight=False)), data_dir


def rank_of(answer, relevant: frozenset[str]) -> int | None:
    from retrieval.evaluate import ranked_articles

    for i, entry in enumerate(ranked_articles(answer), start=1):
        if any(ids & relevant for ids in entry):
            return i
    return None


def first_lines(text: str, chars: int = 300) -> str:
    return " ".join(text.split())[:chars]


def run_set(which: str, questions: list[dict], prefix: str, modes: tuple[str, ...] = MODES,
            deep: bool = False) -> dict:
    from retrieval import reading
    from retrieval.evaluate import ranked_articles, score
    from retrieval.plan import bm25_match

    searcher, data_dir = searcher_for(questions[0]["target"], prefix)
    snapshot = searcher.reader.snapshot()
    as_of = snapshot.archive_end
    totals = {m: {"recall@5": 0.0, "mrr@10": 0.0} for m in modes}
    rows = []
    started = time.perf_counter()
    for q in questions:
        relevant = frozenset(q["relevant"])
        row = {"question": q["question"], "relevant": q["relevant"][0]}
        for mode in modes:
            answer = searcher.ask(q["question"], limit=10, mode=mode, as_of=as_of)
            recall, rr, _ = score(ranked_articles(answer), relevant)
            totals[mode]["recall@5"] += recall[5]
            totals[mode]["mrr@10"] += rr
            row[mode] = rank_of(answer, relevant)
            if mode == "hybrid":
                row["top5"] = [f"{h.citation.article_id}: {first_lines(h.citation.title, 100)}" for h in answer.hits[:5]]
        if "hybrid" in modes and (row["hybrid"] is None or row["hybrid"] > 5):
            parsed, frequencies = reading.read(snapshot, q["question"], searcher.settings, as_of)
            row["language"] = parsed.language
            row["terms"] = list(parsed.terms)
            row["variants"] = {t: list(v) for t, v in parsed.variants}
            row["match"] = bm25_match(parsed, frequencies, snapshot.manifest.passages, searcher.settings)
            article = snapshot.article(q["relevant"][0])
            row["article"] = None if article is None else {"title": article.title, "start": first_lines(article.body)}
            if deep:
                for mode in modes:
                    answer = searcher.ask(q["question"], limit=DEEP, mode=mode, as_of=as_of)
                    row[f"{mode}_deep"] = rank_of(answer, relevant)
        rows.append(row)
        if len(rows) % 50 == 0:
            print(which, len(rows), f"{time.perf_counter() - started:.0f} s", flush=True)
    n = len(questions)
    summary = {m: {k: round(v / n, 4) for k, v in t.items()} for m, t in totals.items()}
    print(which, n, data_dir.name, json.dumps(summary), f"{time.perf_counter() - started:.0f} s", flush=True)
    return {"set": which, "questions": n, "index": data_dir.name, "summary": summary,
            "failures": [r for r in rows if r["hybrid"] is None or r["hybrid"] > 5], "ranks": rows}


def held_out(modes: tuple[str, ...], label: str) -> None:
    """The held-out same-language samples (what docs/multilingual.md reports), scores only."""
    questions = ml.load_questions()
    asked = [q for q in ml.sample(questions, None, per_group=50, seed=SEED)
             if (q["lang"], q["target"]) in (("uk", "uk"), ("ru", "ru"))]
    ml.MODES = modes
    rows = ml.evaluate("e5", asked)
    path = ml.OUT / f"heldout-{label}.json"
    path.write_text(json.dumps({"code": ml.code_state(), "rows": rows}, indent=2, ensure_ascii=False) + "\n")
    print(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default="uk,ru,en")
    parser.add_argument("--prefix", default="index")
    parser.add_argument("--label", default="baseline")
    parser.add_argument("--modes", default=",".join(MODES), help="hybrid first (its failures are written)")
    parser.add_argument("--held-out", action="store_true", help="the held-out samples, once, at the end")
    parser.add_argument("--deep", action="store_true", help=f"a failure's rank down to {DEEP} in each mode (slow)")
    args = parser.parse_args()
    from index.encoder import serve_queries

    serve_queries()
    if args.held_out:
        return held_out(tuple(args.modes.split(",")), args.label)
    questions = ml.load_questions()
    found = {"code": ml.code_state(), "prefix": args.prefix, "sets": {}}
    for which in args.sets.split(","):
        found["sets"][which] = run_set(which, pool(questions, which), args.prefix,
                                        tuple(args.modes.split(",")), args.deep)
    path = ml.OUT / f"tune-{args.label}.json"
    path.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n")
    print(path)


if __name__ == "__main__":
    main()
