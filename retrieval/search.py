"""Hybrid search: a question -> cited, de-duplicated passages with their answering sentence.

`Searcher.ask` composes the stages of retrieval/plan.py's list over one `Plan`; each stage is a function
of its own module, and alerts (retrieval/alerts.py) compose the same ones.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timezone

import numpy as np

from index.encoder import Encoder, serve_queries
from index.errors import IndexNotReady
from index.records import IndexStatus
from index.engines.base import Reader, SearchIndex
from retrieval import citing, collapse, floor as floors, ranking, reading, story as stories
from retrieval.collapse import citation
from retrieval.plan import MODES, Plan, SearchSettings, bm25_match, stated
from retrieval.records import Answer, FullArticle, Hit, Query, Timings

__all__ = ["MODES", "SearchSettings", "Searcher"]


class Searcher:
    """Answers questions from the newest published generation of an index."""

    def __init__(self, reader: Reader, encoder: Encoder, settings: SearchSettings = SearchSettings()) -> None:
        self.reader = reader
        self.encoder = encoder
        self.settings = settings
        self._vectors: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="encoder")

    # --- what the layers above ask besides answers -------------------------------------------
    @property
    def generation(self) -> int:
        """The generation answers come from now; 0 while nothing is published."""
        try:
            return self.reader.snapshot().generation
        except IndexNotReady:
            return 0

    def archive_end(self) -> datetime | None:
        """The date of the newest report served: "now" for questions about an archive of the past."""
        return self.reader.snapshot().archive_end

    def article(self, article_id: str) -> FullArticle | None:
        """The whole text of a cited article, from the served generation."""
        found = self.reader.snapshot().article(article_id)
        return None if found is None else FullArticle(citation(found), found.body)

    def status(self) -> IndexStatus:
        return self.reader.snapshot().status()

    def read_question(self, question: str, as_of: datetime | None = None) -> tuple[Query | None, int]:
        """(how `question` is read, the generation it was read against), or (None, 0) while nothing is
        published. BadQuery when it cannot be searched as written."""
        try:
            snapshot = self.reader.snapshot()
        except IndexNotReady:
            return None, 0
        return reading.read(snapshot, question, self.settings, as_of)[0], snapshot.generation

    def serve(self) -> None:
        """Tune this process for answering one question at a time (index.encoder.serve_queries: BM25 on the
        other core), and load the model now rather than when the first journalist waits for it."""
        serve_queries()
        self.encode_query("warm up")

    def encode_query(self, text: str, snapshot: SearchIndex | None = None) -> np.ndarray:
        """The question's vector with the model of `snapshot` (the served one by default). Cached:
        "More" and evaluation modes ask the same question again."""
        snapshot = snapshot or self.reader.snapshot()
        key = (snapshot.manifest.model, text)
        vector = self._vectors.get(key)
        if vector is None:
            vector = self._vectors[key] = self._encoder(snapshot).encode_queries([text])[0]
            if len(self._vectors) > 512:
                self._vectors.popitem(last=False)
        return vector

    def _encoder(self, snapshot: SearchIndex) -> Encoder:
        """The encoder of the snapshot's own generation: index.encoder.ServingEncoder pins one per
        manifest; a plain encoder (a test's, a benchmark's) is its own."""
        pinned = getattr(self.encoder, "for_manifest", None)
        return pinned(snapshot.manifest) if pinned else self.encoder

    # --- answers ----------------------------------------------------------------------------
    def plan(self, question: str, mode: str = "hybrid", as_of: datetime | None = None, want: int | None = None,
             snapshot: SearchIndex | None = None, encode: bool = True) -> Plan:
        """The plan of a question against one generation (the served one by default): read, with its
        BM25 query and the passages its stated filters allow, and encoded unless `encode` is false."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        snapshot = snapshot or self.reader.snapshot()
        plan = self._planned(snapshot, *reading.read(snapshot, question, self.settings, as_of), mode, as_of, want)
        return replace(plan, vector=self.encode_query(plan.query.dense_text, snapshot)) if encode else plan

    def _planned(self, snapshot: SearchIndex, query: Query, frequencies: dict[str, int], mode: str,
                 as_of: datetime | None, want: int | None) -> Plan:
        floor = self.settings.floor if self.settings.floor is not None else floors.floor_for(snapshot.manifest.model)
        return Plan(snapshot=snapshot, encoder=self._encoder(snapshot), settings=self.settings, query=query,
                    frequencies=frequencies, vector=None, floor=floor, now=as_of or datetime.now(timezone.utc),
                    mode=mode, want=want or self.settings.candidates, allowed=stated(snapshot, query.filters),
                    match=bm25_match(query, frequencies, snapshot.manifest.passages, self.settings))

    def ask(self, question: str, limit: int = 5, offset: int = 0, mode: str = "hybrid",
            per_article: int = 1, as_of: datetime | None = None) -> Answer:
        """The best passages for a question. `as_of` is "now" for relative dates ("last week").

        What the user states (from:, since:, until:, exact:) filters; when it leaves nothing that
        answers, the answer says so (`Answer.relaxed`) and gives the closest reports outside it. What is
        read from the words (outlets, dates, quoted text, "latest") only ranks (ranking.prefer). Passages
        below the floor (retrieval.floor) are not answers: when none passes, the answer has no hits
        and offers the best-ranked report as the closest (`Answer.closest`)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        snapshot = self.reader.snapshot()
        # The model encodes in a second thread (ONNX Runtime releases the GIL) while this one reads the
        # question, looks up the archive's spellings of its words and runs BM25, which need no vector.
        # What it embeds is the question as written unless the question states a filter (an outlet, a
        # date, a quoted phrase): one that looks as if it states none starts encoding before it is read
        # (the read is 2-4 ms of a 15 ms answer), and is encoded again if the guess was wrong. BM25 alone
        # (mode "lexical") encodes the question too, for the floor.
        guess = reading.unread_embedding(question)
        early = self._pool.submit(self.encode_query, guess, snapshot) if guess else None
        parsed = reading.parse(snapshot, question, self.settings, as_of)
        t0 = time.perf_counter()
        encoding = early if early and parsed.dense_text == guess else self._pool.submit(
            self.encode_query, parsed.dense_text, snapshot)
        plan = self._planned(snapshot, *reading.spellings(snapshot, question, parsed, self.settings), mode, as_of,
                             max(self.settings.candidates, 4 * (offset + limit + 1)))
        bm25 = ranking.lexical(plan) if plan.lexical else []
        plan = replace(plan, vector=encoding.result())
        t1 = time.perf_counter()
        ranked, read = _ranked(plan, bm25)
        relaxed = None
        if not any(read[pid].shown for pid, _ in ranked) and plan.filters:
            # the stated filters left nothing that answers: say so, show the closest outside them
            relaxed = plan.filters.stated()
            plan = plan.relaxed()
            ranked, read = _ranked(plan, ranking.lexical(plan))
        shown = [(pid, score) for pid, score in ranked if read[pid].shown]
        t2 = time.perf_counter()
        hits, has_more = _page(plan, shown, read, limit, offset, per_article)
        closest = _page(plan, ranked[:32], read, 1, 0, 1)[0][:1] if not shown and ranked and not offset else []
        # the first page tells the story of its first result; More's pages do not repeat it
        story, newer = stories.build(plan, shown, read, hits[0]) if hits and not offset and self.settings.story else (None, None)
        t3 = time.perf_counter()
        return Answer(
            query=plan.query, hits=tuple(hits), generation=plan.snapshot.generation, offset=offset,
            has_more=has_more, timings=Timings((t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000),
            relaxed=relaxed, closest=closest[0] if closest else None, floor=plan.floor,
            held_back=len(shown) < len(ranked), story=story, newer=newer,
        )


def _ranked(plan: Plan, bm25: ranking.Ranking) -> tuple[ranking.Ranking, dict[int, floors.Reading]]:
    """The plan's passages in answer order (candidates -> fuse -> prefer), and how the floor reads each."""
    found = ranking.candidates(plan, bm25)
    ranked = ranking.prefer(plan, found, ranking.fuse(plan, found))
    return ranked, floors.read_ranking(plan, ranked, dict(found.dense))


def _page(plan: Plan, ranked: ranking.Ranking, read: dict[int, floors.Reading], limit: int, offset: int,
          per_article: int) -> tuple[list[Hit], bool]:
    """One page of the collapsed ranking as cited hits, and whether there is more.
    "Latest" first: the best 20 (or the page's worth) by relevance, then ordered by date."""
    newest = plan.filters.newest_first
    keep = offset + limit + (max(20 - offset - limit, 1) if newest else 1)  # one more tells there is more
    entries, _ = collapse.entries(collapse.in_order(plan.snapshot, ranked), plan.filters.phrases, per_article,
                                  keep, plan.settings.same_story)
    if newest:
        entries.sort(key=lambda e: e.passage.published_at or datetime.min.replace(tzinfo=timezone.utc), reverse=True)
    return citing.hits(plan, entries[offset : offset + limit], read, offset + 1), len(entries) > offset + limit
