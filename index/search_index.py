"""`SearchIndex`: everything `retrieval` asks of a published index, in one protocol.

Two engines implement it: FAISS + FTS5 (index.reader.Snapshot, the default, embedded) and Milvus
(index.milvus.MilvusSnapshot, NEWSDESK_ENGINE=milvus). index.engines.open_reader(settings) opens the
configured one. A snapshot is one consistent generation: every answer reads one snapshot throughout.

Passage ids are the archive's (SQLite's `passages.id`); the SQLite store stays the source of truth for
the passages, articles and word tables, so an engine's index can always be rebuilt from it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol, runtime_checkable

import numpy as np

from index.generations import Manifest
from index.records import IndexStatus, SourceCount, StoredArticle, StoredPassage


@runtime_checkable
class SearchIndex(Protocol):
    """Dense and lexical search over one consistent generation, its filters, and the passages behind the hits."""

    generation: int
    manifest: Manifest  # .passages, .model, .dimension, .index_type, ...

    # --- search -----------------------------------------------------------------------------
    def dense(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(passage id, cosine) of the `limit` nearest passages, best first, among `allowed` ids if given."""
        ...

    def lexical(self, match: str, limit: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """(passage id, BM25 score; higher is better) for an FTS5-syntax query as
        retrieval.query.fts_match writes it: quoted terms OR-ed in one group, quoted phrases AND-ed."""
        ...

    def allowed(self, sources: tuple[str, ...], since: datetime | None, until: datetime | None) -> np.ndarray:
        """Ids of the passages from these outlets (any, when empty) published in [since, until)."""
        ...

    def new_passages(self, since_gen: int) -> np.ndarray:
        """Ids of passages whose article came in (or changed) after generation `since_gen` (alerts)."""
        ...

    # --- what the hits are ------------------------------------------------------------------
    def published(self, ids: list[int]) -> dict[int, str | None]: ...

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]: ...

    def languages(self, ids: list[int]) -> dict[int, str]:
        """Each passage's article language, ISO 639-1; "" when not known (indexed before schema 7)."""
        ...

    def article(self, article_id: str) -> StoredArticle | None: ...

    # --- reading a question -----------------------------------------------------------------
    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        """Passages containing each (porter-stemmed) term."""
        ...

    def similar_terms(self, term: str, limit: int) -> list[str]: ...

    def places(self, name: str) -> list[tuple[str, float, bool]]: ...

    @property
    def sources(self) -> tuple[SourceCount, ...]: ...

    @property
    def outlets(self) -> tuple[str, ...]: ...

    @property
    def archive_end(self) -> datetime | None: ...

    def status(self) -> IndexStatus: ...


class Reader(Protocol):
    """What serves snapshots, the newest published generation each time: index.reader.IndexReader or the
    Milvus reader (index.engines.open_reader chooses)."""

    def snapshot(self) -> SearchIndex: ...
