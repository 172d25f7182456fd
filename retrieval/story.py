"""The story stage: the reports that answer a question, grouped into the first result's story.

A story is one event as several outlets report it over several days, not only copies of one wire text.
Its reports are the passages that answer (above the floor), the best one of each article, that are close
in meaning (the cosine of their stored vectors, the same the dense search compares) to a report already
in the story and published within `story_days` of it: single-link from the first result, so that a
story can run for longer than the window as long as each day's report is close to another's. Both
settings were chosen on the tuning half of bench/qrels/stories.jsonl (docs/evaluation.md, "Stories").

It is built from what the answer has already ranked and read (no new search, no model call for reports
in the question's language), so the first answer pays only for two look-ups and the reports' sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index import duplicates
from index.records import StoredPassage
from index.settings import MINILM_MODEL, MULTILINGUAL_MODEL, model_name
from retrieval import citing, collapse, figures
from retrieval.floor import Reading
from retrieval.plan import Plan
from retrieval.records import Hit, Report, Story

Ranking = list[tuple[int, float]]

# (in one language, across languages) by model: one model's cosines are not another's. multilingual-e5-small's
# bar in one language was chosen on the tuning half of bench/qrels/stories.jsonl (docs/evaluation.md,
# "Stories"); its bar across languages only on the sample story (the same event 0.82-0.84 across languages,
# another attack on the city 0.79): no judged stories across languages yet. MiniLM, which knows English
# only, was looked at on the sample story alone (the same event 0.77-0.89, another attack on the same city
# 0.50-0.55), so its bar is a cautious guess, used for a model never measured too.
BARS = {MULTILINGUAL_MODEL: (0.92, 0.81), MINILM_MODEL: (0.70, 0.70)}


def bars(plan: Plan) -> tuple[float, float]:
    """The cosines a report must reach to join a story: the settings', else the index's model's."""
    cosine, across = BARS.get(model_name(plan.snapshot.manifest.model), BARS[MINILM_MODEL])
    settings = plan.settings
    return (cosine if settings.story_cosine is None else settings.story_cosine,
            across if settings.story_across is None else settings.story_across)


def grouped(plan: Plan, head: StoredPassage, others: Sequence[StoredPassage],
            vectors: dict[int, np.ndarray]) -> list[StoredPassage]:
    """`members` with the plan's bars and days."""
    cosine, across = bars(plan)
    return members(head, others, vectors, cosine, plan.settings.story_days, across)


def asks_of_the_past(plan: Plan) -> bool:
    """Whether the question names a period that has ended: it is answered as of then, and reports
    published later are not "newer" (they are outside what was asked)."""
    return plan.filters.until is not None


def answering(plan: Plan, shown: Ranking, most: int) -> list[StoredPassage]:
    """The best-ranked answering passage of each article among the first `most` shown, in rank order,
    without those published after the period the question asks about ("what was reported on 7 December"
    is answered as of that day) or after the plan's "now" (an archive asked as of a day in its past)."""
    latest = min(plan.now, plan.filters.until) if plan.filters.until else plan.now
    found, seen = [], set()
    for passage, _ in collapse.in_order(plan.snapshot, shown[:most]):
        if passage.article_id in seen:
            continue
        seen.add(passage.article_id)
        if passage.published_at is not None and passage.published_at > latest:
            continue
        found.append(passage)
    return found


def members(first: StoredPassage, others: Sequence[StoredPassage], vectors: dict[int, np.ndarray],
            cosine: float, days: float, across: float | None = None) -> list[StoredPassage]:
    """`first` and the passages that reach it through a chain of reports each at least `cosine` close in
    meaning to one already in the story (`across` when the two are in different languages: the model's
    cosines across languages sit lower) and published within `days` of it."""
    across = cosine if across is None else across
    if first.passage_id not in vectors:
        return [first]
    story, left = [first], [p for p in others if p.passage_id in vectors and p.passage_id != first.passage_id]
    grown = True
    while grown and left:
        grown = False
        kept = np.stack([vectors[p.passage_id] for p in story])
        for passage in list(left):
            near = kept @ vectors[passage.passage_id]
            if any(similar >= (across if _across(m, passage) else cosine)
                   and duplicates.close_in_time(m.published_at, passage.published_at, days)
                   for m, similar in zip(story, near)):
                story.append(passage)
                left.remove(passage)
                grown = True
    return story


def _across(a: StoredPassage, b: StoredPassage) -> bool:
    return bool(a.language and b.language and a.language != b.language)


def in_date_order(reports: list[Report]) -> list[Report]:
    """Oldest first; undated reports last, in the order they ranked."""
    dated = sorted((r for r in reports if r.citation.published_at is not None), key=lambda r: r.citation.published_at)
    return dated + [r for r in reports if r.citation.published_at is None]


def build(plan: Plan, shown: Ranking, read: dict[int, Reading], first: Hit) -> tuple[Story, Report | None]:
    """The story of the answer's first result, among the first `story_candidates` answering passages,
    and its newer report (`newer`)."""
    settings = plan.settings
    passages = answering(plan, shown, settings.story_candidates)
    head = next((p for p in passages if p.article_id == first.citation.article_id), None)
    if head is None:  # the first result itself (a "latest" answer may lead with a later-ranked one)
        head = plan.snapshot.passages([first.passage_id])[first.passage_id]
    vectors = plan.snapshot.vectors_of(passages + [head])
    others = [p for p in grouped(plan, head, passages, vectors) if p.passage_id != head.passage_id]
    hits = citing.hits(plan, [collapse.Entry(p, 0.0) for p in others], read)
    reports = [report_of(first)] + [report_of(h) for h in hits]
    ordered = tuple(in_date_order(reports))
    story = Story(reports=ordered, disagreements=figures.disagreements(ordered) if len(ordered) > 1 else ())
    # "newer" names a report close to the first result itself, not one the chain reached through others
    # (on the tuning half those were digests, another utility's downgrade, a later event), nor a copy of it
    cosine, across = bars(plan)
    unlike = {p.passage_id for p in others if _copy(head, p, settings.same_story)
              or float(vectors[head.passage_id] @ vectors[p.passage_id]) < (across if _across(head, p) else cosine)}
    return story, newer(plan, story, first, unlike)


def report_of(hit: Hit) -> Report:
    return Report(citation=hit.citation, sentence=hit.highlight, passage_id=hit.passage_id, language=hit.language)


def newer(plan: Plan, story: Story, first: Hit, unlike: set[int] = frozenset()) -> Report | None:
    """The story's newest report when it was published after the answer's first result, leaving out the
    passages in `unlike`; None for a question about a period that has ended."""
    when = first.citation.published_at
    if when is None or asks_of_the_past(plan):
        return None
    later = [r for r in story.reports if r.citation.published_at is not None and r.citation.published_at > when
             and r.passage_id not in unlike]
    return later[-1] if later else None


def _copy(head: StoredPassage, other: StoredPassage, threshold: float) -> bool:
    """Whether `other` is the same text as `head` (identical, or a near-duplicate article)."""
    return other.text_hash == head.text_hash or duplicates.similarity(head.sketch, other.sketch) >= threshold
