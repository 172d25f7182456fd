"""The distinct values a story's reports give for one thing: what retrieval.figures (figures) and
retrieval.claims (days and names) share once each has said when two values are the same and when two
reports' values may be set against each other."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from itertools import combinations
from typing import Any, TypeVar

from retrieval.records import Report, Stated

Given = TypeVar("Given", bound=tuple)  # (Report, a figure or a claim with a `written` value)


def distinct(given: list[Given], same: Callable[[Given, Given], Any],
             comparable: Callable[[Given, Given], bool]) -> list[Stated]:
    """The values that differ, each with the reports giving a value the same as (or linked by sameness to) its
    first: values are joined when any two of their reports' values are the same, so a chain of roundings ("about
    1,000", "1,040", "980") is one value, never two. A report whose value cannot be set against another value's
    (`comparable`) is left out, never listed under a value it does not state: the report in most such pairs
    first, the later of two. A value's reports in date order, values by their first report's date."""
    items = list(given)
    while True:
        groups = _joined(items, same)
        where = {id(item): n for n, g in enumerate(groups) for item in g}
        clashes = [0] * len(items)
        for i, j in combinations(range(len(items)), 2):
            if where[id(items[i])] != where[id(items[j])] and not comparable(items[i], items[j]):
                clashes[i] += 1
                clashes[j] += 1
        if not any(clashes):
            break
        worst = max(range(len(items)), key=lambda k: (clashes[k], k))
        items.pop(worst)
    for g in groups:
        g.sort(key=lambda item: when(item[0]))
    groups.sort(key=lambda g: when(g[0][0]))
    return [Stated(g[0][1].written, tuple(r for r, _ in g)) for g in groups] if len(groups) > 1 else []


def _joined(items: list[Given], same: Callable[[Given, Given], Any]) -> list[list[Given]]:
    groups: list[list[Given]] = []
    for item in items:
        joined = [g for g in groups if any(same(item, other) for other in g)]
        groups = [g for g in groups if not any(g is j for j in joined)] + [[m for g in joined for m in g] + [item]]
    return groups


def when(report: Report) -> datetime:
    """A report's date for ordering: undated ones last."""
    return report.citation.published_at or datetime.max
