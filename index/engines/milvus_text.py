"""The words of a text as Milvus's analyzer makes them (`ANALYZER`, `tokens`), and an FTS5 query read
as groups of them (`parse_match`, `satisfies`): what index.engines.milvus checks its BM25 candidates
with, since Milvus Lite has no phrase filter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import Stemmer

# As close to FTS5's `porter unicode61 remove_diacritics 2` as Milvus's analyzers come: Unicode word
# boundaries, lower case, accents folded, the Snowball English stemmer (Porter's successor).
ANALYZER = {"tokenizer": "standard", "filter": ["lowercase", "asciifolding", {"type": "stemmer", "language": "english"}]}

_TOKEN = re.compile(r'"((?:[^"]|"")*)"|(\()|(\))|(\S+)')


def parse_match(match: str) -> list[list[str]]:
    """retrieval.query.fts_match's FTS5 query as groups that must all match, each a list of
    alternatives (a term or a phrase) of which one must: `"deposit rate" AND ("ecb" OR "deposit")` ->
    [["deposit rate"], ["ecb", "deposit"]]. Only what fts_match writes: quoted strings, AND, OR, one
    level of parentheses; a bare word is a term."""
    groups: list[list[str]] = []
    current: list[str] | None = None
    for quoted, opening, closing, bare in (m.groups() for m in _TOKEN.finditer(match)):
        if opening:
            current = []
        elif closing:
            if current:
                groups.append(current)
            current = None
        elif bare in ("AND", "OR", "NOT"):
            continue
        else:
            text = quoted.replace('""', '"') if quoted is not None else bare
            if current is not None:
                current.append(text)
            else:
                groups.append([text])
    return groups


_stemmer = Stemmer.Stemmer("english")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return _stemmer.stemWord(word)


def tokens(text: str) -> list[str]:
    """The words of `text` as Milvus's ANALYZER makes them (lower case, accents folded, Snowball stems)."""
    folded = text.lower()
    if not folded.isascii():
        folded = "".join(c for c in unicodedata.normalize("NFKD", folded) if not unicodedata.combining(c))
    return [_stem(word) for word in re.findall(r"\w+", folded)]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    if not needle:
        return False
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def satisfies(groups: list[list[list[str]]], fields: Iterable[list[str]]) -> bool:
    """Each group has an alternative (a sequence of stems) inside one of the fields, as FTS5 reads it."""
    fields = list(fields)
    return all(any(_contains(field, alternative) for alternative in group for field in fields) for group in groups)
