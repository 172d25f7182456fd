"""bot.render.sentences: the bot's fixed sentences (/help, refusals, usage, expired buttons, ...), marked
for the catalogue with `N_` and translated where they are said with `t`; and the few short replies
built around one value (an unknown command, a vote noted).
"""

from __future__ import annotations

from bot.i18n import gettext as _
from bot.render.markup import text


def t(message: str) -> str:
    """A fixed sentence below, in the reader's language (they are msgids, marked with N_ for extraction)."""
    return _(message)


def N_(message: str) -> str:
    """Marks a constant for the catalogue; it is translated where it is used (`t`)."""
    return message


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
NO_STORY = N_("The archive no longer tells that story in its answer. Please ask the question again.")
NO_NEWER = N_("The archive has no newer report on that now. Please ask the question again.")
FAILED = N_("Sorry, something went wrong with that one. It has been logged.")
ASK_USAGE = N_("Write the question after the command: /ask what was reported about Rovno?")
FOLLOW_USAGE = N_("Write what to follow after the command, as you would ask it: <code>/follow Rovno</code>, "
                   "<code>/follow ECB interest rates from:Reuters</code>. <code>/follow --daily Rovno</code> "
                   "sends one digest a day instead.")
FOLLOW_STOPPED = N_("That follow was stopped.")
NOT_VOTABLE = N_("A 👍 or 👎 counts on an answer or an alert: reply with it to one of those.")


def help_message(username: str) -> str:
    return _(HELP).format(username=text(username or "bot"))


def unknown_command(command: str) -> str:
    return _("I don't know {command}. /help lists what I understand.").format(command=text(command))


def voted(up: bool) -> str:
    return _("Thanks! Noted as helpful.") if up else _("Thanks! Noted as not helpful.")
