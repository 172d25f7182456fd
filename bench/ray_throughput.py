"""Embedding throughput (issue 13): one local process (both cores) against Ray Data on a local cluster of
one and of two nodes of one CPU each, all on 127.0.0.1, over the first N passages of an index, with the
index's model and backend (index.ray_backfill.encode, as `newsdesk index add --ray` uses it).

    .venv/bin/python bench/ray_throughput.py [--passages 1024] [--index bench/out/reuters-index]

The index is only read. On this 2-core machine two one-CPU nodes are the whole machine: the figures
show what Ray adds and costs, not what more machines would give.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # every Ray address on 127.0.0.1
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from index import generations  # noqa: E402
from index.encoder import SentenceTransformerEncoder  # noqa: E402
from index.schema import DB_NAME  # noqa: E402
from index.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=1024)
    parser.add_argument("--index", type=Path, default=ROOT / "bench" / "out" / "reuters-index")
    args = parser.parse_args()
    manifest = generations.Manifest.read(generations.generation_dir(args.index, generations.require_current(args.index)))
    db = sqlite3.connect(f"{(args.index / DB_NAME).resolve().as_uri()}?mode=ro", uri=True)
    texts = {f"p{pid}": text for pid, text in db.execute("SELECT id, text FROM passage_texts ORDER BY id LIMIT ?",
                                                          (args.passages,))}
    print(json.dumps({"passages": len(texts), "mean_chars": sum(map(len, texts.values())) // len(texts),
                      "model": manifest.model, "backend": manifest.backend}), flush=True)

    # the model's export cache is copied: the index directory is only read
    cache = Path(tempfile.mkdtemp(prefix="ray-throughput-"))
    if (args.index / "models").is_dir():
        shutil.copytree(args.index / "models", cache / "models")
    encoder = SentenceTransformerEncoder(manifest.model, backend=manifest.backend, cache_dir=cache)
    encoder.encode(["warm up"])
    order = sorted(texts, key=lambda h: len(texts[h]), reverse=True)
    started = time.perf_counter()
    encoder.encode([texts[h] for h in order], batch_size=Settings.batch_size)
    seconds = time.perf_counter() - started
    print(json.dumps({"run": "local, one process", "passages_per_s": round(len(texts) / seconds, 1),
                      "seconds": round(seconds, 1)}), flush=True)

    import ray
    from ray.cluster_utils import Cluster

    from index import ray_backfill

    for nodes in (1, 2):
        cluster = Cluster(initialize_head=True, head_node_args={
            "num_cpus": 1, "node_ip_address": "127.0.0.1", "include_dashboard": False})
        for _ in range(nodes - 1):
            cluster.add_node(num_cpus=1, node_ip_address="127.0.0.1")
        cluster.wait_for_nodes()
        settings = Settings(data_dir=cache, model=manifest.model, ray_address=cluster.address)
        started, first, done = time.perf_counter(), None, 0
        for hashes, _ in ray_backfill.encode(texts, settings, manifest.backend):
            done += len(hashes)
            first = first or time.perf_counter() - started
        seconds = time.perf_counter() - started
        print(json.dumps({"run": f"ray, {nodes} node(s) of 1 CPU", "passages_per_s": round(done / seconds, 1),
                          "seconds": round(seconds, 1), "first_batch_s": round(first, 1),
                          "after_first_batch_per_s": round((done - ray_backfill.RAY_BATCH) / (seconds - first), 1)}),
              flush=True)
        ray.shutdown()
        cluster.shutdown()


if __name__ == "__main__":
    main()
