"""The last stage: collapsed entries -> cited hits, each with the sentence that answers in bold."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from index import sentences
from index.records import StoredPassage
from retrieval import highlight
from retrieval.collapse import Entry, citation
from retrieval.floor import Reading
from retrieval.plan import Plan
from retrieval.records import Hit


def weights(plan: Plan) -> dict[str, float]:
    """Highlight weights of the question's stems and of the archive's other spellings of them (their
    IDF in the plan's generation); alerts weigh a report's share of the topic with them too."""
    spelled = [v for _, found in plan.query.variants for v in found]
    total = plan.snapshot.manifest.passages
    found = highlight.term_weights(plan.query.terms, plan.frequencies, total)
    found.update(highlight.stem_weights({v: plan.frequencies.get(v, 1) for v in spelled}, total))
    return found


def highlights(plan: Plan, passages: list[StoredPassage], weighed: Mapping[str, float]) -> list[tuple[int, int]]:
    """The sentence of each passage that answers the question (`highlight.answer_best`), or the one
    closest in meaning when none shares a word with it."""
    answering = plan.settings.answer_highlight
    shape = highlight.answer_shape(plan.query.question) if answering else None
    spans, unmatched = [], []
    for i, passage in enumerate(passages):
        start, end, weight = highlight.answer_best(
            highlight.lexical_scores(passage.text, weighed, passage.title if answering else ""), passage.text, shape)
        spans.append((start, end))
        if weight == 0 and plan.vector is not None:
            unmatched.append(i)
    if unmatched:
        closest = highlight.dense_best([passages[i].text for i in unmatched], plan.vector, sentence_vectors(plan))
        for i, span in zip(unmatched, closest):
            spans[i] = span
    return spans


def sentence_vectors(plan: Plan) -> Callable[[list[str], int], np.ndarray]:
    """What `highlight.dense_best` compares: the sentences' vectors stored at index time
    (index.sentences), the model encoding only those without one (an archive from before schema 8, or
    indexed since by a version that did not store them)."""
    def vectors(texts: list[str], batch_size: int) -> np.ndarray:
        keys = [sentences.key(text) for text in texts]
        found = plan.snapshot.sentence_vectors(keys)
        missing = {key: text for key, text in zip(keys, texts) if key not in found}
        if missing:
            found.update(zip(missing, plan.encoder.encode(list(missing.values()), batch_size)))
        return np.stack([found[key] for key in keys])
    return vectors


def hits(plan: Plan, page: list[Entry], read: Mapping[int, Reading], first_rank: int = 1,
         weighed: Mapping[str, float] | None = None) -> list[Hit]:
    """The page's entries as hits ranked from `first_rank`, with what the floor read of each (`read`)."""
    spans = highlights(plan, [entry.passage for entry in page], weights(plan) if weighed is None else weighed)
    found = []
    for rank, (entry, (start, end)) in enumerate(zip(page, spans), start=first_rank):
        passage, floor = entry.passage, read.get(entry.passage.passage_id)
        found.append(Hit(
            rank=rank, score=round(float(entry.score), 6), passage_id=passage.passage_id, citation=citation(passage),
            passage=passage.text, highlight=passage.text[start:end], highlight_start=start, highlight_end=end,
            also=tuple(entry.also), language=passage.language,
            cosine=round(floor.cosine, 6) if floor else None, named=floor.named if floor else None,
        ))
    return found
