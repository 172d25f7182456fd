"""The story of an answer (issue 28): the first result's reports from the first to the latest, across outlets,
days and languages; "newer reports exist"; what a question about a past day is told. On the sample archive and
its story of a missile strike (samples/story.jsonl), indexed with the default model: grouping is by meaning."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from bot.cli import main
from index import pipeline
from index.encoder import ServingEncoder
from index.engines.faiss import IndexReader
from index.records import StoredPassage
from index.settings import Settings
from retrieval import story as stories
from retrieval.search import SearchSettings, Searcher
from tests.support import SAMPLES, STORY

pytestmark = pytest.mark.slow

AS_OF = datetime(2024, 12, 10, tzinfo=timezone.utc)
STRIKE = ["kl-2024-1207-zaporizhzhia-strike", "nw-2024-1207-zaporizhzhia-strike", "kl-2024-1208-zaporizhzhia-toll-uk",
          "dp-2024-1208-zaporozhye-ru", "nw-2024-1209-zaporizhzhia-search-ends"]


@pytest.fixture(scope="module")
def archive(tmp_path_factory, e5_cache):
    data_dir = tmp_path_factory.mktemp("story-e5")
    pipeline.add([SAMPLES, STORY], Settings(data_dir=data_dir, backend="onnx-int8"), quiet=True)
    return data_dir


def searcher_of(archive, settings: SearchSettings | None = None) -> Searcher:
    return Searcher(IndexReader(archive), ServingEncoder(Settings(data_dir=archive, backend="onnx-int8")),
                    settings or SearchSettings())


@pytest.fixture(scope="module")
def searcher(archive):
    return searcher_of(archive)


def story_of(answer):
    return [r.citation.article_id for r in answer.story.reports]


@pytest.mark.parametrize("question", [
    "what was reported about the missile strike on Zaporizhzhia?",
    "що повідомляли про ракетний удар по Запоріжжю?",
    "что сообщали о ракетном ударе по Запорожью?",
])
def test_the_story_runs_from_the_first_report_to_the_latest_across_outlets_days_and_languages(searcher, question):
    answer = searcher.ask(question, limit=3, as_of=AS_OF)
    assert story_of(answer) == STRIKE  # in date order; the October drone attack on the city is another story
    assert [r.language for r in answer.story.reports] == ["en", "en", "uk", "ru", "en"]
    assert (answer.story.first.citation.article_id, answer.story.latest.citation.article_id) == (STRIKE[0], STRIKE[-1])
    first = answer.hits[0]
    assert next(r for r in answer.story.reports if r.passage_id == first.passage_id).sentence == first.highlight
    assert all(r.sentence and r.sentence in searcher.article(r.citation.article_id).body for r in answer.story.reports)
    # the first result is older than the search's end: the newest report is named
    assert first.citation.published_at < answer.newer.citation.published_at
    assert answer.newer.citation.article_id == STRIKE[-1]


def test_a_question_about_a_past_day_is_answered_as_of_that_day_and_is_not_warned(archive):
    # The two reports of 7 December sit at the default bar (cosine 0.9199 on an AMD EPYC, above 0.92 on
    # Intel: int8 kernels differ), so a lower bar makes them one story on every machine; the 9 December
    # report, closer still (0.927), is left out by the day asked alone.
    searcher = searcher_of(archive, SearchSettings(story_cosine=0.90))
    answer = searcher.ask("what was reported about Zaporizhzhia on 7 December 2024?", limit=3, as_of=AS_OF)
    assert (answer.query.filters.since, answer.query.filters.until) == (
        datetime(2024, 12, 7, tzinfo=timezone.utc), datetime(2024, 12, 8, tzinfo=timezone.utc))
    assert story_of(answer) == STRIKE[:2]
    assert answer.newer is None


def test_a_story_is_only_built_for_the_first_page_and_can_be_turned_off(searcher):
    question = "what was reported about the missile strike on Zaporizhzhia?"
    assert searcher.ask(question, limit=2, offset=2, as_of=AS_OF).story is None
    off = Searcher(searcher.reader, searcher.encoder, replace(SearchSettings(), story=False))
    answer = off.ask(question, limit=3, as_of=AS_OF)
    assert (answer.story, answer.newer, len(answer.hits)) == (None, None, 3)


def test_an_answer_about_a_one_report_event_has_a_story_of_one_and_no_newer(searcher):
    answer = searcher.ask("what was reported about Rovno?", limit=3, as_of=AS_OF)
    assert story_of(answer) == ["kl-2024-1207-rovno"]
    assert answer.newer is None


def passage(pid, day, language="en"):
    when = datetime(2024, 12, 1, tzinfo=timezone.utc) + timedelta(days=day)
    return StoredPassage(pid, f"a{pid}", None, "t", "Outlet", when, 0, 1, "x", f"h{pid}", None, language)


def test_a_story_grows_by_a_chain_of_close_reports_each_within_the_days_of_another():
    unit = {1: [1.0, 0.0], 2: [0.95, 0.312], 3: [0.8, 0.6], 4: [0.95, -0.312], 5: [1.0, 0.0]}
    vectors = {pid: np.array(v, dtype=np.float32) / np.linalg.norm(v) for pid, v in unit.items()}
    first, close, far, other_language, too_late = (passage(1, 0), passage(2, 2), passage(3, 4),
                                                     passage(4, 1, "uk"), passage(5, 9))
    left = [too_late, far, close, other_language]
    # 3 is 0.80 from 1 but 0.947 from 2, two days after it: the chain reaches it; 5 is 1.0 from 1 but five
    # days after the latest report of the story
    assert [p.passage_id for p in stories.members(first, left, vectors, cosine=0.9, days=3, across=0.9)] == [1, 2, 4, 3]
    assert [p.passage_id for p in stories.members(first, left, vectors, cosine=0.9, days=1, across=0.9)] == [1, 4]
    # across languages the bar is `across`; in one language, `cosine`
    assert [p.passage_id for p in stories.members(first, left, vectors, cosine=0.96, days=3, across=0.99)] == [1]
    assert [p.passage_id for p in stories.members(first, left, vectors, cosine=0.96, days=3, across=0.9)] == [1, 4]


def test_ask_json_carries_the_story_the_newer_report_and_the_disagreements(capsys, archive):
    capsys.readouterr()
    assert main(["ask", "--json", "what was reported about the missile strike on Zaporizhzhia?", "-k", "3",
                 "--as-of", "2024-12-10", "--data-dir", str(archive)]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert [r["article_id"] for r in answer["story"]] == STRIKE
    assert list(answer["story"][0]) == ["outlet", "date", "url", "title", "article_id", "sentence", "language",
                                        "first", "latest"]
    assert [(r["outlet"], r["date"], r["first"], r["latest"]) for r in answer["story"]] == [
        ("Kyiv Ledger", "2024-12-07T06:30:00+00:00", True, False),
        ("Northern Wire", "2024-12-07T13:10:00+00:00", False, False),
        ("Kyiv Ledger", "2024-12-08T08:00:00+00:00", False, False),
        ("Danube Post", "2024-12-08T15:20:00+00:00", False, False),
        ("Northern Wire", "2024-12-09T10:00:00+00:00", False, True)]
    assert answer["story"][-1]["url"] == "https://northernwire.example/2024/12/09/zaporizhzhia-search-ends"
    assert {k: answer["newer"][k] for k in ("outlet", "date", "article_id")} == {
        "outlet": "Northern Wire", "date": "2024-12-09T10:00:00+00:00", "article_id": STRIKE[-1]}
    assert isinstance(answer["disagreements"], list)


def test_the_text_output_leads_with_newer_reports_and_shows_the_story_when_asked(capsys, archive):
    question = "what was reported about the missile strike on Zaporizhzhia?"
    capsys.readouterr()
    assert main(["ask", question, "-k", "3", "--as-of", "2024-12-10", "--data-dir", str(archive)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.startswith("Newer")] == [
        "Newer reports exist: Northern Wire, 2024-12-09 (--story shows the story)"]
    assert main(["ask", question, "-k", "3", "--story", "--as-of", "2024-12-10", "--data-dir", str(archive)]) == 0
    out = capsys.readouterr().out
    lines = out[out.index("The story of [1]"):].splitlines()
    assert lines[0] == "The story of [1], 5 reports from the first to the latest:"
    assert [line[:9] for line in lines[1:11:2]] == ["  first  ", "         ", "         ", "         ", "  latest "]
    assert lines[2].strip() == ("Missile strike on Zaporizhzhia apartment block kills three — Kyiv Ledger — 2024-12-07 — "
                                "https://kyivledger.example/2024/12/07/missile-strike-zaporizhzhia-apartment-block")
