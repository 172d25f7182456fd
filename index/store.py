"""The one SQLite wrapper: a connection to the archive database, for reading or (in the indexer only)
for writing. Each half lives in its own module:

    index/schema.py        tables, connections, migrations of older files
    index/writer.py        what the indexer writes (StoreWriter)
    index/store_reader.py  what queries read (StoreReader)

Names other modules import from here (Store, transaction, DB_NAME, SCHEMA_VERSION, VISIBLE,
EMBEDDING_DTYPE, PASSAGE_TEXT, TITLE_WEIGHT) stay importable from `index.store`.
"""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

from index import lemmas
from index.schema import (DB_NAME, EMBEDDING_DTYPE, PASSAGE_TEXT, SCHEMA_VERSION, TITLE_WEIGHT, VISIBLE,  # noqa: F401
                          Migrations, connect_reader, connect_writer, transaction)
from index.store_reader import StoreReader
from index.writer import StoreWriter

__all__ = ["DB_NAME", "EMBEDDING_DTYPE", "PASSAGE_TEXT", "SCHEMA_VERSION", "TITLE_WEIGHT", "VISIBLE", "Store",
           "transaction"]


class Store(Migrations, StoreWriter, StoreReader):
    """A connection to the archive database, for reading or (in the indexer only) for writing."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    @classmethod
    def open_writer(cls, data_dir: Path) -> Store:
        store = cls(connect_writer(data_dir))
        if store.meta("schema_version") is None:  # a new file; an older one is upgraded by pipeline.upgrade
            store.set_meta("schema_version", str(SCHEMA_VERSION))
            store.set_meta("lemmas_version", str(lemmas.COLUMN_VERSION))  # its columns are never rewritten
        return store

    @classmethod
    def open_reader(cls, data_dir: Path) -> Store:
        return cls(connect_reader(data_dir))

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> AbstractContextManager[None]:
        return transaction(self.db)

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))
