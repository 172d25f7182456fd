"""Near-duplicate articles: sketches, grouping in the answer list, recency, and older data directories."""

import json
import sqlite3
from contextlib import closing
from datetime import datetime, timezone

import numpy as np
import pytest

from index import duplicates, migrations, pipeline
from index.errors import IndexNotReady, SettingsError
from index.engines.faiss import IndexReader
from index.settings import Settings
from index.schema import DB_NAME, READABLE_SCHEMA, SCHEMA_VERSION
from index.store_reader import StoreReader
from retrieval.search import SearchSettings, Searcher
from tests.support import HashingEncoder
from tests.test_pipeline import assert_full_text_matches_passages

WIRE = ("The central bank cut its main interest rate by a quarter point to 3.25 percent on Thursday, "
        "citing slowing inflation and weak factory orders. The governor said further cuts were possible "
        "if prices kept easing, and markets priced in another move by June. Bank shares fell in early "
        "trading while government bond yields dropped to their lowest level in a year.")
EDITED = WIRE.replace("on Thursday", "on Thursday afternoon").replace(" in early trading", "")
LATER = WIRE  # the same words ten days later: a template, not the same report
OTHER = ("Dock workers extended their strike over pay for a second week, and container prices rose at the "
         "port as shipping lines diverted vessels to other harbours along the coast.")

ARTICLES = [
    ("ew-rate", "Eastern Wire", "2025-02-06T12:00:00Z", "Central bank cuts rates", WIRE),
    ("dm-rate", "Daily Meridian", "2025-02-06T15:30:00Z", "Rate cut as inflation slows", EDITED),
    ("nw-rate", "Northwind Post", "2025-02-16T09:00:00Z", "Central bank cuts rates again", LATER),
    ("hb-port", "Harbor Times", "2025-02-07T08:00:00Z", "Port strike goes on", OTHER),
]


def write(path, articles):
    path.write_text("".join(json.dumps({"id": i, "source": s, "published_at": d, "title": t, "body": b}) + "\n"
                            for i, s, d, t, b in articles))
    return path


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("dups")
    archive = write(data_dir / "archive.jsonl", ARTICLES)
    pipeline.add([archive], Settings(data_dir=data_dir / "index"), encoder=HashingEncoder(), quiet=True)
    return data_dir / "index"


def test_sketch_similarity():
    assert duplicates.similarity(duplicates.sketch("a", WIRE), duplicates.sketch("a", WIRE)) == 1.0
    edited = duplicates.similarity(duplicates.sketch("Central bank cuts rates", WIRE),
                                   duplicates.sketch("Rate cut as inflation slows", EDITED))
    assert duplicates.SAME_STORY <= edited < 1.0
    assert duplicates.similarity(duplicates.sketch("x", WIRE), duplicates.sketch("x", OTHER)) < 0.1
    assert duplicates.similarity(None, duplicates.sketch("x", OTHER)) == 0.0


def test_same_story_needs_the_same_days():
    a, b = duplicates.sketch("t", WIRE), duplicates.sketch("t", WIRE)
    day = datetime(2025, 2, 6, tzinfo=timezone.utc)
    assert duplicates.same_story(a, b, day, day.replace(day=7))
    assert not duplicates.same_story(a, b, day, day.replace(day=16))
    assert duplicates.same_story(a, b, None, day)  # undated: the text decides


def test_a_republished_wire_story_is_one_entry_with_also(index_dir):
    answer = Searcher(IndexReader(index_dir), HashingEncoder()).ask("central bank interest rate cut")
    entries = [(h.citation.article_id, tuple(c.article_id for c in h.also)) for h in answer.hits]
    # the better-scoring copy leads (the one headlined "Central bank cuts rates", by BM25 over titles and
    # text); the same words ten days later do not join
    assert entries[:2] == [("ew-rate", ("dm-rate",)), ("nw-rate", ())]
    assert [c.source for c in answer.hits[0].also] == ["Daily Meridian"]


def test_grouping_can_be_turned_off(index_dir):
    answer = Searcher(IndexReader(index_dir), HashingEncoder(), SearchSettings(same_story=1.1)) \
        .ask("central bank interest rate cut")
    assert [(h.citation.article_id, h.also) for h in answer.hits[:3]] == \
        [("ew-rate", ()), ("nw-rate", ()), ("dm-rate", ())]


def test_recency_preference_is_off_by_default_and_raises_recent_reports(tmp_path):
    old = "Flood waters rose in the valley and the flood closed two bridges before defences held."
    new = "A flood warning was issued for the valley towns on Friday as rain continued."
    weak = ("The valley council met on Tuesday to discuss the school budget, the new roads, the bus timetable "
            "and, briefly, last winter's flood.")
    # three reports: min-max normalisation gives the weakest 0, and no multiplier raises a 0
    archive = write(tmp_path / "a.jsonl", [("old", "Lakeside Gazette", "2025-01-02T08:00:00Z", "Flood", old),
                                           ("new", "Lakeside Gazette", "2025-03-20T08:00:00Z", "Warning", new),
                                           ("weak", "Lakeside Gazette", "2024-11-02T08:00:00Z", "Council", weak)])
    pipeline.add([archive], Settings(data_dir=tmp_path / "index"), encoder=HashingEncoder(), quiet=True)
    reader, now = IndexReader(tmp_path / "index"), datetime(2025, 3, 21, tzinfo=timezone.utc)
    plain = Searcher(reader, HashingEncoder()).ask("flood", as_of=now)
    recent = Searcher(reader, HashingEncoder(), SearchSettings(recency_half_life_days=14, recency_weight=1.0)) \
        .ask("flood", as_of=now)
    assert [(h.citation.article_id, h.score) for h in plain.hits] == \
        [("old", 0.905703), ("new", 0.558801), ("weak", 0.0)]
    # new: 0.558801 * (1 + 0.5 ** (0.67 days / 14)); old, 78 days before: barely raised
    assert [(h.citation.article_id, h.score) for h in recent.hits] == \
        [("new", 1.099459), ("old", 0.925067), ("weak", 0.0)]


def test_recency_settings_from_the_environment():
    assert SearchSettings.from_env({}).recency_half_life_days == 0.0
    settings = SearchSettings.from_env({"NEWSDESK_RECENCY_HALF_LIFE_DAYS": "30", "NEWSDESK_RECENCY_WEIGHT": "0.1"})
    assert (settings.recency_half_life_days, settings.recency_weight) == (30.0, 0.1)
    assert (settings.bm25_budget, SearchSettings.from_env({"NEWSDESK_BM25_BUDGET": "5000"}).bm25_budget) == \
        (100_000, 5000.0)
    with pytest.raises(SettingsError, match="NEWSDESK_RECENCY_HALF_LIFE_DAYS must be a number, got 'soon'"):
        SearchSettings.from_env({"NEWSDESK_RECENCY_HALF_LIFE_DAYS": "soon"})


OLD_PASSAGES = """
DROP TRIGGER passages_ai; DROP TRIGGER passages_ad; DROP TABLE passages_vocab; DROP TABLE passages_fts;
DROP VIEW passage_texts;
ALTER TABLE passages ADD COLUMN text TEXT NOT NULL DEFAULT '';
UPDATE passages SET text = (SELECT substr(body, passages.start + 1, passages."end" - passages.start)
                            FROM articles WHERE rowid = passages.article);
CREATE VIRTUAL TABLE passages_fts USING fts5(
    text, content='passages', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
INSERT INTO passages_fts(passages_fts) VALUES ('rebuild');
CREATE VIRTUAL TABLE passages_vocab USING fts5vocab(passages_fts, 'row');
CREATE TRIGGER passages_ai AFTER INSERT ON passages BEGIN
    INSERT INTO passages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER passages_ad AFTER DELETE ON passages BEGIN
    INSERT INTO passages_fts(passages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
"""


def widen(db):
    """Store what versions before schema 3 stored as they did: float32 embeddings, uint64 sketches,
    and (before schema 5) each passage's text in its own column, which the full-text index read."""
    db.executescript(OLD_PASSAGES)
    for table, key, column, old, new in (("embeddings", "text_hash", "vector", np.float16, np.float32),
                                         ("articles", "rowid", "sketch", np.uint32, np.uint64)):
        rows = db.execute(f"SELECT {key}, {column} FROM {table} WHERE {column} IS NOT NULL").fetchall()
        db.executemany(f"UPDATE {table} SET {column} = ? WHERE {key} = ?",
                       [(np.frombuffer(blob, dtype=old).astype(new).tobytes(), k) for k, blob in rows])
    db.commit()


def blobs(data_dir):
    with sqlite3.connect(data_dir / DB_NAME) as db:
        return (db.execute("SELECT text_hash, vector FROM embeddings ORDER BY 1").fetchall(),
                db.execute("SELECT article_id, sketch FROM articles ORDER BY 1").fetchall())


def indexed(tmp_path):
    """(the archive file, settings) of ARTICLES indexed by this version."""
    archive = write(tmp_path / "a.jsonl", ARTICLES)
    settings = Settings(data_dir=tmp_path / "index")
    pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    return archive, settings


def as_written_by_schema(data_dir, version, lacking=""):
    """Rewrite a data directory as an older version wrote it: wide storage (`widen`), what that version
    did not have yet (`lacking`, SQL) and its schema number."""
    with closing(sqlite3.connect(data_dir / DB_NAME)) as db:
        widen(db)
        db.executescript(f"{lacking}\nUPDATE meta SET value = '{version}' WHERE key = 'schema_version';")


def test_a_schema_2_directory_is_narrowed_once_and_answers_alike(tmp_path):
    archive, settings = indexed(tmp_path)
    narrow = blobs(settings.data_dir)
    before = Searcher(IndexReader(settings.data_dir), HashingEncoder()).ask("interest rate cut")
    with closing(sqlite3.connect(settings.data_dir / DB_NAME)) as db:
        known_places = db.execute("SELECT * FROM places ORDER BY name, spelling").fetchall()
    as_written_by_schema(settings.data_dir, 2, "DELETE FROM places;")  # schema 2's places table: created empty
    assert {len(v) for _, v in blobs(settings.data_dir)[0]} == {64 * 4}
    summary = pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    assert (summary.unchanged, summary.passages_embedded, summary.generation) == (4, 0, 1)
    assert blobs(settings.data_dir) == narrow
    with sqlite3.connect(settings.data_dir / DB_NAME) as db:
        assert "text" not in {row[1] for row in db.execute("PRAGMA table_info(passages)")}
    assert_full_text_matches_passages(settings.data_dir)
    with sqlite3.connect(settings.data_dir / DB_NAME) as db:
        assert db.execute("SELECT * FROM places ORDER BY name, spelling").fetchall() == known_places
    assert ("central", "central", 1.0, 1) in known_places  # a town's name among the archive's words
    assert {len(v) for _, v in narrow[0]} == {64 * 2} and {len(s) for _, s in narrow[1]} == {64 * 4}
    after = Searcher(IndexReader(settings.data_dir), HashingEncoder()).ask("interest rate cut")
    assert [(h.citation.article_id, h.score, h.also) for h in after.hits] == \
        [(h.citation.article_id, h.score, h.also) for h in before.hits]


def test_a_data_directory_from_before_sketches_gets_them_on_the_next_run(tmp_path):
    archive, settings = indexed(tmp_path)
    as_written_by_schema(settings.data_dir, 1, "ALTER TABLE articles DROP COLUMN sketch;"
                         "ALTER TABLE articles DROP COLUMN collection; DELETE FROM terms; DELETE FROM terms_trigram;")
    summary = pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    assert (summary.unchanged, summary.generation) == (4, 1)
    store = StoreReader.open(settings.data_dir)
    assert migrations.unsketched(store.db) == []
    assert "kupyansk" not in store.similar_terms("inflation", 5)
    assert store.similar_terms("inflaton", 5)[0] == "inflat"


def test_a_reader_asks_for_an_upgrade_of_an_older_index(tmp_path):
    archive, settings = indexed(tmp_path)
    as_written_by_schema(settings.data_dir, 1)
    with pytest.raises(IndexNotReady, match=rf"written by an older Newsdesk \(schema 1, this one reads {READABLE_SCHEMA} and later\): "
                                            r"run `newsdesk index update`"):
        IndexReader(settings.data_dir).snapshot()
    pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    assert IndexReader(settings.data_dir).snapshot().generation == 1
