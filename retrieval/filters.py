"""What a question says besides its topic: dates, outlets, explicit filters and phrases.

"what did Reuters report on December 7 about Kupiansk?" -> outlet Reuters, 7 Dec, topic Kupiansk.
Each extractor returns what it found and the text without it, so filter words never reach BM25 or
the embedding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from index.normalize import parse_date
from retrieval.errors import BadQuery

_EXPLICIT = re.compile(r'\b(from|since|until):("[^"]*"|\S+)', re.IGNORECASE)
_PHRASE = re.compile(r'"([^"]+)"')
_BETWEEN = re.compile(r"\bbetween\s+(.+?)\s+and\s+(.+?)(?=[?,.;!]|\s+(?:about|on|of|for|in)\b|$)", re.IGNORECASE)
_NEWEST = re.compile(r"\b(latest|newest|most recent)\b", re.IGNORECASE)


def normalise(name: str) -> str:
    """Outlet names compared without case, accents, punctuation or a leading "the"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    return text.removeprefix("the ")


def explicit(text: str) -> tuple[dict[str, list[str]], str]:
    """from:reuters since:2024-12-01 until:... -> ({"from": [...], ...}, the rest)."""
    found: dict[str, list[str]] = {"from": [], "since": [], "until": []}
    for key, value in _EXPLICIT.findall(text):
        found[key.lower()].append(value.strip('"'))
    return found, _EXPLICIT.sub(" ", text)


def phrases(text: str) -> tuple[tuple[str, ...], str]:
    found = tuple(p.strip() for p in _PHRASE.findall(text) if p.strip())
    return found, _PHRASE.sub(lambda m: f" {m.group(1)} ", text)


def outlets(text: str, known: Iterable[str]) -> tuple[tuple[str, ...], str]:
    """Outlets of the archive named in the question (longest names first), and the text without them."""
    words = text.split()
    normalised = [normalise(w) for w in words]
    found: list[str] = []
    for outlet in sorted(set(known), key=lambda o: -len(normalise(o))):
        target = normalise(outlet).split()
        if not target:
            continue
        for i in range(len(words) - len(target) + 1):
            if normalised[i : i + len(target)] == target:
                found.append(outlet)
                start = i - 1 if i > 0 and normalised[i - 1] == "the" else i
                for j in range(start, i + len(target)):
                    words[j], normalised[j] = "", ""
                break
    return tuple(found), " ".join(w for w in words if w)


def mentions_newest(text: str) -> bool:
    return bool(_NEWEST.search(text))


@lru_cache(maxsize=4)
def _parser(base: datetime):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={
        "RELATIVE_BASE": base.replace(tzinfo=None), "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True})


def _span(expression: str, base: datetime) -> tuple[datetime, datetime] | None:
    """[start, end) of a date expression at its own granularity: a day, a week, a month, a year."""
    data = _parser(base).get_date_data(expression)
    if data.date_obj is None:
        return None
    day = data.date_obj.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=timezone.utc)
    if data.period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    if data.period == "month":
        start = day.replace(day=1)
        return start, (start + timedelta(days=32)).replace(day=1)
    if data.period == "year":
        start = day.replace(month=1, day=1)
        return start, start.replace(year=start.year + 1)
    if data.period == "time":  # "today", "yesterday" come back as a moment
        return day, day + timedelta(days=1)
    return day, day + timedelta(days=1)


@lru_cache(maxsize=1)
def _relative_parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings={"PARSERS": ["relative-time"]})


def _resolve(expression: str, now: datetime, archive_end: datetime) -> tuple[datetime, datetime] | None:
    """Relative expressions ("yesterday", "last week", "this month") count from now (or --as-of);
    a date without a year is the most recent one not after the archive's newest article, and an
    absolute date after that article cannot be when something was reported (None: a topic word)."""
    if _relative_parser().get_date_data(expression).date_obj is not None:
        return _span(expression, now)
    span = _span(expression, archive_end)
    return span if span and span[0] <= archive_end else None


def _is_date_filter(expression: str, core: str) -> bool:
    """Whether a date dateparser found in a question restricts publication dates. A number is a
    figure ("the 500 biggest banks"), a bare year without "in"/"during"/"since" qualifies the topic
    ("Swissair 1986 profit"), "now" is the present tense, and "five-year" an adjective."""
    if not re.search(r"\d|[A-Za-z]{3}", core):  # "</a>" is markup, not a date
        return False
    if core.isdigit() and len(core) != 4 or re.search(r"\b[A-Za-z]+-[A-Za-z]+\b", core) or \
            re.search(r"(?i)\bnow\b", core) and not re.search(r"\d", core):
        return False
    if re.fullmatch(r"\d{4}", core):
        return bool(re.match(r"(?i)(in|during|since|from)\b", expression))
    return True


def dates(text: str, now: datetime, archive_end: datetime) -> tuple[datetime | None, datetime | None, str]:
    """(since, until, text without the date words) for the dates a question names."""
    between = _BETWEEN.search(text)
    if between:
        year = re.search(r"\b\d{4}\b", between.group(2))
        start = between.group(1) if re.search(r"\b\d{4}\b", between.group(1)) or not year else \
            f"{between.group(1)} {year.group()}"  # "between March and May 1987": March of 1987 too
        first = _resolve(start, now, archive_end)
        last = _resolve(between.group(2), now, archive_end)
        if first and last:
            return first[0], last[1], text[: between.start()] + " " + text[between.end():]
    from dateparser.search import search_dates

    found = search_dates(text, languages=["en"], settings={
        "RELATIVE_BASE": archive_end.replace(tzinfo=None), "PREFER_DATES_FROM": "past"}) or []
    spans = []
    for expression, _ in found:
        core = " ".join(w for w in expression.split() if w.lower() not in {"on", "in", "about", "of", "during", "at", "the"})
        if not core or not _is_date_filter(expression, core):
            continue
        span = _resolve(core, now, archive_end)
        if span:
            spans.append(span)
            text = text.replace(expression, " ", 1)
    if not spans:
        return None, None, text
    return min(s for s, _ in spans), max(e for _, e in spans), text


def explicit_date(value: str, key: str) -> datetime:
    parsed = parse_date(value)
    if parsed is None:
        raise BadQuery(f"{key}:{value} is not a date; write it like {key}:2024-12-01.")
    return parsed
