"""The bot's own words in the asker's language: English, Ukrainian or Russian (issue 14).

The catalogues are gettext .po files under bot/locales/<lang>/LC_MESSAGES/newsdesk.po, extracted from
bot/render/ with Babel (`pybabel extract`, see bot/locales/README.md). They are compiled in memory
at start-up with Babel (read_po + write_mo): no .mo file is committed that could drift from its .po,
and no build step is needed that CI or a deploy lacks. English is the source language (the msgids).

The language of the update being handled sits in a context variable, set once per update
(bot.handlers.language.choose, before the access gate) and, for alerts, per follower (`speaking`);
bot/render/ translates through `gettext` / `ngettext` here, so its functions keep their signatures.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGUAGES = ("en", "uk", "ru")
DEFAULT = "en"
DOMAIN = "newsdesk"
LOCALES = Path(__file__).parent / "locales"

_language: ContextVar[str] = ContextVar("newsdesk_language", default=DEFAULT)


def language_of(code: str | None) -> str:
    """One of LANGUAGES for a Telegram language_code ("uk", "uk-UA", "ru_RU", "de", None)."""
    primary = (code or "").replace("_", "-").split("-")[0].strip().lower()
    return primary if primary in LANGUAGES else DEFAULT


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `language` (English: the msgids themselves)."""
    if language == DEFAULT:
        return _gettext.NullTranslations()
    with po_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return _gettext.GNUTranslations(compiled)


def current() -> str:
    return _language.get()


def use(language: str) -> None:
    """The language of the rest of this update's handling (its task's context)."""
    _language.set(language_of(language))


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Words in `language` inside the block (an alert for one follower), the previous language after."""
    token = _language.set(language_of(language))
    try:
        yield
    finally:
        _language.reset(token)


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def short_date(value: datetime) -> str:
    """A date as a citation gives it, in the current language (Babel, CLDR): 7 Dec 2024, 7 груд. 2024, 7 дек. 2024."""
    return format_date(value, "d MMM y", locale=current())


def day_month(value: datetime) -> str:
    """A date where the year goes without saying (a story's days, beside the full dates of its reports):
    8 Dec, 8 груд., 8 дек."""
    return format_date(value, "d MMM", locale=current())


def language_name(code: str) -> str:
    """A passage's language as the asker reads it, e.g. "(in Ukrainian)" / "(українською)"; Babel's
    name of the language in the asker's locale for others."""
    known = {"en": gettext("in English"), "uk": gettext("in Ukrainian"), "ru": gettext("in Russian")}
    if code in known:
        return known[code]
    try:
        return Locale.parse(code).get_display_name(current()) or code
    except (ValueError, LookupError):
        return code
