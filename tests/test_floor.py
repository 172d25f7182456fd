"""The relevance floor (issue 26): below it a passage is not shown as an answer, in the CLI, its JSON, the bot,
inline mode and alerts. The default model's floor is tested on the bundled sample archive indexed with it."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.cli import main
from index import pipeline
from index.encoder import ServingEncoder
from index.engines.faiss import IndexReader
from index.settings import MULTILINGUAL_MODEL, Settings
from retrieval import floor as floors
from retrieval.records import Floor
from retrieval.search import SearchSettings, Searcher
from tests.support import SAMPLES
from tests.test_bot import ALLOWED, api, drive, settings_for, wait  # noqa: F401 (api: the Bot API server fixture)

pytestmark = pytest.mark.slow

ROVNO_TITLE = "Russia claims two villages in Kharkiv and Donetsk regions"
E5_FLOOR = {"cosine": 0.8, "margin": 0.08, "unnamed": 0.84}


@pytest.fixture(scope="module")
def demo(tmp_path_factory, e5_cache):
    """The sample archive as `make demo` indexes it: the default model (int8, the backend its floor was
    measured with, whatever this CPU would choose)."""
    data_dir = tmp_path_factory.mktemp("demo-e5")
    pipeline.add([SAMPLES], Settings(data_dir=data_dir, backend="onnx-int8"), quiet=True)
    return data_dir


def ask_json(capsys, data_dir, question: str) -> dict:
    capsys.readouterr()
    assert main(["ask", "--json", question, "--data-dir", str(data_dir)]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_floor_passes_what_is_close_enough_and_names_what_was_asked_about():
    floor = Floor(cosine=0.8, margin=0.08, unnamed=0.84)
    assert [floor.passes(c, best, named) for c, best, named in [
        (0.85, 0.85, None), (0.79, 0.79, None), (0.81, 0.90, None), (0.83, 0.90, None),
        (0.83, 0.86, False), (0.84, 0.86, False), (0.81, 0.86, True)]] == [
        True, False, False, True, False, True, True]
    # in another language than the question, only the name rule holds
    assert [floor.passes(c, 0.88, named, across=True) for c, named in [
        (0.70, True), (0.70, None), (0.83, False), (0.84, False)]] == [True, True, False, True]
    assert [floor.names_it(c, named) for c, named in [(0.5, True), (0.5, None), (0.83, False), (0.84, False)]] == [
        True, True, False, True]  # the name rule alone, as alerts apply it
    assert Floor().passes(-1.0, 1.0, False) is True  # the floor off shows everything ranked


def test_every_result_for_rovno_is_about_rovno_in_every_language(capsys, monkeypatch, demo):
    monkeypatch.delenv("NEWSDESK_MODEL", raising=False)
    answer = ask_json(capsys, demo, "what was reported about Rovno?")
    assert (answer["names"], answer["floor"], answer["closest"]) == (["Rovno"], E5_FLOOR, None)
    assert [(r["title"], r["mentions_name"]) for r in answer["results"]] == [(ROVNO_TITLE, True)]
    ukrainian = ask_json(capsys, demo, "Що повідомляли про Рівне?")
    assert (ukrainian["names"], [r["title"] for r in ukrainian["results"]]) == (["Рівне"], [ROVNO_TITLE])
    capsys.readouterr()
    assert main(["ask", "what was reported about Rovno?", "--data-dir", str(demo)]) == 0
    assert " ".join(capsys.readouterr().out.split()).startswith(
        "1 passage for “what was reported about Rovno?” (the others ranked are not close enough to answer it) [1] ")


def test_with_the_floor_off_the_same_question_is_padded_with_reports_that_never_name_rovno(demo):
    searcher = Searcher(IndexReader(demo), ServingEncoder(Settings(data_dir=demo)),
                        replace(SearchSettings(), floor=Floor()))
    answer = searcher.ask("what was reported about Rovno?")
    assert [h.named for h in answer.hits] == [True, False, False, False, False]
    assert answer.hits[0].citation.title == ROVNO_TITLE and not answer.held_back


def test_a_question_nothing_answers_gets_the_closest_report_offered_as_such(capsys, demo):
    answer = ask_json(capsys, demo, "Texaco Pennzoil settlement")
    assert (answer["results"], answer["names"]) == ([], ["Pennzoil"])
    assert (answer["closest"]["title"], answer["closest"]["mentions_name"]) == (ROVNO_TITLE, False)
    assert main(["ask", "Texaco Pennzoil settlement", "--data-dir", str(demo)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[:3] == ["Nothing in the archive answers “Texaco Pennzoil settlement”.",
                         "Closest report, not about Pennzoil:", ""]
    assert lines[-2].strip().startswith(ROVNO_TITLE + " — Kyiv Ledger — 2024-12-07 — https://")


def test_names_are_the_capitalised_respelt_or_unknown_words():
    assert floors.FLOORS[MULTILINGUAL_MODEL] == Floor(**E5_FLOOR)
    assert floors.floor_for("intfloat/multilingual-e5-small") == Floor(**E5_FLOOR)
    assert floors.floor_for("some/other-model") == Floor()  # MiniLM's: no floor of its own measured


def test_the_bot_says_nothing_answers_and_offers_the_closest_and_inline_says_so(api, demo):  # noqa: F811
    async def scenario():
        api.message("Texaco Pennzoil settlement", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        lines = sent.params["text"].split("\n")
        assert lines[:3] == ["Nothing in the archive answers <b>Texaco Pennzoil settlement</b>.",
                             "<i>Closest report, not about Pennzoil:</i>",
                             "<b>According to the Russian Defence Ministry, Rovno, a settlement in the Donetsk "
                             "region, came under Russian control.</b>"]
        buttons = [b["text"] for row in sent.params["reply_markup"]["inline_keyboard"] for b in row]
        assert buttons == ["📋 1", "📄 1"]  # the closest report can be copied and read; no More
        api.message("what was reported about Rovno?", user_id=ALLOWED)
        [_, rovno] = await wait(api, "sendMessage", 2)
        assert rovno.params["text"].startswith("<i>1 report on Rovno</i>\n")
        api.inline("Texaco Pennzoil settlement", user_id=ALLOWED)
        [inline] = await wait(api, "answerInlineQuery")
        assert (inline.params["results"], json.loads(inline.params["button"]) if isinstance(
            inline.params["button"], str) else inline.params["button"]) == (
            [], {"text": "Nothing in the archive answers that", "start_parameter": "help"})

    drive(settings_for(api, demo, engine=Settings(data_dir=demo)), ServingEncoder(Settings(data_dir=demo)), scenario)
