"""bot.render.answers: an answer as one message of Telegram HTML that reads well on a phone.

One result, as a phone shows it (three and their buttons fit a phone's first screen, docs/phone.md):
the sentence that answers, in bold; its citation on one line (outlet linked, date); then an expandable
blockquote, collapsed, one tap away: the article's title and the passage around the sentence. Results
are dropped from the end until the message fits (`fit`, which alerts use too); a question naming several
outlets gets a section per outlet (`by_outlet`).
"""

from __future__ import annotations

from datetime import timedelta

from bot.i18n import gettext as _
from bot.i18n import ngettext
from bot.render import stories
from bot.render.markup import (
    MESSAGE_LIMIT, OUTLET_CHARS, TOPIC_CHARS, linked, provenance, short_date, shorten, text, utf16_len,
)
from retrieval import floor as floors
from retrieval.highlight import context
from retrieval.records import Answer, Citation, Filters, Hit

CONTEXT_CHARS = 420  # the highlighted sentence and its neighbours, per passage
# An answer's lead must stay one line on a phone (about 38 characters of italics at 390 pixels,
# "3 reports on " included): the answer replies to the question, which shows it whole
LEAD_TOPIC_CHARS = 24
# The answering sentence as a result's first lines (whole in the quote below). A phone's first screen has
# about nine lines of them for a page of results (docs/phone.md): a page of three gets three lines (100
# characters) each, a lone result up to 300; never less than LEAD_CHARS.
LEAD_CHARS = 100
SCREEN_LEAD_CHARS = 300
RESULT_TITLE_CHARS = 70  # a title as its quote's first line (at most two lines; whole in the 📄 article)
TIGHT_SENTENCE_CHARS = 1000  # the last resort for one passage that does not fit: its sentence cut


def also_line(citations: tuple[Citation, ...], links: bool = True) -> str:
    outlets = [linked(shorten(c.source or c.title, OUTLET_CHARS), c.url if links else None) for c in citations]
    return _("Also reported by {outlets}").format(outlets=", ".join(outlets))


def result_citation(number: int, c: Citation) -> str:
    """A result's citation on one line of a phone: [n] Outlet · date, the outlet a link to the article
    (when its URL is a safe http(s) one); an unlinked article's URL or id after them. The title is the
    first line of the result's quote: a title does not fit on this line beside outlet and date."""
    where = provenance(c)
    outlet = linked(shorten(c.source or _("unknown outlet"), OUTLET_CHARS), c.url)
    return f"<b>[{number}]</b> " + " · ".join([outlet, *where[1:]])


def language_tag(hit: Hit, asked_in: str) -> str:
    """" (in Ukrainian)" after a citation when the passage's language is not the question's; nothing
    when either is unknown (""). Passages stay as the archive has them."""
    return stories.in_language(hit.language, asked_in)


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


def fit(lead_for, hits: list[Hit], limit: int, layout=None, asked_in: str = "",
        heading=None) -> tuple[str, list[Hit]]:
    """(HTML, the hits shown, in the order shown): whole results dropped from the end of the ranking
    until the message fits (so what is shown is always the first n, and More goes on from n); one
    passage alone is tightened (less context, then passage_block's last resort), never dropped.
    `heading(hit)`: a line or two above each result of a one-by-one layout (an alert's "what changed")."""
    if not hits:
        raise ValueError("a message of passages needs at least one")
    layout = layout or one_by_one(asked_in)

    def headed(block: str, hit: Hit) -> str:
        head = heading(hit) if heading else ""
        return f"{head}\n{block}" if head else block

    for n in range(len(hits), 1, -1):
        blocks, order = layout(hits[:n])
        message = _join(lead_for(n), [headed(b, h) for b, h in zip(blocks, order)] if heading else blocks)
        if utf16_len(message) <= limit:
            return message, order
    for budget in (CONTEXT_CHARS, 240, 0):
        message = _join(lead_for(1), [headed(passage_block(hits[0], budget, asked_in=asked_in), hits[0])])
        if utf16_len(message) <= limit:
            return message, hits[:1]
    # fits by construction: lead (< 300) + heading (< 600) + sentence (2 x 1,000) + citation (< 2,600) + also
    return _join(lead_for(1), [headed(passage_block(hits[0], tight=True, asked_in=asked_in), hits[0])]), hits[:1]


def topic_of(answer: Answer) -> str:
    return shorten(answer.query.topic or answer.query.question, TOPIC_CHARS)


def several_outlets(answer: Answer) -> bool:
    """Whether the answer is laid out by outlet: a first page for a question naming two or more."""
    return not answer.offset and len(answer.query.filters.outlets) >= 2


def lead(answer: Answer, shown: int) -> str:
    """The answer's first line, in italics: how many reports on what, and on a first page the story's
    newer report when there is one ("3 reports · newer: Northern Wire, 8 Dec"); then, on a first page,
    what the story's reports give different figures for (stories.disagreement_lines), seen without a tap."""
    said = _lead(answer, shown)
    return "\n".join([said, *([] if answer.offset else stories.disagreement_lines(answer.story))])


def _lead(answer: Answer, shown: int) -> str:
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
        said = ngettext("{n} report on {topic}, by outlet as asked", "{n} reports on {topic}, by outlet as asked",
                        shown).format(n=shown, topic=text(topic))
    else:
        said = ngettext("{n} report on {topic}", "{n} reports on {topic}", shown).format(n=shown, topic=text(topic))
    if answer.newer is not None:  # "newer reports exist": the lead says so, one line, 🆕 shows it
        said = stories.lead_with_newer(said, ngettext("{n} report", "{n} reports", shown).format(n=shown), answer.newer)
    return "<i>" + said + "</i>"


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
    return fit(lambda shown: said, [answer.closest], limit, asked_in=answer.query.language)[0]


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
    message, shown = fit(lambda n: lead(answer, n), list(answer.hits), limit, layout, asked_in)
    if utf16_len(message) > limit:  # one huge passage at its last resort: it keeps its room, not the disagreements
        message, shown = fit(lambda n: _lead(answer, n), list(answer.hits), limit, layout, asked_in)
    return message, shown
