"""Combining the dense and the lexical ranking. The default was chosen on the evaluation set
(docs/evaluation.md, earlier measurements)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Ranking = Sequence[tuple[int, float]]  # (passage id, score), best first


@dataclass(frozen=True)
class Fusion:
    method: str = "linear"  # "linear" or "rrf"
    dense_weight: float = 0.4  # share of the dense ranking; the lexical one gets the rest
    rrf_k: int = 60

    def __call__(self, dense: Ranking, lexical: Ranking) -> list[tuple[int, float]]:
        if self.method == "rrf":
            return rrf(dense, lexical, self.dense_weight, self.rrf_k)
        return linear(dense, lexical, self.dense_weight)


def rrf(dense: Ranking, lexical: Ranking, dense_weight: float = 0.5, k: int = 60) -> list[tuple[int, float]]:
    """Reciprocal rank fusion (Cormack et al. 2009), weighted."""
    scores: dict[int, float] = {}
    for weight, ranking in ((dense_weight, dense), (1.0 - dense_weight, lexical)):
        for rank, (pid, _) in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def _normalised(ranking: Ranking) -> dict[int, float]:
    if not ranking:
        return {}
    values = [s for _, s in ranking]
    low, high = min(values), max(values)
    if high == low:  # one result, or all tied: each is as good as the best
        return {pid: 1.0 for pid, _ in ranking}
    return {pid: (s - low) / (high - low) for pid, s in ranking}


def linear(dense: Ranking, lexical: Ranking, dense_weight: float = 0.5) -> list[tuple[int, float]]:
    """Convex combination of min-max normalised scores; a passage missing from a list scores 0 there."""
    d, l = _normalised(dense), _normalised(lexical)
    scores = {pid: dense_weight * d.get(pid, 0.0) + (1 - dense_weight) * l.get(pid, 0.0) for pid in d.keys() | l.keys()}
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))
