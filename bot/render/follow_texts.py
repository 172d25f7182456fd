"""bot.render.follow_texts: the texts of follows and alerts. An alert's page (laid out as an answer),
/following, the replies to /follow, /unfollow, /timezone and /digest, and the short answers of the
🔕 and 🗓 / ⚡ buttons.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n import gettext as _
from bot.i18n import ngettext
from bot.render.answers import fit
from bot.render.markup import MESSAGE_LIMIT, OUTLET_CHARS, TOPIC_CHARS, shorten, text
from bot.render.stories import day, disagreement_line
from retrieval.records import Hit, Update

UPDATE_DISAGREEMENTS = 2  # changed figures named in an alert's report, one line each


def alert_lead(topic: str, first: int, shown: int, total: int, daily: bool) -> str:
    topic = text(shorten(topic, TOPIC_CHARS))
    head = "🔔 <b>" + (_("Daily digest on {topic}") if daily else _("New on {topic}")).format(topic=topic) + "</b>: "
    if first > 1:
        if shown == 1:
            return head + _("report {first} of {total}").format(first=first, total=total)
        return head + _("reports {first}–{last} of {total}").format(first=first, last=first + shown - 1, total=total)
    return head + ngettext("{n} report, closest first", "{n} reports, closest first", total).format(n=total)


def alert_message(topic: str, hits: list[Hit], total: int, daily: bool = False,
                  limit: int = MESSAGE_LIMIT, updates: Mapping[int, Update] | None = None) -> tuple[str, list[Hit]]:
    """(HTML, hits shown) for an alert page: `hits` are the page's candidates, numbered as in the
    whole alert; whole passages are dropped from the end until the message fits. A report of a story
    the follower was sent before (`updates`, by passage id) leads with what it adds."""
    first = hits[0].rank if hits else 1
    updates = updates or {}
    return fit(lambda shown: alert_lead(topic, first, shown, total, daily), list(hits), limit,
               heading=lambda hit: update_line(updates[hit.passage_id]) if hit.passage_id in updates else "")


def update_line(update: Update) -> str:
    """What a report adds to a story the follower was alerted to before, rather than the story again:
    the figures it gives otherwise (each with the earlier values, outlets and days), else that its
    outlet is new to the story, else that it changes no figure."""
    first = update.earlier[0].citation
    story = _("the story of {date} ({outlet})").format(
        date=day(first), outlet=text(shorten(first.source or _("unknown outlet"), OUTLET_CHARS)))
    if update.changed:
        return "\n".join(["↻ <i>" + _("Update on {story}:").format(story=story) + "</i>",
                          *(disagreement_line(d) for d in update.changed[:UPDATE_DISAGREEMENTS])])
    if update.new_outlet:
        return "↻ <i>" + _("A new outlet on {story}").format(story=story) + "</i>"
    return "↻ <i>" + _("More on {story}; no figure changed").format(story=story) + "</i>"


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
