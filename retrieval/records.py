"""Records that leave `retrieval`: the parsed query and the cited answer."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import PurePath

from index.sources import TEXT_SUFFIXES


@dataclass(frozen=True)
class Filters:
    """What a question asks besides its topic.

    What the user states filters: from: (`sources`), since:/until: (`since`/`until` with
    `dates_only`) and exact:"..." (`phrases`). What Newsdesk reads from the words of a question is a
    strong preference, never an exclusion: outlets named in passing (`outlets`, one group of the
    archive's outlets per name), a period named in the words (`since`/`until` without
    `dates_only`), quoted text (`quoted`) and "latest" (`newest_first`)."""

    sources: tuple[str, ...] = ()
    since: datetime | None = None  # inclusive
    until: datetime | None = None  # exclusive
    phrases: tuple[str, ...] = ()  # exact:"...": must appear word for word
    outlets: tuple[tuple[str, ...], ...] = ()  # named in the question, in the order named
    quoted: tuple[str, ...] = ()  # "quoted text": passages with it word for word first
    newest_first: bool = False
    dates_only: bool = False  # since:/until: stated (a filter), not read from the words (a preference)

    def __bool__(self) -> bool:
        """Whether some passages are excluded: what the user stated."""
        return bool(self.sources or self.phrases or (self.dates_only and (self.since or self.until)))

    @property
    def period(self) -> tuple[datetime | None, datetime | None]:
        """The period read from the words (preferred), or (None, None)."""
        return (None, None) if self.dates_only else (self.since, self.until)

    def stated(self) -> Filters:
        """Only what the user stated."""
        if self.dates_only:
            return Filters(sources=self.sources, since=self.since, until=self.until, phrases=self.phrases,
                           dates_only=True)
        return Filters(sources=self.sources, phrases=self.phrases)

    def inferred(self) -> Filters:
        """Only what was read from the words."""
        return replace(self, sources=(), phrases=(), **({"since": None, "until": None, "dates_only": False}
                                                         if self.dates_only else {}))

    def describe(self) -> str:
        """The stated filters in words, for a lead line: 'from Reuters, since 1 Mar 1987, with "rate cut"'."""
        parts = []
        if self.sources:
            parts.append("from " + " or ".join(self.sources))
        if self.dates_only and self.since:
            parts.append(f"since {self.since.day} {self.since:%b %Y}")
        if self.dates_only and self.until:
            last = self.until - timedelta(days=1)  # until: is inclusive as the user wrote it
            parts.append(f"until {last.day} {last:%b %Y}")
        parts += [f'with "{phrase}"' for phrase in self.phrases]
        return ", ".join(parts)

    def as_dict(self) -> dict:
        def day(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        stated = self.stated()
        period = self.period
        return {
            "stated": {"from": list(stated.sources), "since": day(stated.since), "until": day(stated.until),
                       "exact": list(stated.phrases)},
            "inferred": {"outlets": [list(group) for group in self.outlets], "since": day(period[0]),
                         "until": day(period[1]), "quoted": list(self.quoted),
                         "order": "newest" if self.newest_first else "relevance"},
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
    language: str = ""  # the question's language, ISO 639-1 ("en", "uk", "ru"); "" when not known
    # the terms that name a person, place or organisation (retrieval.floor.names): a result that
    # mentions none of them, in any of their spellings, is shown only when it is close in meaning
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Floor:
    """Which ranked passages are shown as answers (retrieval.floor; chosen in bench/floor_eval.py).

    A passage is shown when its cosine to the question is at least `cosine` and within `margin` of
    the closest passage's; for a question that names someone or somewhere (`Query.names`), a passage
    that mentions none of the names must also be at least `unnamed` close. Cosines lie in [-1, 1]: the
    defaults turn every part off."""

    cosine: float = -1.0
    margin: float = 2.0
    unnamed: float = -1.0

    def passes(self, cosine: float, best: float, named: bool | None, across: bool = False) -> bool:
        """`named`: whether the passage mentions a name of the question (None: the question names none).
        `across`: the passage is in another language than the question; cosines across languages sit
        lower (e5: 0.78-0.80 for the Ukrainian report that answers an English question about Kupiansk,
        0.86-0.88 in its own language) and the bars were chosen on English questions, so such a passage
        is held to the name rule only."""
        if across:
            return self.names_it(cosine, named)
        return cosine >= self.cosine and cosine >= best - self.margin and self.names_it(cosine, named)

    def names_it(self, cosine: float, named: bool | None) -> bool:
        """The name rule alone: a passage that mentions none of the question's names must be `unnamed` close."""
        return named is not False or cosine >= self.unnamed

    def as_dict(self) -> dict:
        return {"cosine": self.cosine, "margin": self.margin, "unnamed": self.unnamed}


@dataclass(frozen=True)
class Citation:
    article_id: str
    title: str
    url: str | None
    source: str | None
    published_at: datetime | None

    @property
    def file_name(self) -> str | None:
        """The name of the .txt, .md or .html file the article was read from (its id is the file's path),
        else None: what makes a quote of an article without a link traceable."""
        path = PurePath(self.article_id)
        return path.name if path.suffix.lower() in TEXT_SUFFIXES else None


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
    language: str = ""  # the passage's language, ISO 639-1; "" when not known (indexed before it was kept)
    cosine: float | None = None  # to the question, as the floor reads it; None when not measured
    named: bool | None = None  # mentions a name of the question (Query.names); None when it names none


@dataclass(frozen=True)
class Report:
    """One report of a story: an article's sentence that answers the question, cited."""

    citation: Citation
    sentence: str
    passage_id: int
    language: str = ""  # ISO 639-1; "" when not known


@dataclass(frozen=True)
class Stated:
    """One value that some of a story's reports give for the same thing, as the first of them writes it
    ("3", "five", "$1.5 billion"), and the reports that give it, in date order."""

    value: str
    reports: tuple[Report, ...]


@dataclass(frozen=True)
class Disagreement:
    """What a story's reports give different values for (retrieval.figures; retrieval.claims for "when" and
    "who"): `about` names it ("killed", "price", "when"), `values` are two or more, ordered by the date of the
    first report giving each."""

    about: str
    values: tuple[Stated, ...]


@dataclass(frozen=True)
class Story:
    """The reports of one event that answer a question (retrieval.story), from the first report to
    the latest: `reports` in date order (undated ones last), one per article."""

    reports: tuple[Report, ...]
    disagreements: tuple[Disagreement, ...] = ()

    @property
    def first(self) -> Report:
        return self.reports[0]

    @property
    def latest(self) -> Report:
        dated = [r for r in self.reports if r.citation.published_at is not None]
        return dated[-1] if dated else self.reports[-1]


@dataclass(frozen=True)
class Update:
    """What a new report adds to a story a follow was already alerted to (retrieval.updates): the figures
    it gives differently from the reports sent before (`changed`, each with the earlier values), and
    whether its outlet is new to the story."""

    passage_id: int  # the new report's hit
    earlier: tuple[Report, ...]  # the story's reports sent before, in date order
    changed: tuple[Disagreement, ...] = ()
    new_outlet: bool = False


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
    # the stated filters that left nothing, dropped for this answer: its hits are the closest reports
    # outside them ("nothing from Reuters in March 1987 on that; the closest from other outlets")
    relaxed: Filters | None = None
    # When no passage passes the floor: no hits, and the best-ranked report, shown only as the closest
    # ("closest report, not about Rovno"), never as an answer
    closest: Hit | None = None
    floor: Floor | None = None  # the floor the hits passed (None: not floored)
    held_back: bool = False  # some passages ranked for the question were below the floor, not shown
    # The first result's story (retrieval.story): its reports that answer, first to latest; None without hits
    story: Story | None = None
    # The newest report of that story when it is newer than the first result (not for a question asked
    # of a past date: it is answered as of then); "newer reports exist" leads the answer
    newer: Report | None = None


@dataclass(frozen=True)
class FullArticle:
    citation: Citation
    body: str
