"""One published generation as every engine serves it, and the reader that follows CURRENT.

`Snapshot` implements index.engines.base.SearchIndex: dense and lexical search and the filters are the
engine's `EngineIndex` (FAISS + FTS5, or Milvus); passages, articles, words and places are read from
the SQLite rows, the same for every engine.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import datetime
from functools import cached_property
from pathlib import Path

import numpy as np

from index import generations
from index.engines.base import EngineIndex
from index.errors import IndexNotReady
from index.normalize import EARLIEST, latest_sane, sane_date
from index.records import IndexStatus, SourceCount, StoredArticle, StoredPassage
from index.schema import READABLE_SCHEMA
from index.store_reader import Readers, StoreReader


def index_size(data_dir: Path) -> int:
    """Bytes on disk of what a data directory holds but the cached model exports (DATA_DIR/models/),
    which are the model's, not the archive's: 23 MB for int8 MiniLM, more than a small archive."""
    return sum(p.stat().st_size for p in data_dir.rglob("*")
               if p.is_file() and p.relative_to(data_dir).parts[0] != "models")


class Snapshot:
    """One generation: the engine's index of it and the database rows filtered to it."""

    def __init__(self, data_dir: Path, gen: int, manifest: generations.Manifest, index: EngineIndex,
                 readers: Readers) -> None:
        self.data_dir = data_dir
        self.generation = gen
        self.manifest = manifest
        self.index = index
        self._readers = readers
        written = int(self.store.meta("schema_version") or 0)
        if written < READABLE_SCHEMA:
            raise IndexNotReady(
                f"The index in {data_dir} was written by an older Newsdesk (schema {written}, this one reads "
                f"{READABLE_SCHEMA} and later): run `newsdesk index update` or `newsdesk index add` once to upgrade it.")

    @property
    def store(self) -> StoreReader:
        """This thread's read-only connection (the engine's index reads the same `readers`)."""
        return self._readers.get()

    def close(self) -> None:
        self.index.close()

    def dense(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        return self.index.dense(vector, limit, allowed)

    def dense_each(self, vector: np.ndarray, limit: int,
                   subsets: Sequence[np.ndarray | None]) -> list[list[tuple[int, float]]]:
        return self.index.dense_each(vector, limit, subsets)

    def lexical(self, match: str, limit: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        return self.index.lexical(match, limit, allowed)

    def allowed(self, sources: tuple[str, ...], since: datetime | None, until: datetime | None) -> np.ndarray:
        return self.index.allowed(sources, since, until)

    def published(self, ids: list[int]) -> dict[int, str | None]:
        return self.store.published(ids)

    def languages(self, ids: list[int]) -> dict[int, str]:
        return self.store.languages(ids)

    @cached_property
    def sources(self) -> tuple[SourceCount, ...]:
        """Outlets with their counts and dates: fixed for a generation, read once."""
        return tuple(self.store.sources(self.generation))

    @cached_property
    def outlets(self) -> tuple[str, ...]:
        return tuple(o.name for o in self.sources if o.name)

    @cached_property
    def archive_end(self) -> datetime | None:
        """The date of the newest article: a year-less date in a question means the latest one before it.

        Only dates an archive can hold count (1800 to a year from now, index.normalize.sane_date): an
        archive indexed before such dates were dropped may hold 9999-12-31, and "in December" counted
        back from it overflows datetime."""
        newest = max((o.last for o in self.sources if o.last), default=None)
        if newest is None or sane_date(newest):
            return newest
        return self.store.latest_published(self.generation, EARLIEST, latest_sane())

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]:
        return self.store.passages(ids)

    def mentioning(self, match: str, ids: set[int]) -> set[int]:
        return self.store.matching(match, ids)

    def sentence_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        return self.store.sentence_vectors(keys)

    def passages_of(self, article_ids: list[str]) -> dict[int, StoredPassage]:
        """Every passage of these articles in this generation."""
        return self.store.passages(self.store.passage_ids_of(article_ids, self.generation))

    def vectors_of(self, passages: list[StoredPassage]) -> dict[int, np.ndarray]:
        """The stored vector of each passage (the one its dense search compares), by passage id."""
        found = self.store.embeddings(p.text_hash for p in passages)
        return {p.passage_id: found[p.text_hash] for p in passages if p.text_hash in found}

    def new_passages(self, since_gen: int) -> np.ndarray:
        """Ids of the passages of articles added (or changed) after generation `since_gen`, up to this one."""
        return self.store.added_since(since_gen, self.generation)

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        return self.store.document_frequencies(terms)

    def similar_terms(self, term: str, limit: int) -> list[str]:
        return self.store.similar_terms(term, limit)

    def places(self, name: str) -> list[tuple[str, float, bool]]:
        return self.store.places(name)

    def article(self, article_id: str) -> StoredArticle | None:
        return self.store.article(article_id, self.generation)

    def status(self) -> IndexStatus:
        info = self.store.generation_info(self.generation)
        outlets = self.sources
        dates = [d for o in outlets for d in (o.first, o.last) if d]
        return IndexStatus(
            generation=self.generation, articles=self.manifest.articles, passages=self.manifest.passages,
            model=self.manifest.model, dimension=self.manifest.dimension, index_type=self.manifest.index_type,
            size_bytes=index_size(self.data_dir), last_update=datetime.fromisoformat(info[0]) if info else None,
            sources=tuple(outlets), first_published=min(dates, default=None), last_published=max(dates, default=None),
        )


class FollowsCurrent:
    """Follows CURRENT: `snapshot()` returns the newest published generation, loading it (`_load`) once
    when it changed; questions in flight keep the snapshot they took. Each engine's reader is one."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()

    def _load(self, gen: int) -> Snapshot:
        raise NotImplementedError

    def snapshot(self) -> Snapshot:
        gen = generations.require_current(self.data_dir)
        current = self._snapshot
        if current is not None and current.generation == gen:
            return current
        with self._lock:
            if self._snapshot is None or self._snapshot.generation != gen:
                try:
                    self._snapshot = self._load(gen)
                except FileNotFoundError as error:
                    raise IndexNotReady(f"The index in {self.data_dir} is incomplete ({error.filename} is missing); "
                                        "run `newsdesk index add PATH` again.") from error
            return self._snapshot
