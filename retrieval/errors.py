"""Retrieval's domain exceptions (index's are re-used for a missing index)."""

from index.errors import NewsdeskError


class BadQuery(NewsdeskError):
    """The question cannot be searched as written (the user can fix it)."""


class EmptyQuery(BadQuery):
    """The question has nothing to search for."""
