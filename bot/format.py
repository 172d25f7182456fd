"""Answers as Telegram HTML that reads well on a phone: escaped, cited, inside Telegram's limits.

Pure functions from retrieval records to strings; the unit tests assert their exact output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from retrieval.highlight import context
from index.records import IndexStatus
from retrieval.records import Answer, Citation, Hit

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units
CAPTION_LIMIT = 1024  # a document's caption
CONTEXT_CHARS = 420  # the highlighted sentence and its neighbours, per passage

# What a citation may take of a message, whatever the archive holds (a 5,500-character title, a
# 5,000-character URL): longer values are shortened with an ellipsis, so an answer always fits.
TITLE_CHARS = 300
OUTLET_CHARS = 100
TOPIC_CHARS = 200  # the question as echoed in a lead line
ID_CHARS = 80  # an article id shown in place of a link
URL_SHOWN_CHARS = 60  # an over-long URL is shown, shortened, as plain text
LINK_CHARS = 2048  # longer URLs are not made links: browsers and servers commonly refuse them
TIGHT_SENTENCE_CHARS = 1000  # the last resort for one passage that does not fit: its sentence cut
ARTICLE_MESSAGES = 3  # a longer article: its opening as a message, the whole text as a .txt document


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


def _where(c: Citation) -> list[str]:
    """Outlet, date, and, when the article is not linked, what identifies it instead."""
    where = [text(shorten(c.source or "unknown outlet", OUTLET_CHARS)), short_date(c.published_at)]
    if link_url(c.url) is None:
        if c.url and urlsplit(c.url).scheme.lower() in ("http", "https"):  # too long to be a link
            where.append(text(shorten(c.url, URL_SHOWN_CHARS)))
        else:
            where.append(f"id <code>{text(shorten(c.article_id, ID_CHARS))}</code>")
    return where


def _linked(label: str, url: str | None) -> str:
    """Escaped `label`, a link to `url` only if `url` is safe (link_url)."""
    safe = link_url(url)
    return f'<a href="{escape(safe, quote=True)}">{text(label)}</a>' if safe else text(label)


def short_date(value: datetime | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "undated"


def citation_line(number: int, c: Citation) -> str:
    """[n] Title — Outlet, date: the title a link to the article when its URL is a safe http(s) one,
    every field shortened to fit (TITLE_CHARS, OUTLET_CHARS, ...)."""
    title = _linked(shorten(c.title, TITLE_CHARS), c.url)
    return f"<b>[{number}]</b> {title} — " + ", ".join(_where(c))


def also_line(citations: tuple[Citation, ...], links: bool = True) -> str:
    outlets = [_linked(shorten(c.source or c.title, OUTLET_CHARS), c.url if links else None) for c in citations]
    return "Also reported by " + ", ".join(outlets)


def passage_block(hit: Hit, budget: int = CONTEXT_CHARS, tight: bool = False) -> str:
    """The passage (its best sentence in bold, `budget` characters of context) and its citation.
    `tight`: the last resort for a passage that does not fit alone: no context, the sentence cut to
    TIGHT_SENTENCE_CHARS, other outlets without links."""
    before, sentence, after = context(hit.passage, hit.highlight_start, hit.highlight_end, 0 if tight else budget)
    before, after = " ".join(before.split()), " ".join(after.split())
    if tight:
        sentence = shorten(sentence, TIGHT_SENTENCE_CHARS)
    body = (text(before) + " " if before else "") + f"<b>{text(sentence)}</b>" + (" " + text(after) if after else "")
    lines = [body, citation_line(hit.rank, hit.citation)]
    if hit.also:
        lines.append(also_line(hit.also, links=not tight))
    return "\n".join(lines)


def _fit(lead_for, hits: list[Hit], limit: int) -> tuple[str, int]:
    """(HTML, hits shown): whole passages dropped from the end until the message fits; one passage
    alone is tightened (less context, then passage_block's last resort), never dropped."""
    if not hits:
        raise ValueError("a message of passages needs at least one")
    while len(hits) > 1:
        message = "\n\n".join([lead_for(len(hits)), *(passage_block(h) for h in hits)])
        if utf16_len(message) <= limit:
            return message, len(hits)
        hits.pop()
    for budget in (CONTEXT_CHARS, 240, 0):
        message = "\n\n".join([lead_for(1), passage_block(hits[0], budget)])
        if utf16_len(message) <= limit:
            return message, 1
    # fits by construction: lead (< 300) + sentence (1,000) + citation (< 2,600) + also (outlets, no links)
    return "\n\n".join([lead_for(1), passage_block(hits[0], tight=True)]), 1


def topic_of(answer: Answer) -> str:
    return shorten(answer.query.topic or answer.query.question, TOPIC_CHARS)


def lead(answer: Answer, shown: int) -> str:
    topic = topic_of(answer)
    first = answer.offset + 1
    if answer.relaxed:  # the stated filters left nothing: say so before the closest reports
        return (f"Nothing {text(shorten(answer.relaxed.describe(), TOPIC_CHARS))} on {text(topic)}; "
                "<b>the closest reports</b> without that filter:")
    if answer.offset:
        return f"<b>Reports {first}–{answer.offset + shown} on {text(topic)}</b>, best match first"
    noun = "report" if shown == 1 else "reports"
    return f"<b>{shown} {noun} on {text(topic)}</b>, best match first"


def no_results(answer: Answer) -> str:
    if answer.offset:
        return "That was everything the archive has on this question."
    topic = topic_of(answer)
    return (f"Nothing in the archive matches <b>{text(topic)}</b>. "
            "Try fewer words, another spelling, or a broader topic.")


def answer_message(answer: Answer, limit: int = MESSAGE_LIMIT) -> tuple[str, int]:
    """(HTML, number of hits shown). Whole passages are dropped from the end until it fits; the
    rest stay reachable with "More"."""
    if not answer.hits:
        return no_results(answer), 0
    return _fit(lambda shown: lead(answer, shown), list(answer.hits), limit)


def inline_snippet(hit: Hit) -> str:
    """A shareable cited snippet for inline mode."""
    return f"<b>{text(shorten(hit.highlight, TIGHT_SENTENCE_CHARS))}</b>\n— " + citation_line(hit.rank, hit.citation).split(" ", 1)[1]


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
    note = f"\n\n<i>… the whole article ({len(body):,} characters) is in the file below.</i>"
    opening = article_header(title, c)
    for piece in _pieces(body, room // 2, enough=room):
        candidate = f"{opening}\n\n{piece}"
        if utf16_len(candidate + note) > limit:
            break
        opening = candidate
    caption = f"<b>{text(shorten(title, 200))}</b>\n" + ", ".join(_where(c))  # < CAPTION_LIMIT
    return ArticleReply([opening + note], article_text(title, body, c), article_filename(title), caption)


def article_text(title: str, body: str, c: Citation) -> bytes:
    """The whole article as a plain-text file: title, outlet, date, URL or id, then the body."""
    head = [title, f"{c.source or 'unknown outlet'}, {short_date(c.published_at)}", c.url or f"id {c.article_id}"]
    return ("\n".join(head) + "\n\n" + body + "\n").encode("utf-8", "replace")


def article_filename(title: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:60].rstrip("-")
    return f"{slug or 'article'}.txt"


def sources_message(status: IndexStatus) -> str:
    lines = [f"<b>{status.articles:,} articles from {sum(1 for o in status.sources if o.name)} outlets</b>"]
    for outlet in status.sources[:40]:
        span = f"{short_date(outlet.first)} – {short_date(outlet.last)}" if outlet.first else "undated"
        lines.append(f"• {text(outlet.name or 'unknown outlet')}: {outlet.articles:,} ({span})")
    if len(status.sources) > 40:
        lines.append(f"… and {len(status.sources) - 40} more")
    return "\n".join(lines)


def status_message(status: IndexStatus) -> str:
    updated = f"{status.last_update:%d %b %Y %H:%M} UTC" if status.last_update else "never"
    covered = (f"{short_date(status.first_published)} – {short_date(status.last_published)}"
               if status.first_published else "undated")
    return (f"<b>Archive status</b>\nArticles: {status.articles:,}\nPassages: {status.passages:,}\n"
            f"Dates: {covered}\nLast reindex: {updated}")


# --- alerts and follows -----------------------------------------------------------------------

def alert_lead(topic: str, first: int, shown: int, total: int, daily: bool) -> str:
    kind = "Daily digest" if daily else "New"
    topic = shorten(topic, TOPIC_CHARS)
    noun = "report" if total == 1 else "reports"
    if first > 1:
        span = f"report {first}" if shown == 1 else f"reports {first}–{first + shown - 1}"
        return f"🔔 <b>{kind} on {text(topic)}</b>: {span} of {total}"
    return f"🔔 <b>{kind} on {text(topic)}</b>: {total} {noun}, closest first"


def alert_message(topic: str, hits: list[Hit], total: int, daily: bool = False,
                  limit: int = MESSAGE_LIMIT) -> tuple[str, int]:
    """(HTML, hits shown) for an alert page: `hits` are the page's candidates, numbered as in the
    whole alert; whole passages are dropped from the end until the message fits."""
    first = hits[0].rank if hits else 1
    return _fit(lambda shown: alert_lead(topic, first, shown, total, daily), list(hits), limit)


def following_message(follows, prefs) -> str:
    """/following: each follow with its id and how it is delivered."""
    if not follows:
        return ("You follow nothing yet. <code>/follow Rovno</code> sends new reports on Rovno as they are "
                "indexed; <code>/follow --daily Rovno</code> sends one digest a day.")
    lines = [f"<b>You follow {len(follows)} {'topic' if len(follows) == 1 else 'topics'}</b>"]
    for f in follows:
        how = f"daily at {prefs.digest_hour:02d}:00 {text(prefs.timezone)}" if f.daily else "as indexed"
        lines.append(f"#{f.id} <b>{text(f.question)}</b> — {how}")
    lines.append("\n/unfollow ID stops one; /timezone and /digest set when daily digests come.")
    return "\n".join(lines)
