"""Cyrillic words in Latin letters, the way English-language reports write Ukrainian and Russian names:
"Рівне" -> rivne, "Купянск" -> kupyansk, "Харьков" -> kharkov.

cyrtranslit writes Ukrainian in the scholarly system ("Xarkiv", "Kup'jans'k") and Russian in one that
leaves Ukrainian letters alone ("Rіvne"); both are brought to the English-language convention (kh, ch,
sh, zh, y) and to plain lower-case letters, apostrophes and soft signs dropped, as FTS5 reads them.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

import cyrtranslit

# Scholarly (cyrtranslit 'ua') to the English-language convention, longest first
_UA_TO_ENGLISH = (("šč", "shch"), ("č", "ch"), ("š", "sh"), ("ž", "zh"), ("x", "kh"), ("j", "y"))
# Letters cyrtranslit's Russian table lacks (Ukrainian ones), and its х, which English writes kh
_RU_BEFORE = str.maketrans({"х": "кх", "Х": "Кх", "і": "i", "І": "I", "ї": "yi", "Ї": "Yi", "є": "ye", "Є": "Ye",
                            "ґ": "g", "Ґ": "G"})


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if "a" <= c <= "z")


@lru_cache(maxsize=65_536)
def latin(word: str) -> tuple[str, ...]:
    """The word's Latin spellings, Ukrainian reading first ("" parts dropped); a Latin word is itself."""
    if word.isascii():
        return (word.lower(),)
    ukrainian = cyrtranslit.to_latin(word.lower(), "ua")
    for scholarly, english in _UA_TO_ENGLISH:
        ukrainian = ukrainian.replace(scholarly, english)
    russian = cyrtranslit.to_latin(word.translate(_RU_BEFORE).lower(), "ru").replace("shh", "shch")
    return tuple(s for s in dict.fromkeys((_plain(ukrainian), _plain(russian))) if s)
