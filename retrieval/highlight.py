"""Pick the sentence of a passage that best answers the question."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from index import lemmas, sentences as sentences_of
from index.chunking import sentence_spans
from index.stemming import stem
from retrieval.query import words


def idf(df: int, total: int) -> float:
    return math.log(1.0 + (total - df + 0.5) / (df + 0.5))


def term_weights(terms: tuple[str, ...], frequencies: Mapping[str, int], total: int) -> dict[str, float]:
    """Weight of each query stem: rare words (a place name) outweigh common ones."""
    return {stem(t): idf(frequencies.get(stem(t), 1), max(total, 1)) for t in terms}


def stem_weights(frequencies: Mapping[str, int], total: int) -> dict[str, float]:
    """Weights of stems that are already stems (the archive's own spellings of a question word)."""
    return {s: idf(df, max(total, 1)) for s, df in frequencies.items()}


def lexical_scores(text: str, weights: Mapping[str, float], title: str = "",
                   topic: float = 0.25) -> list[tuple[int, int, float]]:
    """(start, end, query weight carried) of each sentence. Question words that are in the article's
    title count `topic` of their weight: they say what the article is about, which most of its
    sentences are, not where the answer is ("how many runners finished the Lakeshore Marathon?" is
    answered by "About 6,800 runners finished the race", not by the lead that names the marathon)."""
    # Weights with no Cyrillic key (an English question of a Ukrainian or Russian archive) cannot meet a
    # Cyrillic word's keys: its dictionary forms, the costliest part of the choice, are not read then
    # (about 5 ms a new passage on 2 busy cores, docs/speed.md). The scores are the same.
    cyrillic = any(_CYRILLIC.search(s) for s in weights)
    in_title = keys(title, cyrillic)
    scale = {s: w * (topic if s in in_title else 1.0) for s, w in weights.items()}
    scores = []
    for start, end in sentence_spans(text) or [(0, len(text))]:
        found = keys(text[start:end], cyrillic) & scale.keys()
        scores.append((start, end, sum(scale[s] for s in found)))
    return scores


def word_keys(word: str) -> tuple[str, ...]:
    """What a word is searched by: an English word's stem, a Ukrainian or Russian word's dictionary
    forms (index.lemmas), as a question's terms are."""
    return lemmas.keys(word) if lemmas.is_cyrillic(word) else (stem(word),)


_CYRILLIC = re.compile("[\u0400-\u04ff]")  # index.lemmas.WORD's letters: every key of a Cyrillic word has one


def keys(text: str, cyrillic: bool = True) -> set[str]:
    """What a text's words are searched by (`word_keys` of each); without the Cyrillic words' unless
    `cyrillic`."""
    return {k for w in words(text) if cyrillic or not lemmas.is_cyrillic(w) for k in word_keys(w)}


# What kind of answer a question asks for, and how a sentence that gives it looks. A sentence with a
# figure answers "how many" better than one that only repeats the question's words.
_ASKS_FIGURE = re.compile(r"\b(how (many|much|long|far|big|large|old|often|high|low)|by how|what (percentage|share|"
                          r"price|rate|range|level|amount)|at what (price|rate|level))\b", re.IGNORECASE)
_ASKS_TIME = re.compile(r"\b(when|what (day|date|time|year)|how soon)\b", re.IGNORECASE)
_FIGURE = re.compile(r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|"
                     r"thousand|million|billion|half|quarter|third|percent)\b", re.IGNORECASE)
_TIME = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|"
                   r"may|june|july|august|september|october|november|december|today|tomorrow|yesterday|tonight|"
                   r"week|month|year|spring|summer|autumn|winter|\d{4}|\d{1,2}(:\d\d)? ?[ap]\.?m\.?)\b",
                   re.IGNORECASE)


def answer_shape(question: str) -> re.Pattern | None:
    """The pattern of a sentence that has the kind of answer the question asks for, if it asks one."""
    if _ASKS_FIGURE.search(question):
        return _FIGURE
    if _ASKS_TIME.search(question):
        return _TIME
    return None


def answer_best(scores: Sequence[tuple[int, int, float]], text: str, shape: re.Pattern | None,
                shaped: float = 0.3) -> tuple[int, int, float]:
    """(start, end, score) of the sentence with the most question weight (see `lexical_scores`) plus
    `shaped` of the best sentence's weight when it has the kind of answer asked for; earliest on ties."""
    best = max((s for _, _, s in scores), default=0.0)
    def total(sentence: tuple[int, int, float]) -> float:
        start, end, weight = sentence
        return weight + (shaped * best if shape is not None and weight and shape.search(text[start:end]) else 0.0)
    return max(scores, key=total)


# Sentences vary from a few words to sixty: encoded (sorted by length, as sentence-transformers does)
# in batches of 8 they carry little padding. Five passages' sentences took 113 ms p50 so, against 150 ms
# a passage at a time and 186 ms as one batch (same run, int8, one thread).
SENTENCE_BATCH = 8


def dense_best(texts: Sequence[str], query_vector: np.ndarray,
               encode: Callable[[list[str], int], np.ndarray]) -> list[tuple[int, int]]:
    """The sentence of each passage closest in meaning to the question, for passages that share no word
    with it; `encode` gives the vectors of all their sentences at once (retrieval.citing.sentence_vectors:
    those stored at index time, index.sentences)."""
    spans = [sentences_of.spans(text) for text in texts]
    sentences = [text[s:e] for text, found in zip(texts, spans) for s, e in found]
    scores = encode(sentences, SENTENCE_BATCH) @ query_vector if sentences else np.zeros(0)
    best, at = [], 0
    for found in spans:
        best.append(found[int(np.argmax(scores[at : at + len(found)]))])
        at += len(found)
    return best


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
