"""Issue 14: does multilingual-e5-small keep MiniLM's English quality? Both models through the same
code (bench/generalisation.run over Searcher.ask), on the issue's English sets: the test halves of our
judged Reuters and newsroom sets (held out) and RealTimeQA.

    # e5 copies of the English indexes (MiniLM's, bench/out/{reuters,rtqa,newsroom}-index, are left
    # alone); long: run one at a time, in the background
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/english.py index reuters
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/english.py index rtqa
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/english.py index newsroom
    # both models on every set, one table
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/english.py measure

The e5 indexes are built exactly as MiniLM's were (bench/generalisation.py, bench/realtimeqa.py: the
same archives, `pipeline.add`, the default backend) with NEWSDESK_MODEL=intfloat/multilingual-e5-small.
Results: bench/out/multilingual/english.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import generalisation, realtimeqa as rtqa  # noqa: E402
from bench.common import OUT, REUTERS, REUTERS_INDEX  # noqa: E402

E5 = "intfloat/multilingual-e5-small"
MINILM = "sentence-transformers/all-MiniLM-L6-v2"
NEWSROOM_INDEX = OUT / "newsroom-index"
INDEXES = {  # set -> (MiniLM's index, e5's copy, the archive)
    "reuters": (REUTERS_INDEX, OUT / "reuters-index-e5", REUTERS),
    "rtqa": (rtqa.INDEX, OUT / "rtqa-index-e5", None),  # rtqa.archive(): cut articles
    "newsroom": (NEWSROOM_INDEX, OUT / "newsroom-index-e5", generalisation.NEWSROOM),
}
RESULTS = OUT / "multilingual" / "english.json"


def build(name: str) -> dict:
    from index import pipeline
    from index.settings import Settings

    _, data_dir, archive = INDEXES[name]
    settings = replace(Settings.from_env(data_dir=data_dir), model=E5)
    load = os.getloadavg()[0]
    summary = pipeline.add([archive or rtqa.archive()], settings)
    row = {"set": name, "data_dir": str(data_dir), "passages": summary.passages_embedded,
           "seconds": round(summary.seconds, 1), "load_before": load, "load_after": os.getloadavg()[0],
           "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    if summary.passages_embedded:
        row["passages_per_s"] = round(summary.passages_embedded / summary.seconds, 2)
    print(json.dumps(row), flush=True)
    return row


def measure(models: tuple[str, ...] = ("minilm", "e5"), kinds: tuple[str, ...] = ("test", "realtimeqa")) -> dict:
    from index.encoder import ServingEncoder, serve_queries
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.search import Searcher

    serve_queries()
    held_out = generalisation.sets("test")  # Reuters topics, Reuters dates/outlet/names, newsroom: test halves
    realtime = {k: v for k, v in generalisation.sets("tune").items() if k.startswith("RealTimeQA")}
    results: dict = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}  # earlier runs' other rows
    for model, column in ((MINILM, 0), (E5, 1)):
        if ("minilm", "e5")[column] not in models:
            continue
        for label, found in (("held-out test half", held_out), ("RealTimeQA", realtime)):
            if ("test", "realtimeqa")[label == "RealTimeQA"] not in kinds:
                continue
            for set_name, (minilm_dir, judged) in found.items():
                data_dir = next(paths[column] for paths in INDEXES.values() if paths[0] == minilm_dir)
                if not (data_dir / "CURRENT").exists():
                    print(f"{data_dir} is not built: {set_name} left out for {model}", flush=True)
                    continue
                settings = replace(Settings.from_env(data_dir=data_dir), model=model)
                searcher = Searcher(IndexReader(data_dir), ServingEncoder(settings), generalisation.DEFAULT)
                row = generalisation.run(searcher, judged)
                results.setdefault(set_name, {})[model] = row | {"kind": label, "index": str(data_dir)}
                print(model, set_name, row, flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))
    return results


def table(results: dict) -> str:
    lines = ["| set | kind | questions | MiniLM R@5 | e5 R@5 | MiniLM nDCG@10 | e5 nDCG@10 | MiniLM MRR@10 | e5 MRR@10 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for set_name, by_model in results.items():
        a, b = by_model.get(MINILM), by_model.get(E5, {})
        if a is None:
            continue
        lines.append(f"| {set_name} | {a['kind']} | {a['questions']} | {a['recall@5']:.3f} | {b.get('recall@5', float('nan')):.3f} | "
                     f"{a['ndcg@10']:.3f} | {b.get('ndcg@10', float('nan')):.3f} | {a['mrr@10']:.3f} | "
                     f"{b.get('mrr@10', float('nan')):.3f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("index").add_argument("set", choices=sorted(INDEXES))
    measuring = sub.add_parser("measure")
    measuring.add_argument("--models", default="minilm,e5", help="comma-separated: minilm, e5")
    measuring.add_argument("--sets", default="test,realtimeqa", help="comma-separated: test (the held-out "
                           "test halves), realtimeqa")
    args = parser.parse_args()
    if args.step == "index":
        build(args.set)
    else:
        measure(tuple(args.models.split(",")), tuple(args.sets.split(",")))


if __name__ == "__main__":
    main()
