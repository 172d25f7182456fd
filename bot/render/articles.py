"""bot.render.articles: what 📄 sends, a whole article split into messages that each fit, or its
opening and the whole text as a .txt document (`article_reply`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cyrtranslit

from bot.i18n import gettext as _
from bot.i18n import ngettext
from bot.render.markup import (
    MESSAGE_LIMIT, TITLE_CHARS, citation_line, number, provenance, short_date, shorten, text, utf16_len,
)
from retrieval.records import Citation

CAPTION_LIMIT = 1024  # a document's caption
ARTICLE_MESSAGES = 3  # a longer article: its opening as a message, the whole text as a .txt document


def article_header(title: str, c: Citation) -> str:
    return f"<b>{text(shorten(title, TITLE_CHARS))}</b>\n" + citation_line(1, c).split(" ", 1)[1]


def _pieces(body: str, room: int, enough: int | None = None):
    """Escaped paragraphs of `body`, a huge one split between words, each at most `room` long.
    With `enough`, stops once that many characters came (for the opening of a long article)."""
    given = 0
    for paragraph in body.split("\n\n"):
        escaped = text(paragraph)
        while utf16_len(escaped) > room:
            cut = escaped.rfind(" ", 0, room // 2)
            cut = cut if cut > 0 else room // 2
            while "&" in escaped[max(0, cut - 6):cut] and ";" not in escaped[escaped.rfind("&", 0, cut):cut]:
                cut -= 1  # never split an escaped entity such as &amp;
            yield escaped[:cut]
            given += cut
            if enough is not None and given >= enough:
                return
            escaped = escaped[cut:].lstrip()
        yield escaped
        given += len(escaped)
        if enough is not None and given >= enough:
            return


def article_parts(title: str, body: str, c: Citation, limit: int = MESSAGE_LIMIT) -> list[str]:
    """A whole article as messages that each fit, split between paragraphs (or words, for a huge one)."""
    room = limit - 40  # for the "(2/3)" marks
    parts: list[str] = []
    current = article_header(title, c)
    for piece in _pieces(body, room):
        candidate = f"{current}\n\n{piece}"
        if utf16_len(candidate) > room:
            parts.append(current)
            current = piece
        else:
            current = candidate
    parts.append(current)
    if len(parts) > 1:
        parts = [f"{p}\n\n<i>({i}/{len(parts)})</i>" for i, p in enumerate(parts, start=1)]
    return parts


@dataclass(frozen=True)
class ArticleReply:
    """What 📄 sends: `messages` (HTML), then, for a long article, `document` (its whole text)."""

    messages: list[str]
    document: bytes | None = None
    filename: str = ""
    caption: str = ""


def article_reply(title: str, body: str, c: Citation, limit: int = MESSAGE_LIMIT) -> ArticleReply:
    """The 📄 button's reply. An article that fits in ARTICLE_MESSAGES messages is sent as messages.
    A longer one (a 999k-character article made 492 messages, 15 s of one chat's flood limit) is
    sent as two: its opening as a message, and the whole text as a UTF-8 .txt document. A document
    rather than a link: it is one request whatever the length, it stays readable and searchable in
    Telegram when the outlet's page moves or is paywalled, and archive articles may have no URL."""
    room = limit - 40
    if len(body) <= ARTICLE_MESSAGES * room:  # escaping only grows it: a longer body never fits
        parts = article_parts(title, body, c, limit)
        if len(parts) <= ARTICLE_MESSAGES:
            return ArticleReply(parts)
    note = "\n\n<i>" + ngettext("… the whole article ({n} character) is in the file below.",
                                "… the whole article ({n} characters) is in the file below.",
                                len(body)).format(n=number(len(body))) + "</i>"
    opening = article_header(title, c)
    for piece in _pieces(body, room // 2, enough=room):
        candidate = f"{opening}\n\n{piece}"
        if utf16_len(candidate + note) > limit:
            break
        opening = candidate
    caption = f"<b>{text(shorten(title, 200))}</b>\n" + ", ".join(provenance(c))  # < CAPTION_LIMIT
    return ArticleReply([opening + note], article_text(title, body, c), article_filename(title), caption)


def article_text(title: str, body: str, c: Citation) -> bytes:
    """The whole article as a plain-text file: title, outlet, date, URL or id, then the body."""
    head = [title, f"{c.source or _('unknown outlet')}, {short_date(c.published_at)}", c.url or f"id {c.article_id}"]
    return ("\n".join(head) + "\n\n" + body + "\n").encode("utf-8", "replace")


def article_filename(title: str) -> str:
    """An ASCII file name from the title; a Cyrillic title transliterated (cyrtranslit), Ukrainian when
    it has letters only Ukrainian has."""
    latin = cyrtranslit.to_latin(title, "ua" if re.search("[іїєґІЇЄҐ]", title) else "ru")
    slug = re.sub(r"[^A-Za-z0-9]+", "-", latin).strip("-").lower()[:60].rstrip("-")
    return f"{slug or 'article'}.txt"
