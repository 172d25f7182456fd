"""What an answer costs when the question and the archive are in different languages, as the bot asks
(three results, the answering sentence in bold): `Searcher.ask(limit=3)` with the default settings on
the e5 indexes, in rounds that alternate the directions (the machine's load then weighs on each alike).
Every ask encodes its question anew (the searcher's cache of question vectors is emptied before it), as
a journalist's new question does. A passage that shares no word with the question has its bold sentence
chosen by meaning (`highlight.dense_best`), which nearly every answer across languages needs: since
schema 8 its sentences' vectors are read from the index, and the model's calls other than the
question's own are counted (`model calls per answer`: 0 when every sentence has its stored vector).
`fetch` is that step with reading the passages.

The questions: WMT's, of the tuning pool (bench/multilingual/tune_fusion.tuning_pool) where it has the
direction; en->uk and uk->en are all held out (the held-out sample takes every one of their 50), so
those directions are timed on held-out questions. Timing only: nothing is chosen with these figures.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/latency.py [--per-direction 40] [--rounds 3] \
        [--prefix index]    (ab-before / ab-after: the indexes bench/multilingual/ab_throughput.py leaves)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import multilingual_eval as ml  # noqa: E402
from bench.common import percentile  # noqa: E402
from bench.multilingual.tune_fusion import searcher, tuning_pool  # noqa: E402

DIRECTIONS = ("en->en", "ru->ru", "en->ru", "ru->en", "en->uk", "uk->en")
HELD_OUT_ONLY = ("en->uk", "uk->en")  # the tuning pool has none of these


def searchers(prefix: str, targets: set[str]) -> dict:
    from retrieval.search import SearchSettings

    return {lang: searcher("e5", lang, prefix, SearchSettings()) for lang in sorted(targets)}


def questions(per_direction: int, rng: random.Random) -> dict[str, list[dict]]:
    pool = [q for q in tuning_pool() if q["set"] == "wmt"]
    held = [q for q in ml.load_questions() if q["set"] == "wmt" and ml._direction(q) in HELD_OUT_ONLY]
    return {d: rng.sample([q for q in (held if d in HELD_OUT_ONLY else pool) if ml._direction(q) == d], per_direction)
            for d in DIRECTIONS}


class Calls:
    """How many times, and with how many texts, the model was asked to encode passages or sentences."""

    def __init__(self, encode: Callable) -> None:
        self.encode, self.calls, self.texts = encode, 0, 0

    def __call__(self, texts, batch_size: int = 64):
        self.calls += 1
        self.texts += len(texts)
        return self.encode(texts, batch_size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-direction", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--prefix", default="index", help="the indexes asked: bench/out/multilingual/PREFIX-e5-LANG")
    parser.add_argument("--out")
    args = parser.parse_args()
    asked = questions(args.per_direction, random.Random(7))
    search = searchers(args.prefix, {d.split("->")[1] for d in DIRECTIONS})
    counted = {}
    for lang, one in search.items():  # models loaded and the first question's one-off costs paid
        one.ask("warm up", limit=3)
        model = one._encoder(one.reader.snapshot())
        model.encode = counted[lang] = Calls(model.encode)
    times: dict[str, dict[str, list[float]]] = {d: {"total": [], "fetch": []} for d in DIRECTIONS}
    calls = {d: 0 for d in DIRECTIONS}
    load = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for i in range(args.per_direction):
            for direction in DIRECTIONS:
                q = asked[direction][i]
                one, before = search[q["target"]], counted[q["target"]].calls
                one._vectors.clear()  # a new question: its vector is encoded, not remembered
                started = time.perf_counter()
                answer = one.ask(q["question"], limit=3)
                times[direction]["total"].append((time.perf_counter() - started) * 1000)
                times[direction]["fetch"].append(answer.timings.fetch_ms)
                calls[direction] += counted[q["target"]].calls - before
        load.append(os.getloadavg()[0])
    rows = [{"direction": d, "asks": len(t["total"]), "model calls": calls[d],
             "questions": "held-out" if d in HELD_OUT_ONLY else "tuning",
             **{f"{part} p{q}": round(percentile(t[part], q), 1) for part in ("total", "fetch") for q in (50, 95)}}
            for d, t in times.items()]
    print(f"load (1 min) at the start and after each round: {', '.join(f'{x:.2f}' for x in load)}")
    print("| direction | questions | asks | total p50 / p95 ms | bold sentence and passages (fetch) p50 / p95 ms "
          "| model calls beyond the question's |\n|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['direction']} | {r['questions']} | {r['asks']} | {r['total p50']} / {r['total p95']} "
              f"| {r['fetch p50']} / {r['fetch p95']} | {r['model calls']} |")
    if args.out:
        Path(args.out).write_text(json.dumps({"code": ml.code_state(), "load": load, "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
