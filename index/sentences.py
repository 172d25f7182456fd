"""The sentences of a passage and their vectors, stored when the passage is indexed.

The bold sentence of a passage that shares no word with the question (a question in another language
than the report, most often) is the one closest to it in meaning (retrieval.highlight.dense_best).
Encoding those sentences when the question is asked cost 300-375 ms p50 per answer across languages
(docs/multilingual.md); encoded once at index time, by the same incremental step as the passages
(index.pipeline.embed_sentences: only sentences with no stored vector), choosing costs a lookup.

A sentence is stored by the hash of its text, as a passage is: the sentence two passages share (their
overlap) or that several reports repeat is encoded once. Vectors are int8 with one float32 scale each
(388 bytes at 384 dimensions, half of float16's): the choice is an argmax among a passage's sentences,
which int8 keeps (docs/speed.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from index.chunking import sentence_spans
from index.normalize import content_hash


def spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a passage; the whole text when it has none."""
    return sentence_spans(text) or [(0, len(text))]


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in spans(text)]


def key(sentence: str) -> str:
    """What a sentence's vector is stored by."""
    return content_hash(sentence)


def of_passages(texts: Iterable[str]) -> dict[str, str]:
    """key -> sentence, for every sentence of these passages, each once."""
    return {key(s): s for text in texts for s in sentences(text)}


def pack(vectors: np.ndarray) -> list[bytes]:
    """Each row as its float32 scale and int8 values (the row divided by the scale, rounded)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    scales = np.abs(vectors).max(axis=1, keepdims=True) / 127.0
    scales[scales == 0] = 1.0
    values = np.clip(np.rint(vectors / scales), -127, 127).astype(np.int8)
    return [scale.astype(np.float32).tobytes() + row.tobytes() for scale, row in zip(scales, values)]


def unpack(blobs: Sequence[bytes]) -> np.ndarray:
    """The float32 rows `pack` stored (L2 norm within 0.5% of 1: compared within a passage, not normalised)."""
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    raw = np.frombuffer(b"".join(blobs), dtype=np.uint8).reshape(len(blobs), -1)
    scales = raw[:, :4].copy().view(np.float32)
    return raw[:, 4:].copy().view(np.int8).astype(np.float32) * scales
