"""Index types by size, `index rebuild`, and the encoder backends recorded with the index."""

import json
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from bot.cli import main
from index import generations, pipeline
from index.engines import faiss as vectors
from index.encoder import (SentenceTransformerEncoder, ServingEncoder, default_backend, has_amx, load_model, onnx_dir,
                           onnx_file)
from index.errors import IndexTypeError, ModelMismatch, SettingsError
from index.engines.faiss import IndexReader
from index.settings import DEFAULT_MODEL, MINILM_MODEL, Settings
from tests.support import SAMPLES, HashingEncoder

TYPES = ["IDMap2,Flat", "IDMap2,SQfp16", "IVF16,SQ8 nprobe=2", "HNSW16 efSearch=16", "IDMap2,HNSW16,SQ8"]


def clustered(n: int, dimension: int = 32, seed: int = 3) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((20, dimension)).astype(np.float32)
    points = centres[rng.integers(20, size=n)] + 0.3 * rng.standard_normal((n, dimension)).astype(np.float32)
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def exact(points: np.ndarray, ids: np.ndarray, query: np.ndarray, among: np.ndarray) -> list[int]:
    rows = np.flatnonzero(np.isin(ids, among))
    return [int(ids[r]) for r in rows[np.argsort(-(points[rows] @ query))]]


def test_the_index_type_follows_the_archive_size():
    assert vectors.choose(1_000) == "IDMap2,SQfp16"
    assert vectors.choose(100_000) == "IDMap2,SQfp16"
    assert vectors.choose(100_001) == "IVF512,SQ8 nprobe=16"
    assert vectors.choose(200_000) == "IVF1024,SQ8 nprobe=16"
    assert vectors.choose(1_000_000) == "IVF2048,SQ8 nprobe=32"
    assert vectors.choose(5_000_000) == "IVF4096,SQ8 nprobe=64"
    assert vectors.resolve("auto", 1_000_000) == vectors.resolve(None, 1_000_000) == "IVF2048,SQ8 nprobe=32"
    assert vectors.resolve("IDMap2,HNSW32", 1_000_000) == "IDMap2,HNSW32"


@pytest.mark.parametrize("spec", TYPES)
def test_every_index_type_finds_a_stored_vector_and_honours_a_filter(spec, tmp_path):
    points = clustered(2_000)
    ids = np.arange(2_000, dtype=np.int64) * 3 + 7  # passage ids are not row numbers
    vectors.save(vectors.build(ids, points, 32, spec), tmp_path / "v.faiss")
    index = vectors.FaissVectors(vectors.load(tmp_path / "v.faiss"))
    assert len(index) == 2_000
    assert index.search(points[500], 1)[0][0] == int(ids[500])
    among = ids[[3, 40, 41, 900, 1500, 1999]]
    found = index.search(points[500], 10, allowed=among)
    assert {i for i, _ in found} == set(int(i) for i in among)  # all of them, however narrow the filter
    assert found[0][0] == exact(points, ids, points[500], among)[0]
    assert index.search(points[500], 10, allowed=np.array([], dtype=np.int64)) == []


@pytest.mark.parametrize("spec", TYPES)
def test_a_filter_of_many_ids_uses_a_bitmap_with_the_same_answers(spec, monkeypatch):
    points = clustered(2_000)
    ids = np.arange(2_000, dtype=np.int64) * 3 + 7
    index = vectors.FaissVectors(vectors.build(ids, points, 32, spec))
    among = ids[::3]
    hashed = index.search(points[500], 10, allowed=among)
    monkeypatch.setattr(vectors, "BITMAP_FROM", 1)
    monkeypatch.setattr(vectors, "EXACT_AMONG_UP_TO", 0)
    selector, bits = vectors.selector_for(among)
    assert isinstance(selector, vectors.faiss.IDSelectorBitmap) and len(bits) == (int(among.max()) + 1 + 7) // 8
    assert [selector.is_member(int(i)) for i in (among[0], among[0] + 3, among[-1])] == [True, False, True]
    bitmapped = index.search(points[500], 10, allowed=among)
    assert all(i in set(among.tolist()) for i, _ in bitmapped)
    if "HNSW" not in spec:  # HNSW answered exactly among them above, through its graph here
        assert bitmapped == hashed


def test_search_parameters_are_kept_in_the_file(tmp_path):
    points = clustered(2_000)
    ids = np.arange(2_000, dtype=np.int64)
    vectors.save(vectors.build(ids, points, 32, "IVF16,SQ8 nprobe=5"), tmp_path / "v.faiss")
    assert vectors.FaissVectors(vectors.load(tmp_path / "v.faiss")).ivf.nprobe == 5


def test_a_wide_filter_on_hnsw_goes_through_the_graph_with_a_larger_beam(monkeypatch):
    monkeypatch.setattr(vectors, "EXACT_AMONG_UP_TO", 10)
    points = clustered(2_000)
    ids = np.arange(2_000, dtype=np.int64)
    index = vectors.FaissVectors(vectors.build(ids, points, 32, "HNSW16 efSearch=16"))
    among = ids[::2]  # every other passage
    found = index.search(points[501], 5, allowed=among)
    assert [i for i, _ in found] == exact(points, ids, points[501], among)[:5]
    assert all(i % 2 == 0 for i, _ in found)


def test_index_types_that_cannot_be_built_say_why():
    points = clustered(100)
    ids = np.arange(100, dtype=np.int64)
    with pytest.raises(IndexTypeError, match=r"^'Nonsense7' is not a FAISS index type this index can use"):
        vectors.build(ids, points, 32, "Nonsense7")
    with pytest.raises(IndexTypeError, match=r"^'IVF256,SQ8' needs at least 256 passages to train on; this archive has 100\.$"):
        vectors.build(ids, points, 32, "IVF256,SQ8")
    with pytest.raises(IndexTypeError, match=r"^'nprobe=x' are not search parameters of 'IVF4,SQ8'"):
        vectors.build(ids, points, 32, "IVF4,SQ8 nprobe=x")


def settings_for(tmp_path, **overrides):
    return Settings(data_dir=tmp_path / "data", model=HashingEncoder.name, **overrides)


def embeddings(data_dir) -> int:
    with sqlite3.connect(data_dir / "newsdesk.sqlite3") as db:
        return db.execute("SELECT count(*) FROM embeddings").fetchone()[0]


def test_rebuild_republishes_from_stored_embeddings_and_the_type_sticks(tmp_path):
    settings = settings_for(tmp_path)
    encoder = HashingEncoder()
    pipeline.add([SAMPLES], settings, encoder=encoder, quiet=True)
    stored, calls = embeddings(settings.data_dir), list(encoder.calls)
    reader = IndexReader(settings.data_dir)
    before = reader.snapshot().dense(encoder.encode(["Rovno"])[0], 3)

    summary = pipeline.rebuild(settings, "IVF4,SQ8 nprobe=4")
    snapshot = reader.snapshot()
    assert (summary.generation, summary.passages_embedded) == (2, 0)
    assert (snapshot.manifest.index_type, snapshot.manifest.passages, snapshot.manifest.articles) == (
        "IVF4,SQ8 nprobe=4", 72, 36)
    assert embeddings(settings.data_dir) == stored
    assert [i for i, _ in snapshot.dense(encoder.encode(["Rovno"])[0], 3)] == [i for i, _ in before]

    (tmp_path / "more.jsonl").write_text('{"id": "n1", "title": "New", "body": "A new report about Oskil."}\n')
    pipeline.add([tmp_path / "more.jsonl"], settings, encoder=encoder, quiet=True)
    assert reader.snapshot().manifest.index_type == "IVF4,SQ8 nprobe=4"  # kept for later updates
    assert pipeline.rebuild(settings, "auto").generation == 4
    assert reader.snapshot().manifest.index_type == "IDMap2,SQfp16"
    assert encoder.calls == calls + [1, 1, 1, 1]  # the two queries above, the one new passage and its sentence


def test_index_rebuild_command(capsys, tmp_path):
    settings = settings_for(tmp_path)
    pipeline.add([SAMPLES], settings, encoder=HashingEncoder(), quiet=True)
    data = str(settings.data_dir)
    code = main(["index", "rebuild", "--index-type", "HNSW16 efSearch=32", "--data-dir", data])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith("rebuilt generation 2: 72 passages, index type HNSW16 efSearch=32; ")
    assert main(["index", "rebuild", "--index-type", "IVF4096,PQ8", "--data-dir", data]) == 1
    assert capsys.readouterr().err == (
        "error: 'IVF4096,PQ8' needs at least 4096 passages to train on; this archive has 72.\n")
    assert main(["index", "rebuild", "--data-dir", str(tmp_path / "empty")]) == 1
    assert capsys.readouterr().err == (
        f"error: There is no index in {tmp_path / 'empty'} yet: run `newsdesk index add PATH` first.\n")


def test_backend_setting_is_checked():
    assert Settings.from_env({"NEWSDESK_BACKEND": "onnx-int8"}).backend == "onnx-int8"
    assert Settings.from_env({}).backend is None
    with pytest.raises(SettingsError) as error:
        Settings.from_env({"NEWSDESK_BACKEND": "tensorrt"})
    assert str(error.value) == "NEWSDESK_BACKEND must be one of torch, torch-bf16, onnx, onnx-int8, got 'tensorrt'."
    assert Settings.from_env({"NEWSDESK_INDEX_TYPE": " IVF1024,SQ8 "}).index_type == "IVF1024,SQ8"


def test_a_manifest_from_before_backends_reads_as_torch(tmp_path):
    fields = {"generation": 1, "schema_version": 1, "model": "m", "dimension": 3, "index_type": "IDMap2,Flat",
              "articles": 1, "passages": 1, "created_at": "2026-01-01T00:00:00+00:00"}
    (tmp_path / generations.MANIFEST).write_text(json.dumps(fields))
    assert generations.Manifest.read(tmp_path).backend == "torch"


def test_an_index_keeps_the_backend_it_was_embedded_with(tmp_path, model_encoder):
    data_dir = tmp_path / "data"
    pipeline.add([SAMPLES], Settings(data_dir=data_dir), encoder=model_encoder, quiet=True)
    assert IndexReader(data_dir).snapshot().manifest.backend == "torch"
    with pytest.raises(ModelMismatch) as error:  # refused before anything is encoded
        pipeline.add([SAMPLES], Settings(data_dir=data_dir, backend="onnx-int8"), quiet=True)
    assert str(error.value) == (
        f"The index in {data_dir} was embedded with the torch backend, not onnx-int8: "
        "unset NEWSDESK_BACKEND (or set it to torch), or index into another --data-dir.")

    serving = ServingEncoder(Settings(data_dir=data_dir))  # NEWSDESK_BACKEND unset: the index's own
    assert serving.backend == "torch"
    assert np.array_equal(serving.encode(["Rovno"]), model_encoder.encode(["Rovno"]))
    with pytest.raises(ModelMismatch, match=r"embedded with the torch backend, not onnx:"):
        ServingEncoder(Settings(data_dir=data_dir, backend="onnx")).encode(["Rovno"])
    with pytest.raises(ModelMismatch, match=r"built with the model 'sentence-transformers/all-MiniLM-L6-v2', not 'other'"):
        ServingEncoder(Settings(data_dir=data_dir, model="other")).encode(["Rovno"])


@pytest.mark.slow
@pytest.mark.parametrize("backend,closest", [("onnx", 0.9999), ("onnx-int8", 0.96)])
def test_onnx_backends_export_once_offline_and_agree_with_torch(backend, closest, tmp_path, model_encoder):
    texts = ["What was reported about Rovno?", "Oil prices rose after OPEC cut output.",
             "The central bank left its key rate unchanged at 4.5 percent."]
    encoder = SentenceTransformerEncoder(MINILM_MODEL, "cpu", backend, tmp_path)
    vectors_ = encoder.encode(texts)
    exported = onnx_dir(tmp_path, MINILM_MODEL, backend) / onnx_file(backend)
    assert exported.parent.parent == tmp_path / "models" / f"sentence-transformers--all-MiniLM-L6-v2-{backend}"
    assert exported.exists()
    assert sorted(p.name for p in exported.parent.iterdir()) == [exported.name]  # int8 keeps only its own file
    assert vectors_.shape == (3, 384) and vectors_.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors_, axis=1), 1.0, atol=1e-5)
    assert ((vectors_ * model_encoder.encode(texts)).sum(axis=1) >= closest).all()
    made = exported.stat().st_mtime_ns

    load_model.cache_clear()
    SentenceTransformerEncoder(MINILM_MODEL, "cpu", backend, tmp_path).encode(texts[:1])
    assert exported.stat().st_mtime_ns == made  # the cached export, not a second one


def test_torch_bf16_computes_in_bfloat16_and_keeps_float32s_vectors(model_encoder):
    texts = ["What was reported about Rovno?", "Oil prices rose after OPEC cut output.",
             "The central bank left its key rate unchanged at 4.5 percent."]
    bf16 = SentenceTransformerEncoder(MINILM_MODEL, "cpu", "torch-bf16")
    assert bf16.model is load_model(MINILM_MODEL, "cpu", "torch", None)  # torch's weights: only the arithmetic differs
    floats, vectors_ = model_encoder.encode(texts), bf16.encode(texts)
    assert vectors_.dtype == np.float32 and not np.array_equal(vectors_, floats)
    assert np.allclose(np.linalg.norm(vectors_, axis=1), 1.0, atol=1e-5)
    assert ((vectors_ * floats).sum(axis=1) >= 0.9999).all()
    assert np.array_equal(model_encoder.encode(texts), floats)  # bfloat16 stays inside bf16's calls


@pytest.mark.skipif(not Path("/proc/cpuinfo").exists(), reason="the CPU's flags are read from Linux's /proc/cpuinfo")
def test_the_default_backend_is_the_faster_one_on_this_cpu():
    amx = "amx_bf16" in Path("/proc/cpuinfo").read_text().split()
    assert has_amx() is amx
    assert default_backend() == ("torch-bf16" if amx else "onnx-int8")


@pytest.mark.slow
def test_a_new_index_uses_the_default_model_and_backend_end_to_end(e5_data):
    data_dir = e5_data  # the model cache holds the session's build of the default model
    summary = pipeline.add([SAMPLES], Settings(data_dir=data_dir), quiet=True)
    assert summary.generation == 1
    snapshot = IndexReader(data_dir).snapshot()
    assert (snapshot.manifest.model, snapshot.manifest.backend) == (DEFAULT_MODEL, default_backend())
    serving = ServingEncoder(Settings(data_dir=data_dir))
    [(top, _)] = snapshot.dense(serving.encode_queries(["Rovno came under Russian control"])[0], 1)
    assert snapshot.passages([top])[top].article_id == "kl-2024-1207-rovno"
