"""Near-duplicate articles: a MinHash sketch of each article's word 4-grams.

The same wire story in several outlets, or a story and its corrected repeat, share most of their
4-word shingles; two different stories on the same topic share few (names and figures differ).
The sketch is stored with the article; retrieval compares the sketches of the articles it is about
to show, and bench/duplicates.py groups a whole archive with MinHash LSH.
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
from datasketch import MinHash

PERMUTATIONS = 64  # standard error of the estimated Jaccard about 1/sqrt(64) = 0.06
SHINGLE = 4
SEED = 1  # seed and scheme fixed: sketches made by different runs must be comparable
SCHEME = "affine32"  # hash values below 2**32: stored as SKETCH_DTYPE, half of datasketch's uint64
SKETCH_DTYPE = np.uint32
# Two articles are one story when their estimated Jaccard is at least SAME_STORY and they appeared
# within SAME_STORY_DAYS of each other. On Reuters-21578 (hand-checked samples, docs/evaluation.md) wire repeats,
# corrections and lightly edited copies score 0.45-1.0 within hours; what else scores that high is a
# recurring template (a monthly USDA estimate, the daily EC sugar levies, weekly jobless claims) whose
# issues lie days or weeks apart.
SAME_STORY = 0.5
SAME_STORY_DAYS = 2.0

_WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str) -> set[bytes]:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < SHINGLE:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


def sketch(title: str, body: str) -> bytes:
    """The article's MinHash signature, as bytes for the store. The title counts: short templated
    items ("<company> sets quarterly dividend") differ in little else."""
    minhash = MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME)
    minhash.update_batch(list(shingles(f"{title}\n{body}")))
    return minhash.hashvalues.astype(SKETCH_DTYPE).tobytes()


def signature(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=SKETCH_DTYPE).astype(np.uint64)


def similarity(a: bytes | None, b: bytes | None) -> float:
    """Estimated Jaccard similarity of two articles' shingles; 0 when either has no sketch."""
    if not a or not b or len(a) != len(b):
        return 0.0
    return float(np.mean(signature(a) == signature(b)))


def close_in_time(a_time: datetime | None, b_time: datetime | None, days: float = SAME_STORY_DAYS) -> bool:
    """Whether two articles appeared within the days of one story (an undated one may have)."""
    return a_time is None or b_time is None or abs((a_time - b_time).total_seconds()) <= days * 86400


def same_story(a: bytes | None, b: bytes | None, a_time: datetime | None, b_time: datetime | None,
               threshold: float = SAME_STORY) -> bool:
    """Whether two articles are one story: near-identical words, close in time."""
    return close_in_time(a_time, b_time) and similarity(a, b) >= threshold


def minhash(blob: bytes) -> MinHash:
    """A sketch as datasketch's MinHash, for MinHashLSH."""
    return MinHash(num_perm=PERMUTATIONS, seed=SEED, scheme=SCHEME, hashvalues=signature(blob))
