"""Which words are ordinary words of the language: wordfreq's maintained frequency lists, not the
archive's own counts, which call "profit" rare in a small archive and respell it "profil"."""

from __future__ import annotations

from functools import lru_cache

# Zipf scale: 3 is once per million words. At or above it a word is an ordinary word ("tailor" 3.6,
# "profit" 4.7); names the model and the archive may spell another way are below it ("volcker" 2.2,
# "petrobras" 2.4, "kupiansk" 0). Chosen on the tuning halves and RealTimeQA (docs/evaluation.md).
ORDINARY_ZIPF = 3.0


@lru_cache(maxsize=65536)
def zipf(word: str, language: str = "en") -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)


def ordinary(word: str, language: str = "en", at_least: float = ORDINARY_ZIPF) -> bool:
    return zipf(word.lower(), language) >= at_least
