"""Question -> Query: the words BM25 should look for, and what to embed."""

from __future__ import annotations

import re

from retrieval.errors import EmptyQuery
from retrieval.records import Query

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
article articles story stories latest recent recently happened happening please show find give
""".split())


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def parse(question: str) -> Query:
    """The topic words of a question; raises EmptyQuery when there is nothing to search for."""
    text = " ".join(question.split())
    if not text:
        raise EmptyQuery("The question is empty: ask about a person, a place or an event.")
    text = text[:MAX_QUESTION_CHARS]
    tokens = words(text)
    if not tokens:
        raise EmptyQuery("The question has no words to search for: ask about a person, a place or an event.")
    topic = [t for t in dict.fromkeys(tokens) if t not in STOPWORDS]
    return Query(question=question, dense_text=text, terms=tuple(topic or dict.fromkeys(tokens)),
                 topic=_topic(text))


def _topic(text: str) -> str:
    """The question without the words around its topic: "what was reported about Rovno?" -> "Rovno"."""
    spans = [m.span() for m in _WORD.finditer(text) if m.group().lower() not in STOPWORDS]
    return text[spans[0][0] : spans[-1][1]] if spans else text


def fts_match(terms: tuple[str, ...]) -> str:
    """An FTS5 query that matches any of the terms (quoted, so no term is read as syntax)."""
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
