"""Combining the dense and the lexical ranking. The default was chosen on the evaluation set
(docs/evaluation.md)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

Ranking = Sequence[tuple[int, float]]  # (passage id, score), best first


@dataclass(frozen=True)
class Fusion:
    method: str = "linear"  # "linear" or "rrf"
    dense_weight: float = 0.4  # share of the dense ranking; the lexical one gets the rest
    rrf_k: int = 60
    # (dense, BM25) weights of a passage written in another language than the question, in place of
    # (dense_weight, 1 - dense_weight); retrieval.ranking passes those passages as `across`, and only for
    # a model that matches meaning across languages (e5). BM25 across languages matches only names,
    # numbers and transliterations, which pulled other reports above the story the dense side ranks
    # first; chosen on the multilingual tuning pool (BM25 at 0.1 took WMT en->ru MRR@10 from 0.663 to
    # 0.934); the why of 0.7 and the rest of the measurements: docs/multilingual.md. None: all alike.
    across_weights: tuple[float, float] | None = (0.7, 0.1)

    def __call__(self, dense: Ranking, lexical: Ranking, across: Collection[int] = ()) -> list[tuple[int, float]]:
        """The fused ranking; `across`: passages in another language than the question's."""
        weights = dict.fromkeys(across, self.across_weights) if self.across_weights is not None else {}
        if self.method == "rrf":
            return rrf(dense, lexical, self.dense_weight, self.rrf_k, weights)
        return linear(dense, lexical, self.dense_weight, weights)


def rrf(dense: Ranking, lexical: Ranking, dense_weight: float = 0.5, k: int = 60,
        weights: Mapping[int, tuple[float, float]] | None = None) -> list[tuple[int, float]]:
    """Reciprocal rank fusion (Cormack et al. 2009), weighted; `weights`: other (dense, lexical)
    weights for some passages."""
    weight = _weigher(dense_weight, weights)
    scores: dict[int, float] = {}
    for side, ranking in enumerate((dense, lexical)):
        for rank, (pid, _) in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + weight(pid)[side] / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _weigher(dense_weight: float, weights: Mapping[int, tuple[float, float]] | None
             ) -> Callable[[int], tuple[float, float]]:
    """A passage's (dense, lexical) weights: its own in `weights`, else dense_weight and the rest."""
    usual, weights = (dense_weight, 1.0 - dense_weight), weights or {}
    return lambda pid: weights.get(pid, usual)


def _normalised(ranking: Ranking) -> dict[int, float]:
    if not ranking:
        return {}
    values = [s for _, s in ranking]
    low, high = min(values), max(values)
    if high == low:  # one result, or all tied: each is as good as the best
        return {pid: 1.0 for pid, _ in ranking}
    return {pid: (s - low) / (high - low) for pid, s in ranking}


def linear(dense: Ranking, lexical: Ranking, dense_weight: float = 0.5,
           weights: Mapping[int, tuple[float, float]] | None = None) -> list[tuple[int, float]]:
    """Weighted sum of min-max normalised scores (a convex combination, dense_weight and the rest); a
    passage missing from a list scores 0 there. `weights`: other (dense, lexical) weights for some passages."""
    d, l = _normalised(dense), _normalised(lexical)
    weight = _weigher(dense_weight, weights)
    scores = {}
    for pid in d.keys() | l.keys():
        to_dense, to_lexical = weight(pid)
        scores[pid] = to_dense * d.get(pid, 0.0) + to_lexical * l.get(pid, 0.0)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
