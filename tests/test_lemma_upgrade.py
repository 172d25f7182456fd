"""An archive whose Ukrainian and Russian lemma columns an older index.lemmas wrote gets them written
again, once, by the next `index add` / `index update` (index.pipeline.upgrade, meta "lemmas_version"),
and then answers what its old columns could not. Real SQLite FTS5 in tmp_path, real pymorphy3."""

import json
import sqlite3
from contextlib import closing

import pytest

from index import lemmas, migrations, pipeline
from index.engines.faiss import IndexReader
from index.schema import DB_NAME, SCHEMA_VERSION
from index.settings import Settings
from index.store import Store
from retrieval.search import Searcher
from tests.support import SAMPLES, HashingEncoder
from tests.test_pipeline import assert_full_text_matches_passages

ARTICLES = [
    # "русі" is the locative of рух (a movement; "у русі", on the move): its likeliest reading now, and
    # beyond the four forms the Ukrainian dictionary listed first (русь, русий, рус, руся)
    ("uk-rukh", "Економіка у русі", "Економіка країни знову у русі, кажуть аналітики. Інвестори повертаються."),
    ("uk-kyiv", "Новий міст", "У Києві відкрили новий міст через Дніпро. Роботи тривали три роки."),
    # an English report quoting a Ukrainian slogan: its Cyrillic words have lemma columns too
    ("en-slogan", "A slogan on every wall", "Posters reading «Україна в русі» hung across Kyiv this week."),
    ("en-port", "Rotterdam grain", "The port of Rotterdam handled record grain volumes in November."),
]


def old_forms(word: str, language: str) -> tuple[str, ...]:
    """index.lemmas.forms before 1929cb5: each dictionary's first MAX_FORMS forms in pymorphy3's order."""
    word = lemmas._spelled(word)
    found: list[str] = []
    for lang in lemmas._dictionaries(language):
        read: list[str] = []
        for parse in lemmas.analyzer(lang).parse(word):
            form = lemmas.canonical(parse.normal_form)
            if form and form not in read:
                read.append(form)
        found.extend(f for f in read[:lemmas.MAX_FORMS] if f not in found)
    return tuple(found) or (lemmas.canonical(word),)


def old_column(text: str, language: str) -> str | None:
    """index.lemmas.column before 1929cb5 (the same but for `old_forms`)."""
    words = lemmas.WORD.findall(text)
    if not words:
        return None
    lang = lemmas.cyrillic_language(text, language)
    out: list[str] = []
    for word in words:
        lower = word.lower()
        written = None if any(a in lower for a in lemmas.APOSTROPHES) else lower
        out.extend(f for f in dict.fromkeys((lemmas.canonical(lower), *old_forms(lower, lang))) if f != written)
    return " ".join(out)


def write(path, articles):
    path.write_text("".join(json.dumps({"id": i, "title": t, "body": b}, ensure_ascii=False) + "\n"
                            for i, t, b in articles))
    return path


def as_before_1929cb5(data_dir) -> None:
    """Every lemma column as the code before 1929cb5 wrote it, the full-text index built from them, and
    no lemmas version recorded (none was before this one)."""
    with closing(sqlite3.connect(data_dir / DB_NAME)) as db, db:
        db.executemany("UPDATE articles SET title_lemmas = ? WHERE rowid = ?", [
            (old_column(title, language), rowid)
            for rowid, title, language in db.execute("SELECT rowid, title, language FROM articles").fetchall()])
        db.executemany("UPDATE passages SET lemmas = ? WHERE id = ?", [
            (old_column(text, language), pid) for pid, text, language in db.execute(
                "SELECT p.id, substr(a.body, p.start + 1, p.\"end\" - p.start), a.language FROM passages p"
                " JOIN articles a ON a.rowid = p.article").fetchall()])
        db.execute("INSERT INTO passages_fts(passages_fts) VALUES ('rebuild')")
    set_lemmas_version(data_dir, None)


def set_lemmas_version(data_dir, version: str | None) -> None:
    with closing(sqlite3.connect(data_dir / DB_NAME)) as db, db:
        db.execute("DELETE FROM meta WHERE key = 'lemmas_version'")
        if version is not None:
            db.execute("INSERT INTO meta(key, value) VALUES ('lemmas_version', ?)", (version,))


def rows(data_dir, sql):
    with closing(sqlite3.connect(data_dir / DB_NAME)) as db:
        return db.execute(sql).fetchall()


def columns(data_dir):
    """article id -> (title_lemmas, [lemmas of each passage])."""
    out = {}
    for article_id, title_lemmas, passage_lemmas in rows(data_dir,
            "SELECT a.article_id, a.title_lemmas, p.lemmas FROM articles a JOIN passages p ON p.article = a.rowid"
            " ORDER BY a.article_id, p.seq"):
        out.setdefault(article_id, (title_lemmas, []))[1].append(passage_lemmas)
    return out


def ask(data_dir, question):
    """BM25 alone: the HashingEncoder's vectors mean nothing, and words are what is tested here."""
    answer = Searcher(IndexReader(data_dir), HashingEncoder()).ask(question, mode="lexical", limit=10)
    return [h.citation.article_id for h in answer.hits]


@pytest.fixture
def old_archive(tmp_path):
    archive = write(tmp_path / "archive.jsonl", ARTICLES)
    settings = Settings(data_dir=tmp_path / "index")
    pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    as_before_1929cb5(settings.data_dir)
    return archive, settings


def test_a_new_archive_records_the_lemmas_version(tmp_path):
    settings = Settings(data_dir=tmp_path / "index")
    pipeline.add([write(tmp_path / "a.jsonl", ARTICLES)], settings, encoder=HashingEncoder(), quiet=True)
    assert rows(settings.data_dir, "SELECT key, value FROM meta WHERE key LIKE '%version' ORDER BY key") == [
        ("lemmas_version", "2"), ("schema_version", str(SCHEMA_VERSION))]
    with closing(Store.open_writer(settings.data_dir)) as store:
        assert pipeline.upgrade(store) == (0, 0)


def test_the_old_columns_are_written_again_once(old_archive):
    archive, settings = old_archive
    stale = columns(settings.data_dir)
    assert stale == {
        "en-port": (None, [None]),
        "en-slogan": (None, ["русь русий рус руся"]),
        "uk-kyiv": ("місто", ["кий київ відкрити місто робот робота тривати терти рік"]),
        "uk-rukh": ("русь русий рус руся",
                    ["країна русь русий рус руся казати аналітика аналітик інвестор повертатися"]),
    }
    # the reader serves the old columns meanwhile (a lemmas version is no schema version), which lack
    # рух, the term of "русі"
    assert ask(settings.data_dir, "у Києві") == ["uk-kyiv", "en-slogan"]  # (Kyiv, its English name)
    assert ask(settings.data_dir, "у русі") == []

    summary = pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    assert (summary.unchanged, summary.passages_embedded, summary.generation) == (len(ARTICLES), 0, 1)
    # cron's one line says the upgrade happened
    assert summary.forms_rewritten == (1, 3)
    assert summary.line().startswith("added 0, updated 0, unchanged 4, removed 0, skipped 0; embedded 0 passages and 0 sentences;"
                                     " generation 1; word forms written again: 1 title, 3 passages; ")
    assert columns(settings.data_dir) == {
        article_id: (lemmas.column(title, language), [lemmas.column(body, language)])
        for article_id, title, body, language in rows(settings.data_dir,
                                                      "SELECT article_id, title, body, language FROM articles")}
    assert columns(settings.data_dir) == {
        "en-port": (None, [None]),
        "en-slogan": (None, ["рух русь рус руся"]),
        "uk-kyiv": ("місто", ["київ кий відкрити місто робота робот тривати терти рік"]),
        "uk-rukh": ("рух русь рус руся",
                    ["країна рух русь рус руся казати аналітика аналітик інвестор повертатися"]),
    }
    assert rows(settings.data_dir, "SELECT value FROM meta WHERE key = 'lemmas_version'") == [("2",)]
    assert_full_text_matches_passages(settings.data_dir)
    # the question's term is рух, which the old columns lacked
    assert rows(settings.data_dir, "SELECT rowid FROM passages_fts WHERE passages_fts MATCH 'рух'") == [(1,), (3,)]
    assert ask(settings.data_dir, "у русі") == ["uk-rukh", "en-slogan"]

    # once: a column changed now (as no index.lemmas writes it) stays as it is on the next run
    with closing(sqlite3.connect(settings.data_dir / DB_NAME)) as db, db:
        db.execute("UPDATE passages SET lemmas = 'changed' WHERE id = 2")
    again = pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    assert rows(settings.data_dir, "SELECT lemmas FROM passages WHERE id = 2") == [("changed",)]
    assert again.forms_rewritten == (0, 0) and "word forms" not in again.line()


def test_upgrade_writes_only_the_columns_that_changed(old_archive):
    _, settings = old_archive
    with closing(Store.open_writer(settings.data_dir)) as store:
        # uk-rukh's title; its passage, uk-kyiv's (its forms in another order) and en-slogan's
        assert pipeline.upgrade(store, quiet=True) == (1, 3)
        again = store.db.total_changes
        assert pipeline.upgrade(store, quiet=True) == (0, 0)
        assert store.db.total_changes == again  # not even the meta row


def test_an_archive_of_schema_6_gets_current_columns_written_once(tmp_path):
    """Before schema 7 there were no lemma columns: the schema upgrade writes them as index.lemmas does
    now, and records that, so they are not written a second time."""
    from tests.test_languages import SCHEMA_6

    archive = write(tmp_path / "archive.jsonl", ARTICLES)
    settings = Settings(data_dir=tmp_path / "index")
    pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    with closing(sqlite3.connect(settings.data_dir / DB_NAME)) as db:
        db.executescript(SCHEMA_6)
    set_lemmas_version(settings.data_dir, None)
    with closing(Store.open_writer(settings.data_dir)) as store:
        assert pipeline.upgrade(store, quiet=True) == (0, 0)
        assert (store.read.meta("schema_version"), store.read.meta("lemmas_version")) == (str(SCHEMA_VERSION), "2")
    assert columns(settings.data_dir)["uk-rukh"] == (
        "рух русь рус руся", ["країна рух русь рус руся казати аналітика аналітик інвестор повертатися"])


def test_an_english_archive_is_not_rewritten(tmp_path):
    settings = Settings(data_dir=tmp_path / "index")
    pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    set_lemmas_version(settings.data_dir, None)
    with closing(Store.open_writer(settings.data_dir)) as store:
        assert migrations.lemma_rows(store.db) == 0
        changes = store.db.total_changes
        assert pipeline.upgrade(store, quiet=True) == (0, 0)
        assert store.db.total_changes - changes == 1  # the meta row: no column, no full-text index
        assert store.read.meta("lemmas_version") == "2"


def milvus_of_old_columns(tmp_path):
    """A Milvus archive whose published collection has the columns of before 1929cb5, published as if
    they were current, as the old code did; its rows have them too."""
    pytest.importorskip("pymilvus", reason="the `engines` extra is not installed")
    archive = write(tmp_path / "archive.jsonl", ARTICLES)
    settings = Settings(data_dir=tmp_path / "index", engine="milvus")
    pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    as_before_1929cb5(settings.data_dir)
    set_lemmas_version(settings.data_dir, "2")
    assert pipeline.rebuild(settings).generation == 2
    set_lemmas_version(settings.data_dir, None)
    return archive, settings


def ask_milvus(settings, question):
    from index.engines import open_reader

    answer = Searcher(open_reader(settings), HashingEncoder()).ask(question, mode="lexical", limit=10)
    return [h.citation.article_id for h in answer.hits]


def test_a_milvus_archive_publishes_its_rewritten_columns(tmp_path):
    """Milvus keeps the lemma columns in each generation's collection (FTS5 reads them from the rows):
    the run that rewrites them publishes a generation, though no article changed."""
    archive, settings = milvus_of_old_columns(tmp_path)
    assert ask_milvus(settings, "у русі") == []
    summary = pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    assert (summary.unchanged, summary.passages_embedded, summary.generation) == (len(ARTICLES), 0, 3)
    assert ask_milvus(settings, "у русі") == ["uk-rukh", "en-slogan"]
    assert pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True).generation == 3


def test_a_milvus_archive_publishes_columns_a_dead_run_rewrote(tmp_path):
    """A run that dies after rewriting the columns (upgrade's transaction committed) and before publishing
    leaves the collection with the old ones; the next run, which has nothing to rewrite, publishes them."""
    archive, settings = milvus_of_old_columns(tmp_path)
    with closing(Store.open_writer(settings.data_dir)) as store:  # the run's step 0, then it dies
        assert pipeline.upgrade(store, quiet=True) == (1, 3)  # titles, passages
    assert ask_milvus(settings, "у русі") == []
    summary = pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    assert (summary.forms_rewritten, summary.generation) == ((0, 0), 3)
    assert ask_milvus(settings, "у русі") == ["uk-rukh", "en-slogan"]
    assert pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True).generation == 3
