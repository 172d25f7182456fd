"""Everything the bot says: answers as Telegram HTML that reads well on a phone (escaped, cited,
inside Telegram's limits), the quotes its copy buttons carry, and every fixed sentence.

Pure functions from retrieval records to strings; the unit tests assert their exact output. No
handler builds HTML itself (tests/test_bot_format.py checks it). Every word goes through gettext
(`_`, `ngettext`; constants marked `N_` and translated where used with `t`) in the language of the
update being handled (bot.i18n): English, Ukrainian or Russian.

One result, as a phone shows it (three and their buttons fit a phone's first screen, docs/phone.md):
the sentence that answers, in bold; its citation on one line (outlet linked, date); then an expandable
blockquote, collapsed, one tap away: the article's title and the passage around the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from html import escape
from urllib.parse import urlsplit

import cyrtranslit
from babel.numbers import format_decimal

from bot import i18n
from bot.i18n import gettext as _
from bot.i18n import ngettext
from retrieval import floor as floors
from retrieval.highlight import context
from retrieval.records import Answer, Citation, Filters, Hit
from retrieval.errors import EmptyQuery, NotADate, ReversedPeriod, UnknownOutlet
from retrieval.service import IndexNotReady, IndexStatus, NewsdeskError

MESSAGE_LIMIT = 4096  # Telegram's limit, in UTF-16 code units
CAPTION_LIMIT = 1024  # a document's caption
CONTEXT_CHARS = 420  # the highlighted sentence and its neighbours, per passage

# What a citation may take of a message, whatever the archive holds (a 5,500-character title, a
# 5,000-character URL): longer values are shortened with an ellipsis, so an answer always fits.
TITLE_CHARS = 300
OUTLET_CHARS = 100
TOPIC_CHARS = 200  # the question as echoed in a lead line
# ... and in an answer's lead, which must stay one line on a phone (about 38 characters of italics at
# 390 pixels, "3 reports on " included): the answer replies to the question, which shows it whole
LEAD_TOPIC_CHARS = 24
ID_CHARS = 80  # an article id shown in place of a link
URL_SHOWN_CHARS = 60  # an over-long URL is shown, shortened, as plain text
LINK_CHARS = 2048  # longer URLs are not made links: browsers and servers commonly refuse them
COPY_LIMIT = 256  # a copy button's text (CopyTextButton), Telegram's limit
QUOTED_URL_CHARS = 120  # a longer link leaves too little of a quote for the sentence: the title instead
# The answering sentence as a result's first lines (whole in the quote below). A phone's first screen has
# about nine lines of them for a page of results (docs/phone.md): a page of three gets three lines (100
# characters) each, a lone result up to 300; never less than LEAD_CHARS.
LEAD_CHARS = 100
SCREEN_LEAD_CHARS = 300
RESULT_TITLE_CHARS = 70  # a title as its quote's first line (at most two lines; whole in the 📄 article)
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
    where = [text(shorten(c.source or _("unknown outlet"), OUTLET_CHARS)), short_date(c.published_at)]
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
    """7 Dec 2024, in the reader's language (Babel's date formats)."""
    return i18n.short_date(value) if value else _("undated")


def citation_line(number: int, c: Citation, title_chars: int = TITLE_CHARS) -> str:
    """[n] Title — Outlet, date: the title a link to the article when its URL is a safe http(s) one,
    every field shortened to fit (TITLE_CHARS, OUTLET_CHARS, ...)."""
    title = _linked(shorten(c.title, title_chars), c.url)
    return f"<b>[{number}]</b> {title} — " + ", ".join(_where(c))


def also_line(citations: tuple[Citation, ...], links: bool = True) -> str:
    outlets = [_linked(shorten(c.source or c.title, OUTLET_CHARS), c.url if links else None) for c in citations]
    return _("Also reported by {outlets}").format(outlets=", ".join(outlets))


def result_citation(number: int, c: Citation) -> str:
    """A result's citation on one line of a phone: [n] Outlet · date, the outlet a link to the article
    (when its URL is a safe http(s) one); an unlinked article's URL or id after them. The title is the
    first line of the result's quote: a title does not fit on this line beside outlet and date."""
    where = _where(c)
    outlet = _linked(shorten(c.source or _("unknown outlet"), OUTLET_CHARS), c.url)
    return f"<b>[{number}]</b> " + " · ".join([outlet, *where[1:]])


def language_tag(hit: Hit, asked_in: str) -> str:
    """" (in Ukrainian)" after a citation when the passage's language is not the question's; nothing
    when either is unknown (""). Passages stay as the archive has them."""
    if not hit.language or not asked_in or hit.language == asked_in:
        return ""
    return f" <i>({text(i18n.language_name(hit.language))})</i>"


def lead_chars(shown: int) -> int:
    """How much of its sentence each of `shown` results on a page leads with."""
    return max(LEAD_CHARS, SCREEN_LEAD_CHARS // max(shown, 1))


def passage_block(hit: Hit, budget: int = CONTEXT_CHARS, tight: bool = False, asked_in: str = "",
                  lead: int = SCREEN_LEAD_CHARS) -> str:
    """One result, sized so that three and their buttons fit a phone's first screen (docs/phone.md):
    its best sentence in bold (its first `lead` characters: lead_chars of the page), its citation
    (one line), then an expandable blockquote, collapsed to three lines: the article's title
    (RESULT_TITLE_CHARS), other outlets with the same story, then the passage around the sentence (`budget`
    characters of context, the sentence whole and in bold). `tight`: the last resort for a passage
    that does not fit alone: no context, the sentence cut to TIGHT_SENTENCE_CHARS, other outlets
    without links."""
    before, sentence, after = context(hit.passage, hit.highlight_start, hit.highlight_end, 0 if tight else budget)
    before, sentence, after = (" ".join(part.split()) for part in (before, sentence, after))
    if tight:
        sentence = shorten(sentence, TIGHT_SENTENCE_CHARS)
    led = shorten(sentence, lead)
    lines = [f"<b>{text(led)}</b>", result_citation(hit.rank, hit.citation) + language_tag(hit, asked_in)]
    title = text(shorten(" ".join(hit.citation.title.split()), RESULT_TITLE_CHARS))
    # other outlets with the story go inside the quote, still in sight when it is collapsed: a line
    # of their own made a page of three one line longer than a phone's first screen
    also = also_line(hit.also, links=not tight) + "\n" if hit.also else ""
    around = (text(before) + " " if before else "") + f"<b>{text(sentence)}</b>" + (" " + text(after) if after else "")
    lines.append(f"<blockquote expandable><i>{title}</i>\n{also}{around}</blockquote>")
    return "\n".join(lines)


def one_by_one(asked_in: str = ""):
    """The usual layout: the results in the ranking's order. `asked_in`: the question's language."""
    def layout(hits: list[Hit]) -> tuple[list[str], list[Hit]]:
        return [passage_block(h, asked_in=asked_in, lead=lead_chars(len(hits))) for h in hits], hits
    return layout


def by_outlet(groups: tuple[tuple[str, ...], ...], asked_in: str = ""):
    """A layout for a question that names several outlets: one short section per outlet, in the order
    the question names them, with its best passage among `hits` (or a line saying there is none),
    then the other reports. Returns (blocks, hits in the order shown)."""
    def layout(hits: list[Hit]) -> tuple[list[str], list[Hit]]:
        blocks, order = [], []
        for group in groups:
            best = next((h for h in hits if h.citation.source in group and h not in order), None)
            if best is None:
                blocks.append(_("▸ <b>{outlet}</b>: nothing among the best matches.").format(
                    outlet=text(shorten(group[0], OUTLET_CHARS))))
                continue
            order.append(best)
            blocks.append(f"▸ <b>{text(shorten(best.citation.source, OUTLET_CHARS))}</b>\n"
                          + passage_block(best, asked_in=asked_in, lead=lead_chars(len(hits))))
        rest = [h for h in hits if h not in order]
        for i, hit in enumerate(rest):
            blocks.append(("▸ <b>" + _("Other reports") + "</b>\n" if i == 0 else "")
                          + passage_block(hit, asked_in=asked_in, lead=lead_chars(len(hits))))
        return blocks, order + rest
    return layout


def _join(lead: str, blocks: list[str]) -> str:
    """The lead, then the results, with no empty line between them (a phone screen has none to spare:
    the lead is in italics, and each result's quote box separates it from the next); an outlet's
    section after another result by an empty line."""
    out = lead
    for i, block in enumerate(blocks):
        out += ("\n\n" if i and block.startswith("▸") else "\n") + block
    return out


def _fit(lead_for, hits: list[Hit], limit: int, layout=None, asked_in: str = "") -> tuple[str, list[Hit]]:
    """(HTML, the hits shown, in the order shown): whole results dropped from the end of the ranking
    until the message fits (so what is shown is always the first n, and More goes on from n); one
    passage alone is tightened (less context, then passage_block's last resort), never dropped."""
    if not hits:
        raise ValueError("a message of passages needs at least one")
    layout = layout or one_by_one(asked_in)
    for n in range(len(hits), 1, -1):
        blocks, order = layout(hits[:n])
        message = _join(lead_for(n), blocks)
        if utf16_len(message) <= limit:
            return message, order
    for budget in (CONTEXT_CHARS, 240, 0):
        message = _join(lead_for(1), [passage_block(hits[0], budget, asked_in=asked_in)])
        if utf16_len(message) <= limit:
            return message, hits[:1]
    # fits by construction: lead (< 300) + sentence (2 x 1,000) + citation (< 2,600) + also (outlets, no links)
    return _join(lead_for(1), [passage_block(hits[0], tight=True, asked_in=asked_in)]), hits[:1]


def topic_of(answer: Answer) -> str:
    return shorten(answer.query.topic or answer.query.question, TOPIC_CHARS)


def several_outlets(answer: Answer) -> bool:
    """Whether the answer is laid out by outlet: a first page for a question naming two or more."""
    return not answer.offset and len(answer.query.filters.outlets) >= 2


def lead(answer: Answer, shown: int) -> str:
    topic = topic_of(answer)
    first = answer.offset + 1
    if answer.relaxed:  # the stated filters left nothing: say so before the closest reports
        return _("Nothing {filters} on {topic}; <b>the closest reports</b> without that filter:").format(
            filters=text(shorten(filters_in_words(answer.relaxed), TOPIC_CHARS)), topic=text(topic))
    topic = shorten(topic, LEAD_TOPIC_CHARS)
    if answer.offset:
        return "<i>" + _("Reports {first}–{last} on {topic}").format(
            first=first, last=answer.offset + shown, topic=text(topic)) + "</i>"
    if several_outlets(answer) and shown > 1:
        return "<i>" + ngettext("{n} report on {topic}, by outlet as asked", "{n} reports on {topic}, by outlet as asked",
                                shown).format(n=shown, topic=text(topic)) + "</i>"
    return "<i>" + ngettext("{n} report on {topic}", "{n} reports on {topic}", shown).format(
        n=shown, topic=text(topic)) + "</i>"


def filters_in_words(f: Filters) -> str:
    """The stated filters in the reader's words, from their fields (Filters.describe's English, translated):
    'from Reuters, since 1 Mar 1987, with "rate cut"'."""
    parts = []
    if f.sources:
        parts.append(_("from {outlets}").format(outlets=_(" or ").join(f.sources)))
    if f.dates_only and f.since:
        parts.append(_("since {date}").format(date=short_date(f.since)))
    if f.dates_only and f.until:
        parts.append(_("until {date}").format(date=short_date(f.until - timedelta(days=1))))  # until: is inclusive
    parts += [_("with \"{phrase}\"").format(phrase=phrase) for phrase in f.phrases]
    return ", ".join(parts)


def no_results(answer: Answer) -> str:
    if answer.offset:
        return _("That was everything the archive has on this question.")
    topic = topic_of(answer)
    return _("Nothing in the archive matches <b>{topic}</b>. Try fewer words, another spelling, or a broader topic."
             ).format(topic=text(topic))


def closest_message(answer: Answer, limit: int = MESSAGE_LIMIT) -> str:
    """Nothing passed the relevance floor: say so, then the closest report, offered as no more than that."""
    names = floors.written(answer.query)
    said = _("Nothing in the archive answers <b>{topic}</b>.").format(topic=text(topic_of(answer))) + "\n<i>" + (
        _("Closest report, not about {names}:").format(names=text(shorten(_(" or ").join(names), TOPIC_CHARS)))
        if names else _("Closest report, not an answer to it:")) + "</i>"
    return _fit(lambda shown: said, [answer.closest], limit, asked_in=answer.query.language)[0]


def answer_message(answer: Answer, limit: int = MESSAGE_LIMIT) -> tuple[str, list[Hit]]:
    """(HTML, the hits shown in the order shown). Whole results are dropped from the end until it
    fits; the rest stay reachable with "More". A first page for a question naming several outlets
    has one section per outlet, in the order named (`by_outlet`)."""
    if not answer.hits and answer.closest is not None:
        return closest_message(answer, limit), [answer.closest]
    if not answer.hits:
        return no_results(answer), []
    asked_in = answer.query.language
    layout = by_outlet(answer.query.filters.outlets, asked_in) if several_outlets(answer) else one_by_one(asked_in)
    return _fit(lambda shown: lead(answer, shown), list(answer.hits), limit, layout, asked_in)


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
    caption = f"<b>{text(shorten(title, 200))}</b>\n" + ", ".join(_where(c))  # < CAPTION_LIMIT
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


def sources_message(status: IndexStatus) -> str:
    outlets = sum(1 for o in status.sources if o.name)
    articles = ngettext("{n} article", "{n} articles", status.articles).format(n=number(status.articles))
    lines = ["<b>" + ngettext("{articles} from {n} outlet", "{articles} from {n} outlets", outlets).format(
        articles=articles, n=outlets) + "</b>"]
    for outlet in status.sources[:40]:
        span = f"{short_date(outlet.first)} – {short_date(outlet.last)}" if outlet.first else _("undated")
        lines.append(f"• {text(outlet.name or _('unknown outlet'))}: {number(outlet.articles)} ({span})")
    if len(status.sources) > 40:
        lines.append(_("… and {n} more").format(n=len(status.sources) - 40))
    return "\n".join(lines)


def number(value: int) -> str:
    """1,234 / 1 234 as the reader's language writes it."""
    return format_decimal(value, locale=i18n.current())


def status_message(status: IndexStatus) -> str:
    updated = (f"{short_date(status.last_update)} {status.last_update:%H:%M} UTC" if status.last_update
               else _("never"))
    covered = (f"{short_date(status.first_published)} – {short_date(status.last_published)}"
               if status.first_published else _("undated"))
    return _("<b>Archive status</b>\nArticles: {articles}\nPassages: {passages}\nDates: {dates}\nLast reindex: {updated}"
             ).format(articles=number(status.articles), passages=number(status.passages), dates=covered, updated=updated)


# --- alerts and follows -----------------------------------------------------------------------

def alert_lead(topic: str, first: int, shown: int, total: int, daily: bool) -> str:
    topic = text(shorten(topic, TOPIC_CHARS))
    head = "🔔 <b>" + (_("Daily digest on {topic}") if daily else _("New on {topic}")).format(topic=topic) + "</b>: "
    if first > 1:
        if shown == 1:
            return head + _("report {first} of {total}").format(first=first, total=total)
        return head + _("reports {first}–{last} of {total}").format(first=first, last=first + shown - 1, total=total)
    return head + ngettext("{n} report, closest first", "{n} reports, closest first", total).format(n=total)


def alert_message(topic: str, hits: list[Hit], total: int, daily: bool = False,
                  limit: int = MESSAGE_LIMIT) -> tuple[str, list[Hit]]:
    """(HTML, hits shown) for an alert page: `hits` are the page's candidates, numbered as in the
    whole alert; whole passages are dropped from the end until the message fits."""
    first = hits[0].rank if hits else 1
    return _fit(lambda shown: alert_lead(topic, first, shown, total, daily), list(hits), limit)


def following_message(follows, prefs) -> str:
    """/following: each follow with its id and how it is delivered."""
    if not follows:
        return _("You follow nothing yet. <code>/follow Rovno</code> sends new reports on Rovno as they are "
                 "indexed; <code>/follow --daily Rovno</code> sends one digest a day.")
    lines = ["<b>" + ngettext("You follow {n} topic", "You follow {n} topics", len(follows)).format(n=len(follows)) + "</b>"]
    for f in follows:
        how = (_("daily at {hour:02d}:00 {zone}").format(hour=prefs.digest_hour, zone=text(prefs.timezone)) if f.daily
               else _("as indexed"))
        lines.append(f"#{f.id} <b>{text(f.question)}</b> — {how}")
    lines.append("\n" + _("/unfollow ID stops one; /timezone and /digest set when daily digests come."))
    return "\n".join(lines)


def follow_started(topic: str, follow_id: int, daily: bool, digest_hour: int, timezone_name: str) -> str:
    return _("🔔 Following <b>{topic}</b> (#{id}): {delivery}. /following lists what you follow.").format(
        topic=text(shorten(topic, TOPIC_CHARS)), id=follow_id, delivery=delivery(daily, digest_hour, timezone_name))


def delivery(daily: bool, digest_hour: int, timezone_name: str) -> str:
    return (_("one digest a day at {hour:02d}:00 {zone}").format(hour=digest_hour, zone=text(timezone_name)) if daily
            else _("new reports as soon as they are indexed"))


def follow_switched(question: str, daily: bool, digest_hour: int, timezone_name: str) -> str:
    """A button's short answer (plain text, at most 200 characters)."""
    return shorten(f"{question}: {delivery(daily, digest_hour, timezone_name)}.", 200)


def follow_stopped_note(question: str | None) -> str:
    """A button's short answer (plain text)."""
    return (shorten(_("Stopped following {topic}.").format(topic=question), 200) if question
            else _("That follow was already stopped."))


def unfollow_which(following_html: str) -> str:
    return _("Which one? Write its number: /unfollow 3") + "\n\n" + following_html


def unfollow_unknown(raw: str) -> str:
    return _("This chat follows nothing with the number {number}. /following lists them.").format(number=text(raw))


def unfollowed(question: str, follow_id: int) -> str:
    return _("🔕 Stopped following <b>{topic}</b> (#{id}).").format(topic=text(question), id=follow_id)


def digest_time(digest_hour: int, timezone_name: str, ask_hour: bool = False) -> str:
    """/timezone or /digest without a value: when digests come, and how to change it."""
    now = _("Your daily digests come at {hour:02d}:00 {zone}.").format(hour=digest_hour, zone=text(timezone_name)) + " "
    if ask_hour:
        return now + _("Give the hour as a number from 0 to 23: <code>/digest 7</code>.")
    return now + _("Change the zone with e.g. <code>/timezone Europe/Kyiv</code>, the hour with <code>/digest 7</code>.")


def digest_time_set(digest_hour: int, timezone_name: str) -> str:
    return _("Daily digests now come at {hour:02d}:00 {zone}.").format(hour=digest_hour, zone=text(timezone_name))


def unknown_command(command: str) -> str:
    return _("I don't know {command}. /help lists what I understand.").format(command=text(command))


def help_message(username: str) -> str:
    return _(HELP).format(username=text(username or "bot"))


def voted(up: bool) -> str:
    return _("Thanks! Noted as helpful.") if up else _("Thanks! Noted as not helpful.")


def error_sentence(error: BaseException | None) -> str:
    """What the user reads about a failure, in their language: a domain error's sentence, else FAILED.
    Domain errors carry English sentences; the ones a user can cause are translated here from their class
    and fields (never by reading the English). Others (a model or settings mismatch, for the operator)
    are given as raised, in English."""
    if isinstance(error, IndexNotReady):
        return _(NOT_READY)
    if isinstance(error, NewsdeskError) and i18n.current() != i18n.DEFAULT:
        translated = _translated_error(error)
        if translated is not None:
            return translated
    if isinstance(error, NewsdeskError):
        return text(shorten(str(error), 500))
    return _(FAILED)


def _translated_error(error: NewsdeskError) -> str | None:
    from bot.follows import AlreadyFollowing, BadDigestHour, TooManyFollows, UnknownTimezone  # (bot.follows imports no format)

    if isinstance(error, EmptyQuery):
        return _("The question has no words to search for: ask about a person, a place or an event.")
    if isinstance(error, UnknownOutlet):
        return _("The archive has no outlet called {name}.").format(name=text(shorten(repr(error.name), 100)))
    if isinstance(error, NotADate):
        return _("{filter} is not a date; write it like {example}.").format(
            filter=text(shorten(f"{error.key}:{error.value}", 100)), example=f"{error.key}:2024-12-01")
    if isinstance(error, ReversedPeriod):
        return _("{until} is before {since}: swap them.").format(
            until=text(shorten(f"until:{error.until}", 60)), since=text(shorten(f"since:{error.since}", 60)))
    if isinstance(error, UnknownTimezone):
        return _("I don't know the time zone {name}. Use a name like Europe/Kyiv, America/New_York or UTC.").format(
            name=text(shorten(repr(error.name), 100)))
    if isinstance(error, AlreadyFollowing):
        return _("You already follow that (#{id}).").format(id=error.follow_id)
    if isinstance(error, TooManyFollows):
        return ngettext("This chat follows {n} topic, the most I keep. /unfollow one first.",
                        "This chat follows {n} topics, the most I keep. /unfollow one first.", error.count).format(n=error.count)
    if isinstance(error, BadDigestHour):
        return _("The digest hour is a whole hour from 0 to 23, e.g. /digest 7.")
    return None


def t(message: str) -> str:
    """A fixed sentence below, in the reader's language (they are msgids, marked with N_ for extraction)."""
    return _(message)


def N_(message: str) -> str:
    """Marks a constant for the catalogue; it is translated where it is used (`t`)."""
    return message


# --- fixed sentences --------------------------------------------------------------------------

HELP = N_("""<b>Newsdesk</b> finds what the archive says and quotes it, with its source.

Send a question, for example:
• <i>what was reported about Rovno?</i>
• <i>ECB interest rate decision</i>
• <i>Corallo Star aground</i>

Each answer leads with the sentence that answers, in bold, and its source (title, outlet, date, link); tap the quote under it to read the passage around it. <b>📋</b> copies a ready-to-paste quote with its source, <b>📄</b> sends the whole article, <b>More</b> the next results.

Narrow it down in the question: an outlet (<i>what did Kyiv Ledger report about Pokrovsk?</i>; name several to see each one's best report), a date (<i>on December 7</i>, <i>last week</i>, <i>in March 2024</i>), <i>latest</i> for newest first, or filters: <code>from:OUTLET</code> <code>since:2024-12-01</code> <code>until:2024-12-31</code> and "exact phrase" in quotes.

In a group, mention me or reply to me, or use /ask. In any chat, type @{username} and a question to share a cited snippet.

<b>Alerts.</b> /follow <i>Rovno</i> sends new reports on Rovno as they are indexed (<code>/follow --daily Rovno</code>: one digest a day); /following lists them, /unfollow ID stops one; /timezone and /digest set the digest time.

<b>Did it help?</b> React 👍 or 👎 to an answer or an alert: the newsroom uses the votes to improve the search. Where I can't see reactions (a group where I am not an admin), reply 👍 or 👎 to the answer instead.

/language – the language I answer in: English, українська, русский
/sources – outlets and dates in the archive
/status – size of the archive and its last update""")

REFUSAL = N_("Sorry, this Newsdesk archive is private to its newsroom. "
              "Ask the newsroom's admin to add your Telegram id ({user_id}).")
PRIVATE = N_("This archive is private to its newsroom.")  # a stranger's button press
NOT_AVAILABLE = N_("Not available to you")  # a stranger's inline query
NOTHING_ANSWERS = N_("Nothing in the archive answers that")  # an inline query no report passes the floor for
NOT_READY = N_("The archive is not indexed yet. Please ask again after the next reindex.")
SLOW_DOWN = N_("You are asking faster than I can answer well. Please wait a minute, then ask again.")
TEXT_ONLY = N_("I answer text questions about the archive, e.g. <i>what was reported about Rovno?</i> /help shows more.")
EXPIRED = N_("This button belongs to an old answer. Please ask the question again.")
BUTTON_EXPIRED = N_("This button has expired.")  # a press whose data is malformed or of no known button
GONE = N_("That article is no longer in the archive.")
FAILED = N_("Sorry, something went wrong with that one. It has been logged.")
ASK_USAGE = N_("Write the question after the command: /ask what was reported about Rovno?")
FOLLOW_USAGE = N_("Write what to follow after the command, as you would ask it: <code>/follow Rovno</code>, "
                   "<code>/follow ECB interest rates from:Reuters</code>. <code>/follow --daily Rovno</code> "
                   "sends one digest a day instead.")
FOLLOW_STOPPED = N_("That follow was stopped.")


NOT_VOTABLE = N_("A 👍 or 👎 counts on an answer or an alert: reply with it to one of those.")


def inline_description(hit: Hit) -> str:
    """The grey line under an inline result (plain text)."""
    return shorten(f"{hit.citation.source or ''} {short_date(hit.citation.published_at)}: {hit.highlight}", 200)


# --- buttons' labels and the language -------------------------------------------------------------

def more_label() -> str:
    return _("More ▸")


def stop_label(mark: str = "") -> str:
    return _("🔕 Stop") + mark


def switch_label(daily: bool, numbered: bool, mark: str = "") -> str:
    """The button that switches a follow to the other delivery."""
    if daily:
        return _("⚡ As indexed") + mark
    return (_("🗓 Daily") if numbered else _("🗓 Daily digest")) + mark


LANGUAGE_NAMES = {"en": "English", "uk": "Українська", "ru": "Русский"}  # each in itself, for the buttons


def language_menu(language: str) -> str:
    """/language without an argument: the language now, and how to change it."""
    return _("I answer you in English. Choose another below, or write <code>/language uk</code>, "
             "<code>/language ru</code> or <code>/language en</code>.")


def language_set(language: str) -> str:
    """After /language LANG or a button (said in the new language)."""
    return _("From now on I answer you in English.")


def language_unknown(raw: str) -> str:
    return _("I speak English (en), Ukrainian (uk) and Russian (ru), not {language}. Write e.g. "
             "<code>/language uk</code>.").format(language=text(shorten(raw, 20)))


COMMANDS = [  # the command menu Telegram shows (bot.app sets it in each language)
    ("help", N_("What I do and how to ask")),
    ("ask", N_("Ask a question (in groups)")),
    ("sources", N_("Outlets and dates in the archive")),
    ("status", N_("Size of the archive and its last update")),
    ("follow", N_("Alerts on new reports: /follow Rovno")),
    ("following", N_("What you follow")),
    ("unfollow", N_("Stop a follow: /unfollow 3")),
    ("timezone", N_("Time zone of daily digests")),
    ("digest", N_("Hour of daily digests")),
    ("language", N_("The language I answer in: en, uk, ru")),
]


def commands() -> list[tuple[str, str]]:
    return [(name, _(description)) for name, description in COMMANDS]
