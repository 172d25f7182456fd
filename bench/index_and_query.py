"""Index the whole Reuters-21578 archive, then ask 200 questions; print throughput, latency, memory, size.

    .venv/bin/python bench/index_and_query.py                 # fresh index in bench/out/reuters-index
    .venv/bin/python bench/index_and_query.py --reuse         # keep that index, measure queries only
    NEWSDESK_BACKEND=torch .venv/bin/python bench/index_and_query.py --data-dir bench/out/reuters-torch

The encoder backend is NEWSDESK_BACKEND's (else the default); queries use the index's own backend.

Indexing throughput is set beside the raw `model.encode` throughput on a random sample of the same
passages, measured in the same process right after indexing. Queries run in a fresh process (like the
bot) so that its peak memory is the serving cost, not the indexer's.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, REUTERS, REUTERS_INDEX, dir_size, peak_rss_mb, percentile, questions  # noqa: E402
from index import pipeline  # noqa: E402
from index.encoder import SentenceTransformerEncoder, ServingEncoder, default_backend, serve_queries  # noqa: E402
from index.settings import MINILM_MODEL, Settings  # noqa: E402


def index_phase(data_dir: Path, raw_sample: int, archive: Path = REUTERS) -> dict:
    shutil.rmtree(data_dir, ignore_errors=True)
    settings = Settings.from_env(data_dir=data_dir)
    encoder = SentenceTransformerEncoder(settings.model or MINILM_MODEL, settings.device, settings.backend or default_backend(),
                                         data_dir)
    encoder.encode(["warm up the model before the clock starts"])
    started = time.perf_counter()
    summary = pipeline.add([archive], settings, encoder=encoder)
    index_seconds = time.perf_counter() - started
    with sqlite3.connect(data_dir / "newsdesk.sqlite3") as db:
        texts = [t for (t,) in db.execute(
            "SELECT t.text FROM passage_texts t JOIN passages p ON p.id = t.id GROUP BY p.text_hash")]
    sample = random.Random(11).sample(texts, min(raw_sample, len(texts)))
    started = time.perf_counter()
    encoder.encode(sample, batch_size=settings.batch_size)
    raw_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = pipeline.add([archive], settings, encoder=encoder, quiet=True)
    rerun_seconds = time.perf_counter() - started
    return {
        "articles": summary.added, "skipped": summary.skipped, "passages_embedded": summary.passages_embedded,
        "index_seconds": round(index_seconds, 1),
        "index_passages_per_s": round(summary.passages_embedded / index_seconds, 2),
        "raw_sample": len(sample), "raw_encode_passages_per_s": round(len(sample) / raw_seconds, 2),
        "pipeline_vs_raw": round((summary.passages_embedded / index_seconds) / (len(sample) / raw_seconds), 3),
        "rerun_seconds": round(rerun_seconds, 2), "rerun_embedded": again.passages_embedded,
        "index_peak_rss_mb": round(peak_rss_mb()),
        "index_size_mb": round(dir_size(data_dir) / 2**20, 1),
    }


def query_phase(data_dir: Path, n: int, runs: int, asked_file: Path | None = None) -> dict:
    from index.engines.faiss import IndexReader
    from retrieval.search import Searcher

    settings = Settings.from_env(data_dir=data_dir)
    searcher = Searcher(IndexReader(data_dir), ServingEncoder(settings))
    serve_queries()  # as `newsdesk ask` and `newsdesk bot` do
    asked = json.loads(asked_file.read_text()) if asked_file else questions(n)
    for question in asked[:10]:
        searcher.ask(question)
    phases: dict[str, list[float]] = {"encode": [], "search": [], "fetch": [], "total": []}
    run_p50 = []
    for _ in range(runs):
        searcher._vectors.clear()  # every run encodes every question again
        totals = []
        for question in asked:
            started = time.perf_counter()
            answer = searcher.ask(question)
            total = (time.perf_counter() - started) * 1000
            totals.append(total)
            phases["encode"].append(answer.timings.encode_ms)
            phases["search"].append(answer.timings.search_ms)
            phases["fetch"].append(answer.timings.fetch_ms)
            phases["total"].append(total)
        run_p50.append(round(percentile(totals, 50), 1))
    result = {"questions": len(asked), "runs": runs, "total_p50_per_run": run_p50}
    for name, values in phases.items():
        result[f"{name}_p50_ms"] = round(percentile(values, 50), 2)
        result[f"{name}_p95_ms"] = round(percentile(values, 95), 2)
    result["query_peak_rss_mb"] = round(peak_rss_mb())
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=REUTERS_INDEX)
    parser.add_argument("--archive", type=Path, default=REUTERS, help="what to index (default: all of Reuters)")
    parser.add_argument("--reuse", action="store_true", help="measure queries on the existing index")
    parser.add_argument("--raw-sample", type=int, default=3000, help="passages for the raw encode baseline")
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--asked", type=Path, help="a JSON list of the questions to time (instead of --questions' own)")
    parser.add_argument("--phase", choices=["query"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "query":
        print(json.dumps(query_phase(args.data_dir, args.questions, args.runs, args.asked)))
        return
    if not REUTERS.exists():
        sys.exit(f"The Reuters archive is not at {REUTERS}.")
    result = {} if args.reuse else index_phase(args.data_dir, args.raw_sample, args.archive)
    done = subprocess.run(
        [sys.executable, __file__, "--phase", "query", "--data-dir", str(args.data_dir),
         "--questions", str(args.questions), "--runs", str(args.runs), *(["--asked", str(args.asked)] if args.asked else [])],
        check=True, capture_output=True, text=True)
    result.update(json.loads(done.stdout.strip().splitlines()[-1]))
    result["backend"] = json.loads((args.data_dir / "CURRENT").parent.joinpath(
        "generations", f"{int((args.data_dir / 'CURRENT').read_text()):08d}", "manifest.json").read_text()).get("backend", "torch")
    result["index_size_mb"] = round(dir_size(args.data_dir) / 2**20, 1)
    OUT.mkdir(parents=True, exist_ok=True)
    name = "index_and_query.json" if args.data_dir == REUTERS_INDEX else f"index_and_query-{args.data_dir.name}.json"
    (OUT / name).write_text(json.dumps(result, indent=2) + "\n")
    width = max(map(len, result))
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")


if __name__ == "__main__":
    main()
