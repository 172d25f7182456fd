"""What a question says besides its topic: dates, outlets, explicit filters and phrases.

"what did Reuters report on December 7 about Kupiansk?" -> outlet Reuters, 7 Dec, topic Kupiansk.
Each extractor returns what it found and the text without it, so filter words never reach BM25 or
the embedding. What is read from the words ranks; only what is stated (from:, since:, until:,
exact:"...") filters (retrieval.records.Filters).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from index.normalize import parse_date
from retrieval.lexicon import ordinary
from retrieval.errors import NotADate

_EXPLICIT = re.compile(r'\b(from|since|until|exact):("[^"]*"|\S+)', re.IGNORECASE)
# straight and typographic double quotes: a phone keyboard types “...”
_PHRASE = re.compile(r'["“”„]([^"“”„]+)["“”„]')
_BETWEEN = re.compile(r"\bbetween\s+(.+?)\s+and\s+(.+?)(?=[?,.;!]|\s+(?:about|on|of|for|in)\b|$)", re.IGNORECASE)
# "latest" asks for the newest reports only where it is about the reporting ("the latest on Rovno",
# "latest news about OPEC", "Rovno latest"), not inside a name ("Apple's latest iPhone", "her latest
# novel"): after a possessive, or before a word that is not about reports, it is part of the topic.
_NEWEST = re.compile(r"\b(latest|newest|most recent)\b", re.IGNORECASE)
_POSSESSIVE = re.compile(r"(['’]s|\b(his|her|its|their|our|my|your))\s*$", re.IGNORECASE)
_ABOUT_REPORTS = re.compile(r"^\s*(?:[?.!,;:]|$|(?:\w+\s+){0,2}(news|reports?|reporting|stories|story|updates?|"
                            r"developments?|coverage|articles?|headlines?)\b|(on|about|from|in|regarding)\b)",
                            re.IGNORECASE)
# Outlet names often carry a section or a slogan after a separator: "BBC News - Europe",
# "Reuters | Business News"; people name the part before it.
_OUTLET_SEPARATOR = re.compile(r"\s+[|\-–—:]\s+")
_CONNECTIVES = {"the", "of", "and", "a", "news"}
# A one-word outlet name at least this common in English (wordfreq's Zipf scale: "verge" 3.7, "guardian"
# 4.3, "week" 5.6) names the outlet only when written with a capital; rarer ones ("techcrunch" 2.7) in
# any case.
OUTLET_WORD_ZIPF = 3.0


def normalise(name: str) -> str:
    """Outlet names compared without case, accents, punctuation or a leading "the"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    text = " ".join(re.sub(r"[^\w]+", " ", text).split())
    return text.removeprefix("the ")


def explicit(text: str) -> tuple[dict[str, list[str]], str]:
    """from:reuters since:2024-12-01 until:... exact:"..." -> ({"from": [...], ...}, the rest)."""
    found: dict[str, list[str]] = {"from": [], "since": [], "until": [], "exact": []}
    for key, value in _EXPLICIT.findall(text):
        found[key.lower()].append(value.strip('"'))
    return found, _EXPLICIT.sub(" ", text)


def phrases(text: str) -> tuple[tuple[str, ...], str]:
    found = tuple(p.strip() for p in _PHRASE.findall(text) if p.strip())
    return found, _PHRASE.sub(lambda m: f" {m.group(1)} ", text)


@lru_cache(maxsize=4096)
def aliases(outlet: str) -> frozenset[tuple[str, ...]]:
    """What people call an outlet, as normalised word sequences: its whole name; the part before a
    section or slogan ("BBC News - Europe" -> "bbc news", "bbc"); the name of its domain
    ("theguardian.com" -> "theguardian", "guardian"); and its initials (written in capitals in a
    question: "NYT", "WSJ")."""
    names = {normalise(outlet)}
    head = _OUTLET_SEPARATOR.split(outlet.strip())[0]
    names.add(normalise(head))
    domain = re.fullmatch(r"(?:www\.)?[\w-]+(?:\.[a-z]{2,})+", head.strip().lower())
    if domain:
        label = head.strip().lower().removeprefix("www.").split(".")[0]
        names.update({label, label.removeprefix("the")} if len(label) > 6 else {label})
    for name in list(names):
        kept = [w for w in name.split() if w not in _CONNECTIVES]
        if kept:
            names.add(" ".join(kept))
    found = {tuple(n.split()) for n in names if n}
    words = [w for w in normalise(head).split() if w not in _CONNECTIVES]
    if len(words) >= 2 and not domain:
        found.add(("#" + "".join(w[0] for w in words),))  # initials: matched only in capitals
    return frozenset(found)


def _words(text: str) -> tuple[list[str], list[tuple[str, int]]]:
    """The question's whitespace tokens, and its normalised words with the token each comes from; a
    possessive "'s" is not part of a name ("the Guardian's review")."""
    tokens = text.split()
    words = [(w, i) for i, token in enumerate(tokens) for w in normalise(re.sub(r"['’]s\W*$", "", token)).split()]
    return tokens, words


def _match(alias: tuple[str, ...], tokens: list[str], words: list[tuple[str, int]], k: int) -> range | None:
    """The tokens that spell `alias` from word k on, or None."""
    first = words[k][1]
    if alias[0].startswith("#"):  # initials: a token of their own, in capitals
        written = re.sub(r"['’]s$", "", tokens[first].strip(".,;:!?()\"'“”"))
        return range(first, first + 1) if written.isupper() and written.lower() == alias[0][1:] else None
    if tuple(w for w, _ in words[k : k + len(alias)]) != alias:
        return None
    # one ordinary English word ("guardian", "week", "verge") names an outlet only when capitalised;
    # initialisms ("cnn", "bbc") need no capital
    if len(alias) == 1 and ordinary(alias[0], at_least=OUTLET_WORD_ZIPF) and re.search("[aeiouy]", alias[0]) \
            and not tokens[first].lstrip("\"'“(")[:1].isupper():
        return None
    return range(first, words[k + len(alias) - 1][1] + 1)


def outlets(text: str, known: Iterable[str]) -> tuple[tuple[tuple[str, ...], ...], str]:
    """The outlets named in the question, in the order named, each as the archive's outlets it may
    mean ("BBC" -> ("BBC News - Business", "BBC News - Europe")); and the text without the names."""
    tokens, words = _words(text)
    by_alias = _by_alias(tuple(sorted(set(known))))
    present = {w for w, _ in words}
    named: dict[int, tuple[str, ...]] = {}  # first token -> outlets
    taken = [False] * len(tokens)
    for alias in by_alias:
        if not alias[0].startswith("#") and alias[0] not in present:  # _match needs its first word
            continue
        for k in range(len(words)):
            span = _match(alias, tokens, words, k)
            if span is None or any(taken[j] for j in span):
                continue
            named[span.start] = tuple(dict.fromkeys(named.get(span.start, ()) + tuple(by_alias[alias])))
            before = span.start - 1
            for j in [*span, *([before] if before >= 0 and tokens[before].lower() == "the" else [])]:
                taken[j] = True
    groups: list[tuple[str, ...]] = []
    for _, group in sorted(named.items()):
        if group not in groups:
            groups.append(group)
    return tuple(groups), " ".join(token for token, gone in zip(tokens, taken) if not gone)


@lru_cache(maxsize=8)
def _by_alias(known: tuple[str, ...]) -> dict[tuple[str, ...], list[str]]:
    """The archive's outlets by each of their names, longest names first (the order `outlets` takes
    them in): made once per set of outlets, not per question."""
    by_alias: dict[tuple[str, ...], list[str]] = {}
    for outlet in known:
        for alias in aliases(outlet):
            by_alias.setdefault(alias, []).append(outlet)
    return {alias: by_alias[alias] for alias in sorted(by_alias, key=lambda a: (-len(a), -len(a[0])))}


def stated_outlets(name: str, known: Iterable[str]) -> list[str]:
    """The archive's outlets a from: filter names: by any of their names, else containing it."""
    wanted = tuple(normalise(name).split())
    known = list(known)
    return [o for o in known if wanted in aliases(o)] or \
        [o for o in known if normalise(name) and normalise(name) in normalise(o)]


def mentions_newest(text: str) -> bool:
    """Whether the question asks for the newest reports (see _NEWEST)."""
    return any(not _POSSESSIVE.search(text[: m.start()]) and _ABOUT_REPORTS.match(text[m.end():])
               for m in _NEWEST.finditer(text))


@lru_cache(maxsize=8)
def _parser(base: datetime, languages: tuple[str, ...] = ("en",)):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=list(languages), settings={
        "RELATIVE_BASE": base.replace(tzinfo=None), "PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True})


def _span(expression: str, base: datetime, languages: tuple[str, ...] = ("en",)) -> tuple[datetime, datetime] | None:
    """[start, end) of a date expression at its own granularity: a day, a week, a month, a year."""
    data = _parser(base, languages).get_date_data(expression)
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


@lru_cache(maxsize=4)
def _relative_parser(languages: tuple[str, ...] = ("en",)):
    from dateparser.date import DateDataParser

    return DateDataParser(languages=list(languages), settings={"PARSERS": ["relative-time"]})


def date_languages(language: str) -> tuple[str, ...]:
    """dateparser's languages for a question in `language` (index.language.of_question): its own for
    Ukrainian and Russian ("7 грудня", "вчера"), both for a Cyrillic question of unknown language."""
    return (language,) if language in ("en", "uk", "ru") else ("uk", "ru") if language == "cyrillic" else ("en",)


def _resolve(expression: str, now: datetime, archive_end: datetime,
             languages: tuple[str, ...] = ("en",)) -> tuple[datetime, datetime] | None:
    """Relative expressions ("yesterday", "last week", "this month") count from now (or --as-of);
    a date without a year is the most recent one not after the archive's newest article, and an
    absolute date after that article cannot be when something was reported (None: a topic word)."""
    if _relative_parser(languages).get_date_data(expression).date_obj is not None:
        return _span(expression, now, languages)
    span = _span(expression, archive_end, languages)
    return span if span and span[0] <= archive_end else None


def _is_date_filter(expression: str, core: str) -> bool:
    """Whether a date dateparser found in a question restricts publication dates. A number is a
    figure ("the 500 biggest banks"), a bare year without "in"/"during"/"since" qualifies the topic
    ("Swissair 1986 profit"), "now" is the present tense, and "five-year" an adjective."""
    if not re.search(r"\d|[A-Za-z\u0400-\u04ff]{3}", core):  # "</a>" is markup, not a date
        return False
    if core.isdigit() and len(core) != 4 or re.search(r"\b[A-Za-z]+-[A-Za-z]+\b", core) or \
            re.search(r"(?i)\bnow\b", core) and not re.search(r"\d", core):
        return False
    if re.fullmatch(r"\d{4}", core):
        return bool(re.match(r"(?i)(in|during|since|from|в|у|з|с)\b", expression))
    return True


# Words dateparser takes into a date expression that are not the date ("on December 7", "у грудні")
_AROUND_DATES = frozenset({"on", "in", "about", "of", "during", "at", "the", "в", "у", "о", "про", "за"})


_MONTHS = ("january|february|march|april|may|june|july|august|september|october|november|december|"
           "jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|"
           "січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня|"
           "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря")
# A day of a month, with or without its year ("7 December 2024", "December 7, 2024", "Dec. 7", "7 грудня"):
# dateparser's search splits these ("on 7 December 2024" came back as "December" and "2024", the whole
# month), so they are found first and read whole
_DAY_OF_MONTH = re.compile(
    rf"(?i)(?<![\w.,])(?:(?:on|of|at|the|в|у|о)\s+)*(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)"
    r"(?:,?\s+\d{4}(?:\s*(?:р\.|г\.|року|года))?)?(?![\w,.]\d)(?!\s*(?:pct|%|percent|per cent|mln|billion|million|dlrs))(?:\s+about\b)?")


# dateparser's entries that cannot name a date without a digit or another of its date words: the number
# patterns, what needs a number and a unit ("3 days ago", "in 3 days": also inside its rewriting rules,
# "in the morning"), and the words it skips or reads as "of"
_NUMBER_PATTERNS = ("name", "date_order", "sentence_splitter_group", "locale_specific", "relative-type-regex")
_MODIFIERS = ("ago", "in")
_DROPPED = ("skip", "pertain")
_WORD = re.compile(r"[^\W\d_]+")
# "Taiwan's", "didn't": the clitic is no date unit ("s" is dateparser's word for seconds)
_CLITIC = re.compile(r"['’](?:s|t|d|ll|re|ve|m)(?![^\W\d_])", re.IGNORECASE)


@lru_cache(maxsize=8)
def _date_words(languages: tuple[str, ...]) -> frozenset[str]:
    """The words of dateparser's own data for `languages` that may name a date with no digit beside them:
    months, weekdays, units, "today", "вчора", number words, "tonight"... The rewriting rules' "a" and
    "an" stand for 1, which needs a unit."""
    from importlib import import_module

    def words_of(texts) -> set[str]:
        return {w.lower() for t in texts for w in _WORD.findall(t)}

    words: set[str] = set()
    dropped = {"a", "an"}
    for language in languages:
        info = import_module(f"dateparser.data.date_translation_data.{language}").info
        for entries in [info, *info.get("locale_specific", {}).values()]:
            listed = {key: [t for v in value.values() for t in v] if isinstance(value, dict) else value
                      for key, value in entries.items() if key not in _NUMBER_PATTERNS}
            modifiers = words_of(t for key in _MODIFIERS for t in listed.pop(key, []))
            dropped |= words_of(t for key in _DROPPED for t in listed.pop(key, []))
            # what a rewriting rule writes is not in the text: its pattern is
            rules = words_of(pattern for rule in listed.pop("simplifications", []) for pattern in rule)
            words |= words_of(t for texts in listed.values() for t in texts) | (rules - modifiers)
    return frozenset(words - dropped)


def may_name_a_date(text: str, languages: tuple[str, ...] = ("en",)) -> bool:
    """Whether dateparser's search could find a date in `text`: a digit, or one of its words for dates.
    Most questions have neither, and the search costs more than the rest of the question's reading; the
    answer is the same without it (tests/test_filters.py asks both ways)."""
    return bool(re.search(r"\d", text)) or not _date_words(languages).isdisjoint(
        w.lower() for w in _WORD.findall(_CLITIC.sub("", text)))


def dates(text: str, now: datetime, archive_end: datetime,
          languages: tuple[str, ...] = ("en",)) -> tuple[datetime | None, datetime | None, str]:
    """(since, until, text without the date words) for the dates a question names, in `languages`
    (`date_languages`)."""
    between = _BETWEEN.search(text)
    if between:
        year = re.search(r"\b\d{4}\b", between.group(2))
        start = between.group(1) if re.search(r"\b\d{4}\b", between.group(1)) or not year else \
            f"{between.group(1)} {year.group()}"  # "between March and May 1987": March of 1987 too
        first = _resolve(start, now, archive_end, languages)
        last = _resolve(between.group(2), now, archive_end, languages)
        if first and last:
            return first[0], last[1], text[: between.start()] + " " + text[between.end():]
    from dateparser.search import search_dates

    spans = []
    for day in list(_DAY_OF_MONTH.finditer(text)):
        if re.search(r"\bmay\b", day.group()):  # lower case: the verb ("profits may 5 ...")
            continue
        span = _resolve(re.sub(r"(?i)(\d)(st|nd|rd|th)\b|\bof\s+", r"\1", day.group()), now, archive_end, languages)
        if span:
            spans.append(span)
            text = text.replace(day.group(), " ", 1)
    found = search_dates(text, languages=list(languages), settings={
        "RELATIVE_BASE": archive_end.replace(tzinfo=None), "PREFER_DATES_FROM": "past"}) or [] \
        if may_name_a_date(text, languages) else []
    for expression, _ in found:
        core = " ".join(w for w in expression.split() if w.lower() not in _AROUND_DATES)
        if not core or not _is_date_filter(expression, core):
            continue
        span = _resolve(core, now, archive_end, languages)
        if span:
            spans.append(span)
            text = text.replace(expression, " ", 1)
    if not spans:
        return None, None, text
    return min(s for s, _ in spans), max(e for _, e in spans), text


def explicit_date(value: str, key: str) -> datetime:
    parsed = parse_date(value)
    if parsed is None:
        raise NotADate(key, value)
    return parsed
