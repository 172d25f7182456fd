"""Evaluate dense, BM25 and hybrid search on the Reuters questions, with the fusion variants compared.

    .venv/bin/python bench/reuters_eval.py [--data-dir bench/out/reuters-index]

Needs the index that bench/index_and_query.py builds. The fusion default in retrieval/fusion.py is
the best hybrid row of this table.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS, REUTERS_INDEX  # noqa: E402
from index.encoder import ServingEncoder  # noqa: E402
from index.engines.faiss import IndexReader  # noqa: E402
from index.settings import Settings  # noqa: E402
from retrieval.evaluate import evaluate, load_qrels  # noqa: E402
from retrieval.fusion import Fusion  # noqa: E402
from retrieval.search import SearchSettings, Searcher  # noqa: E402

VARIANTS = [Fusion("rrf", w) for w in (0.3, 0.4, 0.5, 0.6, 0.7)] + \
           [Fusion("linear", w) for w in (0.3, 0.4, 0.5, 0.6, 0.7)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=REUTERS_INDEX)
    parser.add_argument("--qrels", type=Path, default=QRELS)
    args = parser.parse_args()
    settings = Settings.from_env(data_dir=args.data_dir)
    searcher = Searcher(IndexReader(args.data_dir), ServingEncoder(settings))
    judgements = load_qrels(args.qrels)
    rows = []
    for metrics in evaluate(searcher, judgements, ("dense", "lexical")):
        rows.append({"run": {"dense": "dense only", "lexical": "BM25 only"}[metrics.mode], **metrics.as_dict()})
    for fusion in VARIANTS:
        searcher.settings = SearchSettings(fusion=fusion, min_dense_only=0.0)
        [metrics] = evaluate(searcher, judgements, ("hybrid",))
        rows.append({"run": f"hybrid {fusion.method} dense_weight={fusion.dense_weight}", **metrics.as_dict()})
    best = max(rows[2:], key=lambda r: (r["ndcg@10"], r["recall@5"]))
    fusion = VARIANTS[rows.index(best) - 2]
    for floor in (0.2, 0.3, 0.4, 0.5, 0.6):
        searcher.settings = SearchSettings(fusion=fusion, min_dense_only=floor)
        [metrics] = evaluate(searcher, judgements, ("hybrid",))
        rows.append({"run": f"{best['run']}, min_dense_only={floor}", **metrics.as_dict()})
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "reuters_eval.json").write_text(json.dumps(rows, indent=2) + "\n")
    print(f"{len(judgements)} questions, {args.qrels.name}\n")
    print("| run | Recall@1 | Recall@5 | Recall@10 | MRR@10 | nDCG@10 |\n|---|---|---|---|---|---|")
    for row in rows:
        print(f"| {row['run']} | {row['recall@1']:.3f} | {row['recall@5']:.3f} | {row['recall@10']:.3f} "
              f"| {row['mrr@10']:.3f} | {row['ndcg@10']:.3f} |")


if __name__ == "__main__":
    main()
