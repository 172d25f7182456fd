"""The default engine: a long-lived, read-only view of the published FAISS + FTS5 index.

`Snapshot` implements index.search_index.SearchIndex (re-exported here for older importers); Milvus
implements it in index.milvus; index.engines opens the configured one.
"""

from __future__ import annotations

import threading
from functools import cached_property
from datetime import datetime
from pathlib import Path

import numpy as np

from index import generations, vectors
from index.errors import IndexNotReady
from index.normalize import EARLIEST, latest_sane, sane_date
from index.records import IndexStatus, SourceCount, StoredArticle, StoredPassage
from index.search_index import SearchIndex  # (also re-exported)
from index.store import SCHEMA_VERSION, VISIBLE, Store


def index_size(data_dir: Path) -> int:
    """Bytes on disk of what a data directory holds but the cached model exports (DATA_DIR/models/),
    which are the model's, not the archive's: 23 MB for int8 MiniLM, more than a small archive."""
    return sum(p.stat().st_size for p in data_dir.rglob("*")
               if p.is_file() and p.relative_to(data_dir).parts[0] != "models")


class Snapshot:
    """One generation: its FAISS index and a database view filtered to it."""

    def __init__(self, data_dir: Path, gen: int, manifest: generations.Manifest | None = None) -> None:
        directory = generations.generation_dir(data_dir, gen)
        self.data_dir = data_dir
        self.generation = gen
        self.manifest = manifest or generations.Manifest.read(directory)
        self._open_engine(directory)
        self._local = threading.local()
        written = int(self.store.meta("schema_version") or 0)
        if written < SCHEMA_VERSION:
            raise IndexNotReady(
                f"The index in {data_dir} was written by an older Newsdesk (schema {written}, this one reads "
                f"{SCHEMA_VERSION}): run `newsdesk index update` or `newsdesk index add` once to upgrade it.")

    def _open_engine(self, directory: Path) -> None:
        """The FAISS file of the generation (index.milvus.MilvusSnapshot opens its collection instead)."""
        if self.manifest.engine != "faiss":
            raise IndexNotReady(
                f"Generation {self.generation} in {self.data_dir} was published for {self.manifest.engine}: set "
                f"NEWSDESK_ENGINE={self.manifest.engine}, or run `newsdesk index rebuild` with NEWSDESK_ENGINE=faiss.")
        self.vectors = vectors.FaissVectors(vectors.load(directory / generations.VECTORS))

    @property
    def store(self) -> Store:
        """One read-only connection per thread (sqlite3 connections are not shared across threads)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store.open_reader(self.data_dir)
        return store

    def dense(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        return self.vectors.search(vector, limit, allowed)

    def lexical(self, match: str, limit: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        return self.store.lexical(match, self.generation, limit, allowed)

    def allowed(self, sources: tuple[str, ...], since: datetime | None, until: datetime | None) -> np.ndarray:
        return self.store.filtered_ids(self.generation, sources, since, until)

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
        row = self.store.db.execute(
            f"SELECT max(a.published_at) FROM articles a WHERE {VISIBLE}"
            " AND a.published_at >= :earliest AND a.published_at <= :latest",
            {"gen": self.generation, "earliest": EARLIEST.isoformat(), "latest": latest_sane().isoformat()},
        ).fetchone()
        return datetime.fromisoformat(row[0]) if row and row[0] else None

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]:
        return self.store.passages(ids)

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
        self._snapshot = None
        self._lock = threading.Lock()

    def _load(self, gen: int) -> SearchIndex:
        raise NotImplementedError

    def snapshot(self) -> SearchIndex:
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


class IndexReader(FollowsCurrent):
    """FAISS + FTS5: each generation is its FAISS file and the database view filtered to it."""

    def _load(self, gen: int) -> Snapshot:
        return Snapshot(self.data_dir, gen)
