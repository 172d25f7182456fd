"""Records that leave `retrieval`: the parsed query and the cited answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Filters:
    """Restrictions read from the question (dates, outlets); empty means none."""

    sources: tuple[str, ...] = ()
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    phrases: tuple[str, ...] = ()  # must appear word for word
    newest_first: bool = False
    # since:/until: keep only that period; a date in the words of a question ("last year") may be
    # about the events rather than the reporting, so it puts that period first instead
    dates_only: bool = False

    def __bool__(self) -> bool:
        """Whether some passages are excluded (outlets, or dates given as since:/until:)."""
        return bool(self.sources or (self.dates_only and (self.since or self.until)))

    def as_dict(self) -> dict:
        return {
            "sources": list(self.sources),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "dates": "only" if self.dates_only else "first",
            "phrases": list(self.phrases),
            "order": "newest" if self.newest_first else "relevance",
        }


@dataclass(frozen=True)
class Query:
    """A question as the engine reads it."""

    question: str
    dense_text: str  # what is embedded
    terms: tuple[str, ...]  # what BM25 looks for
    filters: Filters = field(default_factory=Filters)
    topic: str = ""  # the topic words as the user wrote them, for "3 reports on Rovno"
    # the archive's other spellings of question words: (("kupiansk", ("kupyansk",)),)
    variants: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class Citation:
    article_id: str
    title: str
    url: str | None
    source: str | None
    published_at: datetime | None


@dataclass(frozen=True)
class Hit:
    """One answer entry: a passage, its best sentence, and where it comes from."""

    rank: int
    score: float
    passage_id: int
    citation: Citation
    passage: str
    highlight: str
    highlight_start: int  # offsets of the highlight inside `passage`
    highlight_end: int
    also: tuple[Citation, ...] = ()  # other articles with the same story (identical or near-duplicate)


@dataclass(frozen=True)
class Timings:
    encode_ms: float = 0.0
    search_ms: float = 0.0
    fetch_ms: float = 0.0


@dataclass(frozen=True)
class Answer:
    query: Query
    hits: tuple[Hit, ...]
    generation: int
    offset: int = 0
    has_more: bool = False
    timings: Timings = field(default_factory=Timings)


@dataclass(frozen=True)
class FullArticle:
    citation: Citation
    body: str
