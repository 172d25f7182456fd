"""One dense search for the archive and the subsets a question prefers (index.engines.faiss.search_each):
the same candidates as a search each, on a real FAISS index with wire copies (equal vectors, ties)."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from index import pipeline
from index.engines.faiss import IndexReader
from index.settings import Settings
from retrieval import ranking
from retrieval.search import Searcher
from tests.support import HashingEncoder

OUTLETS = ("Eastern Wire", "Daily Meridian", "Harbor Times")
WORDS = ("bank rate cut inflation port strike dock pay coffee quota export cocoa buffer stock council oil price "
         "crude yields bond shares talks minister budget tariff grain harvest rain flood").split()
QUESTIONS = ("What did Eastern Wire report about the port strike on February 6?",
             "Harbor Times and Daily Meridian on coffee export quotas last week",
             "cocoa buffer stock talks between February 3 and February 9, 2025",
             "What did Daily Meridian say about bank rates?")


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    rng = random.Random(3)
    rows = []
    for n in range(150):
        body = " ".join(rng.choice(WORDS) for _ in range(12)) + "."
        # every third story also goes out, word for word, from another outlet: passages at equal cosines
        for copy in range(1 + (n % 3 == 0)):
            rows.append({"id": f"a{n}-{copy}", "source": OUTLETS[(n + copy) % 3], "title": f"Story {n}",
                         "published_at": f"2025-02-{1 + n % 20:02d}T{8 + copy}:00:00Z", "body": body})
    archive = tmp_path_factory.mktemp("dense-each") / "a.jsonl"
    archive.write_text("".join(json.dumps(row) + "\n" for row in rows))
    settings = Settings(data_dir=archive.parent / "index")
    pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    return Searcher(IndexReader(settings.data_dir), HashingEncoder())


def ordered(hits):
    return sorted(hits, key=lambda hit: (-hit[1], hit[0]))


@pytest.mark.parametrize("want", [3, 10, 100])
def test_one_search_finds_what_a_search_of_each_subset_finds(searcher, want):
    snapshot = searcher.reader.snapshot()
    rng = np.random.default_rng(5)
    every = snapshot.allowed((), None, None)
    for question in QUESTIONS:
        plan = searcher.plan(question, want=want)
        subsets = [None, *ranking.preferred(snapshot, plan.filters, plan.allowed),
                   np.sort(rng.choice(every, 7, replace=False)), every[:2], np.array([], dtype=np.int64),
                   every, every[::2]]  # the last two large enough to share the archive's search (one outlet)
        shared = snapshot.dense_each(plan.vector, want, subsets)
        assert [ordered(hits) for hits in shared] == [ordered(snapshot.dense(plan.vector, want, ids)) for ids in subsets]


def test_the_candidates_of_questions_naming_outlets_and_periods_are_those_of_a_search_each(searcher):
    snapshot = searcher.reader.snapshot()
    for question in QUESTIONS:
        for want in (4, 100):
            plan = searcher.plan(question, want=want)
            found = ranking.candidates(plan, ranking.lexical(plan))
            # as ranking.candidates searched before one search was shared: the archive, then each subset
            dense = snapshot.dense(plan.vector, want, plan.allowed)
            for ids in (ids for ids in found.subsets if len(ids)):
                dense = dense + snapshot.dense(plan.vector, want, ids)
            assert found.dense == ordered(dict(dense).items())
    # the subsets of the first question: Eastern Wire's passages, and February 6's
    assert [len(s) for s in ranking.preferred(snapshot, searcher.plan(QUESTIONS[0]).filters, None)] == [50, 10]
