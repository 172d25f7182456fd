"""Which language a text is in, among the archive's three: English, Ukrainian, Russian. Offline, with
lingua (its models ship in the wheel); the detector is built once per process, on first use.

Only text with Cyrillic letters is given to lingua. A detector that knows only these three languages
calls every Latin-script text English anyway, and running it on each English article would cost the
indexer time for nothing (bench: `bench/lemma_cost.py`).
"""

from __future__ import annotations

import re
from functools import lru_cache

LANGUAGES = ("en", "uk", "ru")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]")
# Letters one of the two languages has and the other lacks (Ukrainian also writes the apostrophe inside
# words, but so does English)
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN = re.compile(r"[ыэъёЫЭЪЁ]")
# Articles are long; their first few thousand characters say which language they are in, and lingua's
# time grows with the text.
_SAMPLE = 3000
# Below this many words lingua guesses between two close languages from a name's letters ("Ровно":
# Russian 0.63, Ukrainian 0.37): see `of_question`.
_FEW_WORDS = 3


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(Language.ENGLISH, Language.UKRAINIAN, Language.RUSSIAN).build()


def has_cyrillic(text: str) -> bool:
    return CYRILLIC.search(text) is not None


def by_letters(text: str) -> str:
    """"uk" or "ru" when the text has letters only that language writes (and not the other's), else ""."""
    uk, ru = _UKRAINIAN.search(text) is not None, _RUSSIAN.search(text) is not None
    return "uk" if uk and not ru else "ru" if ru and not uk else ""


def detect(text: str) -> str:
    """"en", "uk" or "ru"; "" for a text without letters. Latin-script text is English without asking
    lingua (see the module's docstring)."""
    if not has_cyrillic(text):
        return "en" if _LETTER.search(text) else ""
    found = _detector().detect_language_of(text[:_SAMPLE])
    return found.iso_code_639_1.name.lower() if found is not None else ""


def cyrillic_language(text: str, language: str) -> str:
    """The dictionary for the Cyrillic words of a text in `language`: its own when it is Ukrainian or
    Russian; for an English text quoting Cyrillic words, the language of those words."""
    if language in ("uk", "ru"):
        return language
    words = " ".join(m.group() for m in re.finditer(r"[\u0400-\u04ff'’ʼ]+", text))
    found = by_letters(words) or detect(words)
    return found if found in ("uk", "ru") else ""


def of_question(question: str) -> str:
    """A question's language: "en", "uk", "ru", or "" when it cannot be told.

    A question of one or two words is most often a name ("Ровно", "Купянск", "Рівне"), and a name is
    no evidence of its asker's language: "Ровно" is the Russian name of Рівне, and Ukrainian readers
    of older reports type it too. lingua's guess there comes from the letters of the name alone
    (Ровно: Russian 0.63). So a short Cyrillic question is Ukrainian or Russian only when it has
    letters that only that language writes (і, ї, є, ґ / ы, э, ъ, ё), and otherwise unknown: its words
    are then read with both languages' dictionaries (index.lemmas), which costs an alternative lemma
    in the query rather than a wrong one."""
    if not has_cyrillic(question):
        return detect(question)
    if len(re.findall(r"\w+", question)) < _FEW_WORDS:
        return by_letters(question)
    return detect(question)
