"""Writing the archive: articles and passages of a new generation, embeddings, the derived word and
place tables, and the clean-up of generations nobody reads any more. Only the indexer uses it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime, timedelta

import numpy as np

from index import language, lemmas
from index.records import Article, Passage
from index.schema import EMBEDDING_DTYPE, _batches, _iso


class StoreWriter:
    """The writing half of `index.store.Store`."""

    db: sqlite3.Connection

    # also used, from index.store.Store: transaction(); from index.store_reader.StoreReader: _select_in()

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

    def insert_article(self, key: str, article: Article, digest: str, gen: int,
                       passages: list[Passage], text_hashes: list[str], sketch: bytes | None = None) -> None:
        """An article and its passages, with the article's language and the dictionary forms of their
        Cyrillic words (index.lemmas), which the full-text index's triggers read."""
        found = language.detect(f"{article.title}\n{article.body}")
        cursor = self.db.execute(
            "INSERT INTO articles(key, article_id, url, title, source, author, published_at, body, content_hash,"
            " origin, collection, gen_added, sketch, language, title_lemmas) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (key, article.article_id, article.url, article.title, article.source, article.author,
             _iso(article.published_at), article.body, digest, article.origin, article.collection, gen, sketch,
             found, lemmas.column(article.title, found)),
        )
        cyrillic = language.has_cyrillic(article.body)
        self.db.executemany(
            'INSERT INTO passages(article, seq, start, "end", text_hash, lemmas) VALUES (?,?,?,?,?,?)',
            [(cursor.lastrowid, p.seq, p.start, p.end, h, lemmas.column(p.text, found) if cyrillic else None)
             for p, h in zip(passages, text_hashes)],
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
