"""bot.render.archive: the archive described, /sources (its outlets and dates) and /status (its size
and last reindex)."""

from __future__ import annotations

from bot.i18n import gettext as _
from bot.i18n import ngettext
from bot.render.markup import number, short_date, text
from index.records import IndexStatus


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


def status_message(status: IndexStatus) -> str:
    updated = (f"{short_date(status.last_update)} {status.last_update:%H:%M} UTC" if status.last_update
               else _("never"))
    covered = (f"{short_date(status.first_published)} – {short_date(status.last_published)}"
               if status.first_published else _("undated"))
    return _("<b>Archive status</b>\nArticles: {articles}\nPassages: {passages}\nDates: {dates}\nLast reindex: {updated}"
             ).format(articles=number(status.articles), passages=number(status.passages), dates=covered, updated=updated)
