"""Opening a searcher: the one place that chooses the index reader and the encoder for a data directory.

The bot and the command line both call `open_searcher(settings)`; neither builds an index reader or an
encoder itself.
"""

from __future__ import annotations

from index.encoder import ServingEncoder
from index.settings import Settings
from retrieval.search import SearchSettings, Searcher


def open_searcher(settings: Settings, check: bool = False, search: SearchSettings | None = None) -> Searcher:
    """A Searcher on the index of `settings` (FAISS + FTS5 by default, Milvus with NEWSDESK_ENGINE=milvus:
    index.engines), encoding questions with the model the index records. `check`: fail now with
    IndexNotReady ("run index add first") rather than at the first question, before the model is loaded."""
    from index.engines import open_reader

    reader = open_reader(settings)
    if check:
        reader.snapshot()
    return Searcher(reader, ServingEncoder(settings), search or SearchSettings.from_env())


def require_published(settings: Settings) -> int:
    """The published generation of `settings`' data directory, or IndexNotReady."""
    from index.generations import require_current

    return require_current(settings.data_dir)
