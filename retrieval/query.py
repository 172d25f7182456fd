"""Question -> Query: the words BM25 should look for, and what to embed."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta, timezone

from retrieval import filters
from retrieval.errors import BadQuery, EmptyQuery
from retrieval.records import Filters, Query

MAX_QUESTION_CHARS = 1000  # a pasted article is not a question; the model reads 256 tokens anyway

_WORD = re.compile(r"\w+", re.UNICODE)

# Function words, plus the words journalists wrap around a topic ("what was reported about ...")
# that would otherwise pull every article that says "reported".
STOPWORDS = frozenset("""
a about above after again against all also am an and any anything are as at be because been before being
below between both but by can could did do does doing down during each else ever few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just let me more
most my myself no nor not now of off on once only or other our ours ourselves out over own same she should
so some something such than that the their theirs them themselves then there these they this those through
to too under until up very was we were what whatever when where which while who whom whose why will with
would you your yours yourself yourselves s t d ll re ve m
news report reports reported reporting coverage covered say said says tell told know anyone anybody
article articles story stories latest newest recent recently happened happening please show find give
according cover covered publish published publishes publishing write wrote written writes
""".split())


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def parse(question: str, outlets: Iterable[str] = (), now: datetime | None = None,
          archive_end: datetime | None = None, understand: bool = True) -> Query:
    """The topic words of a question and the filters it sets; raises EmptyQuery when there is
    nothing to search for and BadQuery for a filter that cannot be read. `understand=False` reads
    words only (no dates, outlets, phrases): the baseline of the evaluation."""
    text = " ".join(question.split())
    if not text:
        raise EmptyQuery("The question is empty: ask about a person, a place or an event.")
    text = text[:MAX_QUESTION_CHARS]
    if not words(text):
        raise EmptyQuery("The question has no words to search for: ask about a person, a place or an event.")
    if not understand:
        topic = [t for t in dict.fromkeys(words(text)) if t not in STOPWORDS] or words(text)
        return Query(question=question, dense_text=text, terms=tuple(topic), topic=_topic(text))
    now = now or datetime.now(timezone.utc)
    given, rest = filters.explicit(text)
    sources = []
    for name in given["from"]:
        matches = filters.stated_outlets(name, outlets)
        if not matches:
            raise BadQuery(f"The archive has no outlet called {name!r}.")
        sources.extend(matches)
    exact = tuple(p.strip() for p in given["exact"] if p.strip())
    quoted, rest = filters.phrases(rest)
    named, rest = filters.outlets(rest, outlets)
    since = filters.explicit_date(given["since"][-1], "since") if given["since"] else None
    until = filters.explicit_date(given["until"][-1], "until") if given["until"] else None
    if until is not None:  # until: is inclusive: up to the end of that day (the last day there is has no end)
        until = until + timedelta(days=1) if until.date() < date.max else None
    if since and until and until <= since:
        raise BadQuery(f"until:{given['until'][-1]} is before since:{given['since'][-1]}: swap them.")
    stated = bool(given["since"] or given["until"])
    if not stated:
        since, until, rest = filters.dates(rest, now, archive_end or now)
    tokens = words(rest) + [w for p in exact for w in words(p)]
    topic = [t for t in dict.fromkeys(tokens) if t not in STOPWORDS]
    found = Filters(sources=tuple(dict.fromkeys(sources)), since=since, until=until, phrases=exact,
                    outlets=named, quoted=quoted, newest_first=filters.mentions_newest(rest), dates_only=stated)
    if not topic and not (found or named or since or until):
        topic = list(dict.fromkeys(tokens)) or words(text)
    dense_text = " ".join([*rest.split(), *exact]) if topic else text
    return Query(question=question, dense_text=dense_text, terms=tuple(topic), filters=found,
                 topic=_topic(" ".join([*rest.split(), *exact])) if topic else " ".join(exact + quoted) or text)


def _topic(text: str) -> str:
    """The question without the words around its topic: "what was reported about Rovno?" -> "Rovno"."""
    spans = [m.span() for m in _WORD.finditer(text) if m.group().lower() not in STOPWORDS]
    return text[spans[0][0] : spans[-1][1]] if spans else text


def says(text: str, phrases: tuple[str, ...]) -> bool:
    """Whether a text has every phrase word for word (case and spacing aside)."""
    flat = " ".join(text.lower().split())
    return all(" ".join(p.lower().split()) in flat for p in phrases)


def fts_quote(text: str) -> str:
    """A word or phrase as an FTS5 string: nothing in it is read as query syntax."""
    return '"' + text.replace('"', '""') + '"'


def fts_match(terms: tuple[str, ...], phrases: tuple[str, ...] = (),
              variants: Mapping[str, tuple[str, ...]] | None = None, quoted: tuple[str, ...] = ()) -> str | None:
    """An FTS5 query: every required phrase (exact:), and any of the terms, their other spellings or
    the quoted phrases, which rank higher where they appear (all quoted, so nothing is read as syntax)."""
    required = [fts_quote(p) for p in phrases]
    spelled = [v for t in terms for v in (variants or {}).get(t, ())]
    anyof = [fts_quote(t) for t in dict.fromkeys([*quoted, *terms, *spelled])]
    if anyof:
        required.append("(" + " OR ".join(anyof) + ")")
    return " AND ".join(required) or None
