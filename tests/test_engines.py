"""The retrieval tests that matter, on both engines behind index.engines.base.SearchIndex: FAISS + FTS5
and Milvus (a real one: milvus-lite 2.5, the Milvus C++ engine embedded from a file). Each test runs
once per engine through index.engines.open_reader, the factory the bot and the CLI use."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from index import generations, pipeline
from index.engines import open_reader
from index.engines.base import SearchIndex
from index.engines.milvus import Collection
from index.settings import Settings
from retrieval.search import Searcher
from tests.support import ROOT, SAMPLES, HashingEncoder
from tests.test_languages import write_archive as write_languages_archive
from tests.test_variants import ARTICLES as VARIANT_ARCHIVE

pymilvus = pytest.importorskip("pymilvus", reason="the `engines` extra is not installed")
ENGINES = ("faiss", "milvus")


def engine_settings(data_dir: Path, engine: str) -> Settings:
    return Settings(data_dir=data_dir, engine=engine)


@pytest.fixture(scope="module", params=ENGINES)
def sample(request, sample_dir, tmp_path_factory):
    """The sample archive served by each engine. Milvus's collection is built by `index rebuild` from a
    copy of the FAISS index's SQLite store: nothing is encoded again."""
    if request.param == "faiss":
        return Settings(data_dir=sample_dir)
    copy = tmp_path_factory.mktemp("sample-milvus") / "data"
    shutil.copytree(sample_dir, copy, ignore=shutil.ignore_patterns("write.lock"))
    settings = engine_settings(copy, "milvus")
    pipeline.rebuild(settings)
    return settings


@pytest.fixture(scope="module")
def searcher(sample, model_encoder):
    return Searcher(open_reader(sample), model_encoder)


def ids(answer) -> list[str]:
    return [h.citation.article_id for h in answer.hits]


def test_the_served_snapshot_is_the_protocol_and_the_configured_engine(sample):
    snapshot = open_reader(sample).snapshot()
    assert isinstance(snapshot, SearchIndex)
    assert snapshot.manifest.engine == sample.engine
    assert (Collection.of(snapshot.manifest).name != "") == (sample.engine == "milvus")


def test_the_rovno_question_is_answered_with_its_citation(searcher):
    top = searcher.ask("what was reported about Rovno?").hits[0]
    assert (top.rank, top.citation.article_id, top.citation.source) == (1, "kl-2024-1207-rovno", "Kyiv Ledger")
    assert top.citation.url == "https://kyivledger.example/2024/12/07/russia-claims-kucherkovka-and-rovno"
    assert top.highlight == ("According to the Russian Defence Ministry, Rovno, a settlement in the Donetsk region, "
                             "came under Russian control.")


def test_stated_outlet_and_date_filters_and_exact_phrases_filter(searcher):
    answer = searcher.ask('from:"Kyiv Ledger" since:2024-12-01 Kupiansk', limit=10)
    assert sorted(ids(answer)) == ["kl-2024-1207-rovno", "kl-2025-0112-kupiansk-oskil"]
    assert answer.relaxed is None
    exact = searcher.ask('exact:"deposit rate"', limit=10)  # one wire story, run by two outlets: shown once
    assert len(exact.hits) == 1 and {exact.hits[0].citation.article_id, *(c.article_id for c in exact.hits[0].also)} \
        == {"nw-2024-1212-ecb-cut", "pbd-2024-1212-ecb-cut"}
    until = searcher.ask("until:2024-10-01 power", limit=10)
    assert until.hits and all(h.citation.published_at.isoformat() < "2024-10-01" for h in until.hits)


def test_an_outlet_named_in_passing_ranks_first_without_excluding_the_rest(searcher):
    answer = searcher.ask("what did Danube Post report about floods and storms?", limit=10)
    assert ids(answer)[:2] == ["dp-2024-0916-storm-boris-floods", "ht-2025-0107-port-ellery-storm"]


def test_a_date_in_the_question_puts_that_day_first(searcher):
    answer = searcher.ask("what was reported on December 12, 2024?", limit=10)
    assert {answer.hits[0].citation.article_id, *(c.article_id for c in answer.hits[0].also)} == {
        "nw-2024-1212-ecb-cut", "pbd-2024-1212-ecb-cut"}


# --- spelling variants (trigram terms and the gazetteer stay in SQLite; the search is the engine's) ---------

# the spelling archive of tests/test_variants.py but its Baltic Courier story
VARIANT_ARTICLES = [a for a in VARIANT_ARCHIVE if a[0] != "bc-1"]


def write_archive(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps({"id": i, "source": s, "published_at": d, "title": t, "body": b}) + "\n"
                            for i, s, d, t, b in rows))
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_spelling_variants_find_the_archive_spelling(tmp_path, engine):
    settings = engine_settings(tmp_path / "index", engine)
    pipeline.add([write_archive(tmp_path / "a.jsonl", VARIANT_ARTICLES)], settings, encoder=HashingEncoder(), quiet=True)
    searcher = Searcher(open_reader(settings), HashingEncoder())
    answer = searcher.ask("news about Kupiansk")
    assert answer.query.variants == (("kupiansk", ("kupyansk",)),) and ids(answer)[0] == "ew-1"
    assert ids(searcher.ask("Kucherivka")) == ["ew-2"]
    kiev = searcher.ask("power cuts in Kiev")
    assert kiev.query.variants == (("kiev", ("kyiv",)),) and ids(kiev)[0] == "kl-1"


# --- publishing: a generation switch under a reader, and kill -9 while publishing -----------------------

LATER = [("ew-9", "Eastern Wire", "2025-03-09T08:00:00Z", "Ferry service resumes",
          "The ferry between the two islands sailed again after the storm, the operator said.")]

# A writer that stops for good just before CURRENT would point at the generation it has built
STALLED_WRITER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from index import generations, pipeline
from index.settings import Settings
from tests.support import HashingEncoder
def stall(*args):
    print("publishing", flush=True)
    time.sleep(600)
generations.point_current = stall
pipeline.add([Path({archive!r})], Settings(data_dir=Path({data!r}), engine={engine!r}), encoder=HashingEncoder(), quiet=True)
"""


@pytest.mark.parametrize("engine", ENGINES)
def test_a_publish_killed_then_completed_never_disturbs_the_reader(tmp_path, engine):
    settings = engine_settings(tmp_path / "index", engine)
    pipeline.add([write_archive(tmp_path / "a.jsonl", VARIANT_ARTICLES)], settings, encoder=HashingEncoder(), quiet=True)
    searcher = Searcher(open_reader(settings), HashingEncoder())
    seen: list[tuple[int, str]] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            try:
                answer = searcher.ask("ferry after the storm")
                seen.append((answer.generation, ids(answer)[0] if answer.hits else ""))
            except BaseException as error:  # noqa: BLE001 - any failure fails the test
                errors.append(error)
            time.sleep(0.02)

    asker = threading.Thread(target=keep_asking)
    asker.start()
    try:
        later = write_archive(tmp_path / "later.jsonl", LATER)
        script = STALLED_WRITER.format(root=str(ROOT), archive=str(later), data=str(settings.data_dir), engine=engine)
        writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        assert writer.stdout.readline().strip() == "publishing"  # generation 2 is fully built, not served
        writer.send_signal(signal.SIGKILL)
        assert writer.wait(30) == -signal.SIGKILL
        time.sleep(0.3)
        assert generations.current_generation(settings.data_dir) == 1
        assert searcher.ask("ferry after the storm").generation == 1
        # the next run throws the dead one's work away and publishes
        summary = pipeline.add([later], settings, encoder=HashingEncoder(), quiet=True)
        assert summary.generation == 2
        deadline = time.monotonic() + 30
        while not any(gen == 2 for gen, _ in seen) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        asker.join(30)
    assert errors == []
    assert {gen for gen, _ in seen} == {1, 2}
    assert all(top == "ew-9" for gen, top in seen if gen == 2)
    assert all(top != "ew-9" for gen, top in seen if gen == 1)
    if engine == "milvus":  # the dead run's collection (its own Milvus Lite file) was dropped
        kept = {Collection.of(generations.Manifest.read(generations.generation_dir(settings.data_dir, g))).uri
                for g in (1, 2)}
        files = {str(p) for p in settings.data_dir.glob("milvus-*.db")}
        assert files == kept


# --- the Milvus side alone -------------------------------------------------------------------------------

def test_the_fts5_query_is_read_into_groups_and_checked_on_analysed_words():
    from index.engines.milvus_text import parse_match, satisfies, tokens

    assert parse_match('"deposit rate" AND ("ecb" OR "deposit")') == [["deposit rate"], ["ecb", "deposit"]]
    assert parse_match('("say ""hi""" OR "x")') == [['say "hi"', "x"]]
    groups = [[tokens(a) for a in group] for group in parse_match('"deposit rate" AND ("ecb" OR "fed")')]
    assert satisfies(groups, [tokens("ECB holds"), tokens("The deposit rates were cut")])
    assert not satisfies(groups, [tokens("ECB holds"), tokens("rates on deposits")])  # not the phrase
    assert tokens("Zürich's Deposits") == ["zurich", "s", "deposit"]


def test_outlet_and_date_filters_are_milvus_expressions():
    from datetime import datetime, timezone

    from index.engines.milvus import NO_DATE, filter_expr

    since = datetime(2024, 12, 1, tzinfo=timezone.utc)
    assert filter_expr(('Kyiv "Ledger"',), since, None) == (
        f'source in ["Kyiv \\"Ledger\\""] and published != {NO_DATE} and published >= {int(since.timestamp())}')
    assert filter_expr((), None, None) == ""


def test_milvus_rebuild_needs_no_encoder_and_faiss_refuses_a_milvus_generation(sample):
    if sample.engine != "milvus":
        pytest.skip("about a Milvus generation")
    from index.errors import IndexNotReady

    with pytest.raises(IndexNotReady, match="NEWSDESK_ENGINE=milvus"):
        open_reader(replace(sample, engine="faiss")).snapshot()


@pytest.mark.parametrize("engine", ENGINES)
def test_ukrainian_and_russian_words_are_found_in_any_inflection_and_script(tmp_path, engine):
    """Both engines search the dictionary forms kept beside Cyrillic text (Milvus has them appended to
    its analysed fields), so an inflected word and a name in another script find the passage."""
    settings = engine_settings(tmp_path / "index", engine)
    pipeline.add([write_languages_archive(tmp_path / "a.jsonl")], settings, encoder=HashingEncoder(), quiet=True)
    searcher = Searcher(open_reader(settings), HashingEncoder())
    def found(question):
        return ids(searcher.ask(question, mode="lexical"))

    # the name as written, inflected (Рівному) and in Latin letters (Rovno), in each engine's BM25 order:
    # FTS5 puts the shorter Рівному passage first, Milvus's analyser the English one
    assert found("Рівне") == {"faiss": ["uk-rivnomu", "uk-rivne", "en-rovno"],
                              "milvus": ["en-rovno", "uk-rivnomu", "uk-rivne"]}[engine]
    assert set(found("Купянск")) == {"uk-kupiansk", "en-kupiansk"}  # the Russian spelling, Ukrainian and English text
    assert found("Харькове")[0] == "ru-kharkov"


@pytest.mark.parametrize("words", [("kharkiv",), ("rovno", "rivne"), ("nowhere",)])
def test_the_floor_finds_every_passage_naming_a_name(sample, words):
    # unranked FTS5 (Snapshot.mentioning), for every engine: the passages whose title or text has the
    # word. (Milvus's ranked BM25 restricted to these ids, which the floor used before, misses the
    # sample passage that says "Rivne" once near its start; FAISS's FTS5 ranking finds the same.)
    import re

    snapshot = open_reader(sample).snapshot()
    every = sorted(snapshot.allowed((), None, None).tolist())
    written = re.compile(r"\b(" + "|".join(words) + r")\b", re.IGNORECASE)
    match = " OR ".join(f'"{w}"' for w in words)
    for ids in (set(every), set(every[::2])):
        naming = {pid for pid, p in snapshot.passages(sorted(ids)).items() if written.search(f"{p.title} {p.text}")}
        assert snapshot.mentioning(match, ids) == naming
        if sample.engine == "faiss":
            assert naming == {pid for pid, _ in snapshot.lexical(match, len(ids), ids)}
    assert snapshot.mentioning(match, set()) == set()


def test_each_engine_reads_the_sentences_vectors_stored_beside_its_passages(sample):
    from index import sentences

    snapshot = open_reader(sample).snapshot()
    [passage] = snapshot.passages([int(snapshot.allowed((), None, None)[0])]).values()
    keys = [sentences.key(s) for s in sentences.sentences(passage.text)]
    found = snapshot.sentence_vectors(keys)
    assert sorted(found) == sorted(set(keys)) and {v.shape for v in found.values()} == {(384,)}
