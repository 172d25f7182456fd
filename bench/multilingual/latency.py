"""What an answer costs when the question and the archive are in different languages, as the bot asks
(three results, the answering sentence in bold): `Searcher.ask(limit=3)` with the default settings on
the e5 indexes, tuning-pool questions of each direction, in rounds that alternate the directions (the
machine's load then weighs on each alike). A passage that shares no word with the question has its bold
sentence chosen by meaning (`highlight.dense_best`: its sentences encoded with the model), which every
answer across languages needs; `fetch` is that step with reading the passages.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/latency.py [--per-direction 40] [--rounds 3] \
        [--prefix index]    (ab-before / ab-after: the indexes bench/multilingual/ab_throughput.py leaves)
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import multilingual_eval as ml  # noqa: E402
from bench.common import percentile  # noqa: E402
from bench.multilingual.tune_fusion import searcher, tuning_pool  # noqa: E402

DIRECTIONS = ("en->en", "ru->ru", "en->ru", "ru->en")  # WMT; the tuning pool has no en<->uk questions


def searchers(prefix: str) -> dict:
    from retrieval.search import SearchSettings

    return {lang: searcher("e5", lang, prefix, SearchSettings()) for lang in ("en", "ru")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-direction", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--prefix", default="index", help="the indexes asked: bench/out/multilingual/PREFIX-e5-{en,ru}")
    parser.add_argument("--out")
    args = parser.parse_args()
    rng = random.Random(7)
    pool = [q for q in tuning_pool() if q["set"] == "wmt"]
    asked = {d: rng.sample([q for q in pool if ml._direction(q) == d], args.per_direction) for d in DIRECTIONS}
    search = searchers(args.prefix)
    for lang, searcher in search.items():  # models loaded and the first question's one-off costs paid
        searcher.ask("warm up", limit=3)
    times: dict[str, dict[str, list[float]]] = {d: {"total": [], "fetch": []} for d in DIRECTIONS}
    for _ in range(args.rounds):
        for i in range(args.per_direction):
            for direction in DIRECTIONS:
                q = asked[direction][i]
                started = time.perf_counter()
                answer = search[q["target"]].ask(q["question"], limit=3)
                times[direction]["total"].append((time.perf_counter() - started) * 1000)
                times[direction]["fetch"].append(answer.timings.fetch_ms)
    rows = [{"direction": d, "asks": len(t["total"]),
             **{f"{part} p{q}": round(percentile(t[part], q), 1) for part in ("total", "fetch") for q in (50, 95)}}
            for d, t in times.items()]
    print("| direction | asks | total p50 / p95 ms | bold sentence and passages (fetch) p50 / p95 ms |\n|---|---|---|---|")
    for r in rows:
        print(f"| {r['direction']} | {r['asks']} | {r['total p50']} / {r['total p95']} | {r['fetch p50']} / {r['fetch p95']} |")
    if args.out:
        Path(args.out).write_text(json.dumps({"code": ml.code_state(), "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
