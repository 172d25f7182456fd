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

Which reading is likeliest: pymorphy3 scores the Russian dictionary's readings by how often OpenCorpora
has them, but gives every reading of a word the Ukrainian dictionary knows the same score (1.0), in the
dictionary's own order, so its first reading is often a rare word: "Києві" read first as кий (a
billiard cue), "три" as терти (to rub), "війну" as війнути, "роботи" as робот, "чому" as чома. Readings
of equal score are therefore ordered by how common their dictionary form is in the language
(wordfreq): київ, три, війна, робота, що; a form that the word can only be the vocative of comes after
the others (news rarely addresses anyone, and wordfreq counts surface words: "рівня", a vocative reading
of "Рівне", is common as the genitive of рівень). A question's term is its word's likeliest form
(retrieval.query), and a passage keeps its words' `MAX_FORMS` likeliest.

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
# How the lemma columns an archive holds were written (meta "lemmas_version"); bump it, with a line
# saying what changed, whenever `column` writes another text for the same input (the forms, their order,
# MAX_FORMS, WORD; a dependency pin that changes readings counts too): the indexer then writes every
# Cyrillic row's columns again, once per data directory (index.pipeline.upgrade). Readers keep serving
# the old columns meanwhile, so a bump needs no schema version.
#   1: schema 7's columns: readings in pymorphy3's order (the Ukrainian dictionary's own among equal scores)
#   2: 1929cb5: equal scores ordered by wordfreq, vocative-only readings last. A question searches a word's
#      first form, which a column of version 1 may lack ("русі": русь русий рус руся, not рух); the bench's
#      Ukrainian archive: 2,099 of 2,147 passage columns differ, 374 in their set of forms
COLUMN_VERSION = 2


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
def _frequency(form: str, language: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(form, language)


@lru_cache(maxsize=262_144)
def _read(word: str, language: str) -> tuple[str, ...]:
    """A word's canonical dictionary forms in one dictionary, likeliest first: by pymorphy3's score,
    and among equal scores (every reading of a word the Ukrainian dictionary knows) by how common the
    form is in the language (see the module's docstring)."""
    score: dict[str, float] = {}
    spoken_to: dict[str, bool] = {}  # the form is read only as a vocative
    frequency: dict[str, float] = {}
    for parse in analyzer(language).parse(word):  # best score first, so a form's first reading is its best
        form = canonical(parse.normal_form)
        if not form:
            continue
        if form not in score:
            score[form], spoken_to[form] = round(parse.score, 6), True
            frequency[form] = _frequency(parse.normal_form, language)
        spoken_to[form] = spoken_to[form] and "voct" in parse.tag
    # stable: ties keep the dictionary's order
    return tuple(sorted(score, key=lambda f: (-score[f], spoken_to[f], -frequency[f])))


@lru_cache(maxsize=262_144)
def forms(word: str, language: str = "", most: int = MAX_FORMS) -> tuple[str, ...]:
    """The canonical dictionary forms of a Cyrillic word (as written or lower-cased), likeliest first,
    at most `most` per dictionary: read with the `language`'s dictionary, or with both ("uk" first) when
    the language is not known."""
    word = _spelled(word)
    found: list[str] = []
    for lang in _dictionaries(language):
        found.extend(f for f in _read(word, lang)[:most] if f not in found)
    return tuple(found) or (canonical(word),)


def likeliest(word: str, language: str = "") -> tuple[str, ...]:
    """The dictionary form of a word's likeliest reading, in each dictionary used."""
    word = _spelled(word)
    return tuple((_read(word, lang) or (canonical(word),))[0] for lang in _dictionaries(language))


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
