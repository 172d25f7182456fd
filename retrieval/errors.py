"""Retrieval's domain exceptions (index's are re-used for a missing index)."""

from index.errors import NewsdeskError


class EmptyQuery(NewsdeskError):
    """The question has nothing to search for."""
