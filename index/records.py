"""Records that leave the `index` package: small, frozen, typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Article:
    """One news article, normalised from any source."""

    article_id: str
    body: str
    title: str = ""
    url: str | None = None
    source: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    origin: str = ""  # "file:line" it came from, for reports
    collection: str = ""  # the configured source that brought it ("" for `index add`)


@dataclass(frozen=True)
class Passage:
    """A span of an article's body, the unit that is embedded and searched."""

    seq: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Problem:
    """Something wrong with an input record, with where and why; `skipped` if it was not indexed."""

    origin: str
    reason: str
    skipped: bool = True

    def line(self) -> str:
        return f"{self.origin}: {self.reason}" + ("" if self.skipped else " (indexed without it)")


@dataclass(frozen=True)
class Seen:
    """An item a source still lists and that is already indexed, not read again (a feed entry)."""

    key: str
    origin: str


@dataclass(frozen=True)
class StoredPassage:
    """A passage as read back from the store, with its article's citation fields."""

    passage_id: int
    article_id: str
    url: str | None
    title: str
    source: str | None
    published_at: datetime | None
    start: int
    end: int
    text: str
    text_hash: str
    sketch: bytes | None = None  # the article's MinHash (index.duplicates)
    language: str = ""  # the article's, ISO 639-1 (index.language); "" when not known


@dataclass(frozen=True)
class StoredArticle:
    """A whole article as read back from the store."""

    article_id: str
    url: str | None
    title: str
    source: str | None
    published_at: datetime | None
    body: str


@dataclass(frozen=True)
class SourceCount:
    """One outlet in the archive: how many articles, over which dates."""

    name: str
    articles: int
    first: datetime | None
    last: datetime | None


@dataclass(frozen=True)
class RunSummary:
    """What one indexing run did."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    passages_embedded: int = 0
    sentences_embedded: int = 0  # sentences of those passages with no stored vector (index.sentences)
    generation: int = 0
    seconds: float = 0.0
    problems: tuple[Problem, ...] = ()
    # (titles, passages) whose Ukrainian/Russian word forms an upgrade wrote again (index.pipeline.upgrade)
    forms_rewritten: tuple[int, int] = (0, 0)

    def line(self) -> str:
        titles, passages = self.forms_rewritten
        upgraded = (f"; word forms written again: {titles} title{'s' * (titles != 1)}, "
                    f"{passages} passage{'s' * (passages != 1)}" if titles or passages else "")
        return (
            f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
            f"removed {self.removed}, skipped {self.skipped}; embedded {self.passages_embedded} passages and "
            f"{self.sentences_embedded} sentence{'s' * (self.sentences_embedded != 1)}; "
            f"generation {self.generation}{upgraded}; {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class IndexStatus:
    """Numbers about the published index."""

    generation: int
    articles: int
    passages: int
    model: str
    dimension: int
    index_type: str
    size_bytes: int
    last_update: datetime | None
    sources: tuple[SourceCount, ...] = ()
    first_published: datetime | None = None
    last_published: datetime | None = None
