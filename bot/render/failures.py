"""bot.render.failures: what the user reads about a failure, in their language (`error_sentence`)."""

from __future__ import annotations

from bot import i18n
from bot.bot_errors import AlreadyFollowing, BadDigestHour, TooManyFollows, UnknownTimezone
from bot.i18n import gettext as _
from bot.i18n import ngettext
from bot.render.markup import shorten, text
from bot.render.sentences import FAILED, NOT_READY
from retrieval.errors import EmptyQuery, NotADate, ReversedPeriod, UnknownOutlet
from index.errors import IndexNotReady, NewsdeskError


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
