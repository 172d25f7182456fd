"""The three encoder backends side by side: throughput on Reuters passages, and closeness to PyTorch.

    .venv/bin/python bench/encoders.py [--sample 600] [--rounds 3]

The sample is passages of the Reuters archive as the indexer chunks them (random, fixed seed). Each
round encodes the whole sample once with every backend, in turn, in this one process, so that the
ratios compare backends under the same load (the machine's 2 cores are shared). Throughput ratios are
per round (backend / torch in the same round), the median over rounds reported. Cosine: each
passage's embedding against torch's. ONNX exports are cached in bench/out/models/.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, REUTERS  # noqa: E402
from index.chunking import chunk  # noqa: E402
from index.encoder import BACKENDS, SentenceTransformerEncoder  # noqa: E402
from index.records import Article  # noqa: E402
from index.settings import Settings  # noqa: E402
from index.sources import read_paths  # noqa: E402


def reuters_passages(n: int, seed: int = 11) -> list[str]:
    settings = Settings()
    texts = [p.text for a in read_paths([REUTERS]) if isinstance(a, Article)
             for p in chunk(a.body, settings.passage_chars, settings.overlap_sentences)]
    return random.Random(seed).sample(texts, min(n, len(texts)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sample", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=Settings().batch_size)
    args = parser.parse_args()
    sample = reuters_passages(args.sample)
    encoders = {b: SentenceTransformerEncoder(Settings().model, "cpu", b, OUT) for b in BACKENDS}
    for encoder in encoders.values():
        encoder.encode(sample[:16])  # export (once) and load before any clock starts
    rates: dict[str, list[float]] = {b: [] for b in BACKENDS}
    vectors = {}
    for _ in range(args.rounds):
        for backend, encoder in encoders.items():
            started = time.perf_counter()
            vectors[backend] = encoder.encode(sample, batch_size=args.batch_size)
            rates[backend].append(len(sample) / (time.perf_counter() - started))
    result = {"passages": len(sample), "rounds": args.rounds, "backends": {}}
    for backend in BACKENDS:
        cosines = (vectors[backend] * vectors["torch"]).sum(axis=1)
        result["backends"][backend] = {
            "passages_per_s": round(statistics.median(rates[backend]), 2),
            "passages_per_s_per_round": [round(r, 2) for r in rates[backend]],
            "speedup_vs_torch": round(statistics.median(r / t for r, t in zip(rates[backend], rates["torch"])), 2),
            "cosine_to_torch_mean": round(float(cosines.mean()), 4),
            "cosine_to_torch_min": round(float(cosines.min()), 4),
        }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "encoders.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{len(sample)} Reuters passages, {args.rounds} rounds, batch {args.batch_size}\n")
    print("| backend | passages/s | x torch | cosine to torch (mean / min) |\n|---|---|---|---|")
    for backend, row in result["backends"].items():
        print(f"| {backend} | {row['passages_per_s']:.1f} | {row['speedup_vs_torch']:.2f} "
              f"| {row['cosine_to_torch_mean']:.4f} / {row['cosine_to_torch_min']:.4f} |")


if __name__ == "__main__":
    main()
