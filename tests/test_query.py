"""How questions are read: topic words, outlets, dates and explicit filters (exact values)."""

from datetime import datetime, timezone

import pytest

from retrieval.errors import BadQuery
from retrieval.query import fts_match, parse

UTC = timezone.utc
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
ARCHIVE_END = datetime(2025, 1, 28, tzinfo=UTC)
OUTLETS = ["Reuters", "The Verge", "TechCrunch", "Kyiv Ledger"]


def read(question):
    q = parse(question, OUTLETS, NOW, ARCHIVE_END)
    f = q.filters
    return q.terms, f.sources, f.since and f.since.date().isoformat(), f.until and f.until.date().isoformat()


@pytest.mark.parametrize("question, expected", [
    ("what was reported about Rovno?", (("rovno",), (), None, None)),
    # a year-less date is the latest one not after the archive's newest article
    ("what did Reuters report on December 7 about Kupiansk?", (("kupiansk",), ("Reuters",), "2024-12-07", "2024-12-08")),
    ("7 Dec 2024 Kucherkovka", (("kucherkovka",), (), "2024-12-07", "2024-12-08")),
    ("2023-11-24 Rovno", (("rovno",), (), "2023-11-24", "2023-11-25")),
    ("news in March 1987 about Brazil debt", (("brazil", "debt"), (), "1987-03-01", "1987-04-01")),
    ("coverage between March and May 1987 of cocoa", (("cocoa",), (), "1987-03-01", "1987-06-01")),
    # relative dates count from now (or --as-of)
    ("anything on Rovno last week?", (("rovno",), (), "2026-11-16", "2026-11-23")),
    ("what did Kyiv Ledger report yesterday?", ((), ("Kyiv Ledger",), "2026-11-24", "2026-11-25")),
    ("Pokrovsk this month", (("pokrovsk",), (), "2026-11-01", "2026-12-01")),
    ("how did the Verge and TechCrunch cover the Google antitrust case?",
     (("google", "antitrust", "case"), ("TechCrunch", "The Verge"), None, None)),
    ("according to techcrunch, what happened to Zipwell", (("zipwell",), ("TechCrunch",), None, None)),
    ("from:reuters since:2024-12-01 until:2024-12-31 Rovno", (("rovno",), ("Reuters",), "2024-12-01", "2025-01-01")),
    ("the 500 biggest banks", (("500", "biggest", "banks"), (), None, None)),
])
def test_questions_become_topic_words_and_filters(question, expected):
    assert read(question) == expected


def test_quoted_phrases_must_appear_and_latest_sorts_by_date():
    q = parse('latest "deposit rate" ECB', OUTLETS, NOW, ARCHIVE_END)
    assert (q.filters.phrases, q.filters.newest_first, q.terms) == (("deposit rate",), True, ("deposit", "rate", "ecb"))
    assert fts_match(q.terms, q.filters.phrases) == '"deposit rate" AND ("deposit" OR "rate" OR "ecb")'
    assert q.filters.as_dict() == {"sources": [], "since": None, "until": None, "dates": "first",
                                   "phrases": ["deposit rate"], "order": "newest"}


def test_filter_words_do_not_reach_the_dense_query_either():
    q = parse("what did Reuters report on December 7 about Kupiansk?", OUTLETS, NOW, ARCHIVE_END)
    assert (q.dense_text, q.topic) == ("what did report Kupiansk?", "Kupiansk")


@pytest.mark.parametrize("question, message", [
    ("from:nobody Rovno", "The archive has no outlet called 'nobody'."),
    ("since:someday Rovno", "since:someday is not a date; write it like since:2024-12-01."),
])
def test_filters_that_cannot_be_read_are_one_sentence(question, message):
    with pytest.raises(BadQuery) as raised:
        parse(question, OUTLETS, NOW, ARCHIVE_END)
    assert str(raised.value) == message


@pytest.mark.parametrize("question, dates", [
    ("Rovno on December 7", "first"),  # a date in the words may be about the events: that period first
    ("since:2024-12-01 Rovno", "only"),  # explicit: nothing else
    ("what was reported on December 12, 2024?", "only"),  # the date is the whole question
])
def test_when_dates_filter_and_when_they_order(question, dates):
    assert parse(question, OUTLETS, NOW, ARCHIVE_END).filters.as_dict()["dates"] == dates


@pytest.mark.parametrize("question", ["<b>Rovno</b> </a> & `code`", "Is there now a swaps agreement?",
                                      "the five-year Army order", "Swissair 1986 profit"])
def test_things_that_only_look_like_dates_are_not_filters(question):
    f = parse(question, OUTLETS, NOW, ARCHIVE_END).filters
    assert (f.since, f.until) == (None, None)


def test_what_an_outlet_published_on_a_day_is_a_filter_without_topic_words():
    """Failed once: "publish" was a topic word, nothing matched it, and the dense floor left nothing."""
    parsed = parse("What did Eastern Wire publish on 2025-02-10?", ["Eastern Wire", "Baltic Courier"])
    assert parsed.terms == ()
    assert (parsed.filters.sources, parsed.filters.dates_only) == (("Eastern Wire",), True)
    assert (parsed.filters.since, parsed.filters.until) == (datetime(2025, 2, 10, tzinfo=timezone.utc),
                                                             datetime(2025, 2, 11, tzinfo=timezone.utc))


def test_the_core_baseline_reads_words_only():
    parsed = parse("What did Eastern Wire publish on 2025-02-10?", ["Eastern Wire"], understand=False)
    assert parsed.terms == ("eastern", "wire", "2025", "02", "10")
    assert not parsed.filters
