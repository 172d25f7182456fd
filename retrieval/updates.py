"""What a new report adds to a story a follow has already been alerted to: the figures it gives otherwise
than the reports sent before, and whether its outlet is new to the story (issue 28: "alerts that say what
changed" rather than repeating the story).

A new report belongs to an earlier story by the answers' rule (retrieval.story.members: close in meaning
to one of the story's reports, published within its days); the earlier reports are the articles the follow
was sent, each by its passage closest to the follow's question.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from index.records import StoredPassage
from retrieval import citing, collapse, figures, story as stories
from retrieval.floor import Reading
from retrieval.plan import Plan
from retrieval.records import Disagreement, Hit, Report, Update


def closest_of_each(passages: dict[int, StoredPassage], vectors: dict[int, np.ndarray],
                    question: np.ndarray) -> list[StoredPassage]:
    """One passage per article: the one closest to the question."""
    best: dict[str, tuple[float, StoredPassage]] = {}
    for pid, passage in passages.items():
        if pid in vectors:
            cosine = float(vectors[pid] @ question)
            if passage.article_id not in best or cosine > best[passage.article_id][0]:
                best[passage.article_id] = (cosine, passage)
    return [p for _, p in best.values()]


def updates(plan: Plan, hits: Sequence[Hit], sent: Sequence[str]) -> tuple[Update, ...]:
    """For each hit whose story holds articles of `sent` (the follow's earlier alerts), what it adds."""
    sent = [a for a in dict.fromkeys(sent) if a not in {h.citation.article_id for h in hits}]
    if not sent or not hits or plan.vector is None:
        return ()
    earlier = plan.snapshot.passages_of(sent)
    new = plan.snapshot.passages([h.passage_id for h in hits])
    vectors = plan.snapshot.vectors_of([*earlier.values(), *new.values()])
    candidates = closest_of_each(earlier, vectors, plan.vector)
    found = []
    read: dict[int, Reading] = {}
    for hit in hits:
        head = new.get(hit.passage_id)
        if head is None:
            continue
        story = [p for p in stories.grouped(plan, head, candidates, vectors) if p.passage_id != head.passage_id]
        if not story:
            continue
        before = tuple(stories.in_date_order(
            [stories.report_of(h) for h in citing.hits(plan, [collapse.Entry(p, 0.0) for p in story], read)]))
        report = stories.report_of(hit)
        changed = tuple(d for d in figures.disagreements([*before, report]) if _gives_anew(d, report))
        outlets = {r.citation.source for r in before}
        found.append(Update(hit.passage_id, before, changed, hit.citation.source not in outlets))
    return tuple(found)


def _gives_anew(disagreement: Disagreement, report: Report) -> bool:
    """Whether the new report gives a value of `disagreement` that no earlier report gave."""
    return any(report in stated.reports and all(r == report for r in stated.reports)
               for stated in disagreement.values)
