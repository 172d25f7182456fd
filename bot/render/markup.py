"""bot.render.markup: what every message of the bot is built from. Telegram HTML escaped (`text`),
values shortened to fit Telegram's limits (`shorten`, `utf16_len`), links only to safe URLs
(`link_url`, `linked`), dates and numbers in the reader's language, and a citation's line.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from babel.numbers import format_decimal

from bot import i18n
from bot.i18n import gettext as _
from retrieval.records import Citation

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units

# What a citation may take of a message, whatever the archive holds (a 5,500-character title, a
# 5,000-character URL): longer values are shortened with an ellipsis, so an answer always fits.
TITLE_CHARS = 300
OUTLET_CHARS = 100
TOPIC_CHARS = 200  # the question as echoed in a lead line
ID_CHARS = 80  # an article id shown in place of a link
URL_SHOWN_CHARS = 60  # an over-long URL is shown, shortened, as plain text
LINK_CHARS = 2048  # longer URLs are not made links: browsers and servers commonly refuse them


def utf16_len(text: str) -> int:
    """Length as Telegram counts it. Counting the HTML source (tags included) keeps a safe margin."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def text(value: str) -> str:
    return escape(value, quote=False)


def shorten(value: str, limit: int) -> str:
    """`value` cut to `limit` characters, at a word boundary when one is near, with an ellipsis."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip() + "…"


_UNSAFE_IN_URL = re.compile(r"[\x00-\x20\x7f-\x9f\"<>\\]")


def link_url(url: str | None) -> str | None:
    """The URL if it may become a link: http(s) with a host, no spaces or control characters, at most
    LINK_CHARS long. Anything else (javascript:, data:, file:, a relative path) is never a link."""
    if not url or len(url) > LINK_CHARS or _UNSAFE_IN_URL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def provenance(c: Citation) -> list[str]:
    """Outlet, date, and, when the article is not linked, what identifies it instead."""
    where = [text(shorten(c.source or _("unknown outlet"), OUTLET_CHARS)), short_date(c.published_at)]
    if link_url(c.url) is None:
        if c.url and urlsplit(c.url).scheme.lower() in ("http", "https"):  # too long to be a link
            where.append(text(shorten(c.url, URL_SHOWN_CHARS)))
        else:
            where.append(f"id <code>{text(shorten(c.article_id, ID_CHARS))}</code>")
    return where


def linked(label: str, url: str | None) -> str:
    """Escaped `label`, a link to `url` only if `url` is safe (link_url)."""
    safe = link_url(url)
    return f'<a href="{escape(safe, quote=True)}">{text(label)}</a>' if safe else text(label)


def short_date(value: datetime | None) -> str:
    """7 Dec 2024, in the reader's language (Babel's date formats)."""
    return i18n.short_date(value) if value else _("undated")


def citation_line(number: int, c: Citation, title_chars: int = TITLE_CHARS) -> str:
    """[n] Title — Outlet, date: the title a link to the article when its URL is a safe http(s) one,
    every field shortened to fit (TITLE_CHARS, OUTLET_CHARS, ...)."""
    title = linked(shorten(c.title, title_chars), c.url)
    return f"<b>[{number}]</b> {title} — " + ", ".join(provenance(c))


def number(value: int) -> str:
    """1,234 / 1 234 as the reader's language writes it."""
    return format_decimal(value, locale=i18n.current())
