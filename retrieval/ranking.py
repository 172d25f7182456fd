"""The ranking stages: the candidates of a plan, fused into one ranking, then what the question prefers first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from index.engines.base import SearchIndex
from index.settings import multilingual
from retrieval import query as query_parser
from retrieval.plan import Plan
from retrieval.records import Filters

Ranking = list[tuple[int, float]]  # (passage id, score), best first


@dataclass(frozen=True)
class Candidates:
    dense: Ranking  # (passage id, cosine), each passage once
    lexical: Ranking  # (passage id, BM25 score)
    subsets: tuple[np.ndarray, ...]  # the passages of each outlet the question names, then of its period


def lexical(plan: Plan) -> Ranking:
    """BM25 over what the plan may search (it needs no vector: Searcher.ask runs it while the model
    encodes the question)."""
    if not plan.lexical:
        return []
    return plan.snapshot.lexical(plan.match, plan.want, None if plan.allowed is None else set(plan.allowed.tolist()))


def candidates(plan: Plan, bm25: Ranking) -> Candidates:
    """The dense ranking, and `bm25` (`lexical`, already run); each subset the question prefers (a
    named outlet, the period it names) is searched too (one dense search for all where the engine
    can share it), so that its best passages are candidates even
    where the rest of the archive outranks them."""
    snapshot = plan.snapshot
    subsets = preferred(snapshot, plan.filters, plan.allowed)
    searched = [ids for ids in subsets if len(ids)]
    # one dense search shared by the archive and its subsets where the engine can (SearchIndex.dense_each)
    dense = [hit for found in snapshot.dense_each(plan.vector, plan.want, [plan.allowed, *searched]) for hit in found]
    for ids in searched if plan.lexical else ():
        bm25 = bm25 + snapshot.lexical(plan.match, plan.want, set(ids.tolist()))
    return Candidates(_merged(dense), _merged(bm25), tuple(subsets))


def fuse(plan: Plan, found: Candidates) -> Ranking:
    """One ranking of the candidates, by the plan's mode: the dense and lexical rankings fused
    (passages in another language than the question's fused as `across` says), without passages that
    are neither a lexical match nor close in meaning."""
    if not plan.lexical:
        return found.dense
    if plan.mode == "lexical":
        return found.lexical
    settings = plan.settings
    ranked = settings.fusion(found.dense, found.lexical, across(plan, found))
    matched = {pid for pid, _ in found.lexical}
    if plan.filters.phrases:  # stated phrases: only the passages FTS5 found them in
        return [(pid, score) for pid, score in ranked if pid in matched]
    if settings.min_dense_only > 0:
        close = dict(found.dense)
        return [(pid, score) for pid, score in ranked
                if pid in matched or close.get(pid, 0.0) >= settings.min_dense_only]
    return ranked


def across(plan: Plan, found: Candidates) -> frozenset[int]:
    """The candidates written in another language than the question, for `Fusion.across_weights`.

    Only where the index's model matches meaning across languages (index.settings.multilingual): an
    English-only model (MiniLM) places a Russian passage nowhere near an English question, and its
    answers across languages come from BM25 alone (docs/multilingual.md: MiniLM dense R@5 0.00-0.12
    across languages), so weighting BM25 less there would lose them. A question or passage whose
    language is not known ("", an index older than schema 7) is fused as every passage was before."""
    language = plan.query.language
    if not language or plan.settings.fusion.across_weights is None \
            or not multilingual(plan.snapshot.manifest.model):
        return frozenset()
    ids = list({pid for pid, _ in found.dense} | {pid for pid, _ in found.lexical})
    return frozenset(pid for pid, written in plan.snapshot.languages(ids).items() if written and written != language)


def prefer(plan: Plan, found: Candidates, ranked: Ranking) -> Ranking:
    """The ranking with recent reports raised (when the settings ask for it and the question does not
    order by date itself), then what the question prefers first (`preferred_first`)."""
    if plan.settings.recency_half_life_days > 0 and not plan.filters.newest_first:
        ranked = recent_first(plan, ranked)
    return preferred_first(plan, ranked, found.subsets)


def preferred(snapshot: SearchIndex, found: Filters, allowed: np.ndarray | None) -> list[np.ndarray]:
    """The passages of each outlet the question names, in the order named, then those of the
    period it names, within what the stated filters allow."""
    since, until = found.period
    subsets = [snapshot.allowed(group, None, None) for group in found.outlets]
    if since or until:
        subsets.append(snapshot.allowed((), since, until))
    if allowed is not None:
        subsets = [np.intersect1d(ids, allowed, assume_unique=True) for ids in subsets]
    return subsets


def preferred_first(plan: Plan, ranked: Ranking, subsets: tuple[np.ndarray, ...]) -> Ranking:
    """Passages with more of what the question prefers first; within that, the ranking's order,
    the named outlets taking turns (each one's best, then each one's second, ...).

    A named outlet always counts: the asker chose it. The period a question names and its quoted
    words count for passages scoring at least `prefer_floor` of the best: "this week" in a news quiz
    would otherwise put every passage of the week that shares one word with the question above the
    report that answers it. With no topic words ("what did Coastline Chronicle publish on Feb 3?")
    the outlet and the date are the whole question, and count everywhere."""
    found = plan.filters
    if not ranked or not (subsets or found.quoted):
        return ranked
    group_of = {int(pid): g for g, ids in enumerate(subsets[: len(found.outlets)]) for pid in ids}
    in_period = set(subsets[-1].tolist()) if found.period != (None, None) else set()
    quoted: set[int] = set()
    for phrase in found.quoted:
        quoted.update(pid for pid, _ in plan.snapshot.lexical(query_parser.fts_match((), (phrase,)), 1000))
    floor = plan.settings.prefer_floor * ranked[0][1] if plan.query.terms else float("-inf")
    turns: dict[int, int] = {}
    keyed = []
    for position, (pid, score) in enumerate(ranked):
        level = (pid in group_of) + (score >= floor) * ((pid in in_period) + (pid in quoted))
        turn = 0
        if level and pid in group_of:
            turn = turns.get(group_of[pid], 0)
            turns[group_of[pid]] = turn + 1
        keyed.append(((-level, turn, position), (pid, score)))
    return [hit for _, hit in sorted(keyed)]


def recent_first(plan: Plan, ranked: Ranking) -> Ranking:
    """Scores raised for recent passages, by at most `recency_weight` (undated ones are not raised)."""
    dates = plan.snapshot.published([pid for pid, _ in ranked])
    half_life, weight = plan.settings.recency_half_life_days, plan.settings.recency_weight
    scored = []
    for pid, score in ranked:
        published = dates.get(pid)
        days = max((plan.now - datetime.fromisoformat(published)).total_seconds() / 86400, 0.0) if published else None
        scored.append((pid, score * (1 + weight * 0.5 ** (days / half_life)) if days is not None else score))
    return sorted(scored, key=lambda hit: -hit[1])


def _merged(ranking: Ranking) -> Ranking:
    """Several rankings of the same scores as one, best first, each passage once."""
    return sorted(dict(ranking).items(), key=lambda hit: (-hit[1], hit[0]))
