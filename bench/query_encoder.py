"""The question encoder's per-call cost: sentence-transformers' `encode` against the same ONNX session
called directly (the tokenizer, one `run`, mean pooling, normalising in numpy), one question at a time
on one thread, as the bot encodes.

    NEWSDESK_MODEL_CACHE=... HF_HUB_OFFLINE=1 .venv/bin/python bench/query_encoder.py [--data-dir INDEX] [--rounds 5]

The index's model and backend (an ONNX one); the 120 Reuters questions, the two paths alternating per
question. Prints p50/p95 of each, their ratio, and the least cosine between the two paths' vectors.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS, percentile  # noqa: E402


def direct(model):
    """One question through the ONNX session itself, as the model's modules would compute it."""
    transformer = model[0]
    session = transformer.auto_model.model  # optimum's ORTModel keeps the onnxruntime InferenceSession
    tokenizer, prompt = model.tokenizer, model.prompts.get("query", "")
    names = {i.name for i in session.get_inputs()}

    def encode(question: str) -> np.ndarray:
        feed = tokenizer([prompt + question], return_tensors="np", truncation=True,
                         max_length=model.max_seq_length)
        feed = {k: v.astype(np.int64) for k, v in feed.items() if k in names}
        if "token_type_ids" in names and "token_type_ids" not in feed:
            feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
        hidden = session.run(None, feed)[0]
        mask = feed["attention_mask"][..., None].astype(np.float32)
        pooled = (hidden * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1e-9)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True))[0]
    return encode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=OUT / "reuters-e5")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from index.encoder import ServingEncoder, serve_queries
    from index.engines.faiss import IndexReader
    from index.settings import Settings

    serve_queries()
    encoder = ServingEncoder(Settings.from_env(data_dir=args.data_dir)).for_manifest(
        IndexReader(args.data_dir).snapshot().manifest)
    fast = direct(encoder.model)
    questions = [json.loads(line)["question"] for line in QRELS.read_text().splitlines() if line.strip()]
    times: dict[str, list[float]] = {"sentence-transformers": [], "session directly": []}
    least = 1.0
    encoder.encode_queries(["warm up"]), fast("warm up")
    for _ in range(args.rounds):
        for question in questions:
            started = time.perf_counter()
            a = encoder.encode_queries([question])[0]
            middle = time.perf_counter()
            b = fast(question)
            times["sentence-transformers"].append((middle - started) * 1000)
            times["session directly"].append((time.perf_counter() - middle) * 1000)
            least = min(least, float(a @ b))
    print(f"{encoder.name} ({encoder.backend}), {len(questions)} questions x {args.rounds}; load average "
          + " / ".join(f"{x:.1f}" for x in os.getloadavg()))
    for name, values in times.items():
        print(f"{name}: p50 {percentile(values, 50):.2f} ms, p95 {percentile(values, 95):.2f} ms")
    ratio = percentile(times["session directly"], 50) / percentile(times["sentence-transformers"], 50)
    print(f"direct / sentence-transformers p50: {ratio:.2f}; least cosine between the two: {least:.6f}")


if __name__ == "__main__":
    main()
