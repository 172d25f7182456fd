"""The configured search engine: `open_reader(settings)` follows the published generations and gives a
`SearchIndex` (index.search_index) per `snapshot()`.

    NEWSDESK_ENGINE=faiss   (default) FAISS + FTS5 in the data directory (index.reader.IndexReader)
    NEWSDESK_ENGINE=milvus  Milvus at NEWSDESK_MILVUS_URI: a server, or a Milvus Lite file (index.milvus)

The indexer publishes for the same setting (index.pipeline.publish); `newsdesk index rebuild` publishes
the served archive again for another engine from the stored embeddings.
"""

from __future__ import annotations

from typing import Protocol

from index.search_index import SearchIndex
from index.settings import Settings


class Reader(Protocol):
    """Follows CURRENT: each call returns the newest published generation."""

    def snapshot(self) -> SearchIndex: ...


def open_reader(settings: Settings) -> Reader:
    if settings.engine == "milvus":
        from index.milvus import MilvusReader  # pymilvus only when asked for

        return MilvusReader(settings)
    from index.reader import IndexReader

    return IndexReader(settings.data_dir)
