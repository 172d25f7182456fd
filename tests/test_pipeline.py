import json
import sqlite3

import pytest

from index import generations, pipeline
from index.errors import IndexBusy, IndexNotReady, ModelMismatch
from index.engines.faiss import IndexReader
from index.settings import Settings
from tests.support import SAMPLES, HashingEncoder

SAMPLE_ARTICLES = 36


def settings_for(tmp_path, **overrides):
    return Settings(data_dir=tmp_path / "data", model=HashingEncoder.name, **overrides)


def db_rows(data_dir, sql):
    with sqlite3.connect(data_dir / "newsdesk.sqlite3") as db:
        return db.execute(sql).fetchall()


def assert_full_text_matches_passages(data_dir):
    """FTS5 checks its index against the passage texts it was given (raises "malformed" otherwise)."""
    with sqlite3.connect(data_dir / "newsdesk.sqlite3") as db:
        db.execute("INSERT INTO passages_fts(passages_fts, rank) VALUES ('integrity-check', 1)")


def test_first_run_publishes_generation_one_with_a_manifest(tmp_path):
    settings = settings_for(tmp_path)
    summary = pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    assert (summary.added, summary.updated, summary.unchanged, summary.skipped, summary.generation) == (
        SAMPLE_ARTICLES, 0, 0, 0, 1)
    passages = db_rows(settings.data_dir, "SELECT count(*), count(DISTINCT text_hash) FROM passages")[0]
    # the ECB wire story runs in two outlets with the same body: its passages are embedded once
    assert summary.passages_embedded == passages[1] < passages[0]
    manifest = json.loads((settings.data_dir / "generations" / "00000001" / "manifest.json").read_text())
    assert {k: manifest[k] for k in ("generation", "model", "dimension", "index_type", "articles", "passages")} == {
        "generation": 1, "model": HashingEncoder.name, "dimension": 64, "index_type": "IDMap2,SQfp16",
        "articles": SAMPLE_ARTICLES, "passages": passages[0]}
    assert (settings.data_dir / "CURRENT").read_text() == "1\n"
    snapshot = IndexReader(settings.data_dir).snapshot()
    assert len(snapshot.index.vectors) == passages[0]


def test_the_same_input_twice_embeds_nothing_and_publishes_nothing(tmp_path):
    settings = settings_for(tmp_path)
    pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    again = HashingEncoder()
    summary = pipeline.add([SAMPLES], settings, encoder=again, quiet=True)
    assert (summary.added, summary.updated, summary.unchanged, summary.passages_embedded, summary.generation) == (
        0, 0, SAMPLE_ARTICLES, 0, 1)
    assert again.calls == []
    assert db_rows(settings.data_dir, "SELECT count(*) FROM articles")[0][0] == SAMPLE_ARTICLES


def with_rovno_corrected(tmp_path, body):
    """The sample archive with the Rovno article's body replaced (the only one naming Kucherkovka)."""
    records = [json.loads(line) for line in SAMPLES.read_text().splitlines()]
    next(r for r in records if r["id"] == "kl-2024-1207-rovno")["body"] = body
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join(json.dumps(r) + "\n" for r in records))
    return changed


def test_a_changed_article_replaces_its_passages(tmp_path):
    settings = settings_for(tmp_path)
    pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    changed = with_rovno_corrected(tmp_path, "Correction: the settlement of Rovno was reported captured by the "
                                             "ministry on December 7.")
    encoder = HashingEncoder()
    summary = pipeline.add([changed], settings, encoder=encoder, quiet=True)
    assert (summary.added, summary.updated, summary.unchanged, summary.passages_embedded, summary.generation) == (
        0, 1, SAMPLE_ARTICLES - 1, 1, 2)
    snapshot = IndexReader(settings.data_dir).snapshot()
    assert snapshot.generation == 2
    hits = snapshot.lexical('"kucherkovka"', 10)  # only the old text named the village
    assert hits == []
    [(pid, _)] = snapshot.lexical('"correction"', 10)
    assert snapshot.passages([pid])[pid].article_id == "kl-2024-1207-rovno"
    assert db_rows(settings.data_dir, "SELECT count(*) FROM articles WHERE gen_removed IS NULL")[0][0] == SAMPLE_ARTICLES
    # generation 1 is kept for readers still on it, and still sees the old text
    old = generations.generation_dir(settings.data_dir, 1)
    assert old.exists()
    assert_full_text_matches_passages(settings.data_dir)


class CrashingEncoder(HashingEncoder):
    """Fails on its second batch, like a process killed while embedding."""

    def encode(self, texts, batch_size=64):
        if self.calls:
            raise RuntimeError("killed")
        return super().encode(texts, batch_size)


def test_a_run_that_fails_midway_leaves_the_served_index_intact_and_the_next_run_finishes(tmp_path):
    settings = settings_for(tmp_path, embed_chunk=8)
    first = tmp_path / "first.jsonl"
    lines = SAMPLES.read_text().splitlines()
    first.write_text("\n".join(lines[:5]) + "\n")
    before = pipeline.add([first], settings, encoder=HashingEncoder(), quiet=True).passages_embedded
    with pytest.raises(RuntimeError, match="killed"):
        pipeline.add([SAMPLES], settings, encoder=CrashingEncoder(), quiet=True)
    snapshot = IndexReader(settings.data_dir).snapshot()
    assert (snapshot.generation, snapshot.manifest.articles) == (1, 5)
    resumed = HashingEncoder()
    summary = pipeline.add([SAMPLES], settings, encoder=resumed, quiet=True)
    assert (summary.added, summary.unchanged, summary.generation) == (SAMPLE_ARTICLES - 5, 5, 2)
    distinct = db_rows(settings.data_dir, "SELECT count(DISTINCT text_hash) FROM passages")[0][0]
    assert summary.passages_embedded == distinct - before - 8  # the batch committed before the crash is kept
    assert db_rows(settings.data_dir, "SELECT count(*), count(DISTINCT key) FROM articles")[0] == (
        SAMPLE_ARTICLES, SAMPLE_ARTICLES)


def test_a_second_writer_is_refused_at_once(tmp_path):
    settings = settings_for(tmp_path)
    with generations.writer_lock(settings.data_dir):
        with pytest.raises(IndexBusy, match="Another indexing run holds"):
            pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)


def test_another_model_cannot_write_into_the_index(tmp_path):
    settings = settings_for(tmp_path)
    pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    other = Settings(data_dir=settings.data_dir, model="another/model")
    with pytest.raises(ModelMismatch, match="built with the model 'test/hashing-64', not 'another/model'"):
        pipeline.add([SAMPLES], other, encoder=HashingEncoder(), quiet=True)


def test_reading_an_empty_data_directory_says_what_to_run(tmp_path):
    with pytest.raises(IndexNotReady, match=r"run `newsdesk index add PATH` first"):
        IndexReader(tmp_path).snapshot()


def test_rows_committed_but_never_published_are_discarded_by_the_next_run(tmp_path):
    """A run killed between its commit and the switch of CURRENT leaves rows of an unpublished generation."""
    from index.records import Article, Passage
    from index.store import Store

    settings = settings_for(tmp_path)
    pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    store = Store.open_writer(settings.data_dir)
    with store.transaction():
        orphan = Article(article_id="orphan", body="Half published.", title="Orphan")
        store.insert_article("orphan", orphan, "h", 2, [Passage(0, 0, 15, "Half published.")], ["t"])
        store.retire([1], 2)
    store.close()
    assert IndexReader(settings.data_dir).snapshot().manifest.articles == SAMPLE_ARTICLES  # readers see gen 1 only
    summary = pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    assert (summary.added, summary.unchanged, summary.generation) == (0, SAMPLE_ARTICLES, 1)
    assert db_rows(settings.data_dir, "SELECT count(*) FROM articles WHERE article_id = 'orphan'") == [(0,)]
    assert_full_text_matches_passages(settings.data_dir)
    assert db_rows(settings.data_dir, "SELECT count(*) FROM articles WHERE gen_removed IS NULL") == [(SAMPLE_ARTICLES,)]


def test_rows_no_generation_needs_are_forgotten_and_the_full_text_index_with_them(tmp_path):
    settings = settings_for(tmp_path, keep_generations=1, keep_seconds=0.0)
    pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    changed = with_rovno_corrected(tmp_path, "Correction: the settlement was reported captured on December 7.")
    assert pipeline.add([changed], settings, encoder=HashingEncoder(), quiet=True).generation == 2
    # generation 1 is gone: the article's old row and passages are deleted, and removed from FTS5
    assert db_rows(settings.data_dir, "SELECT count(*) FROM articles") == [(SAMPLE_ARTICLES,)]
    assert db_rows(settings.data_dir, "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH 'kucherkovka'") \
        == [(0,)]
    assert_full_text_matches_passages(settings.data_dir)
