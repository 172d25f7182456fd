"""The question's date reading asks dateparser only when the question could name a date, and answers
the same as when it always asks."""
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from index import language as languages
from retrieval import filters

QRELS = Path(__file__).resolve().parent.parent / "bench" / "qrels"
NOW = datetime(2025, 2, 12, 9, 0, tzinfo=timezone.utc)
ARCHIVE_END = datetime(2025, 2, 11, 18, 0, tzinfo=timezone.utc)

CYRILLIC = [
    ("uk", "що писали про Рівне 7 грудня?"),
    ("uk", "що повідомляли вчора про обстріл Харкова?"),
    ("uk", "новини про порт Одеси минулого тижня"),
    ("uk", "що писали про Рівне?"),
    ("uk", "скільки загинуло у Львові у понеділок"),
    ("ru", "что писали вчера о забастовке в порту?"),
    ("ru", "что сообщали о Ровно в прошлом месяце"),
    ("ru", "что писали о Ровно?"),
    ("ru", "сколько погибших в Харькове 3 февраля"),
]


def _questions() -> list[tuple[str, str]]:
    """Every judged question of bench/qrels, in the languages the question's reading gives them."""
    asked = [json.loads(line)["question"] for name in sorted(QRELS.glob("*.jsonl"))
             for line in name.read_text(encoding="utf-8").splitlines() if '"question"' in line]
    return [(languages.of_question(text) or ("cyrillic" if languages.has_cyrillic(text) else "en"), text)
            for text in asked] + CYRILLIC


@pytest.mark.parametrize("text", [
    "what was reported last week about the port strike?", "what did Reuters say on December 7?",
    "news from tonight", "what happened yesterday in Rovno", "reports this month", "a five pct stake",
    "the 1987 budget", "since Monday", "in March", "what happened a fortnight ago"])
def test_a_question_with_a_date_word_or_a_digit_may_name_a_date(text):
    assert filters.may_name_a_date(text, ("en",)) is True


@pytest.mark.parametrize("language, text", [
    ("uk", "що писали 7 грудня"), ("uk", "що писали вчора"), ("uk", "новини минулого тижня"),
    ("uk", "що було у понеділок"), ("ru", "что писали вчера"), ("ru", "новости прошлого месяца"),
    ("ru", "что было в понедельник")])
def test_a_cyrillic_question_with_a_date_word_may_name_a_date(language, text):
    assert filters.may_name_a_date(text, (language,)) is True


@pytest.mark.parametrize("language, text", [
    ("en", "what was reported about Rovno?"), ("en", "who bought the steel mill"),
    ("en", "why is Taiwan's ship scrapping business expected to shrink"), ("en", "why didn't Ecuador pay"),
    ("uk", "що писали про Рівне?"), ("ru", "что писали о Ровно?")])
def test_a_question_without_one_is_not_read_for_dates(language, text):
    assert filters.may_name_a_date(text, (language,)) is False


def test_dates_are_read_the_same_as_when_dateparser_is_always_asked(monkeypatch):
    questions = _questions()
    gated = [filters.dates(text, NOW, ARCHIVE_END, filters.date_languages(language))
             for language, text in questions]
    skipped = sum(not filters.may_name_a_date(text, filters.date_languages(language))
                  for language, text in questions)
    monkeypatch.setattr(filters, "may_name_a_date", lambda *_: True)
    always = [filters.dates(text, NOW, ARCHIVE_END, filters.date_languages(language))
              for language, text in questions]
    assert len(questions) >= 698  # bench/qrels grows
    assert [q for q, g, a in zip(questions, gated, always) if g != a] == []
    assert any(since or until for since, until, _ in gated)
    assert skipped > len(questions) // 4  # the gate is worth having: many questions skip the search
