"""SQLite helpers any package may use: connections, transactions, long IN lists, ISO dates.

The bottom of `index`: it imports nothing else from it, so the archive (index.store,
index.store_reader) and the bot's own file can share it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

BATCH = 900  # values per IN (...) list: SQLite allows at most 999 host parameters in older builds


def connect(path: Path, *pragmas: str, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection that leaves transactions to `transaction` (isolation_level=None), in WAL mode so
    that readers never wait for the writer; its directory is made first. Each of `pragmas`
    ("synchronous=NORMAL") is set after."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=check_same_thread)
    connection.execute("PRAGMA journal_mode=WAL")
    for pragma in pragmas:
        connection.execute(f"PRAGMA {pragma}")
    return connection


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write (mode=ro, query_only), usable from another thread than the one
    that opened it."""
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None,
                                 check_same_thread=False)
    connection.execute("PRAGMA query_only=ON")
    return connection


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error; nested use joins the outer one. For any
    connection opened with isolation_level=None (the archive's, the bot's)."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def batches(values: list) -> Iterator[tuple[list, str]]:
    """(values, "?,?,...") in slices small enough for one IN list."""
    for i in range(0, len(values), BATCH):
        batch = values[i : i + BATCH]
        yield batch, ",".join("?" * len(batch))


def select_in(db: sqlite3.Connection, sql: str, values: list, *after: object) -> Iterator[tuple]:
    """Rows of `sql` whose "IN ({})" is filled with `values`, a batch at a time; `after` binds the
    parameters that follow the list."""
    for batch, marks in batches(values):
        yield from db.execute(sql.format(marks), [*batch, *after])


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
