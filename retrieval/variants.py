"""Other spellings of a question's names that the archive uses: "Kupiansk" -> "kupyansk".

Two sources, both checked against the archive's own words so only spellings it contains are added:
- spelling: words within one or two edits of a question word that is rare in the archive and that
  wordfreq does not know as a word of the language ("profit" is never respelt "profil", "Taylor"
  never "tailor"), found through the index's trigram term table (no list is written by hand);
- gazetteer: alternate names of a city from GeoNames, for names that differ by more than a typo
  ("Kiev" / "Kyiv", "Rovno" / "Rivne"), in Latin and Cyrillic script ("Ровно" / "Rovno", "Rivne" /
  "Рівне"), kept in the archive by the indexer (index.places), with the Latin spellings of the
  archive's Cyrillic words ("Kucherivka" / "Кучерівка");
- transliteration: a Cyrillic question word in Latin letters, as the archive has it or a typo away
  ("Купянск" -> kupyansk -> "kupiansk").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
import re
import unicodedata

from rapidfuzz.distance import Levenshtein

from index import lemmas
from index.engines.base import SearchIndex
from index.transliteration import latin
from retrieval.highlight import stem
from retrieval.query import readings
from retrieval.lexicon import ORDINARY_ZIPF, known as in_dictionary, ordinary

_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class VariantSettings:
    spelling: bool = True
    gazetteer: bool = True
    transliteration_of_questions: bool = True  # Cyrillic question words looked up in Latin letters too
    min_length: int = 5  # shorter words have too many neighbours one edit away ("rate": "date", "gate")
    # A word in more than this share of passages is spelled the archive's way already: its neighbours
    # are other words ("prices": "prides"), not other spellings.
    rare_share: float = 0.002
    rare_floor: int = 5  # ...and in a small archive, a word in a handful of passages is rare too
    candidates: int = 50
    transliteration: float = 0.6  # least Indel similarity of a gazetteer name: "rovno" ~ "rivne" is 0.6
    # a word at least this frequent in English (wordfreq's Zipf scale) is spelled right: no edits of it
    ordinary_zipf: float = ORDINARY_ZIPF
    # No other spelling or name that is itself a common English word ("lion" for Lyon, "hall" for Hale),
    # and no other name of a place for a word this common ("Mitchell", "Sydney")
    word_zipf: float = 4.0


_VOWELS = frozenset("aeiouyj")


def vowels_only(word: str, other: str) -> bool:
    """Whether `other` differs from `word` only in vowels (and y, j): how names move between alphabets."""
    return all((op == "replace" and word[i] in _VOWELS and other[j] in _VOWELS)
               or (op == "insert" and other[j] in _VOWELS) or (op == "delete" and word[i] in _VOWELS)
               for op, i, j in Levenshtein.editops(word, other))


def folded(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def max_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def spelling(index: SearchIndex, word: str, settings: VariantSettings) -> list[str]:
    """Archive words a typo or a transliteration away from a rare word of the question."""
    if len(word) < settings.min_length or not word.isalpha():
        return []
    limit = max_edits(word)
    return [t for t in index.similar_terms(word, settings.candidates)
            if t != word and Levenshtein.distance(word, t, score_cutoff=limit) <= limit]


def gazetteer(index: SearchIndex, word: str, rare: bool, capitalised: bool, settings: VariantSettings) -> list[str]:
    """Archive stems of the other names of the cities called `word` (index.places).

    GeoNames lists every name a city was ever given, nicknames and other languages included, so only
    names that look like a transliteration of the word are kept ("kiev" ~ "kyiv", not "motown" for
    "detroit"). And only for a rare word, or a city's own name written as a name: "market" is one
    city's alias, "Same" and "Green" are towns."""
    found = index.places(word)
    # Cyrillic names in GeoNames are never a city's main name, and a Cyrillic word written as a name
    # is one (no Ukrainian or Russian town is called "Same" or "Green")
    if not (rare or (capitalised and (lemmas.is_cyrillic(word) or any(main for _, _, main in found)))):
        return []
    return sorted({spelling for spelling, similarity, _ in found if similarity >= settings.transliteration}
                  - {stem(word)})


def capitalised(question: str) -> set[str]:
    """Words written with a capital inside the question (the first word is capitalised anyway), and
    the dictionary forms of the Cyrillic ones (a question's Cyrillic terms are those), the first word
    included: a Ukrainian or Russian question's first word is a framing word ("Що", "Что"), left out
    anyway, unless the question is only a name ("Рівне")."""
    found = {w.lower() for w in _WORD.findall(question)[1:] if w[:1].isupper()}
    for word in re.findall(r"\w+(?:['’ʼ]\w+)*", question):
        if word[:1].isupper() and lemmas.is_cyrillic(word):
            found.update(lemmas.forms(word))
    return found


def transliterated(index: SearchIndex, word: str, settings: VariantSettings) -> list[str]:
    """Archive stems of a Cyrillic word's Latin spellings, as written or a typo away."""
    found: list[str] = []
    for spelling_ in latin(word):
        found.append(stem(spelling_))
        found.extend(spelling(index, stem(spelling_), settings))
    return list(dict.fromkeys(found))


def find(index: SearchIndex, question: str, terms: tuple[str, ...], frequencies: Mapping[str, int],
         settings: VariantSettings = VariantSettings(), language: str | None = None,
         names: set[str] | None = None) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """(question word -> archive stems it may also be written as (only words that have some), the
    document frequency of each of those stems, for the highlight weights). `language` and `names`
    (`capitalised`) are the question's as its reading found them (retrieval.reading): given, they are
    not found again."""
    found: dict[str, tuple[str, ...]] = {}
    spelled: dict[str, int] = {}
    names = capitalised(question) if names is None else names
    # the other readings of a Ukrainian or Russian word are searched where the archive has them
    read = {term: others for term, others in readings(question, language).items() if term in terms}
    for term in terms:
        root = stem(term)
        own = frequencies.get(root, 0)
        rare = own <= max(settings.rare_share * index.manifest.passages, settings.rare_floor)
        cyrillic = lemmas.is_cyrillic(term)
        edits = spelling(index, root, settings) if settings.spelling and rare and not (
            in_dictionary(term) if cyrillic else ordinary(term, at_least=settings.ordinary_zipf)) else []
        places = gazetteer(index, term, rare, term in names, settings) \
            if settings.gazetteer and not ordinary(term, at_least=settings.word_zipf) else []
        if cyrillic and settings.transliteration_of_questions and (rare or term in names):
            places = list(dict.fromkeys([*places, *transliterated(index, term, settings)]))
        places = list(dict.fromkeys([*read.get(term, ()), *places]))
        if edits or places:
            known = index.document_frequencies(edits + places)
            # A word the archive lacks takes any edit it has ("volkcer": "volcker"). One it has is
            # spelled the archive's way already ("Feldstein" keeps "Goldstein" out), unless it is in a
            # handful of passages and the edit changes vowels alone, as transliterations do
            # (Sidorenko/Sydorenko, Chasiv/Chasov). Another name of a place is taken where the archive
            # has it at least as often.
            # A name in the other script is another language's reports, wanted however often the
            # question's own spelling is in the archive.
            present = {c for c in edits if known.get(c) and (
                not own or (own <= settings.rare_floor and vowels_only(root, c)))} | \
                {c for c in places if known.get(c) and (not own or known[c] >= own or c in read.get(term, ())
                                                          or lemmas.is_cyrillic(c) != cyrillic)}
            # accents are no other spelling: the full-text index folds them already ("inácio" is "inacio")
            present = {c for c in present if not ordinary(c, at_least=settings.word_zipf) and c != folded(root)}
            present = tuple(sorted(present, key=lambda c: (-known[c], c)))
            if present:
                found[term] = present
                spelled.update((c, known[c]) for c in present)
    return found, spelled
