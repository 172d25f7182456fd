"""The archive database's schema, its connections and its migrations: what the tables are, how the
file is opened for the one writer or for readers, and how an older file is brought to this schema.

Rows carry the generation that added them and the one that removed them, so a reader pinned to
generation G sees exactly G's archive while the writer prepares G+1 (see `VISIBLE`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import numpy as np

SCHEMA_VERSION = 7  # 2: article sketches (near-duplicates) and the trigram term index (spelling);
#                    3: embeddings stored as float16 and sketches as uint32 (half the bytes of each);
#                    4: the archive's other names of places (index.places), read by the bot from SQLite;
#                    5: a passage's text is read from its article's body, not stored twice;
#                    6: the full-text index holds the article's title beside each passage's text;
#                    7: each article's language, and the dictionary forms of Ukrainian and Russian
#                       words (index.lemmas) in two more full-text columns
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
    sketch BLOB,
    language TEXT,  -- "en", "uk", "ru", "" (no letters); NULL: not yet read (before schema 7)
    title_lemmas TEXT  -- index.lemmas.column of the title; NULL when it has no Cyrillic word
);
CREATE UNIQUE INDEX IF NOT EXISTS articles_live_key ON articles(key) WHERE gen_removed IS NULL;
CREATE INDEX IF NOT EXISTS articles_gen ON articles(gen_added, gen_removed);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article INTEGER NOT NULL REFERENCES articles(rowid),
    seq INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text_hash TEXT NOT NULL,
    lemmas TEXT  -- index.lemmas.column of the passage's text; NULL when it has no Cyrillic word
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
# quotes a headline; a follow names what a headline names), weighted like a word of the text (bm25()'s
# column weight). Chosen on the tuning halves and RealTimeQA: 0 / 0.25 / 0.5 / 1.0 gave RealTimeQA
# quiz-cited Recall@5 0.676 / 0.696 / 0.703 / 0.711 and Reuters dates/outlets/names 0.925 / 0.930 /
# 0.937 / 0.943, the rest equal within a question (docs/evaluation.md).
TITLE_WEIGHT = 1.0
# The dictionary forms of a passage's (and its title's) Ukrainian and Russian words (index.lemmas) are
# two more columns, weighted as the words they stand for. FTS5's bm25() counts a row's length over all
# its columns, so an English passage, with nothing in them, ranks exactly as before schema 7.
LEMMA_WEIGHT = 1.0
# FTS5's tokenizer for passages; index.stemming's Porter must stem as it does (tests/test_stemming.py)
TOKENIZER = "porter unicode61 remove_diacritics 2"
_PASSAGE_TEXT_DDL = [
    f"CREATE VIEW IF NOT EXISTS passage_texts AS SELECT p.id AS id, a.title AS title, {PASSAGE_TEXT} AS text,"
    " a.title_lemmas AS title_lemmas, p.lemmas AS lemmas FROM passages p JOIN articles a ON a.rowid = p.article",
    "CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(title, text, title_lemmas, lemmas,"
    f" content='passage_texts', content_rowid='id', tokenize='{TOKENIZER}')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS passages_vocab USING fts5vocab(passages_fts, 'row')",
    "CREATE TRIGGER IF NOT EXISTS passages_ai AFTER INSERT ON passages BEGIN"
    " INSERT INTO passages_fts(rowid, title, text, title_lemmas, lemmas) SELECT new.id, title,"
    " substr(body, new.start + 1, new.\"end\" - new.start), title_lemmas, new.lemmas FROM articles"
    " WHERE rowid = new.article; END",
    "CREATE TRIGGER IF NOT EXISTS passages_ad AFTER DELETE ON passages BEGIN"
    " INSERT INTO passages_fts(passages_fts, rowid, title, text, title_lemmas, lemmas) SELECT 'delete', old.id,"
    " title, substr(body, old.start + 1, old.\"end\" - old.start), title_lemmas, old.lemmas FROM articles"
    " WHERE rowid = old.article; END",
]
_FULL_TEXT_OBJECTS = ("DROP TRIGGER IF EXISTS passages_ai", "DROP TRIGGER IF EXISTS passages_ad",
                      "DROP TABLE IF EXISTS passages_vocab", "DROP TABLE IF EXISTS passages_fts",
                      "DROP VIEW IF EXISTS passage_texts")
_SCHEMA = _SCHEMA.replace("{passage_text}", "".join(f"{statement};\n" for statement in _PASSAGE_TEXT_DDL))

# The rows whose lemma columns `Migrations.rewrite_lemmas` reads: those that have one, and those of a
# Ukrainian or Russian article (should a later `lemmas.column` write one where an older wrote NULL).
# English rows have neither.
_TITLE_LEMMAS = "(title_lemmas IS NOT NULL OR language IN ('uk', 'ru'))"
_PASSAGE_LEMMAS = "(p.lemmas IS NOT NULL OR p.article IN (SELECT rowid FROM articles WHERE language IN ('uk', 'ru')))"

_BATCH = 900  # ids per IN (...) list: SQLite allows at most 999 host parameters in older builds


def _batches(values: list) -> Iterator[tuple[list, str]]:
    """(values, "?,?,...") in slices small enough for one IN list."""
    for i in range(0, len(values), _BATCH):
        batch = values[i : i + _BATCH]
        yield batch, ",".join("?" * len(batch))


# Columns added after schema 1, for data directories made by an older version
_LATER_COLUMNS = {"articles": {"collection": "TEXT NOT NULL DEFAULT ''", "sketch": "BLOB", "language": "TEXT",
                               "title_lemmas": "TEXT"},
                  "passages": {"lemmas": "TEXT"}}


def _add_columns(connection: sqlite3.Connection) -> None:
    for table, columns in _LATER_COLUMNS.items():
        have = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        if not have:
            continue  # a new database: the schema creates them
        for name, kind in columns.items():
            if name not in have:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


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



def connect_writer(data_dir: Path) -> sqlite3.Connection:
    """The indexer's connection: WAL, the schema created or extended in place."""
    data_dir.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(data_dir / DB_NAME, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    _add_columns(connection)
    connection.executescript(_SCHEMA)
    return connection


def connect_reader(data_dir: Path) -> sqlite3.Connection:
    """A read-only connection (usable from the thread that asks, see index.reader.Snapshot.store)."""
    path = (data_dir / DB_NAME).resolve()
    connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None,
                                 check_same_thread=False)
    connection.execute("PRAGMA query_only=ON")
    return connection


class Migrations:
    """The rewrites that bring a file written by an older schema to this one (run by index.pipeline.upgrade)."""

    db: sqlite3.Connection

    def drop_passage_texts(self) -> None:
        """Rewrite an archive from before schema 5, which kept each passage's text beside its article's
        body, to read it from the body; the full-text index is rebuilt from the view. Nothing to do in
        a later one."""
        if "text" not in {row[1] for row in self.db.execute("PRAGMA table_info(passages)")}:
            return
        for statement in (*_FULL_TEXT_OBJECTS, "ALTER TABLE passages DROP COLUMN text"):
            self.db.execute(statement)
        self.rebuild_full_text()

    def read_languages(self, batch: int = 2_000) -> int:
        """Detect the language of every article written before schema 7 and write the dictionary forms
        of its Cyrillic words (index.lemmas), a batch at a time; the caller then rebuilds the full-text
        index with them. An English article costs a regular expression. Returns the articles read."""
        from index import language, lemmas

        done = 0
        while rows := self.db.execute("SELECT rowid, title, body FROM articles WHERE language IS NULL LIMIT ?",
                                      (batch,)).fetchall():
            for rowid, title, body in rows:
                found = language.detect(f"{title}\n{body}")
                self.db.execute("UPDATE articles SET language = ?, title_lemmas = ? WHERE rowid = ?",
                                (found, lemmas.column(title, found), rowid))
                if language.has_cyrillic(body):
                    self.db.executemany("UPDATE passages SET lemmas = ? WHERE id = ?", [
                        (lemmas.column(body[start:end], found), pid) for pid, start, end in self.db.execute(
                            'SELECT id, start, "end" FROM passages WHERE article = ?', (rowid,)).fetchall()])
            done += len(rows)
        return done

    def lemma_rows(self) -> int:
        """How many titles and passages `rewrite_lemmas` reads: its progress bar's total."""
        return sum(self.db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]
                   for table, where in (("articles", _TITLE_LEMMAS), ("passages p", _PASSAGE_LEMMAS)))

    def rewrite_lemmas(self, progress: Callable[[int], object] = lambda rows: None,
                       batch: int = 2_000) -> tuple[int, int]:
        """Write the lemma columns of every title and passage with Cyrillic words again, as
        index.lemmas.column writes them now, for an archive whose columns an older index.lemmas wrote
        (meta "lemmas_version" below lemmas.COLUMN_VERSION). Returns the (titles, passages) whose
        column changed, the only rows written; the caller then rebuilds the full-text index once if
        any did (an UPDATE fires none of its triggers), in the same transaction, so a reader sees the
        old columns and index or the new ones. `progress(n)` hears of each n rows read.

        Rows are read a batch at a time, in rowid order, so memory stays flat on a large archive.
        Articles of every generation are read, not only live ones: a reader may still serve an older
        generation, and its rows are in the same full-text index. A row without Cyrillic words is
        skipped by the query (schema 7 stored the article's language, and a NULL column for a text
        without them), so an English archive costs a scan of its rows and no word is read."""
        from index import lemmas

        written = []
        for select, update in (
                (f"SELECT rowid, title, language, title_lemmas FROM articles WHERE {_TITLE_LEMMAS} AND rowid > ?"
                 " ORDER BY rowid LIMIT ?", "UPDATE articles SET title_lemmas = ? WHERE rowid = ?"),
                (f"SELECT p.id, {PASSAGE_TEXT}, a.language, p.lemmas FROM passages p JOIN articles a"
                 f" ON a.rowid = p.article WHERE {_PASSAGE_LEMMAS} AND p.id > ? ORDER BY p.id LIMIT ?",
                 "UPDATE passages SET lemmas = ? WHERE id = ?")):
            count = last = 0
            while rows := self.db.execute(select, (last, batch)).fetchall():
                last = rows[-1][0]
                changed = [(new, key) for key, text, language, old in rows
                           if (new := lemmas.column(text, language)) != old]
                self.db.executemany(update, changed)
                count += len(changed)
                progress(len(rows))
            written.append(count)
        titles, passages = written
        return titles, passages

    def rebuild_full_text(self) -> None:
        """Write the full-text index (its view, table and triggers) anew as this schema has it, from
        the rows: once, for an archive from before schema 6 (no titles in it) or 7 (no lemmas)."""
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
