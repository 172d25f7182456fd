"""Recall@5 / nDCG@10 of Reuters indexes embedded with different encoder backends, in one process.

    .venv/bin/python bench/backends_eval.py bench/out/reuters-torch bench/out/reuters-int8

Each data directory is queried with its own backend (the one its manifest records), on the 120 judged
questions of bench/qrels/reuters.jsonl, dense only and hybrid. Build the indexes with
`NEWSDESK_BACKEND=... bench/index_and_query.py --data-dir ...`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS  # noqa: E402
from index.encoder import ServingEncoder  # noqa: E402
from index.engines.faiss import IndexReader  # noqa: E402
from index.settings import Settings  # noqa: E402
from retrieval.evaluate import evaluate, load_qrels  # noqa: E402
from retrieval.search import Searcher  # noqa: E402


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    judgements = load_qrels(QRELS)
    result = {}
    print("| index | backend | mode | Recall@5 | Recall@10 | nDCG@10 |\n|---|---|---|---|---|---|")
    for directory in sys.argv[1:]:
        searcher = Searcher(IndexReader(Path(directory)), ServingEncoder(Settings.from_env(data_dir=directory)))
        backend = searcher.reader.snapshot().manifest.backend
        rows = {m.mode: m.as_dict() for m in evaluate(searcher, judgements, ("dense", "hybrid"))}
        result[directory] = {"backend": backend, **rows}
        for mode, row in rows.items():
            print(f"| {Path(directory).name} | {backend} | {mode} | {row['recall@5']:.3f} | {row['recall@10']:.3f} "
                  f"| {row['ndcg@10']:.3f} |")
    (OUT / "backends_eval.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
