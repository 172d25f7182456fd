"""Pick the sentence of a passage that best answers the question."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from functools import lru_cache

import numpy as np
import snowballstemmer

from index.chunking import sentence_spans
from retrieval.query import words

_stemmer = snowballstemmer.stemmer("porter")  # the algorithm of FTS5's porter tokenizer


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def idf(df: int, total: int) -> float:
    return math.log(1.0 + (total - df + 0.5) / (df + 0.5))


def term_weights(terms: tuple[str, ...], frequencies: Mapping[str, int], total: int) -> dict[str, float]:
    """Weight of each query stem: rare words (a place name) outweigh common ones."""
    return {stem(t): idf(frequencies.get(stem(t), 1), max(total, 1)) for t in terms}


def stem_weights(frequencies: Mapping[str, int], total: int) -> dict[str, float]:
    """Weights of stems that are already stems (the archive's own spellings of a question word)."""
    return {s: idf(df, max(total, 1)) for s, df in frequencies.items()}


def lexical_best(text: str, weights: Mapping[str, float]) -> tuple[int, int, float]:
    """(start, end, score) of the sentence whose words carry the most query weight; earliest on ties."""
    best = (0, len(text), 0.0)
    for start, end in sentence_spans(text) or [(0, len(text))]:
        found = {stem(w) for w in words(text[start:end])} & weights.keys()
        score = sum(weights[s] for s in found)
        if score > best[2]:
            best = (start, end, score)
    return best


def dense_best(text: str, query_vector: np.ndarray, encode: Callable[[list[str]], np.ndarray]) -> tuple[int, int]:
    """The sentence closest in meaning to the question, for passages that share no word with it."""
    spans = sentence_spans(text) or [(0, len(text))]
    vectors = encode([text[s:e] for s, e in spans])
    best = int(np.argmax(vectors @ query_vector))
    return spans[best]


def context(text: str, start: int, end: int, budget: int = 360) -> tuple[str, str, str]:
    """(before, highlight, after): the highlighted sentence with whole neighbouring sentences
    while they fit in `budget` characters, "…" where the passage goes on."""
    spans = sentence_spans(text)
    before = [s for s in spans if s[1] <= start]
    after = [s for s in spans if s[0] >= end]
    left, right = start, end
    while before or after:
        grew = False
        for side in (after, before):
            if not side:
                continue
            candidate = side[0] if side is after else side[-1]
            new_left, new_right = min(left, candidate[0]), max(right, candidate[1])
            if new_right - new_left <= budget:
                left, right = new_left, new_right
                side.remove(candidate)
                grew = True
        if not grew:
            break
    head = ("…" if text[:left].strip() else "") + text[left:start]
    tail = text[end:right] + ("…" if text[right:].strip() else "")
    return head, text[start:end], tail
