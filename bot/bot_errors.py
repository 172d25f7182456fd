"""bot.bot_errors: the bot's own domain errors, each a sentence for the user (a NewsdeskError, as
retrieval's are): what a follow or a digest time cannot be."""

from __future__ import annotations

from index.errors import NewsdeskError


class FollowError(NewsdeskError):
    """A follow request that cannot be done; the message is for the user (in English: bot.render.failures'
    error_sentence gives it in the user's language from the subclass and its fields)."""


class UnknownTimezone(FollowError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"I don't know the time zone {name!r}. Use a name like Europe/Kyiv, America/New_York or UTC.")


class AlreadyFollowing(FollowError):
    def __init__(self, follow_id: int) -> None:
        self.follow_id = follow_id
        super().__init__(f"You already follow that (#{follow_id}).")


class TooManyFollows(FollowError):
    def __init__(self, count: int) -> None:
        self.count = count
        super().__init__(f"This chat follows {count} topics, the most I keep. /unfollow one first.")


class BadDigestHour(FollowError):
    def __init__(self) -> None:
        super().__init__("The digest hour is a whole hour from 0 to 23, e.g. /digest 7.")
