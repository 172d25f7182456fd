"""What every search stage reads: the search settings, and the plan of one question against one generation.

A question goes through the stages of retrieval/search.py in order, each a function of the plan and of
what the stage before it gave:

    reading.read        the question -> Query (topic words, stated and implied filters, spellings)
    ranking.candidates  -> the dense and BM25 rankings, of the archive and of each subset it prefers
    ranking.fuse        -> one ranking, without passages that are neither a word match nor close in meaning
    ranking.prefer      -> what the question prefers first (an outlet, a period, quoted words, recency)
    floor.read_ranking  -> which passages are close enough to be answers
    collapse.entries    -> one entry per story, at most `per_article` passages per article
    citing.hits         -> the cited hits, each with the sentence that answers in bold

Alerts (retrieval/alerts.py) read the question and cite the same way; their candidates are the new passages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

import numpy as np

from index import duplicates
from index.encoder import Encoder
from index.engines.base import SearchIndex
from index.settings import read
from retrieval import query as query_parser, variants
from retrieval.highlight import stem
from retrieval.fusion import Fusion
from retrieval.records import Filters, Floor, Query

MODES = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class SearchSettings:
    candidates: int = 100  # per ranking, before fusion and de-duplication
    fusion: Fusion = Fusion()
    # In hybrid mode a passage that shares no word with the question must be at least this close in
    # meaning, or it is noise: "Rovno" is a name the model does not know, and its nearest passages
    # are unrelated war reports at cosine 0.31-0.36. No Reuters question loses a relevant passage
    # with any value up to 0.6 (docs/evaluation.md).
    min_dense_only: float = 0.4
    understand: bool = True  # dates, outlets and phrases read from the question (off: words only)
    variants: variants.VariantSettings = field(default_factory=variants.VariantSettings)
    # Articles at least this similar (estimated Jaccard of their 4-word shingles) and published within
    # two days are one story, shown once with "also reported by"; above 1.0 turns grouping off.
    same_story: float = duplicates.SAME_STORY
    # A mild preference for recent reports: a passage's score is multiplied by
    # 1 + recency_weight * 0.5 ** (age in days / half-life). 0 days (the default) turns it off: in a
    # historical archive the date of a report says nothing about its relevance.
    recency_half_life_days: float = 0.0
    recency_weight: float = 0.2
    # Bold the sentence that answers the question (question words not in the title, the kind of answer
    # asked for) rather than the one that only shares the most words with it.
    answer_highlight: bool = True
    # Question words in more than this share of the passages are left out of BM25 when rarer ones
    # remain: ranking scans every passage a word is in, and on Reuters "mln" (37% of passages) made the
    # slowest tenth of BM25 queries take 20-29 ms while adding an IDF of 1 against a name's 6. 1.0 keeps all.
    common_share: float = 0.2
    # ...and the words kept are the rarest whose passages add up to at most this many: FTS5 scores every
    # passage a word is in, so BM25's time grows with the archive (1M passages: p50 244 ms unbounded,
    # 90 ms within this budget; docs/speed.md). It never binds on Reuters (27,678 passages).
    bm25_budget: float = 100_000
    # What a question implies (an outlet named in passing, a period, quoted words) puts the passages
    # that have it first: a strong preference, never an exclusion. A period or quoted words count for
    # passages scoring at least this share of the best one (ranking.prefer); chosen on the tuning
    # halves and RealTimeQA (docs/evaluation.md).
    prefer_floor: float = 0.25
    # Below it, a passage is not shown as an answer (retrieval.floor); None: the index's model's floor
    # (floor_for), Floor() shows every passage ranked.
    floor: Floor | None = None
    # The first result's story (retrieval.story): the answering passages, the best of each article among
    # the first `story_candidates`, at least `story_cosine` close in meaning to a report of the story
    # (`story_across` for one in another language; None: the index's model's, retrieval.story.BARS) and
    # published within `story_days` of it. Chosen on the tuning half of bench/qrels/stories.jsonl.
    story: bool = True
    story_cosine: float | None = None
    story_across: float | None = None
    story_days: float = 14.0
    story_candidates: int = 30

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> SearchSettings:
        """NEWSDESK_RECENCY_HALF_LIFE_DAYS, NEWSDESK_RECENCY_WEIGHT and NEWSDESK_BM25_BUDGET (index.settings's
        registry), the rest at their defaults."""
        got = read("search", env)
        return cls(recency_half_life_days=got["NEWSDESK_RECENCY_HALF_LIFE_DAYS"],
                   recency_weight=got["NEWSDESK_RECENCY_WEIGHT"], bm25_budget=got["NEWSDESK_BM25_BUDGET"])


@dataclass(frozen=True)
class Plan:
    """One question against one generation: the snapshot and the encoder it is answered with, how it
    was read, its vector and what it may search. Made by Searcher.plan; `replace` makes the relaxed one."""

    snapshot: SearchIndex
    encoder: Encoder  # the model of the snapshot's generation (its highlight encodes sentences with it)
    settings: SearchSettings
    query: Query
    frequencies: Mapping[str, int]  # passages holding each of the question's stems and their other spellings
    vector: np.ndarray | None  # None until encoded: Searcher.ask encodes it while BM25 runs
    floor: Floor
    now: datetime  # "now" for recency
    mode: str = "hybrid"
    want: int = 100  # candidates asked of each ranking
    allowed: np.ndarray | None = None  # the passages the stated filters allow; None: all
    match: str | None = None  # the FTS5 query (`bm25_match`); None: nothing BM25 can look for

    @property
    def filters(self) -> Filters:
        return self.query.filters

    @property
    def lexical(self) -> bool:
        """Whether this plan asks BM25 at all (not in dense mode, and only with something to match)."""
        return self.mode != "dense" and bool(self.match)

    def relaxed(self) -> Plan:
        """The plan without what the user stated (from:, since:, until:, exact:): for an answer whose
        stated filters left nothing that answers."""
        query = replace(self.query, filters=self.filters.inferred())
        return replace(self, query=query, allowed=None,
                       match=bm25_match(query, self.frequencies, self.snapshot.manifest.passages, self.settings))


def bm25_terms(terms: tuple[str, ...], frequencies: Mapping[str, int], most: float,
               budget: float = float("inf")) -> tuple[str, ...]:
    """The question's words for BM25: those in at most `most` passages (all when none is), then, rarest
    first, as many as keep the passages BM25 has to score (the sum of the words' frequencies) within
    `budget`; the rarest is always kept."""
    df = {t: frequencies.get(stem(t), 0) for t in terms}
    rarer = tuple(t for t in terms if df[t] <= most) or terms
    kept, read = set(), 0
    for term in sorted(rarer, key=lambda t: df[t]):
        if kept and read + df[term] > budget:
            break
        kept.add(term)
        read += df[term]
    return tuple(t for t in rarer if t in kept)


def bm25_match(query: Query, frequencies: Mapping[str, int], passages: int, settings: SearchSettings) -> str | None:
    """The FTS5 query for a read question in an archive of `passages` passages: its phrases, and its
    words (`bm25_terms`) or their other spellings."""
    terms = bm25_terms(query.terms, frequencies, settings.common_share * passages, settings.bm25_budget)
    return query_parser.fts_match(terms, query.filters.phrases, dict(query.variants), query.filters.quoted)


def stated(snapshot: SearchIndex, found: Filters) -> np.ndarray | None:
    """The passages the stated outlets and dates allow (None: all)."""
    only = found.stated()
    if not (only.sources or only.since or only.until):
        return None
    return snapshot.allowed(only.sources, only.since, only.until)
