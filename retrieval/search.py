"""Hybrid search: question -> cited, de-duplicated passages with their best sentence."""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from collections import OrderedDict
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace

import numpy as np

from index import duplicates
from index.encoder import Encoder
from index.errors import SettingsError
from index.settings import multilingual
from index.engines.base import Reader, SearchIndex
from index.records import IndexStatus, StoredArticle, StoredPassage
from retrieval import floor as floors, highlight, query as query_parser, variants
from retrieval.fusion import Fusion
from retrieval.records import Answer, Citation, Filters, Floor, FullArticle, Hit, Query, Timings

MODES = ("hybrid", "dense", "lexical")


@dataclass(frozen=True)
class SearchSettings:
    candidates: int = 100  # per ranking, before fusion and de-duplication
    fusion: Fusion = Fusion()
    # In hybrid mode a passage that shares no word with the question must be at least this close in
    # meaning, or it is noise: "Rovno" is a name the model does not know, and its nearest passages
    # are unrelated war reports at cosine 0.31-0.36. No Reuters question loses a relevant passage
    # with any value up to 0.6 (docs/evaluation.md), and paraphrases that share no word score above 0.5.
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
    # remain: ranking scans every passage a word is in, and on Reuters "mln" (37% of passages) and
    # "dlrs" made the slowest tenth of BM25 queries take 20-29 ms while adding an IDF of 1 against a
    # name's 6. 1.0 keeps every word.
    common_share: float = 0.2
    # ...and the words kept are the rarest whose passages add up to at most this many: FTS5 scores every
    # passage a word is in, so BM25's time grows with the archive (Reuters passages copied 36 times,
    # 1M passages: p50 244 ms unbounded, 90 ms within this budget; bench/growth.py). It never binds on
    # Reuters (27,678 passages); on Reuters with the budget scaled down 36 times, as it acts at 1M,
    # hybrid R@5 0.894 -> 0.886 and nDCG@10 0.917 -> 0.899 (docs/speed.md). NEWSDESK_BM25_BUDGET.
    bm25_budget: float = 100_000
    # What a question implies (an outlet named in passing, a period, quoted words) puts the passages
    # that have it first: a strong preference, never an exclusion. A period or quoted words count for
    # passages scoring at least this share of the best one (`_preferred_first`). Chosen on the tuning
    # halves and RealTimeQA: 0 / 0.25 / 0.4 gave RealTimeQA quiz-cited Recall@5 0.711 / 0.762 / 0.775
    # and the newsroom set 0.993 / 0.993 / 0.986 (docs/evaluation.md).
    prefer_floor: float = 0.25
    # Below it, a passage is not shown as an answer (retrieval.floor); None: the index's model's floor
    # (floor_for), Floor() shows every passage ranked.
    floor: Floor | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> SearchSettings:
        env = dict(os.environ if env is None else env)
        return cls(recency_half_life_days=_number(env, "NEWSDESK_RECENCY_HALF_LIFE_DAYS", 0.0),
                   recency_weight=_number(env, "NEWSDESK_RECENCY_WEIGHT", 0.2),
                   bm25_budget=_number(env, "NEWSDESK_BM25_BUDGET", cls.bm25_budget))


def _number(env: dict[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}.") from None
    if not 0 <= value < float("inf"):
        raise SettingsError(f"{name} must be zero or more, got {raw!r}.")
    return value


def bm25_terms(terms: tuple[str, ...], frequencies: Mapping[str, int], most: float,
               budget: float = float("inf")) -> tuple[str, ...]:
    """The question's words for BM25: those in at most `most` passages (all when none is), then, rarest
    first, as many as keep the passages BM25 has to score (the sum of the words' frequencies) within
    `budget`; the rarest is always kept."""
    df = {t: frequencies.get(highlight.stem(t), 0) for t in terms}
    rarer = tuple(t for t in terms if df[t] <= most) or terms
    kept, read = set(), 0
    for term in sorted(rarer, key=lambda t: df[t]):
        if kept and read + df[term] > budget:
            break
        kept.add(term)
        read += df[term]
    return tuple(t for t in rarer if t in kept)


def _merged(ranking: list[tuple[int, float]]) -> list[tuple[int, float]]:
    """Several rankings of the same scores as one, best first, each passage once."""
    return sorted(dict(ranking).items(), key=lambda hit: (-hit[1], hit[0]))


@dataclass(frozen=True)
class Reading:
    """How the floor reads one ranked passage."""

    cosine: float
    named: bool | None  # mentions a name of the question; None when it names none
    shown: bool  # passes the floor


def citation(stored: StoredPassage | StoredArticle) -> Citation:
    return Citation(stored.article_id, stored.title, stored.url, stored.source, stored.published_at)


class Searcher:
    """Answers questions from the newest published generation of an index."""

    def __init__(self, reader: Reader, encoder: Encoder, settings: SearchSettings = SearchSettings()) -> None:
        self.reader = reader
        self.encoder = encoder
        self.settings = settings
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bm25")

    def encode_query(self, text: str) -> np.ndarray:
        """Query vectors are cached: "More" and evaluation modes ask the same question again."""
        vector = self._vectors.get(text)
        if vector is None:
            vector = self.encoder.encode_queries([text])[0]
            self._vectors[text] = vector
            if len(self._vectors) > 512:
                self._vectors.popitem(last=False)
        return vector

    def bm25_match(self, parsed: Query, frequencies: Mapping[str, int], variants: Mapping[str, tuple[str, ...]],
                   passages: int) -> str | None:
        """The FTS5 query for a read question in an archive of `passages` passages (`frequencies`: its
        words' document frequencies): its phrases, and its words (`bm25_terms`) or their other spellings."""
        terms = bm25_terms(parsed.terms, frequencies, self.settings.common_share * passages, self.settings.bm25_budget)
        return query_parser.fts_match(terms, parsed.filters.phrases, variants, parsed.filters.quoted)

    def article(self, article_id: str) -> FullArticle | None:
        """The whole text of a cited article, from the served generation."""
        found = self.reader.snapshot().article(article_id)
        if found is None:
            return None
        return FullArticle(citation(found), found.body)

    def status(self) -> IndexStatus:
        return self.reader.snapshot().status()

    def read(self, snapshot: SearchIndex, question: str, as_of: datetime | None = None) -> Query:
        """How a question is read against a generation: its topic words, what it states and implies,
        and the archive's other spellings of its words."""
        return self._read(snapshot, question, as_of)[0]

    def _read(self, snapshot: SearchIndex, question: str, as_of: datetime | None) -> tuple[Query, dict[str, int]]:
        """`read`, and the document frequencies of the question's stems and their other spellings."""
        parsed = query_parser.parse(question, snapshot.outlets, now=as_of, archive_end=snapshot.archive_end,
                                    understand=self.settings.understand)
        frequencies = snapshot.document_frequencies([highlight.stem(t) for t in parsed.terms])
        other, spelled = variants.find(snapshot, question, parsed.terms, frequencies, self.settings.variants)
        if other:
            parsed, frequencies = replace(parsed, variants=tuple(other.items())), {**frequencies, **spelled}
        return replace(parsed, names=floors.names(question, parsed)), frequencies

    def floor(self, snapshot: SearchIndex) -> Floor:
        """The floor answers pass: the settings' own, or the one measured for the index's model."""
        return self.settings.floor if self.settings.floor is not None else floors.floor_for(snapshot.manifest.model)

    def ask(self, question: str, limit: int = 5, offset: int = 0, mode: str = "hybrid",
            per_article: int = 1, as_of: datetime | None = None) -> Answer:
        """The best passages for a question. `as_of` is "now" for relative dates ("last week").

        What the user states (from:, since:, until:, exact:) filters; when it leaves nothing that
        answers, the answer says so (`Answer.relaxed`) and gives the closest reports outside it. What is
        read from the words (outlets, dates, quoted text, "latest") only ranks (`_rank`). Passages below
        the floor (`floor`, retrieval.floor) are not answers: when none passes, the answer has no hits
        and offers the best-ranked report as the closest (`Answer.closest`)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        snapshot = self.reader.snapshot()  # one generation for the whole answer
        parsed, frequencies = self._read(snapshot, question, as_of)
        other = dict(parsed.variants)
        floor = self.floor(snapshot)
        want = max(self.settings.candidates, 4 * (offset + limit + 1))
        match = self.bm25_match(parsed, frequencies, other, snapshot.manifest.passages)
        allowed = self.stated(snapshot, parsed.filters)
        t0 = time.perf_counter()
        # BM25 needs no vector: it runs in a second thread while the model encodes (both release the GIL);
        # BM25 alone (mode "lexical") encodes the question too, for the floor
        pending = self._pool.submit(snapshot.lexical, match, want, None if allowed is None else set(allowed.tolist())) \
            if mode != "dense" and match else None
        vector = self.encode_query(parsed.dense_text)
        t1 = time.perf_counter()
        lexical = pending.result() if pending else []
        now = as_of or datetime.now(timezone.utc)
        ranked, close = self._rank(snapshot, parsed.filters, mode, match, vector, want, allowed, lexical, now,
                                   bool(parsed.terms), parsed.language)
        read = self._floored(snapshot, parsed, floor, vector, ranked, close)
        relaxed = None
        if not any(read[pid].shown for pid, _ in ranked) and parsed.filters:
            # the stated filters left nothing that answers: say so, show the closest outside them
            relaxed = parsed.filters.stated()
            parsed = replace(parsed, filters=parsed.filters.inferred())
            match = self.bm25_match(parsed, frequencies, other, snapshot.manifest.passages)
            lexical = snapshot.lexical(match, want) if mode != "dense" and match else []
            ranked, close = self._rank(snapshot, parsed.filters, mode, match, vector, want, None, lexical, now,
                                       bool(parsed.terms), parsed.language)
            read = self._floored(snapshot, parsed, floor, vector, ranked, close)
        shown = [(pid, score) for pid, score in ranked if read[pid].shown]
        t2 = time.perf_counter()
        hits, has_more = self._collapse(snapshot, parsed, vector, shown, limit, offset, per_article, frequencies, read)
        closest = None
        if not shown and ranked and not offset:  # nothing answers: the closest report, offered as such
            closest = self._collapse(snapshot, parsed, vector, ranked[:32], 1, 0, 1, frequencies, read)[0][:1]
        t3 = time.perf_counter()
        return Answer(
            query=parsed, hits=tuple(hits), generation=snapshot.generation, offset=offset, has_more=has_more,
            timings=Timings((t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000), relaxed=relaxed,
            closest=closest[0] if closest else None, floor=floor, held_back=len(shown) < len(ranked),
        )

    @staticmethod
    def _floored(snapshot: SearchIndex, parsed: Query, floor: Floor, vector: np.ndarray, ranked: list[tuple[int, float]],
                 close: dict[int, float]) -> dict[int, Reading]:
        """How the floor reads each passage of the ranking (`close`: the cosines known already).
        A question without topic words (an outlet and a date: "what did Coastline Chronicle publish on
        Feb 3?") is answered by whatever they prefer: there is nothing to be close to, so no floor."""
        ids = [pid for pid, _ in ranked]
        cosine = floors.cosines(snapshot, vector, ids, close)
        named = floors.mentioning(snapshot, parsed, ids) if parsed.names else None
        languages = snapshot.languages(ids) if parsed.language and ids else {}
        best = max(cosine.values(), default=0.0)
        read = {}
        for pid in ids:
            mentions = None if named is None else pid in named
            across = languages.get(pid) not in (None, "", parsed.language)
            read[pid] = Reading(cosine[pid], mentions,
                                not parsed.terms or floor.passes(cosine[pid], best, mentions, across))
        return read

    @staticmethod
    def stated(snapshot: SearchIndex, found: Filters) -> np.ndarray | None:
        """The passages the stated outlets and dates allow (None: all)."""
        stated = found.stated()
        if not (stated.sources or stated.since or stated.until):
            return None
        return snapshot.allowed(stated.sources, stated.since, stated.until)

    def _rank(self, snapshot: SearchIndex, found: Filters, mode: str, match: str | None, vector: np.ndarray,
              want: int, allowed: np.ndarray | None, lexical: list[tuple[int, float]],
              now: datetime, topical: bool = True, language: str = "") -> tuple[list[tuple[int, float]], dict[int, float]]:
        """Passages `allowed` (all when None) in answer order: the dense and lexical rankings fused
        (`lexical` is the latter, already run; passages in another language than the question's, which is
        `language`, fused as `_across` says), without passages that are neither a lexical match nor
        close in meaning; then what the question prefers first (`_preferred_first`). And the cosines
        the dense search found.

        Each subset the question prefers (a named outlet, in the period it names) is searched too, so
        that its best passages are candidates even where the rest of the archive outranks them."""
        dense = snapshot.dense(vector, want, allowed)
        subsets = self._preferred(snapshot, found, allowed)
        for ids in (ids for ids in subsets if len(ids)):
            dense = dense + snapshot.dense(vector, want, ids)
            if mode != "dense" and match:
                lexical = lexical + snapshot.lexical(match, want, set(ids.tolist()))
        dense, lexical = _merged(dense), _merged(lexical)
        if mode == "dense" or not match:
            ranked = dense
        elif mode == "lexical":
            ranked = lexical
        else:
            ranked = self.settings.fusion(dense, lexical, self._across(snapshot, language, dense, lexical))
            matched = {pid for pid, _ in lexical}
            if found.phrases:  # stated phrases: only the passages FTS5 found them in
                ranked = [(pid, score) for pid, score in ranked if pid in matched]
            elif self.settings.min_dense_only > 0:
                close = dict(dense)
                ranked = [(pid, score) for pid, score in ranked
                          if pid in matched or close.get(pid, 0.0) >= self.settings.min_dense_only]
        if self.settings.recency_half_life_days > 0 and not found.newest_first:
            ranked = self._recent_first(snapshot, ranked, now)
        return self._preferred_first(snapshot, found, ranked, subsets, topical), dict(dense)

    def _across(self, snapshot: SearchIndex, language: str, dense: list[tuple[int, float]],
                lexical: list[tuple[int, float]]) -> frozenset[int]:
        """The candidates written in another language than the question, for `Fusion.across_weights`.

        Only where the index's model matches meaning across languages (index.settings.multilingual): an
        English-only model (MiniLM) places a Russian passage nowhere near an English question, and its
        answers across languages come from BM25 alone (docs/multilingual.md: MiniLM dense R@5 0.00-0.12
        across languages, hybrid 0.26-0.65), so weighting BM25 less there would lose them.
        A question or passage whose language is not known ("", an index older than schema 7) is fused
        as every passage was before."""
        if not language or self.settings.fusion.across_weights is None \
                or not multilingual(snapshot.manifest.model):
            return frozenset()
        ids = list({pid for pid, _ in dense} | {pid for pid, _ in lexical})
        return frozenset(pid for pid, found in snapshot.languages(ids).items() if found and found != language)

    @staticmethod
    def _preferred(snapshot: SearchIndex, found: Filters, allowed: np.ndarray | None) -> list[np.ndarray]:
        """The passages of each outlet the question names, in the order named, then those of the
        period it names, within what the stated filters allow."""
        since, until = found.period
        subsets = [snapshot.allowed(group, None, None) for group in found.outlets]
        if since or until:
            subsets.append(snapshot.allowed((), since, until))
        if allowed is not None:
            subsets = [np.intersect1d(ids, allowed, assume_unique=True) for ids in subsets]
        return subsets

    def _preferred_first(self, snapshot: SearchIndex, found: Filters, ranked: list[tuple[int, float]],
                         subsets: list[np.ndarray], topical: bool) -> list[tuple[int, float]]:
        """Passages with more of what the question prefers first; within that, the ranking's order,
        the named outlets taking turns (each one's best, then each one's second, ...).

        A named outlet always counts: the asker chose it. The period a question names and its quoted
        words count for passages scoring at least `prefer_floor` of the best: "this week" in a news quiz
        would otherwise put every passage of the week that shares one word with the question above the
        report that answers it. With no topic words (`topical` false: "what did Coastline Chronicle
        publish on Feb 3?") the outlet and the date are the whole question, and count everywhere."""
        if not ranked or not (subsets or found.quoted):
            return ranked
        group_of = {int(pid): g for g, ids in enumerate(subsets[: len(found.outlets)]) for pid in ids}
        in_period = set(subsets[-1].tolist()) if found.period != (None, None) else set()
        quoted: set[int] = set()
        for phrase in found.quoted:
            quoted.update(pid for pid, _ in snapshot.lexical(query_parser.fts_match((), (phrase,)), 1000))
        floor = self.settings.prefer_floor * ranked[0][1] if topical else float("-inf")
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

    def _recent_first(self, snapshot: SearchIndex, ranked: list[tuple[int, float]],
                      now: datetime) -> list[tuple[int, float]]:
        """Scores raised for recent passages, by at most `recency_weight` (undated ones are not raised)."""
        dates = snapshot.published([pid for pid, _ in ranked])
        half_life, weight = self.settings.recency_half_life_days, self.settings.recency_weight
        scored = []
        for pid, score in ranked:
            published = dates.get(pid)
            days = max((now - datetime.fromisoformat(published)).total_seconds() / 86400, 0.0) if published else None
            scored.append((pid, score * (1 + weight * 0.5 ** (days / half_life)) if days is not None else score))
        return sorted(scored, key=lambda hit: -hit[1])

    @staticmethod
    def _in_order(snapshot: SearchIndex, ranked: list[tuple[int, float]], block: int = 32):
        """Stored passages in rank order, fetched a block at a time: a page rarely needs them all."""
        for i in range(0, len(ranked), block):
            part = ranked[i : i + block]
            stored = snapshot.passages([pid for pid, _ in part])
            for pid, score in part:
                if pid in stored:  # else collected after this generation's FAISS file was written
                    yield stored[pid], score

    def _collapse(self, snapshot: SearchIndex, parsed: Query, vector: np.ndarray | None,
                  ranked: list[tuple[int, float]], limit: int, offset: int, per_article: int,
                  frequencies: dict[str, int], read: Mapping[int, Reading] | None = None) -> tuple[list[Hit], bool]:
        """At most `per_article` passages per article; the same story in several articles (an identical
        passage, or articles whose sketches say they are near-duplicates) is one entry."""
        entries: list[tuple[StoredPassage, float, list[Citation]]] = []
        shown: dict[str, int] = {}  # article id -> its entry
        per: dict[str, int] = {}
        # newest first: the best 20 (or the page's worth) by relevance, then ordered by date
        enough = offset + limit + (max(20 - offset - limit, 1) if parsed.filters.newest_first else 1)
        for passage, score in self._in_order(snapshot, ranked):
            if len(entries) >= enough:  # one more than the page tells whether there is more
                break
            if not query_parser.says(passage.text, parsed.filters.phrases):
                continue
            if passage.article_id in shown and per[passage.article_id] >= per_article:
                continue  # its article is shown (or cited) already
            same = self.same_story(entries, passage) if passage.article_id not in shown else None
            if same is not None:
                first, _, also = entries[same]
                if passage.article_id not in {c.article_id for c in also}:
                    also.append(citation(passage))
                shown[passage.article_id] = same
                per[passage.article_id] = per_article  # cited: its other passages are not shown again
                continue
            per[passage.article_id] = per.get(passage.article_id, 0) + 1
            shown[passage.article_id] = len(entries)
            entries.append((passage, score, []))
        if parsed.filters.newest_first:
            entries.sort(key=lambda e: e[0].published_at or datetime.min.replace(tzinfo=timezone.utc), reverse=True)
        page = entries[offset : offset + limit]
        spans = self.highlights([p for p, _, _ in page], parsed, vector, self.weights(snapshot, parsed, frequencies))
        hits = []
        read = read or {}
        for rank, ((passage, score, also), (start, end)) in enumerate(zip(page, spans), start=offset + 1):
            floor = read.get(passage.passage_id)
            hits.append(Hit(
                rank=rank, score=round(float(score), 6), passage_id=passage.passage_id, citation=citation(passage),
                passage=passage.text, highlight=passage.text[start:end], highlight_start=start, highlight_end=end,
                also=tuple(also), language=passage.language,
                cosine=round(floor.cosine, 6) if floor else None, named=floor.named if floor else None,
            ))
        return hits, len(entries) > offset + limit

    def highlights(self, passages: list[StoredPassage], parsed: Query, vector: np.ndarray | None,
                    weights: dict[str, float]) -> list[tuple[int, int]]:
        """The sentence of each passage that answers the question (`highlight.answer_best`), or the one
        closest in meaning when none shares a word with it."""
        shape = highlight.answer_shape(parsed.question) if self.settings.answer_highlight else None
        spans, unmatched = [], []
        for i, passage in enumerate(passages):
            title = passage.title if self.settings.answer_highlight else ""
            start, end, weight = highlight.answer_best(
                highlight.lexical_scores(passage.text, weights, title), passage.text, shape)
            spans.append((start, end))
            if weight == 0 and vector is not None:
                unmatched.append(i)
        if unmatched:
            closest = highlight.dense_best([passages[i].text for i in unmatched], vector, self.encoder.encode)
            for i, span in zip(unmatched, closest):
                spans[i] = span
        return spans

    def same_story(self, entries: list[tuple[StoredPassage, float, list[Citation]]],
                    passage: StoredPassage) -> int | None:
        """The entry that tells the same story as this passage's article: the identical passage, or a
        near-duplicate article, published within the days of one story."""
        for i, (first, _, _) in enumerate(entries):
            if first.text_hash == passage.text_hash:
                if duplicates.close_in_time(first.published_at, passage.published_at):
                    return i
            elif self.settings.same_story <= 1 and duplicates.same_story(
                    first.sketch, passage.sketch, first.published_at, passage.published_at, self.settings.same_story):
                return i
        return None

    @staticmethod
    def weights(snapshot: SearchIndex, parsed: Query, frequencies: dict[str, int] | None = None) -> dict[str, float]:
        """Highlight weights of the question's stems and of the archive's other spellings of them;
        `frequencies` (stem -> passages containing it) are read from the index when not given."""
        spelled = [v for _, found in parsed.variants for v in found]
        if frequencies is None:
            frequencies = snapshot.document_frequencies([highlight.stem(t) for t in parsed.terms] + spelled)
        total = snapshot.manifest.passages
        weights = highlight.term_weights(parsed.terms, frequencies, total)
        weights.update(highlight.stem_weights({v: frequencies.get(v, 1) for v in spelled}, total))
        return weights
