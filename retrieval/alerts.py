"""Alerts: a followed question asked of the articles that are new in the latest generations only.

A question asked of the whole archive returns its best passages, however weak; an alert must
decide whether a new passage is worth interrupting a journalist for. Fused scores are relative
(min-max normalised per question), so the decision uses two absolute ones: the cosine between
the question and the passage, and the share of the question's topic-word weight (IDF, as for the
highlight) that the passage carries. A passage is sent when it is close in meaning AND names most
of the topic, or when it is very close in meaning alone. The bars were chosen on the Reuters
evaluation set (`bench/alerts_threshold.py`) and checked on a replay of the wire in daily batches
(`bench/alerts_replay.py`); README, "Alerts and feedback".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from index.reader import SearchIndex
from index.records import StoredPassage
from retrieval import highlight, query as query_parser
from retrieval.records import Answer, Citation, Hit, Query
from retrieval.search import Searcher, citation


@dataclass(frozen=True)
class AlertSettings:
    min_cosine: float = 0.5  # close in meaning...
    min_coverage: float = 2 / 3  # ...and carrying this share of the topic words' weight,
    min_cosine_alone: float = 0.7  # or this close in meaning whatever the words
    max_items: int = 50  # per follow and check; the bot shows a page and keeps the rest behind "More"

    def passes(self, cosine: float, coverage: float) -> bool:
        return (cosine >= self.min_cosine and coverage >= self.min_coverage) or cosine >= self.min_cosine_alone


@dataclass(frozen=True)
class Scored:
    passage: StoredPassage
    cosine: float
    coverage: float  # share of the question's topic-word weight found in the passage, 0..1


def _candidates(snapshot: SearchIndex, parsed: Query, since_gen: int) -> np.ndarray:
    """The new passages the follow's filters allow: outlets (from:, named ones) and since:/until:.
    A date in the words of a follow ("last week") orders answers, so it does not restrict alerts."""
    ids = snapshot.new_passages(since_gen)
    found = parsed.filters
    if len(ids) and (found.sources or (found.dates_only and (found.since or found.until))):
        dates = (found.since, found.until) if found.dates_only else (None, None)
        ids = np.intersect1d(ids, snapshot.allowed(found.sources, *dates), assume_unique=True)
    return ids


def scored(searcher: Searcher, snapshot: SearchIndex, parsed: Query, since_gen: int,
           floor: float, weights: dict[str, float] | None = None) -> list[Scored]:
    """Every allowed passage new since `since_gen` with cosine >= `floor`, closest first. `weights`:
    the question's stem weights (`Searcher.weights`), read from the index when not given."""
    ids = _candidates(snapshot, parsed, since_gen)
    if not len(ids):
        return []
    vector = searcher.encode_query(parsed.dense_text)
    close = [(pid, cosine) for pid, cosine in snapshot.dense(vector, len(ids), ids) if cosine >= floor]
    stored = snapshot.passages([pid for pid, _ in close])
    weights = weights if weights is not None else searcher.weights(snapshot, parsed)
    total = sum(weights.values())
    phrases = [p.lower() for p in parsed.filters.phrases]
    rows = []
    for pid, cosine in close:
        passage = stored.get(pid)
        if passage is None or not all(p in passage.text.lower() for p in phrases):
            continue
        stems = {highlight.stem(w) for w in query_parser.words(passage.text)}
        coverage = sum(w for s, w in weights.items() if s in stems) / total if total else 1.0
        rows.append(Scored(passage, cosine, coverage))
    return rows


def new_reports(searcher: Searcher, question: str, since_gen: int,
                settings: AlertSettings = AlertSettings()) -> Answer:
    """The reports new since generation `since_gen` (exclusive) that answer `question`, closest
    first, one entry per story (an identical wire text in several articles is one entry, "also
    reported by"). `Answer.generation` is the generation checked: the caller's next `since_gen`."""
    snapshot = searcher.reader.snapshot()
    parsed = query_parser.parse(question, snapshot.outlets, archive_end=snapshot.archive_end)
    floor = min(settings.min_cosine, settings.min_cosine_alone)
    weights = searcher.weights(snapshot, parsed)  # once: scoring and highlighting use the same
    kept = [r for r in scored(searcher, snapshot, parsed, since_gen, floor, weights)
            if settings.passes(r.cosine, r.coverage)]
    hits, more = _cite(searcher, parsed, kept, settings.max_items, weights)
    return Answer(query=parsed, hits=tuple(hits), generation=snapshot.generation, has_more=more)


def _cite(searcher: Searcher, parsed: Query, kept: list[Scored], limit: int,
          weights: dict[str, float]) -> tuple[list[Hit], bool]:
    """One hit per article (its closest passage), identical texts grouped, the best sentence found;
    and whether more than `limit` stories passed."""
    more = False
    entries: list[tuple[Scored, list[Citation]]] = []
    articles: set[str] = set()
    for row in kept:
        passage = row.passage
        if passage.article_id in articles:
            continue
        articles.add(passage.article_id)
        same = searcher.same_story([(r.passage, r.cosine, also) for r, also in entries], passage)
        if same is not None:  # the same story as a report already in the alert: "also reported by"
            entries[same][1].append(citation(passage))
        elif len(entries) < limit:
            entries.append((row, []))
        else:
            more = True
    spans = searcher.highlights([row.passage for row, _ in entries], parsed,
                                searcher.encode_query(parsed.dense_text), weights)
    hits = []
    for rank, ((row, also), (start, end)) in enumerate(zip(entries, spans), start=1):
        passage = row.passage
        hits.append(Hit(rank=rank, score=round(float(row.cosine), 6), passage_id=passage.passage_id,
                        citation=citation(passage), passage=passage.text, highlight=passage.text[start:end],
                        highlight_start=start, highlight_end=end, also=tuple(also)))
    return hits, more
