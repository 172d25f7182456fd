"""Retrieval's domain exceptions (index's are re-used for a missing index). The ones a user causes carry
what they said as fields, so that the bot can say it in the user's language (bot.render.failures.error_sentence)."""

from index.errors import NewsdeskError


class BadQuery(NewsdeskError):
    """The question cannot be searched as written (the user can fix it)."""


class EmptyQuery(BadQuery):
    """The question has nothing to search for."""


class UnknownOutlet(BadQuery):
    """from:NAME names no outlet of the archive."""

    def __init__(self, name: str) -> None:
        super().__init__(f"The archive has no outlet called {name!r}.")
        self.name = name


class NotADate(BadQuery):
    """since:/until: followed by something that is not a date."""

    def __init__(self, key: str, value: str) -> None:
        super().__init__(f"{key}:{value} is not a date; write it like {key}:2024-12-01.")
        self.key, self.value = key, value


class ReversedPeriod(BadQuery):
    """until: before since:."""

    def __init__(self, since: str, until: str) -> None:
        super().__init__(f"until:{until} is before since:{since}: swap them.")
        self.since, self.until = since, until
