"""The first stage: how a question is read against one generation."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from index.engines.base import SearchIndex
from retrieval import floor as floors, highlight, query as query_parser, variants
from retrieval.filters import may_name_a_date
from retrieval.numbers import LANGUAGES
from retrieval.plan import SearchSettings
from retrieval.records import Query


def read(snapshot: SearchIndex, question: str, settings: SearchSettings,
         as_of: datetime | None = None) -> tuple[Query, dict[str, int]]:
    """The question's topic words, what it states and implies (`as_of` is "now" for "last week"), the
    archive's other spellings of its words and the names among them; and the document frequencies of
    its stems and of those spellings, which BM25's word choice and the highlight weigh."""
    return spellings(snapshot, question, parse(snapshot, question, settings, as_of), settings)


def parse(snapshot: SearchIndex, question: str, settings: SearchSettings, as_of: datetime | None = None) -> Query:
    """The question's topic words and what it states and implies: all that its embedded text
    (`Query.dense_text`) depends on, so the question can be encoded while `spellings` reads the rest."""
    return query_parser.parse(question, snapshot.outlets, now=as_of, archive_end=snapshot.archive_end,
                              understand=settings.understand)


def unread_embedding(question: str) -> str | None:
    """What the model will embed of a question that, by its look, states no filter: its words,
    single-spaced (`Query.dense_text` then); None when it may (a digit, a date word, a quote, a colon,
    which `parse` takes out of the embedded text) or has nothing to embed. A guess for starting the
    encoding early, checked against `parse` (an outlet's name is missed and costs a second encoding)."""
    text = query_parser.normalised(question)
    if not text or _MAY_FILTER.search(text) or may_name_a_date(text, LANGUAGES):
        return None
    return text


_MAY_FILTER = re.compile(r"[\"“”«»„:]")


def spellings(snapshot: SearchIndex, question: str, parsed: Query,
              settings: SearchSettings) -> tuple[Query, dict[str, int]]:
    """`read` after `parse`: the archive's other spellings of the question's words, the names among them
    and the document frequencies (the embedded text is left as parsed)."""
    frequencies = snapshot.document_frequencies([highlight.stem(t) for t in parsed.terms])
    # read once: the language parse detected and the words written as names serve every step after it
    written = variants.capitalised(question)
    other, spelled = variants.find(snapshot, question, parsed.terms, frequencies, settings.variants,
                                   parsed.language, written)
    if other:
        parsed, frequencies = replace(parsed, variants=tuple(other.items())), {**frequencies, **spelled}
    return replace(parsed, names=floors.names(question, parsed, written)), frequencies
