"""The archive database's schema: what its tables, views and full-text index are (`create`). How an
older file is brought to this schema is index.migrations'; who opens it, index.store (the writer) and
index.store_reader (readers).

Rows carry the generation that added them and the one that removed them, so a reader pinned to
generation G sees exactly G's archive while the writer prepares G+1 (see `VISIBLE`).
"""

from __future__ import annotations

import sqlite3

import numpy as np

SCHEMA_VERSION = 9  # 2: article sketches (near-duplicates) and the trigram term index (spelling);
#                    3: embeddings stored as float16 and sketches as uint32 (half the bytes of each);
#                    4: the archive's other names of places (index.places), read by the bot from SQLite;
#                    5: a passage's text is read from its article's body, not stored twice;
#                    6: the full-text index holds the article's title beside each passage's text;
#                    7: each article's language, and the dictionary forms of Ukrainian and Russian
#                       words (index.lemmas) in two more full-text columns;
#                    8: the vector of each sentence of the passages (index.sentences), for the bold sentence
#                    9: how many passages use each sentence, so its vector goes with the last of them
# The oldest schema a reader serves: 8 added only the sentences' vectors, without which a question
# encodes the few sentences its bold choice needs (retrieval.citing.sentence_vectors)
READABLE_SCHEMA = 7
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
-- each sentence of the passages by the hash of its text (index.sentences: int8 and its scale)
CREATE TABLE IF NOT EXISTS sentence_vectors (text_hash TEXT PRIMARY KEY, vector BLOB NOT NULL);
-- how many passages (rows of `passages`) have each sentence (index.store): a vector no passage uses any more
-- is found among the sentences of the passages being removed, without reading the rest of the archive
CREATE TABLE IF NOT EXISTS sentence_uses (text_hash TEXT PRIMARY KEY, passages INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sentence_unused ON sentence_uses(text_hash) WHERE passages <= 0;
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
PASSAGE_TEXT_DDL = [
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
FULL_TEXT_OBJECTS = ("DROP TRIGGER IF EXISTS passages_ai", "DROP TRIGGER IF EXISTS passages_ad",
                      "DROP TABLE IF EXISTS passages_vocab", "DROP TABLE IF EXISTS passages_fts",
                      "DROP VIEW IF EXISTS passage_texts")
_SCHEMA = _SCHEMA.replace("{passage_text}", "".join(f"{statement};\n" for statement in PASSAGE_TEXT_DDL))


def create(connection: sqlite3.Connection) -> None:
    """The tables, views and triggers this schema has, where the file lacks them."""
    connection.executescript(_SCHEMA)
