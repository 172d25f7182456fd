"""Reindexing while questions are being answered: kill -9 at several moments of an update, a reader
thread asking all along; zero failed or inconsistent answers, and the next update finishes the work."""

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest

from index import generations, pipeline
from index.engines.faiss import IndexReader
from index.settings import Settings
from retrieval.search import Searcher
from tests.support import NEWSDESK, SAMPLES

pytestmark = pytest.mark.slow


def batch(path: Path, number: int, copies: int = 4) -> Path:
    """The sample articles again under new ids with a changed ending: new text to embed."""
    with path.open("w") as out:
        for copy in range(copies):
            for line in SAMPLES.read_text().splitlines():
                record = json.loads(line)
                record["id"] = f"{record['id']}-b{number}c{copy}"
                record.pop("url", None)
                record["body"] += f"\n\nEditor's note {number}.{copy}: this version was updated."
                out.write(json.dumps(record) + "\n")
    return path


def visible_ids(data_dir: Path, gen: int) -> set[str]:
    with sqlite3.connect(f"file:{data_dir / 'newsdesk.sqlite3'}?mode=ro", uri=True) as db:
        return {r[0] for r in db.execute(
            "SELECT article_id FROM articles WHERE gen_added <= ? AND (gen_removed IS NULL OR gen_removed > ?)",
            (gen, gen))}


def embeddings(data_dir: Path) -> int:
    with sqlite3.connect(f"file:{data_dir / 'newsdesk.sqlite3'}?mode=ro", uri=True) as db:
        return db.execute("SELECT count(*) FROM embeddings").fetchone()[0]


def start_update(data_dir: Path, *paths: Path, embed_chunk: str = "1024") -> subprocess.Popen:
    env = {**os.environ, "NEWSDESK_DATA": str(data_dir), "HF_HUB_OFFLINE": "1", "NEWSDESK_EMBED_CHUNK": embed_chunk}
    return subprocess.Popen([NEWSDESK, "index", "add", "--quiet", *map(str, paths)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_updates_killed_at_any_moment_never_disturb_the_readers(tmp_path, model_encoder):
    data_dir = tmp_path / "data"
    pipeline.add([SAMPLES], Settings(data_dir=data_dir), encoder=model_encoder, quiet=True)
    batches = [batch(tmp_path / f"b{i}.jsonl", i) for i in range(3)]
    searcher = Searcher(IndexReader(data_dir), model_encoder)
    failures: list[str] = []
    answered: list[int] = []
    stop = threading.Event()

    def reader():
        while not stop.is_set():
            try:
                answer = searcher.ask("what was reported about Rovno?", limit=5)
                ids = {h.citation.article_id for h in answer.hits} | {c.article_id for h in answer.hits for c in h.also}
                missing = ids - visible_ids(data_dir, answer.generation)
                if not answer.hits or not answer.hits[0].citation.article_id.startswith("kl-2024-1207-rovno") or missing:
                    failures.append(f"generation {answer.generation}: {sorted(ids)} missing {sorted(missing)}")
                answered.append(answer.generation)
            except Exception as error:  # the test's point: nothing may fail while updates run
                failures.append(repr(error))

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    try:
        served = generations.current_generation(data_dir)
        # 1. killed while starting up (model loading)
        process = start_update(data_dir, batches[0])
        time.sleep(1.0)
        process.send_signal(signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL
        # 2. killed while embedding, after some embeddings were committed
        before = embeddings(data_dir)
        process = start_update(data_dir, batches[0], embed_chunk="32")
        while embeddings(data_dir) == before and process.poll() is None:
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL
        # 3. killed right after its embeddings were committed: while writing rows and publishing
        before = embeddings(data_dir)
        process = start_update(data_dir, batches[0], batches[1])
        while embeddings(data_dir) == before and process.poll() is None:
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        assert process.wait(30) == -signal.SIGKILL  # it had not finished publishing
        assert generations.current_generation(data_dir) == served  # nothing half-done was published
        assert IndexReader(data_dir).snapshot().generation == served  # still intact and queryable
        # 4. the next update completes the work, without duplicates
        done = start_update(data_dir, *batches)
        out, err = done.communicate(timeout=600)
        assert done.returncode == 0, err
    finally:
        time.sleep(1.0)
        stop.set()
        thread.join(30)
    assert failures == []
    assert len(answered) > 20 and max(answered) > 1
    final = IndexReader(data_dir).snapshot()
    assert final.manifest.articles == 36 + 3 * 36 * 4
    with sqlite3.connect(data_dir / "newsdesk.sqlite3") as db:
        live = db.execute("SELECT count(*), count(DISTINCT key) FROM articles WHERE gen_removed IS NULL").fetchone()
        passages = db.execute("SELECT count(*), count(DISTINCT article || ':' || seq) FROM passages p"
                              " JOIN articles a ON a.rowid = p.article WHERE a.gen_removed IS NULL").fetchone()
    assert live == (36 + 432, 36 + 432)
    assert passages[0] == passages[1] == final.manifest.passages
    assert len(final.index.vectors) == final.manifest.passages
