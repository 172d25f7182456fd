"""The Porter stemmer of FTS5's `porter` tokenizer, for Python code that must agree with the index."""

from __future__ import annotations

from functools import lru_cache

import Stemmer

_stemmer = Stemmer.Stemmer("porter")  # the algorithm of FTS5's porter tokenizer


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)
