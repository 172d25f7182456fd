"""Alerts: a followed question asked of the articles that are new in the latest generations only.

A question asked of the whole archive returns its best passages, however weak; an alert must
decide whether a new passage is worth interrupting a journalist for. Fused scores are relative
(min-max normalised per question), so the decision uses two absolute ones: the cosine between
the question and the passage, and the share of the question's topic-word weight (IDF, as for the
highlight) that the passage carries. A passage is sent when it is close in meaning AND names most
of the topic, or when it is very close in meaning alone. The bars are the index's model's own
(`rules_for`): cosines of one model are not those of another. MiniLM's were chosen on the Reuters
evaluation set (`bench/alerts_threshold.py`) and checked on a replay of the wire in daily batches
(`bench/alerts_replay.py`); multilingual-e5-small's on the Reuters tuning half (`RULES`); docs/alerts.md.

A follow of a name ("Rovno", "OPEC", "Texaco Pennzoil") rarely comes close in meaning to any passage
(the model does not know "Rovno": cosine 0.37 with a report headlined with it), so a follow of a few
words is also sent where each of its words (or the archive's other spelling of it) is a topic of the
passage: in its article's title or lead, or said twice in it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from index.records import StoredPassage
from index.settings import MINILM_MODEL, MULTILINGUAL_MODEL
from retrieval import citing, collapse, floor as floors, highlight, query as query_parser, updates
from retrieval.plan import Plan
from retrieval.records import Answer, Query, Update
from retrieval.search import Searcher


@dataclass(frozen=True)
class AlertSettings:
    min_cosine: float = 0.5  # close in meaning...
    min_coverage: float = 2 / 3  # ...and carrying this share of the topic words' weight,
    min_cosine_alone: float = 0.7  # or this close in meaning whatever the words
    max_items: int = 50  # per follow and check; the bot shows a page and keeps the rest behind "More"
    name_words: int = 3  # a follow of at most this many topic words is a name: sent when they are a topic
    lead_chars: int = 300  # an article's lead: where its topic is named

    def passes(self, cosine: float, coverage: float, topical: bool = False) -> bool:
        return (cosine >= self.min_cosine and coverage >= self.min_coverage) or cosine >= self.min_cosine_alone \
            or topical


# multilingual-e5-small puts any two news texts at cosine 0.7 or more (a cocoa report is 0.73 from
# "Rovno", the Rovno reports 0.85-0.88): MiniLM's bars would send nearly everything. Its bars are the
# best F1 of bench/alerts_threshold.py's grid on the Reuters tuning half (docs/alerts.md, held out there).
RULES = {MINILM_MODEL: AlertSettings(),
         MULTILINGUAL_MODEL: AlertSettings(min_cosine=0.84, min_cosine_alone=0.90)}


def rules_for(model: str) -> AlertSettings:
    """The alert bars for an index embedded with `model`; MiniLM's for a model never measured."""
    return RULES.get(model, RULES[MINILM_MODEL])


@dataclass(frozen=True)
class Scored:
    passage: StoredPassage
    cosine: float
    coverage: float  # share of the question's topic-word weight found in the passage, 0..1
    topical: bool = False  # a name follow's words are each a topic of the passage (`topical`)


def forms(parsed: Query) -> list[set[str]]:
    """Each topic word of a follow as the stems it may be written as (its own and its other spellings)."""
    spelled = dict(parsed.variants)
    return [{highlight.stem(term), *spelled.get(term, ())} for term in parsed.terms]


def topical(passage: StoredPassage, words: list[set[str]], lead_chars: int) -> bool:
    """Whether every word (any of its forms) is a topic of the passage: in the article's title, in
    its lead (the passage opens the article), or at least twice in the passage."""
    title = highlight.keys(passage.title)
    lead = highlight.keys(passage.text[:lead_chars]) if passage.start == 0 else set()
    said = Counter(k for w in query_parser.words(passage.text) for k in set(highlight.word_keys(w)))
    return bool(words) and all(any(f in title or f in lead or said[f] >= 2 for f in word) for word in words)


def _candidates(plan: Plan, since_gen: int) -> np.ndarray:
    """The new passages the follow's stated filters allow (from:, since:, until:). What is read from its
    words (an outlet named in passing, "last week") orders answers, so it does not restrict alerts."""
    ids = plan.snapshot.new_passages(since_gen)
    return np.intersect1d(ids, plan.allowed, assume_unique=True) if len(ids) and plan.allowed is not None else ids


def scored(plan: Plan, since_gen: int, floor: float, names: AlertSettings | None = None,
           weighed: dict[str, float] | None = None) -> list[Scored]:
    """Every allowed passage new since `since_gen` with cosine >= `floor`, closest first. With `names`
    (a follow of a few words), passages that have all its words are scored too, whatever their cosine,
    and marked when the words are their topic. `weighed`: the question's stem weights (citing.weights)."""
    snapshot = plan.snapshot
    ids = _candidates(plan, since_gen)
    if not len(ids):
        return []
    cosines = snapshot.dense(plan.vector, len(ids), ids)
    words = forms(plan.query) if names else []
    named: set[int] = set()
    if words:
        match = " AND ".join("(" + " OR ".join(map(query_parser.fts_quote, sorted(word))) + ")" for word in words)
        named = {pid for pid, _ in snapshot.lexical(match, len(ids), set(ids.tolist()))}
    close = [(pid, cosine) for pid, cosine in cosines if cosine >= floor or pid in named]
    stored = snapshot.passages([pid for pid, _ in close])
    weighed = citing.weights(plan) if weighed is None else weighed
    total = sum(weighed.values())
    rows = []
    for pid, cosine in close:
        passage = stored.get(pid)
        if passage is None or not query_parser.says(passage.text, plan.filters.phrases):
            continue
        stems = highlight.keys(passage.text)
        coverage = sum(w for s, w in weighed.items() if s in stems) / total if total else 1.0
        rows.append(Scored(passage, cosine, coverage,
                           pid in named and topical(passage, words, names.lead_chars if names else 0)))
    return rows


def new_reports(searcher: Searcher, question: str, since_gen: int, settings: AlertSettings | None = None) -> Answer:
    """The reports new since generation `since_gen` (exclusive) that answer `question`, closest
    first, one entry per story (an identical wire text in several articles is one entry, "also
    reported by"). `Answer.generation` is the generation checked: the caller's next `since_gen`.
    `settings`: the bars, by default the index's model's (`rules_for`)."""
    plan = searcher.plan(question)
    if settings is None:
        settings = rules_for(plan.snapshot.manifest.model)
    weighed = citing.weights(plan)  # once: scoring and highlighting use the same
    names = settings if 0 < len(plan.query.terms) <= settings.name_words else None
    kept = [r for r in scored(plan, since_gen, min(settings.min_cosine, settings.min_cosine_alone), names, weighed)
            if settings.passes(r.cosine, r.coverage, r.topical)]
    # the answers' name rule holds for alerts too: a report that never names the follow's person or place
    # must be as close in meaning as an answer would need (the bars above stand for the rest of the floor)
    ids = [r.passage.passage_id for r in kept]
    named = floors.mentioning(plan.snapshot, plan.query, ids) if plan.query.names else None
    read = {r.passage.passage_id: floors.Reading(r.cosine, None if named is None else r.passage.passage_id in named,
                                                 True) for r in kept}
    kept = [r for r in kept if plan.floor.names_it(r.cosine, read[r.passage.passage_id].named)]
    entries, more = collapse.entries(((r.passage, r.cosine) for r in kept), plan.filters.phrases, 1,
                                     settings.max_items, plan.settings.same_story, scan_all=True)
    hits = citing.hits(plan, entries, read, 1, weighed)
    return Answer(query=plan.query, hits=tuple(hits), generation=plan.snapshot.generation, has_more=more)


def what_changed(searcher: Searcher, question: str, answer: Answer, sent: Sequence[str]) -> tuple[Update, ...]:
    """For the reports of an alert (`new_reports`' answer, shared by the followers of one question) that
    belong to a story a follower was sent before (`sent`: the follow's earlier articles), what each adds:
    per follower, since each was sent other reports."""
    if not sent or not answer.hits:
        return ()
    return updates.updates(searcher.plan(question), answer.hits, sent)
