"""What an engine is, and what `retrieval` asks of what it serves: the protocols of index.engines.

`SearchIndex` is everything `retrieval` asks of a published index; a `Reader` serves the newest one;
an `Engine` builds a generation, opens a reader and drops what no kept generation needs. Two engines
implement them: FAISS + FTS5 (index.engines.faiss, the default, embedded) and Milvus
(index.engines.milvus, NEWSDESK_ENGINE=milvus); index.engines.engine_for(settings) chooses. Both serve
a generation as an index.engines.snapshot.Snapshot: their own `EngineIndex` (dense and lexical search,
filters) beside the SQLite rows. A snapshot is one consistent generation: every answer reads one
snapshot throughout.

Passage ids are the archive's (SQLite's `passages.id`); the SQLite store stays the source of truth for
the passages, articles and word tables, so an engine's index can always be rebuilt from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from index.generations import Manifest
from index.records import IndexStatus, SourceCount, StoredArticle, StoredPassage
from index.store import Store


class Searches(Protocol):
    """Dense and lexical search over one generation, and the filters they take."""

    def dense(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """(passage id, cosine) of the `limit` nearest passages, best first, among `allowed` ids if given."""
        ...

    def dense_each(self, vector: np.ndarray, limit: int,
                   subsets: Sequence[np.ndarray | None]) -> list[list[tuple[int, float]]]:
        """`dense(vector, limit, ids)` for each of `subsets` (None: all), in order: the same hits, from as
        few searches as the engine can share among them."""
        ...

    def lexical(self, match: str, limit: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """(passage id, BM25 score; higher is better) for an FTS5-syntax query as
        retrieval.query.fts_match writes it: quoted terms OR-ed in one group, quoted phrases AND-ed."""
        ...

    def allowed(self, sources: tuple[str, ...], since: datetime | None, until: datetime | None) -> np.ndarray:
        """Ids of the passages from these outlets (any, when empty) published in [since, until)."""
        ...


@runtime_checkable
class SearchIndex(Searches, Protocol):
    """Dense and lexical search over one consistent generation, its filters, and the passages behind the hits."""

    generation: int
    manifest: Manifest  # .passages, .model, .dimension, .index_type, ...

    def new_passages(self, since_gen: int) -> np.ndarray:
        """Ids of passages whose article came in (or changed) after generation `since_gen` (alerts)."""
        ...

    # --- what the hits are ------------------------------------------------------------------
    def published(self, ids: list[int]) -> dict[int, str | None]: ...

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]: ...

    def passages_of(self, article_ids: list[str]) -> dict[int, StoredPassage]:
        """Every passage of these articles in this generation (alerts: what a follow was sent before)."""
        ...

    def vectors_of(self, passages: list[StoredPassage]) -> dict[int, np.ndarray]:
        """The stored vector of each passage, by passage id (what grouping by meaning compares)."""
        ...

    def languages(self, ids: list[int]) -> dict[int, str]:
        """Each passage's article language, ISO 639-1; "" when not known (indexed before schema 7)."""
        ...

    def article(self, article_id: str) -> StoredArticle | None: ...

    def mentioning(self, match: str, ids: set[int]) -> set[int]:
        """Which of these passages have the words of the FTS5 query `match` (the archive's full-text
        index, the same for every engine), unranked."""
        ...

    def sentence_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The stored vector of each sentence (by index.sentences.key) that has one: the bold sentence
        chosen by meaning without the model (none before schema 8)."""
        ...

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
    """Follows CURRENT: each call returns the newest published generation."""

    def snapshot(self) -> SearchIndex: ...


class EngineIndex(Searches, Protocol):
    """An engine's own part of one generation's snapshot (index.engines.snapshot.Snapshot holds it)."""

    def close(self) -> None:
        """Let go of what it holds open, once no question reads the snapshot any more."""
        ...


class Engine(Protocol):
    """A search engine: how a generation is built for it, served, and cleaned up after."""

    name: str  # NEWSDESK_ENGINE, and the manifest's `engine`
    # Whether its index holds its own copy of the rows' words (lemma columns included): rewritten columns
    # then reach it only in a new generation, where FTS5 reads them from the rows
    copies_words: bool

    def build(self, store: Store, gen: int, dimension: int, index_type: str | None,
              directory: Path) -> tuple[str, dict]:
        """Build generation `gen` from the store (inside the writer's transaction), writing its files into
        `directory` (the generation's, before it is sealed). `index_type` is the one asked for (None:
        the engine's choice). Returns (the index type built, the manifest's engine part)."""
        ...

    def reader(self) -> Reader: ...

    def prune(self, keep_from: int, served: int) -> None:
        """Drop what the engine keeps outside the generation directories for generations before
        `keep_from` (no longer kept) or after `served` (runs that died before publishing)."""
        ...
