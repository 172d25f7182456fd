"""Opening a searcher, and what the layers above `retrieval` need of the index, in one place.

The bot and the command line both call `open_searcher(settings)`; neither builds an index reader or
an encoder itself. The bot imports `retrieval` only (an import-linter contract, `make test`), so the
few index names it needs (settings, domain errors, the archive's status) are re-exported here.
"""

from __future__ import annotations

from datetime import datetime

from index.encoder import ServingEncoder, serve_queries
from index.errors import IndexBusy, IndexNotReady, ModelMismatch, NewsdeskError, SettingsError
from index.records import IndexStatus, SourceCount
from index.settings import Settings
from retrieval.errors import BadQuery, EmptyQuery
from retrieval.records import Query
from retrieval.search import SearchSettings, Searcher

__all__ = [
    "BadQuery", "EmptyQuery", "IndexBusy", "IndexNotReady", "IndexStatus", "ModelMismatch",
    "NewsdeskError", "SettingsError", "Settings", "SourceCount", "Searcher", "open_searcher",
    "read_question", "require_published", "serve_queries", "served_generation",
]


def _reader(settings: Settings):
    """The index the searcher reads: the one place that chooses it (FAISS + FTS5 by default, Milvus
    with NEWSDESK_ENGINE=milvus: index.engines)."""
    from index.engines import open_reader

    return open_reader(settings)


def open_searcher(settings: Settings, check: bool = False, search: SearchSettings | None = None) -> Searcher:
    """A Searcher on the index of `settings`, encoding questions with the model the index records.
    `check`: fail now with IndexNotReady ("run index add first") rather than at the first question,
    before the model is loaded."""
    reader = _reader(settings)
    if check:
        reader.snapshot()
    return Searcher(reader, ServingEncoder(settings), search or SearchSettings.from_env())


def served_generation(searcher: Searcher) -> int:
    return searcher.generation


def read_question(searcher: Searcher, question: str, as_of: datetime | None = None) -> tuple[Query | None, int]:
    return searcher.read_question(question, as_of)


def require_published(settings: Settings) -> int:
    """The published generation of `settings`' data directory, or IndexNotReady."""
    from index.generations import require_current

    return require_current(settings.data_dir)
