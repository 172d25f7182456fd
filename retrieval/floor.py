"""The answer floor: which of a question's ranked passages are shown as answers at all.

Ranking always has a next passage: "what was reported about Rovno?" on a 36-article archive ranked the
Rovno report first, then four war reports that never say Rovno, because the fused score is relative
(min-max normalised per question) and an unknown name is near nothing in meaning. The floor reads two
absolute things instead: each passage's cosine to the question (`Floor.cosine`, and `Floor.margin`
below the closest passage's), and, for a question that names someone or somewhere, whether the passage
mentions the name in any spelling the archive has (`names`, `mentioning`); one that does not is shown
only when it is close in meaning (`Floor.unnamed`).

Cosines are the model's own (multilingual-e5-small puts any two news texts at 0.7 or more; MiniLM
spreads them from 0 to 0.8), so each model has its floor, chosen on the tuning halves and RealTimeQA
(`bench/floor_eval.py`; docs/evaluation.md, "The answer floor").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from index.engines.base import SearchIndex
from index.settings import MINILM_MODEL, MULTILINGUAL_MODEL, model_name
from retrieval import query as query_parser
from retrieval.lexicon import ordinary
from retrieval.plan import Plan
from retrieval.records import Floor, Query
from retrieval.variants import capitalised

# multilingual-e5-small's: the rule of bench/floor_eval.py on the tuning halves and RealTimeQA (at least
# 0.80, within 0.08 of the closest, 0.84 without the name); held-out figures in docs/evaluation.md
FLOORS = {
    MINILM_MODEL: Floor(),
    MULTILINGUAL_MODEL: Floor(cosine=0.80, margin=0.08, unnamed=0.84),
}


def floor_for(model: str) -> Floor:
    """The floor of an index embedded with `model`; MiniLM's for a model never measured (as the alert
    bars, retrieval.alerts.rules_for)."""
    return FLOORS.get(model_name(model), FLOORS[MINILM_MODEL])


def names(question: str, parsed: Query, written: set[str] | None = None) -> tuple[str, ...]:
    """The question's terms that name someone or something: written with a capital inside the question
    (`written`: variants.capitalised, found again when None), spelled otherwise in the archive
    (`Query.variants`: Kupiansk/Kupyansk, Rovno/Rivne), or a Latin word that is no ordinary word of
    English ("pennzoil", "rovno" typed in lower case)."""
    written = capitalised(question) if written is None else written
    spelled = dict(parsed.variants)
    return tuple(t for t in parsed.terms if t in written or t in spelled
                 or (t.isascii() and t.isalpha() and not ordinary(t)))


def mentioning(snapshot: SearchIndex, parsed: Query, ids: Iterable[int]) -> set[int]:
    """The passages among `ids` that mention one of the question's names, in any of its spellings, in
    their text or their article's title (the full-text index holds both)."""
    ids = set(ids)
    match = query_parser.fts_match(parsed.names, (), dict(parsed.variants))
    if not ids or match is None:
        return set()
    return snapshot.mentioning(match, ids)


def cosines(snapshot: SearchIndex, vector: np.ndarray, ids: Iterable[int], known: dict[int, float]) -> dict[int, float]:
    """Each passage's cosine to the question: `known` (the dense ranking's) or looked up among those ids."""
    ids = list(dict.fromkeys(ids))
    missing = [pid for pid in ids if pid not in known]
    found = dict(snapshot.dense(vector, len(missing), np.asarray(missing, dtype=np.int64))) if missing else {}
    return {pid: known[pid] if pid in known else found.get(pid, -1.0) for pid in ids}


def written(parsed: Query) -> tuple[str, ...]:
    """The question's names as it writes them ("Rovno", not the term "rovno"), for "not about Rovno"."""
    words = {}
    for word in re.findall(r"[\w'’ʼ-]+", parsed.question):
        words.setdefault(word.casefold(), word)
    return tuple(words.get(name, name) for name in parsed.names)


@dataclass(frozen=True)
class Reading:
    """How the floor reads one ranked passage."""

    cosine: float
    named: bool | None  # mentions a name of the question; None when it names none
    shown: bool  # passes the floor


def read_ranking(plan: Plan, ranked: Iterable[tuple[int, float]], close: dict[int, float]) -> dict[int, Reading]:
    """How the floor reads each passage of the ranking (`close`: the cosines known already).
    A question without topic words (an outlet and a date: "what did Coastline Chronicle publish on
    Feb 3?") is answered by whatever they prefer: there is nothing to be close to, so no floor."""
    snapshot, parsed = plan.snapshot, plan.query
    ids = [pid for pid, _ in ranked]
    cosine = cosines(snapshot, plan.vector, ids, close)
    named = mentioning(snapshot, parsed, ids) if parsed.names else None
    languages = snapshot.languages(ids) if parsed.language and ids else {}
    best = max(cosine.values(), default=0.0)
    read = {}
    for pid in ids:
        mentions = None if named is None else pid in named
        across = languages.get(pid) not in (None, "", parsed.language)
        read[pid] = Reading(cosine[pid], mentions,
                            not parsed.terms or plan.floor.passes(cosine[pid], best, mentions, across))
    return read
