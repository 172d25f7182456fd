"""`newsdesk eval`: Recall@k, MRR@10 and nDCG@10 of each search mode over judged questions."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from index.errors import NewsdeskError
from retrieval.records import Answer
from retrieval.search import Searcher

CUTOFFS = (1, 5, 10)


@dataclass(frozen=True)
class Judgement:
    question: str
    relevant: frozenset[str]  # article ids or URLs
    kind: str = ""  # what the question tests ("date", "outlet", "spelling", ...), for per-kind tables


@dataclass(frozen=True)
class Metrics:
    mode: str
    questions: int
    recall: dict[int, float]
    mrr10: float
    ndcg10: float

    def as_dict(self) -> dict:
        return {"mode": self.mode, "questions": self.questions,
                **{f"recall@{k}": round(v, 4) for k, v in self.recall.items()},
                "mrr@10": round(self.mrr10, 4), "ndcg@10": round(self.ndcg10, 4)}


def load_qrels(path: Path) -> list[Judgement]:
    judgements = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise NewsdeskError(f"{path} cannot be read as UTF-8 text ({error}).") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            question, relevant = record["question"], record["relevant"]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise NewsdeskError(f"{path}:{number} is not a JSON object with 'question' and 'relevant'.") from None
        if not isinstance(relevant, list) or not relevant or not str(question).strip():
            raise NewsdeskError(f"{path}:{number}: 'relevant' must be a non-empty list and 'question' non-empty.")
        judgements.append(Judgement(str(question), frozenset(map(str, relevant)), str(record.get("kind", ""))))
    if not judgements:
        raise NewsdeskError(f"{path} has no questions.")
    return judgements


def ranked_articles(answer: Answer) -> list[list[set[str]]]:
    """Each entry's articles (each as its id and URL), the ones it groups included: one entry, one rank."""
    return [[{x for x in (c.article_id, c.url) if x} for c in (hit.citation, *hit.also)] for hit in answer.hits]


def score(ranked: Sequence[Sequence[set[str]]], relevant: frozenset[str]) -> tuple[dict[int, float], float, float]:
    """(recall at each cutoff, reciprocal rank within 10, nDCG@10). An entry gains one for each relevant
    article it cites, so grouping two relevant copies of a story into one entry loses nothing; nDCG is
    capped at 1."""
    gains = [sum(1 for ids in entry if ids & relevant) for entry in ranked]
    recall = {k: min(1.0, len({r for entry in ranked[:k] for ids in entry for r in ids & relevant}) / len(relevant))
              for k in CUTOFFS}
    rr = next((1.0 / i for i, gain in enumerate(gains[:10], start=1) if gain), 0.0)
    dcg = sum(gain / math.log2(i + 1) for i, gain in enumerate(gains[:10], start=1))
    ideal = sum(1.0 / math.log2(i + 1) for i in range(1, min(len(relevant), 10) + 1))
    return recall, rr, min(1.0, dcg / ideal)


def evaluate(searcher: Searcher, judgements: Iterable[Judgement], modes: Sequence[str],
             as_of: datetime | None = None) -> list[Metrics]:
    """Questions are asked as of `as_of`, by default the archive's newest article: judged questions
    about a historical archive ("this year") were written from its point in time."""
    judgements = list(judgements)
    as_of = as_of or searcher.archive_end()
    results = []
    for mode in modes:
        totals = {k: 0.0 for k in CUTOFFS}
        mrr = ndcg = 0.0
        for judgement in judgements:
            answer = searcher.ask(judgement.question, limit=10, mode=mode, as_of=as_of)
            recall, rr, gain = score(ranked_articles(answer), judgement.relevant)
            for k in CUTOFFS:
                totals[k] += recall[k]
            mrr += rr
            ndcg += gain
        n = len(judgements)
        results.append(Metrics(mode, n, {k: v / n for k, v in totals.items()}, mrr / n, ndcg / n))
    return results
