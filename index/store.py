"""Writing the archive: the one writer's connection, and every write made on it (articles and passages
of a new generation, embeddings, the derived word and place tables, the clean-up of generations
nobody reads any more). Only the indexer opens one.

Reads, the writer's included, go through index.store_reader.StoreReader (`Store.read`, on this
connection, so that they see what the transaction wrote); an older file's rewrites are
index.migrations'.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path

import numpy as np

from index import language, lemmas, migrations, schema, sentences
from index.records import Article, Passage
from index.schema import DB_NAME, EMBEDDING_DTYPE, PASSAGE_TEXT, SCHEMA_VERSION
from index.sqlite import batches, connect, iso, select_in, transaction
from index.store_reader import StoreReader


class Store:
    """The archive database as its one writer holds it: writes through these methods, reads through
    `read`."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection
        self.read = StoreReader(connection)

    @classmethod
    def open_writer(cls, data_dir: Path) -> Store:
        """WAL, the schema created or extended in place; an older file is upgraded by index.pipeline.upgrade."""
        connection = connect(data_dir / DB_NAME, "synchronous=NORMAL", "foreign_keys=ON")
        migrations.add_columns(connection)
        schema.create(connection)
        store = cls(connection)
        if store.read.meta("schema_version") is None:  # a new file
            store.set_meta("schema_version", str(SCHEMA_VERSION))
            store.set_meta("lemmas_version", str(lemmas.COLUMN_VERSION))  # its columns are never rewritten
        return store

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> AbstractContextManager[None]:
        return transaction(self.db)

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))

    def put_embeddings(self, text_hashes: list[str], vectors: np.ndarray) -> None:
        rows = zip(text_hashes, (np.ascontiguousarray(v, dtype=EMBEDDING_DTYPE).tobytes() for v in vectors))
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO embeddings(text_hash, vector) VALUES (?, ?)", rows)

    def put_sentence_vectors(self, keys: list[str], vectors: np.ndarray) -> None:
        """Sentences' vectors by their key (index.sentences), stored as index.sentences packs them."""
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO sentence_vectors(text_hash, vector) VALUES (?, ?)",
                                zip(keys, sentences.pack(vectors)))
            # used by no passage until theirs are inserted: a run that dies before then leaves them for
            # forget_before, unless the next run inserts the same passages
            self.db.executemany("INSERT INTO sentence_uses(text_hash, passages) VALUES (?, 0) ON CONFLICT DO NOTHING",
                                ((k,) for k in keys))

    def insert_article(self, key: str, article: Article, digest: str, gen: int,
                       passages: list[Passage], text_hashes: list[str], sketch: bytes | None = None) -> None:
        """An article and its passages, with the article's language and the dictionary forms of their
        Cyrillic words (index.lemmas), which the full-text index's triggers read."""
        found = language.detect(f"{article.title}\n{article.body}")
        cursor = self.db.execute(
            "INSERT INTO articles(key, article_id, url, title, source, author, published_at, body, content_hash,"
            " origin, collection, gen_added, sketch, language, title_lemmas) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (key, article.article_id, article.url, article.title, article.source, article.author,
             iso(article.published_at), article.body, digest, article.origin, article.collection, gen, sketch,
             found, lemmas.column(article.title, found)),
        )
        cyrillic = language.has_cyrillic(article.body)
        self.db.executemany(
            'INSERT INTO passages(article, seq, start, "end", text_hash, lemmas) VALUES (?,?,?,?,?,?)',
            [(cursor.lastrowid, p.seq, p.start, p.end, h, lemmas.column(p.text, found) if cyrillic else None)
             for p, h in zip(passages, text_hashes)],
        )
        self.use_sentences(p.text for p in passages)

    def add_new_terms(self) -> list[str]:
        """Copy words the full-text index has and `terms` lacks (numbers and short words are left out:
        they have no spelling variants worth finding). Returns the words added."""
        new = [term for (term,) in self.db.execute(
            "SELECT term FROM passages_vocab WHERE length(term) >= 4 AND term NOT GLOB '*[0-9_]*'"
            " AND term NOT IN (SELECT term FROM terms)")]
        self.db.executemany("INSERT INTO terms(term) VALUES (?)", ((t,) for t in new))
        return new

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
            for batch, marks in batches(orphans):
                self._unuse_sentences(f"p.article IN ({marks})", batch)
                self.db.execute(f"DELETE FROM passages WHERE article IN ({marks})", batch)
                self.db.execute(f"DELETE FROM articles WHERE rowid IN ({marks})", batch)
            self.db.execute("UPDATE articles SET gen_removed = NULL WHERE gen_removed > ?", (gen,))
            self.db.execute("DELETE FROM generations WHERE gen > ?", (gen,))
        return len(orphans)

    def forget_before(self, gen: int) -> None:
        """Delete rows no generation from `gen` on can see, and embeddings and sentence vectors nothing uses."""
        with self.transaction():
            old = "SELECT rowid FROM articles WHERE gen_removed IS NOT NULL AND gen_removed <= ?"
            self._unuse_sentences(f"p.article IN ({old})", (gen,))
            self.db.execute(f"DELETE FROM passages WHERE article IN ({old})", (gen,))
            self.db.execute("DELETE FROM articles WHERE gen_removed IS NOT NULL AND gen_removed <= ?", (gen,))
            self.db.execute("DELETE FROM embeddings WHERE text_hash NOT IN (SELECT text_hash FROM passages)")
            # the sentences no passage has (read through the partial index of those): of the passages just
            # deleted, of a run that died (discard_after), or stored by one that died before inserting any
            unused = "SELECT text_hash FROM sentence_uses WHERE passages <= 0"
            self.db.execute(f"DELETE FROM sentence_vectors WHERE text_hash IN ({unused})")
            self.db.execute("DELETE FROM sentence_uses WHERE passages <= 0")

    def use_sentences(self, texts: Iterable[str], step: int = 1) -> None:
        """Count the sentences of these passages' texts (index.sentences' keys) as used by `step` more
        passages; a sentence twice in a passage counts twice, both ways."""
        counts = Counter(sentences.key(s) for text in texts for s in sentences.sentences(text))
        self.db.executemany("INSERT INTO sentence_uses(text_hash, passages) VALUES (?, ?) ON CONFLICT(text_hash)"
                            " DO UPDATE SET passages = passages + excluded.passages",
                            ((k, step * n) for k, n in counts.items()))

    def _unuse_sentences(self, which: str, parameters) -> None:
        """Before the passages `which` selects are deleted, their sentences count them no more (only
        these passages are read, whatever the archive's size)."""
        self.use_sentences((t for (t,) in self.db.execute(
            f"SELECT {PASSAGE_TEXT} FROM passages p JOIN articles a ON a.rowid = p.article WHERE {which}",
            parameters)), -1)

    def record_generation(self, gen: int, created_at: datetime, counts: dict[str, float]) -> None:
        columns = ["gen", "created_at", *counts]
        values = [gen, created_at.isoformat(), *counts.values()]
        self.db.execute(
            f"INSERT INTO generations({','.join(columns)}) VALUES ({','.join('?' * len(values))})", values)
