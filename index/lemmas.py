"""Ukrainian and Russian words reduced to their dictionary forms, for BM25: "Рівному" is "рівне",
"повідомляли" "повідомляти", "Харькове" "харьков". FTS5's porter tokenizer stems English only and
passes Cyrillic words through as written, so an inflected word would only find itself.

pymorphy3 with its Ukrainian and Russian dictionaries (OpenCorpora, VESUM) reads each word. Its analyzers
are loaded on first use, once per process (about 0.1 s and 40 MB for both; bench/lemma_cost.py).

The full-text index keeps the passage as written (its `text` column, which highlights are cut from)
and beside it a `lemmas` column (index.schema) with the dictionary forms of its Cyrillic words that the
text column does not already hold as written: a question's Cyrillic words, reduced the same way
(`forms`), find any inflection of them, and an English passage adds nothing.

A word's forms are all its readings' dictionary forms, not only the likeliest: names are often read
two ways ("Харкові" as харко or харків; "Рівному" as the town рівне or the adjective рівний) and the
likeliest reading of a passage's word need not be the likeliest of the question's.

Apostrophes (' ’ ʼ) belong to Ukrainian words (Куп'янськ, п'ять) but FTS5's tokenizer splits words at
' and ’; the dictionary forms are therefore written without them ("купянськ"), whole, for both sides.
"""

from __future__ import annotations

import re
from functools import lru_cache

from index.language import cyrillic_language

APOSTROPHES = "'’ʼ"
# A Cyrillic word, apostrophes inside it included
WORD = re.compile(r"[\u0400-\u04ff]+(?:['’ʼ][\u0400-\u04ff]+)*")
_STRIP = str.maketrans({"'": None, "’": None, "ʼ": None, "ё": "е", "-": None})
# Readings beyond the first few are rare senses that only add noise to the index ("про" has 15 readings
# in the Ukrainian dictionary, all of them "про").
MAX_FORMS = 4


@lru_cache(maxsize=2)
def analyzer(language: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=language)


def is_cyrillic(word: str) -> bool:
    return WORD.fullmatch(word) is not None


def canonical(word: str) -> str:
    """A Cyrillic word as the index writes it: lower case, no apostrophe, ё as е (Russian text mostly
    writes е for ё)."""
    return word.lower().translate(_STRIP)


def _dictionaries(language: str) -> tuple[str, ...]:
    return (language,) if language in ("uk", "ru") else ("uk", "ru")


def _spelled(word: str) -> str:
    word = word.lower()
    for apostrophe in APOSTROPHES[1:]:
        word = word.replace(apostrophe, "'")  # the dictionaries write the apostrophe as U+0027
    return word


@lru_cache(maxsize=262_144)
def forms(word: str, language: str = "", most: int = MAX_FORMS) -> tuple[str, ...]:
    """The canonical dictionary forms of a Cyrillic word (as written or lower-cased), most likely first,
    at most `most` per dictionary: read with the `language`'s dictionary, or with both ("uk" first) when
    the language is not known."""
    word = _spelled(word)
    found: list[str] = []
    for lang in _dictionaries(language):
        read: list[str] = []
        for parse in analyzer(lang).parse(word):
            form = canonical(parse.normal_form)
            if form and form not in read:
                read.append(form)
        found.extend(f for f in read[:most] if f not in found)
    return tuple(found) or (canonical(word),)


def likeliest(word: str, language: str = "") -> tuple[str, ...]:
    """The dictionary form of a word's likeliest reading, in each dictionary used."""
    word = _spelled(word)
    return tuple(canonical(analyzer(lang).parse(word)[0].normal_form) for lang in _dictionaries(language))


def column(text: str, language: str) -> str | None:
    """The `lemmas` column of a text in `language` (index.language.detect): for each Cyrillic word, in
    order, its forms that the text column does not hold as written; None for a text without Cyrillic."""
    words = WORD.findall(text)
    if not words:
        return None
    lang = cyrillic_language(text, language)
    out: list[str] = []
    for word in words:
        lower = word.lower()
        written = None if any(a in lower for a in APOSTROPHES) else lower  # one token of the text column
        out.extend(f for f in dict.fromkeys((canonical(lower), *forms(lower, lang))) if f != written)
    return " ".join(out)


def keys(word: str) -> tuple[str, ...]:
    """Every form a Cyrillic word of a passage may be searched by (both dictionaries): for highlights."""
    return tuple(dict.fromkeys((canonical(word), *forms(word))))
