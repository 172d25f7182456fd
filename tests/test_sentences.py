"""Sentence vectors stored at index time (index.sentences, schema 8): what the bold sentence chosen by
meaning reads instead of calling the model at question time."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import numpy as np

from index import migrations, pipeline, sentences
from index.engines.faiss import IndexReader
from index.schema import DB_NAME
from index.settings import Settings
from index.store_reader import StoreReader
from retrieval import citing, highlight
from retrieval.search import Searcher
from tests.support import HashingEncoder
from tests.test_duplicates import ARTICLES, EDITED, OTHER, WIRE, write


class Counted:
    """An encoder that says how many texts each call encoded: what a question made the model do."""

    def __init__(self, encoder) -> None:
        self.encoder, self.name, self.backend = encoder, encoder.name, getattr(encoder, "backend", "custom")
        self.calls: list[int] = []

    @property
    def dimension(self) -> int:
        return self.encoder.dimension

    def encode(self, texts, batch_size=64):
        self.calls.append(len(texts))
        return self.encoder.encode(texts, batch_size)

    def encode_queries(self, texts, batch_size=64):
        return self.encoder.encode_queries(texts, batch_size)


def stored(data_dir) -> set[str]:
    with closing(sqlite3.connect(data_dir / DB_NAME)) as db:
        return {key for (key,) in db.execute("SELECT text_hash FROM sentence_vectors")}


def passage_texts(data_dir) -> list[str]:
    return list(migrations.unvectored_sentences(StoreReader.open(data_dir).db))


def test_a_vector_is_stored_as_int8_steps_of_its_largest_value():
    vectors = np.array([[1.0, -0.5, 0.25, 0.0], [0.0, 0.0, 0.0, 0.0]], dtype=np.float32)
    blobs = sentences.pack(vectors)
    assert [len(b) for b in blobs] == [8, 8]  # a float32 scale and four int8 values
    np.testing.assert_array_equal(sentences.unpack(blobs),
                                  np.array([[1.0, -64 / 127, 32 / 127, 0.0], [0, 0, 0, 0]], dtype=np.float32))


def test_each_sentence_is_encoded_once_when_indexed_and_only_new_ones_later(tmp_path):
    settings = Settings(data_dir=tmp_path / "index")
    pipeline.add([write(tmp_path / "a.jsonl", ARTICLES)], settings, encoder=HashingEncoder(), quiet=True)
    wanted = sentences.of_passages(passage_texts(settings.data_dir))
    # ten sentences in four articles, two of them the same wire copy and one an edit of two of its three
    # sentences: six to store
    assert (len(wanted), stored(settings.data_dir)) == (6, set(wanted))
    encoder = HashingEncoder()
    again = pipeline.add([write(tmp_path / "a.jsonl", ARTICLES)], settings, encoder=encoder, quiet=True)
    assert (again.passages_embedded, again.sentences_embedded, encoder.calls) == (0, 0, [])
    new = "Bank shares fell in early trading while government bond yields dropped to their lowest level in a year."
    extra = [*ARTICLES, ("xw-new", "Extra Wire", "2025-02-20T09:00:00Z", "Yields at a low",
                         f"Traders were surprised. {new}")]
    later = pipeline.add([write(tmp_path / "a.jsonl", extra)], settings, encoder=HashingEncoder(), quiet=True)
    assert (later.passages_embedded, later.sentences_embedded) == (1, 1)  # WIRE's last sentence is stored


def test_an_index_from_before_sentence_vectors_is_served_and_its_sentences_encoded_once(tmp_path):
    settings = Settings(data_dir=tmp_path / "index")
    archive = write(tmp_path / "a.jsonl", ARTICLES)
    pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    count = len(stored(settings.data_dir))
    with closing(sqlite3.connect(settings.data_dir / DB_NAME)) as db:
        db.executescript("DROP TABLE sentence_vectors; UPDATE meta SET value = '7' WHERE key = 'schema_version';")
    snapshot = IndexReader(settings.data_dir).snapshot()  # schema 7 is still served
    assert (snapshot.generation, snapshot.sentence_vectors([sentences.key(OTHER)])) == (1, {})
    encoder = Counted(HashingEncoder())
    searcher = Searcher(IndexReader(settings.data_dir), encoder)
    assert searcher.ask("dock workers pay", limit=1).hits[0].citation.article_id == "hb-port"
    # the bold sentence by meaning encodes what it compares, as before schema 8
    found = citing.sentence_vectors(searcher.plan("dock workers pay"))([OTHER, OTHER], 8)
    np.testing.assert_array_equal(found, HashingEncoder().encode([OTHER, OTHER]))
    assert encoder.calls == [1]
    summary = pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    assert (summary.passages_embedded, summary.sentences_embedded, len(stored(settings.data_dir))) == (0, count, count)
    assert pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True).sentences_embedded == 0


def test_the_sentences_compared_by_meaning_are_read_not_encoded(sample_dir, model_encoder):
    encoder = Counted(model_encoder)
    plan = Searcher(IndexReader(sample_dir), encoder).plan("flooding after heavy rain")
    texts = passage_texts(sample_dir)
    read = citing.sentence_vectors(plan)
    encoded = lambda found, batch: model_encoder.encode(found, batch)  # noqa: E731 (as before schema 8)
    # every passage of the archive gets the sentence the model would choose at question time
    assert highlight.dense_best(texts, plan.vector, read) == highlight.dense_best(texts, plan.vector, encoded)
    assert encoder.calls == []
    some = [s for text in texts[:3] for s in sentences.sentences(text)]
    vectors = read(some, 8)
    cosines = np.sum(vectors * model_encoder.encode(some, 8), axis=1) / np.linalg.norm(vectors, axis=1)
    assert cosines.min() > 0.9999, cosines.min()


def uses(data_dir) -> dict[str, int]:
    with closing(sqlite3.connect(data_dir / DB_NAME)) as db:
        return dict(db.execute("SELECT text_hash, passages FROM sentence_uses"))


def test_a_sentence_vector_goes_with_the_last_passage_that_has_it(tmp_path):
    settings = Settings(data_dir=tmp_path / "index", keep_generations=1, keep_seconds=0)
    pipeline.add([write(tmp_path / "a.jsonl", ARTICLES)], settings, encoder=HashingEncoder(), quiet=True)
    first, second, third = sentences.sentences(WIRE)
    edited_first, _, edited_third = sentences.sentences(EDITED)
    key = sentences.key
    # one passage an article: WIRE's sentences in two (the wire copy and its later template), the
    # second of them also in the edit
    assert uses(settings.data_dir) == {key(first): 2, key(second): 3, key(third): 2, key(edited_first): 1,
                                       key(edited_third): 1, key(OTHER): 1}
    new = "Rates were left unchanged."
    changed = [ARTICLES[0], (*ARTICLES[1][:4], new), ARTICLES[2], (*ARTICLES[3][:4], WIRE)]
    pipeline.add([write(tmp_path / "a.jsonl", changed)], settings, encoder=HashingEncoder(), quiet=True)
    # generation 1's edit and port report are forgotten (one generation kept): their sentences no
    # other passage has go with them, the port report's new body counts WIRE's sentences once more
    kept = {key(first): 3, key(second): 3, key(third): 3, key(new): 1}
    assert (uses(settings.data_dir), stored(settings.data_dir)) == (kept, set(kept))


def test_an_archive_of_schema_8_counts_its_sentences_and_drops_the_vectors_none_has(tmp_path):
    settings = Settings(data_dir=tmp_path / "index", keep_generations=1, keep_seconds=0)
    archive = write(tmp_path / "a.jsonl", ARTICLES)
    pipeline.add([archive], settings, encoder=HashingEncoder(), quiet=True)
    counted = uses(settings.data_dir)
    with closing(sqlite3.connect(settings.data_dir / DB_NAME)) as db, db:
        # schema 8 kept the vector of a sentence whose passages were forgotten, and counted nothing
        db.execute("INSERT INTO sentence_vectors(text_hash, vector) VALUES ('stale', x'00')")
        db.executescript("DELETE FROM sentence_uses; UPDATE meta SET value = '8' WHERE key = 'schema_version';")
    extra = ("xw-new", "Extra Wire", "2025-02-20T09:00:00Z", "Yields at a low", "Traders were surprised.")
    pipeline.add([write(tmp_path / "a.jsonl", [*ARTICLES, extra])], settings, encoder=HashingEncoder(), quiet=True)
    assert uses(settings.data_dir) == {**counted, sentences.key("Traders were surprised."): 1}
    assert stored(settings.data_dir) == set(counted) | {sentences.key("Traders were surprised.")}
