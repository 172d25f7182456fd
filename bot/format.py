"""Answers as Telegram HTML that reads well on a phone: escaped, cited, inside Telegram's limits.

Pure functions from retrieval records to strings; the unit tests assert their exact output.
"""

from __future__ import annotations

from datetime import datetime
from html import escape

from retrieval.highlight import context
from index.records import IndexStatus
from retrieval.records import Answer, Citation, Hit

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units
CONTEXT_CHARS = 420  # the highlighted sentence and its neighbours, per passage


def utf16_len(text: str) -> int:
    """Length as Telegram counts it. Counting the HTML source (tags included) keeps a safe margin."""
    return len(text.encode("utf-16-le")) // 2


def text(value: str) -> str:
    return escape(value, quote=False)


def short_date(value: datetime | None) -> str:
    return f"{value.day} {value:%b %Y}" if value else "undated"


def citation_line(number: int, c: Citation) -> str:
    title = f'<a href="{escape(c.url, quote=True)}">{text(c.title)}</a>' if c.url else text(c.title)
    where = [text(c.source or "unknown outlet"), short_date(c.published_at)]
    if not c.url:
        where.append(f"id <code>{text(c.article_id)}</code>")
    return f"<b>[{number}]</b> {title} — " + ", ".join(where)


def also_line(citations: tuple[Citation, ...]) -> str:
    outlets = [
        f'<a href="{escape(c.url, quote=True)}">{text(c.source or c.title)}</a>' if c.url else text(c.source or c.title)
        for c in citations
    ]
    return "Also reported by " + ", ".join(outlets)


def passage_block(hit: Hit, budget: int = CONTEXT_CHARS) -> str:
    before, sentence, after = context(hit.passage, hit.highlight_start, hit.highlight_end, budget)
    before, after = " ".join(before.split()), " ".join(after.split())
    body = (text(before) + " " if before else "") + f"<b>{text(sentence)}</b>" + (" " + text(after) if after else "")
    lines = [body, citation_line(hit.rank, hit.citation)]
    if hit.also:
        lines.append(also_line(hit.also))
    return "\n".join(lines)


def lead(answer: Answer, shown: int) -> str:
    topic = answer.query.topic or answer.query.question
    first = answer.offset + 1
    if answer.offset:
        return f"<b>Reports {first}–{answer.offset + shown} on {text(topic)}</b>, best match first"
    noun = "report" if shown == 1 else "reports"
    return f"<b>{shown} {noun} on {text(topic)}</b>, best match first"


def no_results(answer: Answer) -> str:
    if answer.offset:
        return "That was everything the archive has on this question."
    topic = answer.query.topic or answer.query.question
    return (f"Nothing in the archive matches <b>{text(topic)}</b>. "
            "Try fewer words, another spelling, or a broader topic.")


def answer_message(answer: Answer, limit: int = MESSAGE_LIMIT) -> tuple[str, int]:
    """(HTML, number of hits shown). Whole passages are dropped from the end until it fits; the
    rest stay reachable with "More"."""
    if not answer.hits:
        return no_results(answer), 0
    hits = list(answer.hits)
    while hits:
        message = "\n\n".join([lead(answer, len(hits)), *(passage_block(h) for h in hits)])
        if utf16_len(message) <= limit:
            return message, len(hits)
        if len(hits) == 1:
            # one passage that is too long on its own: tighten its context, never cut markup
            for budget in (240, 0):
                message = "\n\n".join([lead(answer, 1), passage_block(hits[0], budget)])
                if utf16_len(message) <= limit:
                    return message, 1
            break
        hits.pop()
    raise ValueError("a single citation does not fit in one Telegram message")


def inline_snippet(hit: Hit) -> str:
    """A shareable cited snippet for inline mode."""
    return f"<b>{text(hit.highlight)}</b>\n— " + citation_line(hit.rank, hit.citation).split(" ", 1)[1]


def article_parts(title: str, body: str, c: Citation, limit: int = MESSAGE_LIMIT) -> list[str]:
    """A whole article as messages that each fit, split between paragraphs (or words, for a huge one)."""
    header = f"<b>{text(title)}</b>\n" + citation_line(1, c).split(" ", 1)[1]
    room = limit - 40  # for the "(2/3)" marks
    pieces: list[str] = []
    for paragraph in body.split("\n\n"):
        escaped = text(paragraph)
        while utf16_len(escaped) > room:
            cut = escaped.rfind(" ", 0, room // 2)
            cut = cut if cut > 0 else room // 2
            while "&" in escaped[max(0, cut - 6):cut] and ";" not in escaped[escaped.rfind("&", 0, cut):cut]:
                cut -= 1  # never split an escaped entity such as &amp;
            pieces.append(escaped[:cut])
            escaped = escaped[cut:].lstrip()
        pieces.append(escaped)
    parts: list[str] = []
    current = header
    for piece in pieces:
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
    noun = "report" if total == 1 else "reports"
    if first > 1:
        span = f"report {first}" if shown == 1 else f"reports {first}–{first + shown - 1}"
        return f"🔔 <b>{kind} on {text(topic)}</b>: {span} of {total}"
    return f"🔔 <b>{kind} on {text(topic)}</b>: {total} {noun}, closest first"


def alert_message(topic: str, hits: list[Hit], total: int, daily: bool = False,
                  limit: int = MESSAGE_LIMIT) -> tuple[str, int]:
    """(HTML, hits shown) for an alert page: `hits` are the page's candidates, numbered as in the
    whole alert; whole passages are dropped from the end until the message fits."""
    hits = list(hits)
    first = hits[0].rank if hits else 1
    while hits:
        message = "\n\n".join([alert_lead(topic, first, len(hits), total, daily), *(passage_block(h) for h in hits)])
        if utf16_len(message) <= limit:
            return message, len(hits)
        if len(hits) == 1:
            for budget in (240, 0):
                message = "\n\n".join([alert_lead(topic, first, 1, total, daily), passage_block(hits[0], budget)])
                if utf16_len(message) <= limit:
                    return message, 1
            break
        hits.pop()
    raise ValueError("a single citation does not fit in one Telegram message")


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
