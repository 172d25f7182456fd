"""How indexing and answering cost grow, measured: Reuters indexed a quarter at a time, and BM25 alone
on synthetic archives up to a million passages.

    .venv/bin/python bench/growth.py                      # both parts (about 25 minutes on 2 cores)
    .venv/bin/python bench/growth.py --part steps         # or --part bm25

Part 1, "steps" (measured end to end): the Reuters articles, oldest first, go into one fresh data
directory a quarter at a time with `pipeline.add`, as a cron job adds what came in; after each step a
fresh process asks the 200 benchmark questions three times (bench/index_and_query.py's query phase).
Recorded per step: articles and passages so far, the step's seconds and the total so far, answer
p50/p95, the indexer's peak memory and the index size.

Part 2, "bm25" (SYNTHETIC): a contentless SQLite FTS5 table with Newsdesk's tokenizer holding the
Reuters passages k times over (every copy a row of its own), so each word's posting list is k times as
long, as in an archive k times as big with Reuters' word distribution (in a real one, names would also
be rarer). The BM25 queries are those Newsdesk sends for the 200 questions on the Reuters index
(spelling variants and the common-word rule included) with every word frequency multiplied by k, so
that its postings budget (SearchSettings.bm25_budget) acts as on the bigger archive, and without the
budget; p50/p95 of `ORDER BY rank LIMIT 100`, one thread. The vector layer's growth is bench/vector_layer.py's; bench/cost_growth.py puts them together.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, REUTERS, dir_size, peak_rss_mb, percentile, questions  # noqa: E402
from index import pipeline  # noqa: E402
from index.encoder import default_backend, prepare  # noqa: E402
from index.settings import MINILM_MODEL, Settings  # noqa: E402
from index.schema import DB_NAME  # noqa: E402

RESULT = OUT / "growth.json"
TOKENIZER = "porter unicode61 remove_diacritics 2"  # index.schema's passages_fts


def steps(data_dir: Path, parts: int) -> list[dict]:
    import shutil

    shutil.rmtree(data_dir, ignore_errors=True)
    records = [json.loads(line) for line in REUTERS.read_text().splitlines() if line.strip()]
    records.sort(key=lambda r: r.get("published_at") or "")
    settings = Settings.from_env(data_dir=data_dir)
    backend = settings.backend or default_backend()
    prepare(settings.model or MINILM_MODEL, backend, data_dir)  # once per data directory, before any clock starts
    rows, total = [], 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for part in range(parts):
            chunk = records[len(records) * part // parts : len(records) * (part + 1) // parts]
            path = Path(scratch) / f"part-{part}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r in chunk))
            started = time.perf_counter()
            summary = pipeline.add([path], settings, quiet=True)
            seconds = time.perf_counter() - started
            total += seconds
            done = subprocess.run(
                [sys.executable, str(Path(__file__).with_name("index_and_query.py")), "--phase", "query",
                 "--data-dir", str(data_dir), "--questions", "200", "--runs", "3"],
                check=True, capture_output=True, text=True)
            query = json.loads(done.stdout.strip().splitlines()[-1])
            with sqlite3.connect(data_dir / DB_NAME) as db:
                articles, passages = db.execute(
                    "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM passages)").fetchone()
            row = {"articles": articles, "passages": passages, "step_seconds": round(seconds, 1),
                   "total_seconds": round(total, 1), "embedded": summary.passages_embedded,
                   "answer_p50_ms": query["total_p50_ms"], "answer_p95_ms": query["total_p95_ms"],
                   "search_p50_ms": query["search_p50_ms"], "indexer_peak_mb": round(peak_rss_mb()),
                   "serving_peak_mb": query["query_peak_rss_mb"], "index_mb": round(dir_size(data_dir) / 2**20, 1)}
            rows.append(row)
            print("  " + json.dumps(row), flush=True)
    return rows


def bm25_matches(data_dir: Path, scale: int = 1, budget: float | None = None) -> list[str]:
    """The FTS5 queries Newsdesk sends for the benchmark questions on this index, or on one `scale`
    times as big with the same word distribution (every frequency times `scale`); `budget`: the
    setting's bm25_budget unless given."""
    from index.encoder import ServingEncoder
    from index.engines.faiss import IndexReader
    from dataclasses import replace

    from retrieval import query as query_parser
    from retrieval import variants
    from retrieval.highlight import stem
    from retrieval.plan import bm25_match
    from retrieval.search import SearchSettings, Searcher

    settings = SearchSettings() if budget is None else SearchSettings(bm25_budget=budget)
    searcher = Searcher(IndexReader(data_dir), ServingEncoder(Settings.from_env(data_dir=data_dir)), settings)
    snapshot = searcher.reader.snapshot()
    matches = []
    for question in questions(200):
        parsed = query_parser.parse(question, snapshot.outlets, archive_end=snapshot.archive_end)
        frequencies = snapshot.document_frequencies([stem(t) for t in parsed.terms])
        other, _ = variants.find(snapshot, question, parsed.terms, frequencies, settings.variants)
        match = bm25_match(replace(parsed, variants=tuple(other.items())),
                           {t: df * scale for t, df in frequencies.items()}, snapshot.manifest.passages * scale, settings)
        if match:
            matches.append(match)
    return matches


def bm25(data_dir: Path, copies: list[int], workdir: Path) -> list[dict]:
    """BM25 p50/p95 at each size, for the queries Newsdesk sends with its postings budget (`p50_ms`) and
    without one (`unbounded_p50_ms`)."""
    from retrieval.search import SearchSettings

    unbounded = bm25_matches(data_dir, budget=float("inf"))
    with sqlite3.connect(data_dir / DB_NAME) as source:
        texts = [t for (t,) in source.execute("SELECT text FROM passage_texts ORDER BY id")]
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "bm25.sqlite3"
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute(f"CREATE VIRTUAL TABLE f USING fts5(text, content='', tokenize='{TOKENIZER}')")

    def timed(matches: list[str]) -> list[float]:
        for match in matches[:10]:
            db.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY rank LIMIT 100", (match,)).fetchall()
        times = []
        for _ in range(2):
            for match in matches:
                started = time.perf_counter()
                db.execute("SELECT rowid FROM f WHERE f MATCH ? ORDER BY rank LIMIT 100", (match,)).fetchall()
                times.append((time.perf_counter() - started) * 1000)
        return times

    rows, have, build = [], 0, 0.0
    for k in copies:
        started = time.perf_counter()
        db.execute("BEGIN")
        for _ in range(k - have):
            db.executemany("INSERT INTO f(text) VALUES (?)", ((t,) for t in texts))
        db.execute("COMMIT")
        db.execute("INSERT INTO f(f) VALUES ('optimize')")  # one segment, as a settled archive has
        build += time.perf_counter() - started
        have = k
        budgeted, plain = timed(bm25_matches(data_dir, scale=k)), timed(unbounded)
        row = {"copies": k, "passages": k * len(texts), "build_seconds": round(build, 1),
               "size_mb": round(path.stat().st_size / 2**20, 1), "queries": len(unbounded),
               "budget": SearchSettings().bm25_budget,
               "p50_ms": round(percentile(budgeted, 50), 2), "p95_ms": round(percentile(budgeted, 95), 2),
               "unbounded_p50_ms": round(percentile(plain, 50), 2), "unbounded_p95_ms": round(percentile(plain, 95), 2)}
        rows.append(row)
        print("  " + json.dumps(row), flush=True)
    db.close()
    path.unlink()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["steps", "bm25", "both"], default="both")
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 4, 12, 36])
    parser.add_argument("--data-dir", type=Path, default=OUT / "growth-index")
    args = parser.parse_args()
    if not REUTERS.exists():
        sys.exit(f"The Reuters archive is not at {REUTERS}.")
    result = json.loads(RESULT.read_text()) if RESULT.exists() else {}
    if args.part in ("steps", "both"):
        result["backend"] = Settings.from_env().backend or default_backend()
        print(f"Reuters in {args.steps} steps, backend {result['backend']}:", flush=True)
        result["steps"] = steps(args.data_dir, args.steps)
    if args.part in ("bm25", "both"):
        if not (args.data_dir / "CURRENT").exists():
            sys.exit("Part bm25 reads the questions' queries from the index part steps builds: run it first.")
        print("BM25 alone, Reuters passages copied k times (synthetic):", flush=True)
        result["bm25"] = bm25(args.data_dir, sorted(args.copies), OUT / "growth-bm25")
    OUT.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
