"""The one SQLite wrapper: articles, passages, FTS5, embeddings, generations.

Rows carry the generation that added them and the one that removed them, so a reader pinned to
generation G sees exactly G's archive while the writer prepares G+1 (see `VISIBLE`).
Only the indexer writes; readers open the file read-only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from index.records import Article, Passage, SourceCount, StoredArticle, StoredPassage

SCHEMA_VERSION = 6  # 2: article sketches (near-duplicates) and the trigram term index (spelling);
#                    3: embeddings stored as float16 and sketches as uint32 (half the bytes of each);
#                    4: the archive's other names of places (index.places), read by the bot from SQLite;
#                    5: a passage's text is read from its article's body, not stored twice;
#                    6: the full-text index holds the article's title beside each passage's text
# Half the bytes of float32: an embedding's cosine to its float32 self stays above 0.99999, and the
# generation's FAISS index (IDMap2,SQfp16 by default) holds float16 anyway.
EMBEDDING_DTYPE = np.float16
DB_NAME = "newsdesk.sqlite3"

# Rows of an article visible in generation :gen
VISIBLE = "a.gen_added <= :gen AND (a.gen_removed IS NULL OR a.gen_removed > :gen)"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    article_id TEXT NOT NULL,
    url TEXT, title TEXT NOT NULL, source TEXT, author TEXT, published_at TEXT,
    body TEXT NOT NULL, content_hash TEXT NOT NULL, origin TEXT NOT NULL,
    collection TEXT NOT NULL DEFAULT '',
    gen_added INTEGER NOT NULL, gen_removed INTEGER,
    sketch BLOB
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_live_key ON articles(key) WHERE gen_removed IS NULL;
CREATE INDEX IF NOT EXISTS articles_gen ON articles(gen_added, gen_removed);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article INTEGER NOT NULL REFERENCES articles(rowid),
    seq INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text_hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_article ON passages(article);
{passage_text}
-- every word of the archive once, with a trigram index over it: "kupiansk" finds "kupyansk"
CREATE TABLE IF NOT EXISTS terms (id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE);
CREATE VIRTUAL TABLE IF NOT EXISTS terms_trigram USING fts5(
    term, content='terms', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER IF NOT EXISTS terms_ai AFTER INSERT ON terms BEGIN
    INSERT INTO terms_trigram(rowid, term) VALUES (new.id, new.term);
END;
CREATE TABLE IF NOT EXISTS embeddings (text_hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
-- a place name a question may use -> the archive's stem of another name of that city (index.places)
CREATE TABLE IF NOT EXISTS places (
    name TEXT NOT NULL, spelling TEXT NOT NULL, similarity REAL NOT NULL, main INTEGER NOT NULL,
    PRIMARY KEY (name, spelling)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS generations (
    gen INTEGER PRIMARY KEY, created_at TEXT NOT NULL,
    added INTEGER, updated INTEGER, unchanged INTEGER, removed INTEGER, skipped INTEGER,
    articles INTEGER, passages INTEGER, seconds REAL
);
"""


# A passage's text is its article's body from `start` to `end` (index.chunking): kept once, in the
# article, and read through this view, which is also the full-text index's external content.
PASSAGE_TEXT = 'substr(a.body, p.start + 1, p."end" - p.start)'
# Each passage is indexed with its article's title, so BM25 knows what the article is about (a quiz
# quotes a headline; a follow names what a headline names), at this share of a word in the text: the
# title is repeated in every passage of its article. Chosen on the tuning halves (docs/evaluation.md).
TITLE_WEIGHT = 0.5
_PASSAGE_TEXT_DDL = [
    f"CREATE VIEW IF NOT EXISTS passage_texts AS SELECT p.id AS id, a.title AS title, {PASSAGE_TEXT} AS text"
    " FROM passages p JOIN articles a ON a.rowid = p.article",
    "CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(title, text, content='passage_texts',"
    " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN"
    " INSERT INTO passages_fts(rowid, title, text) SELECT new.id, title,"
    " substr(body, new.start + 1, new.\"end\" - new.start) FROM articles WHERE rowid = new.article; END",
    "CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN"
    " INSERT INTO passages_fts(passages_fts, rowid, title, text) SELECT 'delete', old.id, title,"
    " substr(body, old.start + 1, old.\"end\" - old.start) FROM articles WHERE rowid = old.article; END",
]
_FULL_TEXT_OBJECTS = ("DROP TRIGGER IF EXISTS passages_ai", "DROP TRIGGER IF EXISTS passages_ad",
                      "DROP TABLE IF EXISTS passages_vocab", "DROP TABLE IF EXISTS passages_fts",
                      "DROP VIEW IF EXISTS passage_texts")
_SCHEMA = _SCHEMA.replace("{passage_text}", "".join(f"{statement};\n" for statement in _PASSAGE_TEXT_DDL))

_BATCH = 900  # ids per IN (...) list: SQLite allows at most 999 host parameters in older builds


def _batches(values: list) -> Iterator[tuple[list, str]]:
    """(values, "?,?,...") in slices small enough for one IN list."""
    for i in range(0, len(values), _BATCH):
        batch = values[i : i + _BATCH]
        yield batch, ",".join("?" * len(batch))


# Columns added after schema 1, for data directories made by an older version
_LATER_COLUMNS = {"collection": "TEXT NOT NULL DEFAULT ''", "sketch": "BLOB"}


def _add_columns(connection: sqlite3.Connection) -> None:
    have = {row[1] for row in connection.execute("PRAGMA table_info(articles)")}
    if not have:
        return  # a new database: the schema creates them
    for name, kind in _LATER_COLUMNS.items():
        if name not in have:
            connection.execute(f"ALTER TABLE articles ADD COLUMN {name} {kind}")


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


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Store:
    """A connection to the archive database, for reading or (in the indexer only) for writing."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    @classmethod
    def open_writer(cls, data_dir: Path) -> Store:
        data_dir.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        _add_columns(connection)
        connection.executescript(_SCHEMA)
        store = cls(connection)
        if store.meta("schema_version") is None:  # a new file; an older one is upgraded by pipeline.upgrade
            store.set_meta("schema_version", str(SCHEMA_VERSION))
        return store

    @classmethod
    def open_reader(cls, data_dir: Path) -> Store:
        path = (data_dir / DB_NAME).resolve()
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None,
                                     check_same_thread=False)
        connection.execute("PRAGMA query_only=ON")
        return cls(connection)

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> AbstractContextManager[None]:
        return transaction(self.db)

    # --- meta -------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    # --- writing ----------------------------------------------------------------------------
    def live_articles(self) -> dict[str, tuple[int, str, str]]:
        """key -> (rowid, content hash, collection) of every article not removed."""
        rows = self.db.execute("SELECT key, rowid, content_hash, collection FROM articles WHERE gen_removed IS NULL")
        return {key: (rowid, digest, collection) for key, rowid, digest, collection in rows}

    def missing_embeddings(self, text_hashes: Iterable[str]) -> set[str]:
        wanted = set(text_hashes)
        have = {h for (h,) in self._select_in("SELECT text_hash FROM embeddings WHERE text_hash IN ({})", list(wanted))}
        return wanted - have

    def put_embeddings(self, text_hashes: list[str], vectors: np.ndarray) -> None:
        rows = zip(text_hashes, (np.ascontiguousarray(v, dtype=EMBEDDING_DTYPE).tobytes() for v in vectors))
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO embeddings(text_hash, vector) VALUES (?, ?)", rows)

    def drop_passage_texts(self) -> None:
        """Rewrite an archive from before schema 5, which kept each passage's text beside its article's
        body, to read it from the body; the full-text index is rebuilt from the view. Nothing to do in
        a later one."""
        if "text" not in {row[1] for row in self.db.execute("PRAGMA table_info(passages)")}:
            return
        for statement in (*_FULL_TEXT_OBJECTS, "ALTER TABLE passages DROP COLUMN text"):
            self.db.execute(statement)
        self.rebuild_full_text()

    def rebuild_full_text(self) -> None:
        """Write the full-text index (its view, table and triggers) anew as this schema has it, from
        the rows: once, for an archive from before schema 6 (no titles in it)."""
        for statement in (*_FULL_TEXT_OBJECTS, *_PASSAGE_TEXT_DDL, "INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')"):
            self.db.execute(statement)

    def narrow_stored(self, sketch_dtype: type, batch: int = 10_000) -> None:
        """Rewrite a schema-2 archive's float32 embeddings as EMBEDDING_DTYPE and its uint64 sketches as
        `sketch_dtype`, a batch at a time so that memory stays flat on a large archive. Once only: the
        caller's transaction also records the new schema version."""
        for table, key, column, old, new in (("embeddings", "text_hash", "vector", np.float32, EMBEDDING_DTYPE),
                                             ("articles", "rowid", "sketch", np.uint64, sketch_dtype)):
            last = None
            while rows := self.db.execute(
                    f"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL AND (?1 IS NULL OR {key} > ?1)"
                    f" ORDER BY {key} LIMIT ?2", (last, batch)).fetchall():
                last = rows[-1][0]
                self.db.executemany(f"UPDATE {table} SET {column} = ? WHERE {key} = ?",
                                    [(np.frombuffer(blob, dtype=old).astype(new).tobytes(), k) for k, blob in rows])

    def insert_article(self, key: str, article: Article, digest: str, gen: int,
                       passages: list[Passage], text_hashes: list[str], sketch: bytes | None = None) -> None:
        cursor = self.db.execute(
            "INSERT INTO articles(key, article_id, url, title, source, author, published_at, body,"
            " content_hash, origin, collection, gen_added, sketch) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (key, article.article_id, article.url, article.title, article.source, article.author,
             _iso(article.published_at), article.body, digest, article.origin, article.collection, gen, sketch),
        )
        self.db.executemany(
            'INSERT INTO passages(article, seq, start, "end", text_hash) VALUES (?,?,?,?,?)',
            [(cursor.lastrowid, p.seq, p.start, p.end, h) for p, h in zip(passages, text_hashes)],
        )

    def unsketched(self) -> list[tuple[int, str, str]]:
        """(rowid, title, body) of live articles written before sketches existed."""
        return self.db.execute(
            "SELECT rowid, title, body FROM articles WHERE sketch IS NULL AND gen_removed IS NULL").fetchall()

    def set_sketches(self, rows: Iterable[tuple[bytes, int]]) -> None:
        with self.transaction():
            self.db.executemany("UPDATE articles SET sketch = ? WHERE rowid = ?", rows)

    def add_new_terms(self) -> list[str]:
        """Copy words the full-text index has and `terms` lacks (numbers and short words are left out:
        they have no spelling variants worth finding). Returns the words added."""
        new = [term for (term,) in self.db.execute(
            "SELECT term FROM passages_vocab WHERE length(term) >= 4 AND term NOT GLOB '*[0-9_]*'"
            " AND term NOT IN (SELECT term FROM terms)")]
        self.db.executemany("INSERT INTO terms(term) VALUES (?)", ((t,) for t in new))
        return new

    def all_terms(self) -> list[str]:
        return [term for (term,) in self.db.execute("SELECT term FROM terms")]

    def add_places(self, rows: Iterable[tuple[str, str, float, bool]]) -> None:
        """(name, archive stem, similarity, main) rows of index.places; the higher similarity wins."""
        self.db.executemany(
            "INSERT INTO places(name, spelling, similarity, main) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE"
            " SET similarity = max(similarity, excluded.similarity)", rows)

    def retire(self, rowids: Iterable[int], gen: int) -> None:
        self.db.executemany("UPDATE articles SET gen_removed = ? WHERE rowid = ?", ((gen, r) for r in rowids))

    def discard_after(self, gen: int) -> int:
        """Undo the rows of a generation that was written but never published (a crashed run)."""
        with self.transaction():
            orphans = [r for (r,) in self.db.execute("SELECT rowid FROM articles WHERE gen_added > ?", (gen,))]
            for batch, marks in _batches(orphans):
                self.db.execute(f"DELETE FROM passages WHERE article IN ({marks})", batch)
                self.db.execute(f"DELETE FROM articles WHERE rowid IN ({marks})", batch)
            self.db.execute("UPDATE articles SET gen_removed = NULL WHERE gen_removed > ?", (gen,))
            self.db.execute("DELETE FROM generations WHERE gen > ?", (gen,))
        return len(orphans)

    def forget_before(self, gen: int) -> None:
        """Delete rows no generation from `gen` on can see, and embeddings nothing uses."""
        with self.transaction():
            old = "SELECT rowid FROM articles WHERE gen_removed IS NOT NULL AND gen_removed <= ?"
            self.db.execute(f"DELETE FROM passages WHERE article IN ({old})", (gen,))
            self.db.execute("DELETE FROM articles WHERE gen_removed IS NOT NULL AND gen_removed <= ?", (gen,))
            self.db.execute("DELETE FROM embeddings WHERE text_hash NOT IN (SELECT text_hash FROM passages)")

    def oldest_needed(self, gen: int, keep: int, grace_seconds: float, now: datetime) -> int:
        """The oldest generation a reader may still use once `gen` is served: the last `keep`, and any
        replaced less than `grace_seconds` ago (a question in flight on it still reads its rows)."""
        cutoff = (now - timedelta(seconds=grace_seconds)).isoformat()
        row = self.db.execute(
            "SELECT min(g.gen) FROM generations g LEFT JOIN generations n ON n.gen = g.gen + 1"
            " WHERE g.gen > ? - ? OR n.created_at > ?", (gen, keep, cutoff)).fetchone()
        return row[0] if row and row[0] is not None else gen

    def record_generation(self, gen: int, created_at: datetime, counts: dict[str, float]) -> None:
        columns = ["gen", "created_at", *counts]
        values = [gen, created_at.isoformat(), *counts.values()]
        self.db.execute(
            f"INSERT INTO generations({','.join(columns)}) VALUES ({','.join('?' * len(values))})", values)

    # --- reading ----------------------------------------------------------------------------
    def vectors(self, gen: int) -> tuple[np.ndarray, np.ndarray]:
        """(passage ids, embedding matrix) of every passage visible in a generation."""
        rows = self.db.execute(
            "SELECT p.id, e.vector FROM passages p JOIN articles a ON a.rowid = p.article"
            f" JOIN embeddings e ON e.text_hash = p.text_hash WHERE {VISIBLE} ORDER BY p.id",
            {"gen": gen},
        ).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        if not rows:
            return ids, np.zeros((0, 0), dtype=np.float32)
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=EMBEDDING_DTYPE).reshape(len(rows), -1)
        return ids, matrix.astype(np.float32)

    def lexical(self, match: str, gen: int, limit: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """BM25 over the passages of a generation; higher is better.

        FTS5 ranks fastest on its own (ORDER BY rank LIMIT n); rows of other generations are few, so
        they are filtered afterwards, fetching more only when filtering left too few.
        """
        fetch = limit
        while True:
            rows = self.db.execute(
                "SELECT rowid, rank FROM passages_fts WHERE passages_fts MATCH ? AND rank MATCH ?"
                " ORDER BY rank LIMIT ?", (match, f"bm25({TITLE_WEIGHT}, 1.0)", fetch)).fetchall()
            visible = self._visible([pid for pid, _ in rows], gen) if allowed is None else allowed
            hits = [(pid, -rank) for pid, rank in rows if pid in visible]
            if len(hits) >= limit or len(rows) < fetch:
                return hits[:limit]
            fetch *= 4

    def _select_in(self, sql: str, values: list, *after: object) -> Iterator[tuple]:
        """Rows of `sql` whose "IN ({})" is filled with `values`, a batch at a time; `after` binds
        the parameters that follow the list."""
        for batch, marks in _batches(values):
            yield from self.db.execute(sql.format(marks), [*batch, *after])

    def _visible(self, ids: list[int], gen: int) -> set[int]:
        return {pid for (pid,) in self._select_in(
            "SELECT p.id FROM passages p JOIN articles a ON a.rowid = p.article WHERE p.id IN ({})"
            " AND a.gen_added <= ? AND (a.gen_removed IS NULL OR a.gen_removed > ?)", ids, gen, gen)}

    def filtered_ids(self, gen: int, sources: tuple[str, ...] = (), since: datetime | None = None,
                     until: datetime | None = None) -> np.ndarray:
        """Ids of the passages of a generation from these outlets, published in [since, until)."""
        sql = f"SELECT p.id FROM passages p JOIN articles a ON a.rowid = p.article WHERE {VISIBLE}"
        params: dict = {"gen": gen}
        if sources:
            sql += f" AND a.source IN ({','.join(f':s{i}' for i in range(len(sources)))})"
            params.update({f"s{i}": name for i, name in enumerate(sources)})
        if since:
            sql += " AND a.published_at >= :since"
            params["since"] = since.isoformat()
        if until:
            sql += " AND a.published_at < :until"
            params["until"] = until.isoformat()
        return np.fromiter((pid for (pid,) in self.db.execute(sql, params)), dtype=np.int64)

    def published(self, ids: list[int]) -> dict[int, str | None]:
        """Publication time (ISO, UTC) of each passage's article."""
        return dict(self._select_in(
            "SELECT p.id, a.published_at FROM passages p JOIN articles a ON a.rowid = p.article WHERE p.id IN ({})",
            ids))

    def added_since(self, since_gen: int, gen: int) -> np.ndarray:
        """Ids of the passages visible in `gen` whose article came in after `since_gen` (new or
        changed articles): what alerts look at."""
        sql = (f"SELECT p.id FROM passages p JOIN articles a ON a.rowid = p.article"
               f" WHERE {VISIBLE} AND a.gen_added > :since ORDER BY p.id")
        return np.fromiter((pid for (pid,) in self.db.execute(sql, {"gen": gen, "since": since_gen})), dtype=np.int64)

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]:
        rows = self._select_in(
            "SELECT p.id, a.article_id, a.url, a.title, a.source, a.published_at, p.start, p.\"end\","
            f" {PASSAGE_TEXT}, p.text_hash, a.sketch FROM passages p JOIN articles a ON a.rowid = p.article"
            " WHERE p.id IN ({})", ids)
        return {row[0]: StoredPassage(row[0], row[1], row[2], row[3], row[4], _datetime(row[5]), *row[6:])
                for row in rows}

    def article(self, article_id: str, gen: int) -> StoredArticle | None:
        row = self.db.execute(
            f"SELECT a.article_id, a.url, a.title, a.source, a.published_at, a.body FROM articles a"
            f" WHERE a.article_id = :id AND {VISIBLE} LIMIT 1", {"id": article_id, "gen": gen}).fetchone()
        return StoredArticle(row[0], row[1], row[2], row[3], _datetime(row[4]), row[5]) if row else None

    def counts(self, gen: int) -> tuple[int, int]:
        articles = self.db.execute(f"SELECT count(*) FROM articles a WHERE {VISIBLE}", {"gen": gen}).fetchone()[0]
        passages = self.db.execute(
            f"SELECT count(*) FROM passages p JOIN articles a ON a.rowid = p.article WHERE {VISIBLE}", {"gen": gen}
        ).fetchone()[0]
        return articles, passages

    def sources(self, gen: int) -> list[SourceCount]:
        """Articles and date range per outlet, the biggest first."""
        rows = self.db.execute(
            f"SELECT coalesce(a.source, ''), count(*), min(a.published_at), max(a.published_at) FROM articles a"
            f" WHERE {VISIBLE} GROUP BY 1 ORDER BY 2 DESC, 1", {"gen": gen})
        return [SourceCount(name, n, _datetime(first), _datetime(last)) for name, n, first, last in rows]

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return dict(self._select_in("SELECT term, doc FROM passages_vocab WHERE term IN ({})", list(terms)))

    def places(self, name: str) -> list[tuple[str, float, bool]]:
        """(archive stem, similarity, name is a city's main name) of the other names of places called `name`."""
        return [(spelling, similarity, bool(main)) for spelling, similarity, main in self.db.execute(
            "SELECT spelling, similarity, main FROM places WHERE name = ? ORDER BY spelling", (name,))]

    def similar_terms(self, term: str, limit: int) -> list[str]:
        """Archive words sharing the most trigrams with `term` (a candidate list, not yet filtered)."""
        grams = sorted({term[i : i + 3] for i in range(len(term) - 2)})
        if not grams:
            return []
        match = " OR ".join('"' + g.replace('"', '""') + '"' for g in grams)
        return [t for (t,) in self.db.execute(
            "SELECT term FROM terms_trigram WHERE terms_trigram MATCH ? ORDER BY rank LIMIT ?", (match, limit))]

    def generation_info(self, gen: int) -> tuple[str, float] | None:
        row = self.db.execute("SELECT created_at, seconds FROM generations WHERE gen = ?", (gen,)).fetchone()
        return row


