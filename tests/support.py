"""Test helpers that stand in for nothing the project owns: paths and a tiny deterministic encoder."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "archive.jsonl"
SHARED = ROOT.parent / "shared" / "data"
SEED = SHARED / "seed" / "kupyansk-rovno.txt"
REUTERS = SHARED / "reuters21578" / "articles.jsonl"
QRELS = ROOT / "bench" / "qrels" / "reuters.jsonl"


class HashingEncoder:
    """Bag of hashed words: deterministic and instant, for tests of plumbing where meaning is not the point."""

    name = "test/hashing-64"
    dimension = 64

    def __init__(self) -> None:
        self.calls: list[int] = []  # texts per encode call, so tests can see what was embedded

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, digest[0] % self.dimension] += 1.0 if digest[1] % 2 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] /= norm or 1.0
        return out
