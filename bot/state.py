"""The bot's own small SQLite file: what its buttons refer to, so they work after a restart.

Callback data holds at most 64 bytes; a question or an article URL may not fit, so buttons carry a
short key and this table keeps what it stands for.
"""

from __future__ import annotations

import base64
import hashlib
import sqlite3
import time
from pathlib import Path

from index.sqlite import connect as wal_connection


def short_key(value: str) -> str:
    return base64.b32encode(hashlib.blake2b(value.encode(), digest_size=10).digest()).decode().rstrip("=").lower()


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """bot.sqlite3, shared by the bot's stores, each with its own connection and tables (WAL: the alert
    round writes while handlers read)."""
    db = wal_connection(path, "busy_timeout=5000", check_same_thread=False)
    db.executescript(schema)
    return db


class BotState:
    def __init__(self, path: Path) -> None:
        self.db = connect(path, """
            CREATE TABLE IF NOT EXISTS refs (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS refusals (subject TEXT PRIMARY KEY, at REAL NOT NULL);
        """)

    def remember(self, value: str) -> str:
        key = short_key(value)
        self.db.execute("INSERT OR IGNORE INTO refs(key, value, created) VALUES (?, ?, ?)", (key, value, time.time()))
        return key

    def recall(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM refs WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def should_refuse(self, subject: str, every_seconds: float = 86400) -> bool:
        """True once per period per stranger: they hear "no" once, not on every message."""
        now = time.time()
        row = self.db.execute("SELECT at FROM refusals WHERE subject = ?", (subject,)).fetchone()
        if row and now - row[0] < every_seconds:
            return False
        self.db.execute("INSERT OR REPLACE INTO refusals(subject, at) VALUES (?, ?)", (subject, now))
        return True

    def close(self) -> None:
        self.db.close()
