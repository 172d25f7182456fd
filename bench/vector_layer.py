"""The vector layer alone at 100k, 1M and 5M passages: build time, memory, size, search p50/p95, Recall@10.

    .venv/bin/python bench/vector_layer.py                       # all sizes (about 30 minutes on 2 cores)
    .venv/bin/python bench/vector_layer.py --sizes 100000        # one size
    .venv/bin/python bench/vector_layer.py --plot-only           # redraw bench/vector_layer.png from the JSON

The vectors are SYNTHETIC: each is a real Reuters passage embedding (all-MiniLM-L6-v2, read from a
Reuters index of bench/out) plus Gaussian noise of norm 0.3-0.8, re-normalised, so that they keep the
model's anisotropic shape and form clusters of near-duplicates, as wire copy does. Queries are drawn the
same way (never stored). Without a Reuters index the centres are random directions instead (said in
the output). Vectors are generated in chunks from per-chunk seeds, never all held at once (5M x 384
float32 would be 7.7 GB), and regenerated identically for the exact ground truth (chunked brute force).

Each index type is built through index.engines.faiss.build (as `newsdesk index rebuild` does), written to disk,
and loaded again in the same process: its memory is the growth of resident memory from that load.
Searches go through index.engines.faiss.FaissVectors (the production path, one thread, one query at a time);
Recall@10 is against exact inner-product search. "filtered" searches only among a fixed random 10% of
the ids (a date or outlet filter), through FAISS's IDSelector.
"""

from __future__ import annotations

import argparse
import gc
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, ROOT, percentile  # noqa: E402
from index.engines import faiss as vectors  # noqa: E402
from index.schema import EMBEDDING_DTYPE  # noqa: E402

DIMENSION = 384
CHUNK = 100_000
K = 10


def centres() -> tuple[np.ndarray, str]:
    for name in ("reuters-index", "reuters-int8", "reuters-torch"):
        path = OUT / name / "newsdesk.sqlite3"
        if path.exists():
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
                rows = [blob for (blob,) in db.execute("SELECT vector FROM embeddings")]
            if len(rows) > 1000:
                matrix = np.frombuffer(b"".join(rows), dtype=EMBEDDING_DTYPE).reshape(len(rows), -1).astype(np.float32)
                return matrix, f"{len(rows)} Reuters embeddings ({name})"
    rng = np.random.default_rng(1)
    random = rng.standard_normal((20_000, DIMENSION)).astype(np.float32)
    return random / np.linalg.norm(random, axis=1, keepdims=True), "20000 random directions (no Reuters index found)"


def draw(base: np.ndarray, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    points = base[rng.integers(len(base), size=n)].copy()
    noise = rng.standard_normal((n, DIMENSION), dtype=np.float32)
    noise *= (rng.uniform(0.3, 0.8, size=(n, 1)) / np.sqrt(DIMENSION)).astype(np.float32)
    points += noise
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return points


def chunks(base: np.ndarray, n: int):
    """(ids, vectors) of the synthetic archive of n passages, CHUNK at a time, the same every time."""
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        yield np.arange(start, start + size, dtype=np.int64), draw(base, size, 1_000 + start // CHUNK)


def ground_truth(base: np.ndarray, n: int, queries: np.ndarray, allowed: np.ndarray | None = None) -> np.ndarray:
    """Exact top-K ids for each query by brute force, chunk by chunk."""
    best_scores = np.full((len(queries), K), -np.inf, dtype=np.float32)
    best_ids = np.full((len(queries), K), -1, dtype=np.int64)
    for ids, points in chunks(base, n):
        if allowed is not None:
            keep = np.isin(ids, allowed)
            ids, points = ids[keep], points[keep]
        scores = queries @ points.T
        scores = np.concatenate([best_scores, scores], axis=1)
        candidates = np.concatenate([best_ids, np.broadcast_to(ids, (len(queries), len(ids)))], axis=1)
        top = np.argpartition(-scores, K, axis=1)[:, :K]
        best_scores = np.take_along_axis(scores, top, axis=1)
        best_ids = np.take_along_axis(candidates, top, axis=1)
    return best_ids


def build(base: np.ndarray, n: int, spec: str, path: Path) -> float:
    """As index.engines.faiss.build does, but chunk by chunk: train on a sample of the archive's size
    (TRAIN_PER_LIST per inverted list), then add."""
    import faiss

    started = time.perf_counter()
    faiss.omp_set_num_threads(2)  # an indexing run has the machine's cores
    index = vectors.build(np.zeros(0, dtype=np.int64), np.zeros((0, DIMENSION), dtype=np.float32), DIMENSION, spec)
    if not index.is_trained:
        ivf = faiss.extract_index_ivf(index)
        index.train(draw(base, min(n, vectors.TRAIN_PER_LIST * ivf.nlist), seed=999))
    for ids, points in chunks(base, n):
        index.add_with_ids(points, ids)
    vectors.save(index, path)
    seconds = time.perf_counter() - started
    del index
    gc.collect()
    return seconds


LOAD = """
import sys
from pathlib import Path
def rss():
    return next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmRSS:"))
import faiss
before = rss()
index = faiss.read_index(sys.argv[1])
print((rss() - before) / 1024)
"""


def index_memory_mb(path: Path) -> float:
    """Resident memory that loading the index file adds, in a fresh process (no recycled allocations)."""
    done = subprocess.run([sys.executable, "-c", LOAD, str(path)], check=True, capture_output=True, text=True)
    return float(done.stdout.strip().splitlines()[-1])


def measure(path: Path, queries: np.ndarray, truth: np.ndarray, allowed: np.ndarray, truth_filtered: np.ndarray,
            filtered_queries: int, settings: str | None = None, memory: float = float("nan")) -> dict:
    import faiss

    gc.collect()
    index = vectors.load(path)
    if settings:
        faiss.ParameterSpace().set_index_parameters(index, settings)
    searcher = vectors.FaissVectors(index)  # sets one OpenMP thread, as the bot runs
    for q in queries[:20]:
        searcher.search(q, K)
    times, hits = [], 0
    for q, expected in zip(queries, truth):
        started = time.perf_counter()
        found = searcher.search(q, K)
        times.append((time.perf_counter() - started) * 1000)
        hits += len({i for i, _ in found} & set(expected.tolist()))
    ftimes, fhits = [], 0
    for q, expected in zip(queries[:filtered_queries], truth_filtered):
        started = time.perf_counter()
        found = searcher.search(q, K, allowed=allowed)
        ftimes.append((time.perf_counter() - started) * 1000)
        fhits += len({i for i, _ in found} & set(expected.tolist()))
    result = {
        "memory_mb": round(memory, 1), "size_mb": round(path.stat().st_size / 2**20, 1),
        "p50_ms": round(percentile(times, 50), 2), "p95_ms": round(percentile(times, 95), 2),
        "recall@10": round(hits / (K * len(queries)), 4),
        "filtered_p50_ms": round(percentile(ftimes, 50), 2), "filtered_p95_ms": round(percentile(ftimes, 95), 2),
        "filtered_recall@10": round(fhits / (K * len(truth_filtered)), 4),
    }
    del searcher, index
    gc.collect()
    return result


PLAN = {  # size -> (index type, [search settings to try on the same built index])
    100_000: [("IDMap2,Flat", [None]), (vectors.choose(100_000), [None]), ("IDMap2,HNSW32 efSearch=64", [None]), ("IVF512,SQ8", ["nprobe=8", "nprobe=16"])],
    1_000_000: [("IDMap2,Flat", [None]), (vectors.choose(1_000_000), ["nprobe=16", None, "nprobe=64", "nprobe=128"])],
    5_000_000: [(vectors.choose(5_000_000), ["nprobe=32", None, "nprobe=128", "nprobe=256"])],
}


def run(sizes: list[int], queries_n: int, filtered_n: int, workdir: Path) -> dict:
    base, origin = centres()
    queries = draw(base, queries_n, seed=7)
    result = {"vectors": f"synthetic: {origin} + Gaussian noise of norm 0.3-0.8, normalised", "dimension": DIMENSION,
              "queries": queries_n, "filtered_queries": filtered_n, "k": K, "sizes": {}}
    previous = OUT / "vector_layer.json"
    if previous.exists():  # sizes not measured this time keep their earlier rows
        earlier = json.loads(previous.read_text())
        if {k: earlier.get(k) for k in ("vectors", "queries", "k")} == {k: result[k] for k in ("vectors", "queries", "k")}:
            result["sizes"] = {n: rows for n, rows in earlier["sizes"].items() if int(n) not in sizes}
    workdir.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        started = time.perf_counter()
        allowed = np.sort(np.random.default_rng(5).choice(n, n // 10, replace=False)).astype(np.int64)
        truth = ground_truth(base, n, queries)
        truth_filtered = ground_truth(base, n, queries[:filtered_n], allowed)
        rows = {"auto": vectors.choose(n), "exact_ground_truth_s": round(time.perf_counter() - started, 1), "types": []}
        print(f"{n:,} passages: ground truth in {rows['exact_ground_truth_s']} s; auto = {rows['auto']}", flush=True)
        for spec, variants in PLAN[n]:
            path = workdir / f"{n}.faiss"
            seconds = build(base, n, spec, path)
            memory = index_memory_mb(path)
            for settings in variants:
                row = {"index_type": spec if settings is None else f"{spec.split()[0]} {settings}",
                       "build_s": round(seconds, 1),
                       **measure(path, queries, truth, allowed, truth_filtered, filtered_n, settings, memory)}
                rows["types"].append(row)
                print("  " + json.dumps(row), flush=True)
            path.unlink()
        result["sizes"][str(n)] = rows
        result["sizes"] = dict(sorted(result["sizes"].items(), key=lambda item: int(item[0])))
        (OUT / "vector_layer.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def table(result: dict) -> str:
    lines = ["| passages | index type | build | memory | on disk | p50 | p95 | Recall@10 | filtered 10%: p50 / Recall@10 |",
             "|---|---|---|---|---|---|---|---|---|"]
    for n, rows in result["sizes"].items():
        for row in rows["types"]:
            auto = " (auto)" if row["index_type"] == rows["auto"] else ""
            lines.append(f"| {int(n):,} | `{row['index_type']}`{auto} | {row['build_s']:.0f} s | {row['memory_mb']:.0f} MB "
                         f"| {row['size_mb']:.0f} MB | {row['p50_ms']:.2f} ms | {row['p95_ms']:.2f} ms | {row['recall@10']:.3f} "
                         f"| {row['filtered_p50_ms']:.2f} ms / {row['filtered_recall@10']:.3f} |")
    return "\n".join(lines)


def plot(result: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    series: dict[str, list[tuple[int, dict]]] = {}
    for n, rows in result["sizes"].items():
        for row in rows["types"]:
            if row["index_type"] == rows["auto"]:
                series.setdefault("auto choice", []).append((int(n), row))
            if row["index_type"] == "IDMap2,Flat":
                series.setdefault("exact (IDMap2,Flat)", []).append((int(n), row))
    for name, points in series.items():
        xs = [n for n, _ in points]
        axes[0].plot(xs, [r["p95_ms"] for _, r in points], marker="o", label=name)
        axes[1].plot(xs, [r["memory_mb"] for _, r in points], marker="o", label=name)
    for ax, title, target in ((axes[0], "search p95 (ms, one thread)", 20), (axes[1], "index memory (MB)", 600)):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("passages (synthetic 384-d vectors)")
        ax.set_title(title)
        ax.axhline(target, color="grey", linestyle=":", label=f"target at 1M: {target}")
        ax.legend(fontsize=8)
    fig.suptitle("Newsdesk vector layer (bench/vector_layer.py); auto = IDMap2,SQfp16 up to 100k, then IVF,SQ8")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=sorted(PLAN))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--filtered-queries", type=int, default=100)
    parser.add_argument("--workdir", type=Path, default=OUT / "vector-layer")
    parser.add_argument("--plot-only", action="store_true")
    args = parser.parse_args()
    if args.plot_only:
        result = json.loads((OUT / "vector_layer.json").read_text())
    else:
        unknown = [n for n in args.sizes if n not in PLAN]
        if unknown:
            sys.exit(f"sizes must be among {sorted(PLAN)}")
        result = run(args.sizes, args.queries, args.filtered_queries, args.workdir)
    print(f"\n{result['vectors']}; {result['queries']} queries, k={result['k']}\n")
    print(table(result))
    plot(result, ROOT / "bench" / "vector_layer.png")


if __name__ == "__main__":
    main()
