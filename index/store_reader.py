"""Reading the archive: one generation's vectors, BM25, filters, passages, articles, outlets, the word
and place tables that spelling variants use, and what the indexer reads before it writes.

Every read of the archive database goes through `StoreReader`, which has no method that writes:
snapshots hold one on a read-only connection per thread (`Readers`), the writer (index.store.Store)
one on its own connection, so that it reads what its transaction wrote.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from index import sentences
from index.records import SourceCount, StoredArticle, StoredPassage
from index.schema import DB_NAME, EMBEDDING_DTYPE, LEMMA_WEIGHT, PASSAGE_TEXT, TITLE_WEIGHT, VISIBLE
from index.sqlite import connect_read_only, from_iso, select_in


class StoreReader:
    """The archive's read API, over one connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.db = connection

    @classmethod
    def open(cls, data_dir: Path) -> StoreReader:
        """On a read-only connection of its own."""
        return cls(connect_read_only(data_dir / DB_NAME))

    def close(self) -> None:
        self.db.close()

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    # --- what the indexer reads ---------------------------------------------------------------
    def live_articles(self) -> dict[str, tuple[int, str, str]]:
        """key -> (rowid, content hash, collection) of every article not removed."""
        rows = self.db.execute("SELECT key, rowid, content_hash, collection FROM articles WHERE gen_removed IS NULL")
        return {key: (rowid, digest, collection) for key, rowid, digest, collection in rows}

    def missing_embeddings(self, text_hashes: Iterable[str]) -> set[str]:
        wanted = set(text_hashes)
        have = {h for (h,) in select_in(
            self.db, "SELECT text_hash FROM embeddings WHERE text_hash IN ({})", list(wanted))}
        return wanted - have

    def missing_sentence_vectors(self, keys: Iterable[str]) -> set[str]:
        wanted = set(keys)
        return wanted - {k for (k,) in self._sentence_rows("text_hash", wanted)}

    def sentence_vectors(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The stored vector of each sentence key that has one (index.sentences)."""
        rows = self._sentence_rows("text_hash, vector", keys)
        return dict(zip((k for k, _ in rows), sentences.unpack([blob for _, blob in rows])))

    def _sentence_rows(self, columns: str, keys: Iterable[str]) -> list[tuple]:
        """Rows of `sentence_vectors` for these keys; none in an archive from before schema 8, which has
        no such table (its readers cannot add it)."""
        try:
            return list(select_in(self.db, f"SELECT {columns} FROM sentence_vectors WHERE text_hash IN ({{}})",
                                  list(dict.fromkeys(keys))))
        except sqlite3.OperationalError as error:
            if "no such table" in str(error):
                return []
            raise

    def all_terms(self) -> list[str]:
        return [term for (term,) in self.db.execute("SELECT term FROM terms")]

    def oldest_needed(self, gen: int, keep: int, grace_seconds: float, now: datetime) -> int:
        """The oldest generation a reader may still use once `gen` is served: the last `keep`, and any
        replaced less than `grace_seconds` ago (a question in flight on it still reads its rows)."""
        cutoff = (now - timedelta(seconds=grace_seconds)).isoformat()
        row = self.db.execute(
            "SELECT min(g.gen) FROM generations g LEFT JOIN generations n ON n.gen = g.gen + 1"
            " WHERE g.gen > ? - ? OR n.created_at > ?", (gen, keep, cutoff)).fetchone()
        return row[0] if row and row[0] is not None else gen

    # --- one generation -----------------------------------------------------------------------
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

    def embeddings(self, text_hashes: Iterable[str]) -> dict[str, np.ndarray]:
        """The stored vector of each passage text (float32), by text hash; texts without one are left out."""
        rows = select_in(self.db, "SELECT text_hash, vector FROM embeddings WHERE text_hash IN ({})",
                         list(dict.fromkeys(text_hashes)))
        return {h: np.frombuffer(blob, dtype=EMBEDDING_DTYPE).astype(np.float32) for h, blob in rows}

    def lexical(self, match: str, gen: int, limit: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """BM25 over the passages of a generation; higher is better.

        FTS5 ranks fastest on its own (ORDER BY rank LIMIT n); rows of other generations are few, so
        they are filtered afterwards, fetching more only when filtering left too few.
        """
        fetch = limit
        weights = f"bm25({TITLE_WEIGHT}, 1.0, {TITLE_WEIGHT}, {LEMMA_WEIGHT})"  # title, text and their lemmas
        while True:
            rows = self.db.execute(
                "SELECT rowid, rank FROM passages_fts WHERE passages_fts MATCH ? AND rank MATCH ?"
                " ORDER BY rank LIMIT ?", (match, weights, fetch)).fetchall()
            visible = self._visible([pid for pid, _ in rows], gen) if allowed is None else allowed
            hits = [(pid, -rank) for pid, rank in rows if pid in visible]
            if len(hits) >= limit or len(rows) < fetch:
                return hits[:limit]
            fetch *= 4

    def matching(self, match: str, ids: set[int]) -> set[int]:
        """Which of these passages FTS5 finds `match` in. Unranked: a question's names are looked up
        among its ranked passages, and scoring every passage a common name is in (ranked, ORDER BY rank)
        made the floor's look-up the slowest stage on Reuters (p95 78 ms; unranked 1.5 ms for "oil",
        2,213 passages: docs/speed.md)."""
        return {pid for (pid,) in self.db.execute("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?",
                                                  (match,)) if pid in ids}

    def _visible(self, ids: list[int], gen: int) -> set[int]:
        return {pid for (pid,) in select_in(
            self.db, "SELECT p.id FROM passages p JOIN articles a ON a.rowid = p.article WHERE p.id IN ({})"
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
        return self._of_articles("a.published_at", ids)

    def languages(self, ids: list[int]) -> dict[int, str]:
        """Each passage's article language ("en", "uk", "ru"; "" when not known)."""
        return self._of_articles("coalesce(a.language, '')", ids)

    def _of_articles(self, expression: str, ids: list[int]) -> dict:
        """passage id -> `expression` over its article (`a`)."""
        return dict(select_in(
            self.db, f"SELECT p.id, {expression} FROM passages p JOIN articles a ON a.rowid = p.article WHERE p.id IN ({{}})",
            ids))

    def added_since(self, since_gen: int, gen: int) -> np.ndarray:
        """Ids of the passages visible in `gen` whose article came in after `since_gen` (new or
        changed articles): what alerts look at."""
        sql = (f"SELECT p.id FROM passages p JOIN articles a ON a.rowid = p.article"
               f" WHERE {VISIBLE} AND a.gen_added > :since ORDER BY p.id")
        return np.fromiter((pid for (pid,) in self.db.execute(sql, {"gen": gen, "since": since_gen})), dtype=np.int64)

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]:
        rows = select_in(
            self.db, "SELECT p.id, a.article_id, a.url, a.title, a.source, a.published_at, p.start, p.\"end\","
            f" {PASSAGE_TEXT}, p.text_hash, a.sketch, coalesce(a.language, '') FROM passages p"
            " JOIN articles a ON a.rowid = p.article"
            " WHERE p.id IN ({})", ids)
        return {row[0]: StoredPassage(row[0], row[1], row[2], row[3], row[4], from_iso(row[5]), *row[6:])
                for row in rows}

    def passage_ids_of(self, article_ids: list[str], gen: int) -> list[int]:
        """The passages of these articles, as generation `gen` has them."""
        return [pid for (pid,) in select_in(
            self.db, "SELECT p.id FROM passages p JOIN articles a ON a.rowid = p.article"
            f" WHERE a.article_id IN ({{}}) AND {VISIBLE.replace(':gen', '?')}", article_ids, gen, gen)]

    def article(self, article_id: str, gen: int) -> StoredArticle | None:
        row = self.db.execute(
            f"SELECT a.article_id, a.url, a.title, a.source, a.published_at, a.body FROM articles a"
            f" WHERE a.article_id = :id AND {VISIBLE} LIMIT 1", {"id": article_id, "gen": gen}).fetchone()
        return StoredArticle(row[0], row[1], row[2], row[3], from_iso(row[4]), row[5]) if row else None

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
        return [SourceCount(name, n, from_iso(first), from_iso(last)) for name, n, first, last in rows]

    def latest_published(self, gen: int, earliest: datetime, latest: datetime) -> datetime | None:
        """The newest publication time in a generation between `earliest` and `latest`."""
        row = self.db.execute(
            f"SELECT max(a.published_at) FROM articles a WHERE {VISIBLE}"
            " AND a.published_at >= :earliest AND a.published_at <= :latest",
            {"gen": gen, "earliest": earliest.isoformat(), "latest": latest.isoformat()},
        ).fetchone()
        return from_iso(row[0]) if row else None

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return dict(select_in(self.db, "SELECT term, doc FROM passages_vocab WHERE term IN ({})", list(terms)))

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

    def searchable_rows(self, gen: int, batch: int = 2000) -> Iterator[list[tuple]]:
        """(passage id, embedding blob, title, passage text, outlet, published ISO) of every passage of a
        generation, in batches of ids: what an engine that keeps its own copy of the words builds its
        index from (index.engines). Title and text are as BM25 searches them, each followed by its
        Ukrainian and Russian words' dictionary forms (the lemma columns FTS5 indexes beside them): the
        passage shown is read from SQLite."""
        last = 0
        while rows := self.db.execute(
                f"SELECT p.id, e.vector, a.title || coalesce(' ' || a.title_lemmas, ''),"
                f" {PASSAGE_TEXT} || coalesce(' ' || p.lemmas, ''), a.source, a.published_at FROM passages p"
                " JOIN articles a ON a.rowid = p.article JOIN embeddings e ON e.text_hash = p.text_hash"
                f" WHERE {VISIBLE} AND p.id > :last ORDER BY p.id LIMIT :batch",
                {"gen": gen, "last": last, "batch": batch}).fetchall():
            last = rows[-1][0]
            yield rows


class Readers:
    """One read-only StoreReader per thread on a data directory's archive (sqlite3 connections are not
    shared across threads), opened on a thread's first read."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._local = threading.local()

    def get(self) -> StoreReader:
        reader = getattr(self._local, "reader", None)
        if reader is None:
            reader = self._local.reader = StoreReader.open(self.data_dir)
        return reader
