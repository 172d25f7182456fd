"""The search engines, and the one factory that chooses among them by `settings.engine`:

    NEWSDESK_ENGINE=faiss   (default) FAISS + FTS5 in the data directory (index.engines.faiss)
    NEWSDESK_ENGINE=milvus  Milvus at NEWSDESK_MILVUS_URI: a server, or a Milvus Lite file (index.engines.milvus)

The protocols are index.engines.base's. The indexer builds and prunes each generation through
`engine_for(settings)` (index.pipeline); `newsdesk index rebuild` publishes the served archive again
for another engine from the stored embeddings. Each engine module is imported when chosen: pymilvus
only for Milvus.
"""

from __future__ import annotations

from index.engines.base import Engine, Reader
from index.settings import Settings


def engine_for(settings: Settings) -> Engine:
    if settings.engine == "milvus":
        from index.engines.milvus import MilvusEngine

        return MilvusEngine(settings)
    from index.engines.faiss import FaissEngine

    return FaissEngine(settings)


def open_reader(settings: Settings) -> Reader:
    """Follows the published generations of `settings`' data directory with its engine."""
    return engine_for(settings).reader()


def kept_index_type(index_type: str) -> str:
    """What `newsdesk index rebuild --index-type` keeps for later generations: "" for the automatic
    choice (index.engines.faiss.AUTO), else the index type itself."""
    from index.engines.faiss import AUTO

    return "" if index_type == AUTO else index_type
