"""bot.render.stories: the story behind an answer (issue 28). The reports of one event that answer a
question, first to latest, each a cited sentence (`story_message`, sent when 🧵 Story is tapped); the
newest of them when it is newer than the first result (`newer_clause` in the answer's lead, and
`newer_message` when 🆕 Newer is tapped); and what the reports give different figures for
(`disagreement_lines`: at most two compact lines in the answer, all of them in the story).

A disagreement's `about` is one of retrieval.figures' closed set or retrieval.claims' "when" and "who",
translated here ("killed": "загинули"; "when": "коли"),
or "count:<stem>" for another counted noun, shown as the word itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape

from bot import i18n
from bot.i18n import gettext as _
from bot.i18n import ngettext
from bot.render.markup import MESSAGE_LIMIT, OUTLET_CHARS, linked, provenance, shorten, text, utf16_len
from bot.render.sentences import N_
from retrieval.records import Citation, Disagreement, Report, Stated, Story

# retrieval.figures' closed set of what a figure is about, in the reader's words
ABOUT = {
    "killed": N_("killed"),
    "injured": N_("injured"),
    "missing": N_("missing"),
    "arrested": N_("arrested"),
    "evacuated": N_("evacuated"),
    "rescued": N_("rescued"),
    "price": N_("price"),
    "amount": N_("amount"),
    "percent": N_("percent"),
    "date": N_("date"),
    # retrieval.claims: the day or the name the reports give for one role of one event
    "when": N_("when"),
    "who": N_("who"),
}
COUNTED = "count:"  # "count:<stem>": another counted noun, shown as its stem

# The answer's lead stays one line on a phone with the newer report in it: about 40 characters of
# italics at 390 pixels ("3 reports · newer: Northern Wire, 8 Dec" is 297 px of the bubble's 310)
LEAD_LINE_CHARS = 40
LEAD_OUTLET_MIN = 8  # an outlet cut shorter than this says nothing
# The answer's disagreements: at most two, each one line of the message (at most 100 characters, two and
# a half lines of a phone: three values with outlet and date), each value with its first report's
# outlet and date; longer lines leave out values from the middle; the whole in 🧵 Story
ANSWER_DISAGREEMENTS = 2
DISAGREEMENT_CHARS = 100
VALUE_CHARS = 30  # a figure as a report writes it ("$1.5 billion", "seven")
SHORT_OUTLET_CHARS = 16  # an outlet inside a disagreement line
# The story: every report a cited sentence; a long story loses reports from its middle, never its
# first and latest, to stay readable (and inside Telegram's 4,096)
STORY_REPORTS = 10
STORY_SENTENCE_CHARS = 200
STORY_DISAGREEMENTS = 6
STORY_REPORTS_PER_VALUE = 3
STORY_OUTLET_CHARS = 30
NEWER_SENTENCE_CHARS = 1000


def about_words(about: str) -> str:
    """What a disagreement is about, in the reader's language: "killed" -> "загинули"; a counted noun's
    stem as it is ("count:drone" -> "drone"); anything else as retrieval named it."""
    if about.startswith(COUNTED):
        return about[len(COUNTED):]
    return _(ABOUT[about]) if about in ABOUT else about


def in_language(language: str, asked_in: str) -> str:
    """" (in Ukrainian)" after a citation when the passage's language is not the question's; nothing
    when either is unknown (""). Passages stay as the archive has them."""
    if not language or not asked_in or language == asked_in:
        return ""
    return f" <i>({text(i18n.language_name(language))})</i>"


def day(c: Citation) -> str:
    return i18n.day_month(c.published_at) if c.published_at else _("undated")


def said_by(report: Report, outlet_chars: int = SHORT_OUTLET_CHARS) -> str:
    """Outlet, day: "Kyiv Ledger, 7 Dec" (no link: a disagreement line names, the reports above link)."""
    return text(shorten(report.citation.source or _("unknown outlet"), outlet_chars)) + ", " + day(report.citation)


# --- in the answer ---------------------------------------------------------------------------------

def newer_clause(newer: Report, outlet_chars: int = OUTLET_CHARS) -> str:
    """"newer: Northern Wire, 8 Dec", for the answer's lead (plain text, escaped)."""
    return _("newer: {outlet}, {date}").format(
        outlet=text(shorten(newer.citation.source or _("unknown outlet"), outlet_chars)), date=day(newer.citation))


def lead_with_newer(counted_on_topic: str, counted: str, newer: Report) -> str:
    """The answer's lead with the newer report in it, one phone line (LEAD_LINE_CHARS of plain text):
    "3 reports on Rovno · newer: Northern Wire, 8 Dec" when it fits, else without the topic (the
    answer replies to the question, which shows it), else the newer report alone, its outlet cut."""
    for start in (counted_on_topic, counted):
        line = f"{start} · {newer_clause(newer)}"
        if len(_plain(line)) <= LEAD_LINE_CHARS:
            return line
    alone = _("Newer report: {outlet}, {date}")
    room = LEAD_LINE_CHARS - len(alone.format(outlet="", date=day(newer.citation)))
    return alone.format(outlet=text(shorten(newer.citation.source or _("unknown outlet"), max(room, LEAD_OUTLET_MIN))),
                        date=day(newer.citation))


def _plain(html: str) -> str:
    """What a phone shows of `html`: the length a line budget counts."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def _value(stated: Stated, reports: int, outlet_chars: int) -> str:
    """<b>3</b> — Kyiv Ledger, 7 Dec (and up to `reports` - 1 more outlets, then +N)."""
    shown = [said_by(r, outlet_chars) for r in stated.reports[:reports]]
    rest = len(stated.reports) - len(shown)
    return f"<b>{text(shorten(stated.value, VALUE_CHARS))}</b> — " + "; ".join(shown) + (f" +{rest}" if rest else "")


def disagreement_line(d: Disagreement, chars: int | None = DISAGREEMENT_CHARS, reports: int = 1,
                      outlet_chars: int = SHORT_OUTLET_CHARS) -> str:
    """"killed: <b>3</b> — Kyiv Ledger, 7 Dec · <b>5</b> — Northern Wire, 7 Dec · <b>7</b> — Kyiv Ledger,
    8 Dec". Within `chars` of plain text (None: no bound) values are left out from the middle, never
    the first or the last (the latest figure is the one a reader needs), with "…" in their place."""
    values = [_value(v, reports, outlet_chars) for v in d.values]
    head = text(about_words(d.about)) + ": "
    keep = list(range(len(values)))

    def line() -> str:
        parts, last = [], -1
        for i in keep:
            if i != last + 1:
                parts.append("…")
            parts.append(values[i])
            last = i
        return head + " · ".join(parts)

    while chars is not None and len(_plain(line())) > chars and len(keep) > 2:
        del keep[len(keep) // 2 if len(keep) % 2 else len(keep) // 2 - 1]
    return line()


def disagreement_lines(story: Story | None) -> list[str]:
    """The answer's disagreements: at most ANSWER_DISAGREEMENTS, one line each, marked ⚠️, in italics like
    the lead above them (the bold sentence of the first result under them starts the results)."""
    if story is None:
        return []
    return ["<i>⚠️ " + disagreement_line(d) + "</i>" for d in story.disagreements[:ANSWER_DISAGREEMENTS]]


# --- the story, when tapped ------------------------------------------------------------------------

def cited(report: Report, asked_in: str, links: bool = True, mark: str = "") -> str:
    """A report's citation on one line: its date in bold (a story reads as a timeline), the outlet (a
    link to the article, unless not `links`), what identifies an unlinked article, its language when
    not the question's, and `mark` (first, latest)."""
    c = report.citation
    outlet = shorten(c.source or _("unknown outlet"), OUTLET_CHARS)
    where = provenance(c)
    return " · ".join([f"<b>{where[1]}</b>", linked(outlet, c.url) if links else text(outlet), *where[2:]]) + \
        in_language(report.language, asked_in) + (f" · <i>{mark}</i>" if mark else "")


def report_block(report: Report, mark: str, asked_in: str, links: bool = True) -> str:
    """A report as a story shows it: its citation on one line, then its sentence quoted
    (STORY_SENTENCE_CHARS): each quote's box sets one report off from the next without an empty line."""
    return (cited(report, asked_in, links, mark) + "\n"
            f"<blockquote>{text(shorten(' '.join(report.sentence.split()), STORY_SENTENCE_CHARS))}</blockquote>")


def _shown(reports: Sequence[Report], first: int, latest: int, keep: int) -> list[int]:
    """Which of `reports` to show, by index, at most `keep`: the first and the latest always, then
    those nearest either end (a story's middle is what a reader can spare)."""
    ends = sorted({first, latest})
    order = sorted((i for i in range(len(reports)) if i not in ends),
                   key=lambda i: min(i - first, abs(len(reports) - 1 - i)))
    return sorted(ends + order[:max(keep - len(ends), 0)])


def story_message(story: Story, asked_in: str = "", limit: int = MESSAGE_LIMIT) -> str:
    """🧵 Story, a reply to the answer (so the lead need not repeat the question): a lead line, the
    reports first to latest (each a cited sentence, the first and the latest marked; "… N more" where reports of the middle are left out), then what the reports give
    different figures for, each value with the outlets and dates that give it. Reports are left out
    from the middle until it fits `limit`, then disagreements from the end; if the first and the latest
    alone do not fit with their links (URLs of 2,000 characters), no report is linked."""
    reports = story.reports
    first, latest = 0, reports.index(story.latest)

    def build(keep: int, disagreements: int, links: bool) -> str:
        indices = _shown(reports, first, latest, keep)
        lines = ["<i>" + ngettext("🧵 {n} report, first to latest", "🧵 {n} reports, first to latest",
                                  len(reports)).format(n=len(reports)) + "</i>"]
        previous = -1
        for i in indices:
            if i > previous + 1:
                lines.append("<i>" + ngettext("… {n} more", "… {n} more", i - previous - 1).format(n=i - previous - 1) + "</i>")
            mark = _("first") if i == first else _("latest") if i == latest else ""
            lines.append(report_block(reports[i], mark, asked_in, links))
            previous = i
        if previous < len(reports) - 1:
            rest = len(reports) - 1 - previous
            lines.append("<i>" + ngettext("… {n} more", "… {n} more", rest).format(n=rest) + "</i>")
        shown = story.disagreements[:disagreements]
        if shown:
            lines.append("\n<b>" + _("⚠️ The reports differ") + "</b>")
            lines += [disagreement_line(d, None, STORY_REPORTS_PER_VALUE, STORY_OUTLET_CHARS) for d in shown]
        return "\n".join(lines)

    disagreements = min(len(story.disagreements), STORY_DISAGREEMENTS)
    for links in (True, False):
        for keep in range(min(len(reports), STORY_REPORTS), 1, -1):
            message = build(keep, disagreements, links)
            if utf16_len(message) <= limit:
                return message
        for fewer in range(disagreements - 1, -1, -1):
            message = build(2, fewer, links)
            if utf16_len(message) <= limit:
                return message
    # two sentences of 200 characters, two outlets of 100 and a short lead, unlinked: always fits
    return build(2, 0, False)


def newer_message(newer: Report, asked_in: str = "") -> str:
    """🆕 Newer, a reply to the answer: the newest report of its first result's story, as a result
    reads (its sentence in bold, its citation, its title in a quote)."""
    c = newer.citation
    outlet = linked(shorten(c.source or _("unknown outlet"), OUTLET_CHARS), c.url)
    return ("<i>" + _("🆕 Newer report") + "</i>\n"
            f"<b>{text(shorten(' '.join(newer.sentence.split()), NEWER_SENTENCE_CHARS))}</b>\n"
            + " · ".join([outlet, *provenance(c)[1:]]) + in_language(newer.language, asked_in) + f"\n<blockquote><i>{text(shorten(' '.join(c.title.split()), 300))}</i></blockquote>")
