"""Both search engines on the Reuters archive in one run (issue 13): `newsdesk eval`'s metrics
(retrieval.evaluate.evaluate, dense / BM25 / hybrid) and hybrid query latency p50/p95, FAISS + FTS5
against Milvus Lite, on the same SQLite store.

    .venv/bin/python bench/engines.py [--index bench/out/reuters-index] [--work /tmp/engines-bench]

The index given is copied, never changed: the copy is published once more into Milvus with
`index rebuild` (from the stored embeddings, nothing re-encoded). Prints one JSON line per engine and set.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index import pipeline  # noqa: E402
from index.encoder import SentenceTransformerEncoder  # noqa: E402
from index.engines import open_reader  # noqa: E402
from index.settings import Settings  # noqa: E402
from retrieval.evaluate import evaluate, load_qrels  # noqa: E402
from retrieval.search import Searcher  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QRELS = [ROOT / "bench" / "qrels" / "reuters.jsonl", ROOT / "bench" / "qrels" / "reuters-filters.jsonl"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / "out" / "reuters-index")
    parser.add_argument("--work", type=Path, default=Path("/tmp/engines-bench"))
    args = parser.parse_args()
    faiss_dir, milvus_dir = args.work / "faiss", args.work / "milvus"
    shutil.rmtree(args.work, ignore_errors=True)
    shutil.copytree(args.index, faiss_dir, ignore=shutil.ignore_patterns("write.lock"))
    pipeline.add([], Settings(data_dir=faiss_dir), quiet=True)  # brings an older schema up to date
    shutil.copytree(faiss_dir, milvus_dir, ignore=shutil.ignore_patterns("write.lock"))
    started = time.perf_counter()
    pipeline.rebuild(Settings(data_dir=milvus_dir, engine="milvus"))
    print(json.dumps({"milvus_rebuild_seconds": round(time.perf_counter() - started, 1)}), flush=True)
    for engine, data_dir in (("faiss", faiss_dir), ("milvus", milvus_dir)):
        settings = Settings(data_dir=data_dir, engine=engine)
        reader = open_reader(settings)
        manifest = reader.snapshot().manifest
        encoder = SentenceTransformerEncoder(manifest.model, backend=manifest.backend, cache_dir=data_dir)
        searcher = Searcher(reader, encoder)
        for path in QRELS:
            rows = evaluate(searcher, load_qrels(path), ("dense", "lexical", "hybrid"))
            print(json.dumps({"engine": engine, "set": path.name, "metrics": [m.as_dict() for m in rows]}), flush=True)
        as_of = reader.snapshot().archive_end
        times = []
        for path in QRELS:  # every question once more, hybrid, after the warm pass above
            for judgement in load_qrels(path):
                started = time.perf_counter()
                searcher.ask(judgement.question, limit=10, as_of=as_of)
                times.append(time.perf_counter() - started)
        times.sort()
        print(json.dumps({"engine": engine, "questions": len(times), "p50_ms": round(1000 * statistics.median(times), 1),
                          "p95_ms": round(1000 * times[int(0.95 * len(times)) - 1], 1),
                          "passages": manifest.passages, "index_type": manifest.index_type}), flush=True)


if __name__ == "__main__":
    main()
