"""bot.render.snippets: a result outside an answer's text. The quote a 📋 button puts on the clipboard,
the snippet and grey line of an inline result, and the link preview of an answer or alert.
"""

from __future__ import annotations

from bot.i18n import gettext as _
from bot.render.answers import TIGHT_SENTENCE_CHARS
from bot.render.markup import citation_line, link_url, shorten, short_date, text, utf16_len
from retrieval.records import Hit

COPY_LIMIT = 256  # a copy button's text (CopyTextButton), Telegram's limit
QUOTED_URL_CHARS = 120  # a longer link leaves too little of a quote for the sentence: the title instead


def quote(hit: Hit, limit: int = COPY_LIMIT) -> str:
    """What a copy button puts on the clipboard: the sentence in quotation marks, then outlet, date and
    link (the title when the link is unsafe or too long to leave room for the sentence; the title and
    the file's name or the article's id when there is none), within `limit` UTF-16 units. The sentence
    is shortened with an ellipsis, never the citation."""
    c = hit.citation
    where = f"{shorten(c.source or _('unknown outlet'), 60)}, {short_date(c.published_at)}"
    url = link_url(c.url)
    if url and utf16_len(url) <= QUOTED_URL_CHARS:
        tail = f"{where}, {url}"
    elif c.url:  # a link too long or unsafe to paste: the title finds it
        tail = f"{where}, {shorten(' '.join(c.title.split()), 80)}"
    else:  # no link at all: the file it was read from, or its id in the archive, traces it
        ref = _("file {name}").format(name=shorten(c.file_name, 60)) if c.file_name else \
            _("id {id}").format(id=shorten(c.article_id, 60))
        tail = f"{where}, {shorten(' '.join(c.title.split()), 60)} ({ref})"
    room = limit - utf16_len(f"“” — {tail}")
    said, keep = " ".join(hit.highlight.split()), room
    while utf16_len(said) > room:
        said = shorten(" ".join(hit.highlight.split()), keep)
        keep -= 1
    return f"“{said}” — {tail}"


def preview(hits: list[Hit], setting: str) -> dict | None:
    """The link preview of an answer or alert (`LinkPreviewOptions` fields): the first result's article,
    small, below or above the text as `setting` says ("off": none)."""
    url = link_url(hits[0].citation.url) if hits else None
    if setting == "off" or url is None:
        return {"is_disabled": True}
    return {"is_disabled": False, "url": url, "prefer_small_media": True, "show_above_text": setting == "above"}


def inline_snippet(hit: Hit) -> str:
    """A shareable cited snippet for inline mode."""
    return f"<b>{text(shorten(hit.highlight, TIGHT_SENTENCE_CHARS))}</b>\n— " + citation_line(hit.rank, hit.citation).split(" ", 1)[1]


def inline_description(hit: Hit) -> str:
    """The grey line under an inline result (plain text)."""
    return shorten(f"{hit.citation.source or ''} {short_date(hit.citation.published_at)}: {hit.highlight}", 200)
