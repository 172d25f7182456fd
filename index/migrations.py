"""Bringing an archive written by an older schema to this one (index.schema), a function a rewrite.

index.pipeline.upgrade runs them, on the writer's connection and inside its transaction, in the order
the schema versions need; index.store adds the later columns (`add_columns`) whenever it opens the file.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator

import numpy as np

from index import language, lemmas
from index.schema import EMBEDDING_DTYPE, FULL_TEXT_OBJECTS, PASSAGE_TEXT, PASSAGE_TEXT_DDL
from index.sqlite import transaction

# Columns added after schema 1, for data directories made by an older version
_LATER_COLUMNS = {"articles": {"collection": "TEXT NOT NULL DEFAULT ''", "sketch": "BLOB", "language": "TEXT",
                               "title_lemmas": "TEXT"},
                  "passages": {"lemmas": "TEXT"}}


def add_columns(connection: sqlite3.Connection) -> None:
    """The columns later schemas added, in a file that lacks them (before the schema's own statements run)."""
    for table, columns in _LATER_COLUMNS.items():
        have = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        if not have:
            continue  # a new database: the schema creates them
        for name, kind in columns.items():
            if name not in have:
                connection.execute(f"ALTER TABLE {table} ADD COLUMN {name} {kind}")


# The rows whose lemma columns `rewrite_lemmas` reads: those that have one, and those of a
# Ukrainian or Russian article (should a later `lemmas.column` write one where an older wrote NULL).
# English rows have neither.
_TITLE_LEMMAS = "(title_lemmas IS NOT NULL OR language IN ('uk', 'ru'))"
_PASSAGE_LEMMAS = "(p.lemmas IS NOT NULL OR p.article IN (SELECT rowid FROM articles WHERE language IN ('uk', 'ru')))"


def unsketched(db: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(rowid, title, body) of live articles written before sketches existed (schema 2)."""
    return db.execute("SELECT rowid, title, body FROM articles WHERE sketch IS NULL AND gen_removed IS NULL").fetchall()


def unvectored_sentences(db: sqlite3.Connection) -> Iterator[str]:
    """The text of every live passage of an archive from before schema 8, whose sentences have no
    vectors (index.sentences) yet: index.pipeline.run encodes them once, with its encoder."""
    for (text,) in db.execute(f"SELECT {PASSAGE_TEXT} FROM passages p JOIN articles a ON a.rowid = p.article"
                              " WHERE a.gen_removed IS NULL"):
        yield text


def count_sentence_uses(db: sqlite3.Connection, count: Callable[[Iterable[str]], None]) -> None:
    """Before schema 9: `count` (index.store.Store.use_sentences) the sentences of every passage, and
    every stored vector that none of them has as unused (forget_before deletes it)."""
    db.execute("DELETE FROM sentence_uses")
    count(text for (text,) in db.execute(f"SELECT {PASSAGE_TEXT} FROM passages p JOIN articles a ON a.rowid = p.article"))
    db.execute("INSERT INTO sentence_uses(text_hash, passages) SELECT text_hash, 0 FROM sentence_vectors WHERE true"
               " ON CONFLICT DO NOTHING")


def set_sketches(db: sqlite3.Connection, rows: Iterable[tuple[bytes, int]]) -> None:
    """(sketch, rowid) of the articles `unsketched` found."""
    with transaction(db):
        db.executemany("UPDATE articles SET sketch = ? WHERE rowid = ?", rows)


def drop_passage_texts(db: sqlite3.Connection) -> None:
    """Rewrite an archive from before schema 5, which kept each passage's text beside its article's
    body, to read it from the body; the full-text index is rebuilt from the view. Nothing to do in
    a later one."""
    if "text" not in {row[1] for row in db.execute("PRAGMA table_info(passages)")}:
        return
    for statement in (*FULL_TEXT_OBJECTS, "ALTER TABLE passages DROP COLUMN text"):
        db.execute(statement)
    rebuild_full_text(db)


def read_languages(db: sqlite3.Connection, batch: int = 2_000) -> int:
    """Detect the language of every article written before schema 7 and write the dictionary forms
    of its Cyrillic words (index.lemmas), a batch at a time; the caller then rebuilds the full-text
    index with them. An English article costs a regular expression. Returns the articles read."""
    done = 0
    while rows := db.execute("SELECT rowid, title, body FROM articles WHERE language IS NULL LIMIT ?",
                             (batch,)).fetchall():
        for rowid, title, body in rows:
            found = language.detect(f"{title}\n{body}")
            db.execute("UPDATE articles SET language = ?, title_lemmas = ? WHERE rowid = ?",
                       (found, lemmas.column(title, found), rowid))
            if language.has_cyrillic(body):
                db.executemany("UPDATE passages SET lemmas = ? WHERE id = ?", [
                    (lemmas.column(body[start:end], found), pid) for pid, start, end in db.execute(
                        'SELECT id, start, "end" FROM passages WHERE article = ?', (rowid,)).fetchall()])
        done += len(rows)
    return done


def lemma_rows(db: sqlite3.Connection) -> int:
    """How many titles and passages `rewrite_lemmas` reads: its progress bar's total."""
    return sum(db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]
               for table, where in (("articles", _TITLE_LEMMAS), ("passages p", _PASSAGE_LEMMAS)))


def rewrite_lemmas(db: sqlite3.Connection, progress: Callable[[int], object] = lambda rows: None,
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
    written = []
    for select, update in (
            (f"SELECT rowid, title, language, title_lemmas FROM articles WHERE {_TITLE_LEMMAS} AND rowid > ?"
             " ORDER BY rowid LIMIT ?", "UPDATE articles SET title_lemmas = ? WHERE rowid = ?"),
            (f"SELECT p.id, {PASSAGE_TEXT}, a.language, p.lemmas FROM passages p JOIN articles a"
             f" ON a.rowid = p.article WHERE {_PASSAGE_LEMMAS} AND p.id > ? ORDER BY p.id LIMIT ?",
             "UPDATE passages SET lemmas = ? WHERE id = ?")):
        count = last = 0
        while rows := db.execute(select, (last, batch)).fetchall():
            last = rows[-1][0]
            changed = [(new, key) for key, text, language, old in rows
                       if (new := lemmas.column(text, language)) != old]
            db.executemany(update, changed)
            count += len(changed)
            progress(len(rows))
        written.append(count)
    titles, passages = written
    return titles, passages


def rebuild_full_text(db: sqlite3.Connection) -> None:
    """Write the full-text index (its view, table and triggers) anew as this schema has it, from
    the rows: once, for an archive from before schema 6 (no titles in it) or 7 (no lemmas)."""
    for statement in (*FULL_TEXT_OBJECTS, *PASSAGE_TEXT_DDL, "INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')"):
        db.execute(statement)


def narrow_stored(db: sqlite3.Connection, sketch_dtype: type, batch: int = 10_000) -> None:
    """Rewrite a schema-2 archive's float32 embeddings as EMBEDDING_DTYPE and its uint64 sketches as
    `sketch_dtype`, a batch at a time so that memory stays flat on a large archive. Once only: the
    caller's transaction also records the new schema version."""
    for table, key, column, old, new in (("embeddings", "text_hash", "vector", np.float32, EMBEDDING_DTYPE),
                                         ("articles", "rowid", "sketch", np.uint64, sketch_dtype)):
        last = None
        while rows := db.execute(
                f"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL AND (?1 IS NULL OR {key} > ?1)"
                f" ORDER BY {key} LIMIT ?2", (last, batch)).fetchall():
            last = rows[-1][0]
            db.executemany(f"UPDATE {table} SET {column} = ? WHERE {key} = ?",
                           [(np.frombuffer(blob, dtype=old).astype(new).tobytes(), k) for k, blob in rows])
