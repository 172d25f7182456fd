"""bot.follow_store: follows, what was sent for them, and each user's digest time and language: tables
in the bot's own bot.sqlite3.

A follow remembers the last index generation it was checked against (`checked_gen`): after a
restart the bot checks the generations it missed, and none twice. Every article sent for a follow
is recorded (`follow_sent`) before the message goes out, so re-publishing, a restart or an edited
article never sends it again for that follow (at most once: a crash between the record and the
send loses that alert rather than repeating it).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.bot_errors import AlreadyFollowing, BadDigestHour, TooManyFollows, UnknownTimezone
from bot.state import connect
from index.sqlite import transaction

MAX_FOLLOWS = 25  # per chat
DEFAULT_TIMEZONE = "UTC"
DEFAULT_DIGEST_HOUR = 8

_SCHEMA = """
CREATE TABLE IF NOT EXISTS follows (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id INTEGER NOT NULL,           -- where alerts go (the user's private chat, or a group)
    user_id INTEGER NOT NULL,           -- who followed: access is checked for them at every send
    question TEXT NOT NULL,
    daily INTEGER NOT NULL DEFAULT 0,   -- 1: one digest a day instead of an alert per reindex
    checked_gen INTEGER NOT NULL,       -- articles added after this generation are still to be checked
    next_digest REAL,                   -- daily follows: when the next digest is due (Unix time)
    created REAL NOT NULL,
    language TEXT NOT NULL DEFAULT 'en', -- the follower's language when they followed: alerts speak it
    UNIQUE (chat_id, question)
);
CREATE TABLE IF NOT EXISTS follow_sent (
    follow_id INTEGER NOT NULL, article_id TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (follow_id, article_id)
);
CREATE TABLE IF NOT EXISTS alert_pages (  -- an alert's reports, so "More" works after a restart
    id INTEGER PRIMARY KEY AUTOINCREMENT, follow_id INTEGER NOT NULL, question TEXT NOT NULL,
    topic TEXT NOT NULL, daily INTEGER NOT NULL, hits TEXT NOT NULL, created REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS user_prefs (
    user_id INTEGER PRIMARY KEY, timezone TEXT NOT NULL, digest_hour INTEGER NOT NULL,
    language TEXT                       -- chosen with /language; NULL: Telegram's language_code decides
);
"""

# Columns added since the first bot.sqlite3: a state file written before them is upgraded in place
# (ALTER TABLE ... ADD COLUMN keeps every row; the defaults are what those rows meant).
_ADDED_COLUMNS = [
    ("follows", "language", "TEXT NOT NULL DEFAULT 'en'"),
    ("user_prefs", "language", "TEXT"),
]


def upgrade(db) -> None:
    """Add the columns an older state file lacks (idempotent; one writer at a time by the transaction)."""
    with transaction(db):
        for table, column, declaration in _ADDED_COLUMNS:
            if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
                db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


@dataclass(frozen=True)
class Follow:
    id: int
    chat_id: int
    user_id: int
    question: str
    daily: bool
    checked_gen: int
    next_digest: datetime | None = None
    language: str = "en"  # the follower's, when they followed: their alerts and digests speak it


@dataclass(frozen=True)
class AlertPage:
    id: int
    follow_id: int
    question: str
    topic: str
    daily: bool
    hits: list[dict]  # bot.alert_delivery.hit_dict()s


@dataclass(frozen=True)
class Prefs:
    timezone: str = DEFAULT_TIMEZONE
    digest_hour: int = DEFAULT_DIGEST_HOUR


def zone(name: str) -> ZoneInfo:
    """A time zone by its IANA name, case-insensitively ("europe/kyiv" works); FollowError if unknown."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        pass
    lowered = {z.lower(): z for z in available_timezones()}
    if name.lower() in lowered:
        return ZoneInfo(lowered[name.lower()])
    raise UnknownTimezone(name)


def next_digest(now: datetime, prefs: Prefs) -> datetime:
    """The first time after `now` when the clock in the user's zone shows digest_hour:00 (in UTC)."""
    local = now.astimezone(zone(prefs.timezone))
    due = local.replace(hour=prefs.digest_hour, minute=0, second=0, microsecond=0)
    if due <= local:
        due = (local + timedelta(days=1)).replace(hour=prefs.digest_hour, minute=0, second=0, microsecond=0)
    return due.astimezone(timezone.utc)


def _follow(row: tuple) -> Follow:
    fid, chat_id, user_id, question, daily, checked, nxt, language = row
    return Follow(fid, chat_id, user_id, question, bool(daily), checked,
                  datetime.fromtimestamp(nxt, timezone.utc) if nxt is not None else None, language)


_COLUMNS = "id, chat_id, user_id, question, daily, checked_gen, next_digest, language"


class Follows:
    """The follow tables. Shares bot.sqlite3 with `BotState` (its own connection; WAL)."""

    def __init__(self, path: Path) -> None:
        self.db = connect(path, _SCHEMA)
        upgrade(self.db)

    def close(self) -> None:
        self.db.close()

    # --- follows ---------------------------------------------------------------------------
    def add(self, chat_id: int, user_id: int, question: str, daily: bool, checked_gen: int,
            now: datetime, language: str = "en") -> Follow:
        """A new follow that alerts on what is added after generation `checked_gen`."""
        question = " ".join(question.split())
        with transaction(self.db):
            existing = self.db.execute(f"SELECT {_COLUMNS} FROM follows WHERE chat_id = ? AND question = ?",
                                       (chat_id, question)).fetchone()
            if existing:
                raise AlreadyFollowing(existing[0])
            count = self.db.execute("SELECT count(*) FROM follows WHERE chat_id = ?", (chat_id,)).fetchone()[0]
            if count >= MAX_FOLLOWS:
                raise TooManyFollows(count)
            due = next_digest(now, self.prefs(user_id)).timestamp() if daily else None
            cursor = self.db.execute(
                "INSERT INTO follows(chat_id, user_id, question, daily, checked_gen, next_digest, created, language)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (chat_id, user_id, question, int(daily), checked_gen, due, time.time(), language))
        return self.get(cursor.lastrowid)

    def get(self, follow_id: int) -> Follow | None:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM follows WHERE id = ?", (follow_id,)).fetchone()
        return _follow(row) if row else None

    def in_chat(self, chat_id: int) -> list[Follow]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM follows WHERE chat_id = ? ORDER BY id", (chat_id,))
        return [_follow(r) for r in rows]

    def all(self) -> list[Follow]:
        return [_follow(r) for r in self.db.execute(f"SELECT {_COLUMNS} FROM follows ORDER BY id")]

    def remove(self, follow_id: int, chat_id: int) -> Follow | None:
        """Stop a follow of this chat (another chat's follow is not found); its sent records go too."""
        found = self.get(follow_id)
        if found is None or found.chat_id != chat_id:
            return None
        with transaction(self.db):
            self.db.execute("DELETE FROM follows WHERE id = ?", (follow_id,))
            self.db.execute("DELETE FROM follow_sent WHERE follow_id = ?", (follow_id,))
            self.db.execute("DELETE FROM alert_pages WHERE follow_id = ?", (follow_id,))
        return found

    def remove_chat(self, chat_id: int) -> int:
        """Every follow of a chat that blocked the bot (or removed it from the group)."""
        ids = [fid for (fid,) in self.db.execute("SELECT id FROM follows WHERE chat_id = ?", (chat_id,))]
        for fid in ids:
            self.remove(fid, chat_id)
        return len(ids)

    def set_daily(self, follow_id: int, chat_id: int, daily: bool, now: datetime) -> Follow | None:
        found = self.get(follow_id)
        if found is None or found.chat_id != chat_id:
            return None
        due = next_digest(now, self.prefs(found.user_id)).timestamp() if daily else None
        self.db.execute("UPDATE follows SET daily = ?, next_digest = ? WHERE id = ?", (int(daily), due, follow_id))
        return self.get(follow_id)

    def due(self, now: datetime, generation: int) -> list[Follow]:
        """Immediate follows behind `generation`, and daily follows whose digest time has come."""
        rows = self.db.execute(
            f"SELECT {_COLUMNS} FROM follows WHERE (daily = 0 AND checked_gen < ?)"
            " OR (daily = 1 AND next_digest <= ?) ORDER BY id", (generation, now.timestamp()))
        return [_follow(r) for r in rows]

    # --- what was sent ---------------------------------------------------------------------
    def claim(self, follow: Follow, article_ids: Iterable[str], checked_gen: int,
              next_due: datetime | None = None) -> set[str]:
        """Record articles as sent for a follow and move its cursor, in one transaction; returns
        the ones not sent before (the caller sends those)."""
        now = time.time()
        fresh = set()
        with transaction(self.db):
            for article_id in dict.fromkeys(article_ids):
                inserted = self.db.execute("INSERT OR IGNORE INTO follow_sent(follow_id, article_id, at) VALUES (?, ?, ?)",
                                           (follow.id, article_id, now)).rowcount
                if inserted:
                    fresh.add(article_id)
            self.db.execute("UPDATE follows SET checked_gen = max(checked_gen, ?), next_digest = ? WHERE id = ?",
                            (checked_gen, next_due.timestamp() if next_due else None, follow.id))
        return fresh

    def sent_before(self, follow_id: int, most: int = 200) -> list[str]:
        """The articles last sent for a follow, newest first: the stories a new report may update."""
        return [a for (a,) in self.db.execute(
            "SELECT article_id FROM follow_sent WHERE follow_id = ? ORDER BY at DESC, rowid DESC LIMIT ?",
            (follow_id, most))]

    def was_sent(self, follow_id: int, article_ids: Iterable[str]) -> set[str]:
        ids = list(article_ids)
        if not ids:
            return set()
        rows = self.db.execute(
            f"SELECT article_id FROM follow_sent WHERE follow_id = ? AND article_id IN ({','.join('?' * len(ids))})",
            (follow_id, *ids))
        return {a for (a,) in rows}

    def release(self, follow: Follow, article_ids: Iterable[str]) -> None:
        """Undo a claim whose message could not be sent: the next check tries again."""
        with transaction(self.db):
            self.db.executemany("DELETE FROM follow_sent WHERE follow_id = ? AND article_id = ?",
                                ((follow.id, a) for a in article_ids))
            self.db.execute("UPDATE follows SET checked_gen = ?, next_digest = ? WHERE id = ?",
                            (follow.checked_gen, follow.next_digest.timestamp() if follow.next_digest else None,
                             follow.id))

    # --- alert pages, for "More" -----------------------------------------------------------
    def save_page(self, follow: Follow, topic: str, hits: list[dict]) -> int:
        cursor = self.db.execute(
            "INSERT INTO alert_pages(follow_id, question, topic, daily, hits, created) VALUES (?, ?, ?, ?, ?, ?)",
            (follow.id, follow.question, topic, int(follow.daily), json.dumps(hits, ensure_ascii=False), time.time()))
        return cursor.lastrowid

    def page(self, page_id: int) -> AlertPage | None:
        row = self.db.execute("SELECT follow_id, question, topic, daily, hits FROM alert_pages WHERE id = ?",
                              (page_id,)).fetchone()
        return AlertPage(page_id, row[0], row[1], row[2], bool(row[3]), json.loads(row[4])) if row else None

    # --- digest time -----------------------------------------------------------------------
    def prefs(self, user_id: int) -> Prefs:
        row = self.db.execute("SELECT timezone, digest_hour FROM user_prefs WHERE user_id = ?", (user_id,)).fetchone()
        return Prefs(*row) if row else Prefs()

    def set_prefs(self, user_id: int, prefs: Prefs, now: datetime) -> int:
        """Store a user's zone and hour; their daily follows are rescheduled. Returns how many."""
        zone(prefs.timezone)  # FollowError if unknown
        if not 0 <= prefs.digest_hour <= 23:
            raise BadDigestHour()
        due = next_digest(now, prefs).timestamp()
        with transaction(self.db):
            self.db.execute("INSERT INTO user_prefs(user_id, timezone, digest_hour) VALUES (?, ?, ?) ON CONFLICT(user_id)"
                            " DO UPDATE SET timezone = excluded.timezone, digest_hour = excluded.digest_hour",
                            (user_id, prefs.timezone, prefs.digest_hour))
            return self.db.execute("UPDATE follows SET next_digest = ? WHERE user_id = ? AND daily = 1",
                                   (due, user_id)).rowcount

    def language(self, user_id: int) -> str | None:
        """The language the user chose with /language, or None (then Telegram's language_code decides)."""
        row = self.db.execute("SELECT language FROM user_prefs WHERE user_id = ?", (user_id,)).fetchone()
        return row[0] if row else None

    def set_language(self, user_id: int, language: str) -> None:
        """Store a /language choice; the user's follows alert in it from now on."""
        with transaction(self.db):
            self.db.execute("INSERT INTO user_prefs(user_id, timezone, digest_hour, language) VALUES (?, ?, ?, ?)"
                            " ON CONFLICT(user_id) DO UPDATE SET language = excluded.language",
                            (user_id, DEFAULT_TIMEZONE, DEFAULT_DIGEST_HOUR, language))
            self.db.execute("UPDATE follows SET language = ? WHERE user_id = ?", (language, user_id))
