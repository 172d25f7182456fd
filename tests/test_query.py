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
    """(topic words, outlets: stated ones, else those named in passing, dates)."""
    q = parse(question, OUTLETS, NOW, ARCHIVE_END)
    f = q.filters
    outlets = f.sources or tuple(o for group in f.outlets for o in group)
    return q.terms, outlets, f.since and f.since.date().isoformat(), f.until and f.until.date().isoformat()


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
     (("google", "antitrust", "case"), ("The Verge", "TechCrunch"), None, None)),
    ("according to techcrunch, what happened to Zipwell", (("zipwell",), ("TechCrunch",), None, None)),
    ("from:reuters since:2024-12-01 until:2024-12-31 Rovno", (("rovno",), ("Reuters",), "2024-12-01", "2025-01-01")),
    ("the 500 biggest banks", (("500", "biggest", "banks"), (), None, None)),
])
def test_questions_become_topic_words_and_filters(question, expected):
    assert read(question) == expected


def test_quoted_text_ranks_and_exact_text_filters():
    q = parse('the latest on "deposit rate" ECB', OUTLETS, NOW, ARCHIVE_END)
    assert (q.filters.quoted, q.filters.phrases, q.filters.newest_first, q.terms) == (
        ("deposit rate",), (), True, ("deposit", "rate", "ecb"))
    assert fts_match(q.terms, q.filters.phrases, quoted=q.filters.quoted) == '("deposit rate" OR "deposit" OR "rate" OR "ecb")'
    assert q.filters.as_dict() == {
        "stated": {"from": [], "since": None, "until": None, "exact": []},
        "inferred": {"outlets": [], "since": None, "until": None, "quoted": ["deposit rate"], "order": "newest"}}
    q = parse('exact:"deposit rate" ECB from:reuters', OUTLETS, NOW, ARCHIVE_END)
    assert (q.filters.phrases, q.filters.sources, q.terms) == (("deposit rate",), ("Reuters",), ("ecb", "deposit", "rate"))
    assert fts_match(q.terms, q.filters.phrases) == '"deposit rate" AND ("ecb" OR "deposit" OR "rate")'
    assert q.filters.as_dict()["stated"] == {"from": ["Reuters"], "since": None, "until": None, "exact": ["deposit rate"]}


@pytest.mark.parametrize("question, newest", [
    ("the latest on Rovno", True), ("latest news about OPEC", True), ("Rovno latest", True),
    ("what are the most recent reports from Kupiansk?", True),
    ("Apple's latest iPhone", False), ("her latest novel", False), ("latest iPhone sales in China", False),
])
def test_latest_orders_by_date_only_when_it_is_about_the_reports(question, newest):
    assert parse(question, OUTLETS, NOW, ARCHIVE_END).filters.newest_first is newest


ARCHIVE_OUTLETS = ["BBC News - Europe", "BBC News - Business", "Reuters | Business News",
                   "Cnbc | World Business News Leader", "theguardian.com", "The Verge", "TechCrunch", "The Week"]


@pytest.mark.parametrize("question, outlets, terms", [
    ("What did the BBC say about Rovno?", [["BBC News - Business", "BBC News - Europe"]], ("rovno",)),
    ("Reuters on OPEC output", [["Reuters | Business News"]], ("opec", "output")),
    ("did cnbc cover the Fed?", [["Cnbc | World Business News Leader"]], ("fed",)),
    ("Did the Guardian's review of Oppenheimer praise it?", [["theguardian.com"]], ("review", "oppenheimer", "praise")),
    ("Does The Verge suggest AI is risky, while TechCrunch reports layoffs?", [["The Verge"], ["TechCrunch"]],
     ("suggest", "ai", "risky", "layoffs")),
    # ordinary words name an outlet only when written as a name
    ("on the verge of a strike this week", [], ("verge", "strike")),
])
def test_outlets_are_recognised_by_what_people_call_them(question, outlets, terms):
    q = parse(question, ARCHIVE_OUTLETS, NOW, ARCHIVE_END)
    assert ([list(g) for g in q.filters.outlets], q.terms, q.filters.sources) == (outlets, terms, ())


def test_filter_words_do_not_reach_the_dense_query_either():
    q = parse("what did Reuters report on December 7 about Kupiansk?", OUTLETS, NOW, ARCHIVE_END)
    assert (q.dense_text, q.topic) == ("what did report Kupiansk?", "Kupiansk")


@pytest.mark.parametrize("question, language, day", [
    ("what was reported about Zaporizhzhia on 7 December 2024?", "en", 7),
    ("what was reported on December 7 about Zaporizhzhia", "en", 7),
    ("Zaporizhzhia strike, Dec. 9", "en", 9),
    ("the Fed on the 7th of November", "en", 7),
    ("що повідомляли 8 грудня про Запоріжжя?", "uk", 8),
    ("что писали 7 декабря 2024 г. о Запорожье?", "ru", 7),
])
def test_a_day_of_a_month_is_that_day_not_the_month(question, language, day):
    """dateparser's search split "on 7 December 2024" into "December" and "2024": the whole month."""
    q = parse(question, OUTLETS, NOW, ARCHIVE_END)
    month = 11 if "November" in question else 12
    assert (q.filters.since, q.filters.until, q.language) == (
        datetime(2024, month, day, tzinfo=UTC), datetime(2024, month, day + 1, tzinfo=UTC), language)


@pytest.mark.parametrize("question, message, fields", [
    ("from:nobody Rovno", "The archive has no outlet called 'nobody'.", {"name": "nobody"}),
    ("since:someday Rovno", "since:someday is not a date; write it like since:2024-12-01.",
     {"key": "since", "value": "someday"}),
    ("since:2025-01-05 until:2024-12-31 Rovno", "until:2024-12-31 is before since:2025-01-05: swap them.",
     {"since": "2025-01-05", "until": "2024-12-31"}),
])
def test_filters_that_cannot_be_read_are_one_sentence(question, message, fields):
    with pytest.raises(BadQuery) as raised:
        parse(question, OUTLETS, NOW, ARCHIVE_END)
    assert str(raised.value) == message
    assert {k: getattr(raised.value, k) for k in fields} == fields  # what the bot says it with, in any language


@pytest.mark.parametrize("question, stated", [
    ("Rovno on December 7", False),  # a date in the words may be about the events: that period first
    ("since:2024-12-01 Rovno", True),  # stated: nothing else
    ("what was reported on December 12, 2024?", False),  # the date is the whole question, still a preference
])
def test_stated_dates_filter_and_dates_in_the_words_rank(question, stated):
    f = parse(question, OUTLETS, NOW, ARCHIVE_END).filters
    assert (f.dates_only, bool(f), f.period == (None, None)) == (stated, stated, stated)


@pytest.mark.parametrize("question", ["<b>Rovno</b> </a> & `code`", "Is there now a swaps agreement?",
                                      "the five-year Army order", "Swissair 1986 profit"])
def test_things_that_only_look_like_dates_are_not_filters(question):
    f = parse(question, OUTLETS, NOW, ARCHIVE_END).filters
    assert (f.since, f.until) == (None, None)


def test_what_an_outlet_published_on_a_day_is_read_without_topic_words():
    """Failed once: "publish" was a topic word, nothing matched it, and the dense floor left nothing."""
    parsed = parse("What did Eastern Wire publish on 2025-02-10?", ["Eastern Wire", "Baltic Courier"])
    assert parsed.terms == ()
    assert (parsed.filters.outlets, parsed.filters.sources, parsed.filters.dates_only) == ((("Eastern Wire",),), (), False)
    assert (parsed.filters.since, parsed.filters.until) == (datetime(2025, 2, 10, tzinfo=timezone.utc),
                                                             datetime(2025, 2, 11, tzinfo=timezone.utc))


def test_the_last_day_there_is_is_no_overflow():
    f = parse("until:9999-12-31 Rovno", OUTLETS, NOW, ARCHIVE_END).filters
    assert (f.since, f.until, f.dates_only) == (None, None, True)


def test_the_core_baseline_reads_words_only():
    parsed = parse("What did Eastern Wire publish on 2025-02-10?", ["Eastern Wire"], understand=False)
    assert parsed.terms == ("eastern", "wire", "2025", "02", "10")
    assert not parsed.filters
