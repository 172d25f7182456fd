"""The collapse stage: ranked passages -> one entry per story, at most a few passages per article."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from index import duplicates
from index.records import StoredPassage
from index.engines.base import SearchIndex
from retrieval import query as query_parser
from retrieval.records import Citation


def citation(stored) -> Citation:
    """Where a stored passage or article comes from."""
    return Citation(stored.article_id, stored.title, stored.url, stored.source, stored.published_at)


@dataclass
class Entry:
    """One entry of an answer while it is collapsed: its passage, and the other articles of its story."""

    passage: StoredPassage
    score: float
    also: list[Citation] = field(default_factory=list)


def in_order(snapshot: SearchIndex, ranked: list[tuple[int, float]], block: int = 32) -> Iterator[tuple[StoredPassage, float]]:
    """Stored passages in rank order, fetched a block at a time: a page rarely needs them all."""
    for i in range(0, len(ranked), block):
        part = ranked[i : i + block]
        stored = snapshot.passages([pid for pid, _ in part])
        for pid, score in part:
            if pid in stored:  # else collected after this generation's FAISS file was written
                yield stored[pid], score


def same_story(entries: list[Entry], passage: StoredPassage, threshold: float) -> int | None:
    """The entry that tells the same story as this passage's article: the identical passage, or a
    near-duplicate article (sketches at least `threshold` alike; above 1.0: never), published within the
    days of one story."""
    for i, entry in enumerate(entries):
        first = entry.passage
        if first.text_hash == passage.text_hash:
            if duplicates.close_in_time(first.published_at, passage.published_at):
                return i
        elif threshold <= 1 and duplicates.same_story(
                first.sketch, passage.sketch, first.published_at, passage.published_at, threshold):
            return i
    return None


def entries(ranked: Iterable[tuple[StoredPassage, float]], phrases: tuple[str, ...], per_article: int,
            keep: int, threshold: float, scan_all: bool = False) -> tuple[list[Entry], bool]:
    """At most `keep` entries in rank order, each with at most `per_article` passages of one article;
    the same story in several articles (`same_story`) is one entry, the others cited as "also".
    Passages without the stated `phrases` word for word are passed over.

    An answer stops at `keep` (one more than its page tells whether there is more); an alert reads
    every passage (`scan_all`), so that each story it sends cites all its new articles. The flag:
    whether a story beyond `keep` was passed over."""
    found: list[Entry] = []
    shown: dict[str, int] = {}  # article id -> its entry
    per: dict[str, int] = {}
    over = False
    for passage, score in ranked:
        if len(found) >= keep and not scan_all:
            break
        if not query_parser.says(passage.text, phrases):
            continue
        article = passage.article_id
        if article in shown and per[article] >= per_article:
            continue  # its article is shown (or cited) already
        same = same_story(found, passage, threshold) if article not in shown else None
        if same is not None:
            also = found[same].also
            if article not in {c.article_id for c in also}:
                also.append(citation(passage))
            shown[article], per[article] = same, per_article  # cited: its other passages are not shown again
        elif len(found) >= keep:
            over = True
            shown[article], per[article] = -1, per_article
        else:
            per[article] = per.get(article, 0) + 1
            shown[article] = len(found)
            found.append(Entry(passage, score))
    return found, over
