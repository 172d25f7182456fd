from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from index import pipeline  # noqa: E402
from index import e5_model  # noqa: E402
from index.encoder import SentenceTransformerEncoder, export_onnx, onnx_dir  # noqa: E402
from index.settings import DEFAULT_BACKEND, MINILM_MODEL, MULTILINGUAL_MODEL, Settings  # noqa: E402
from tests.support import QRELS, REUTERS, SAMPLES, SEED  # noqa: E402


@pytest.fixture(scope="session")
def model_encoder() -> SentenceTransformerEncoder:
    """The real packaged all-MiniLM-L6-v2, loaded once for the session."""
    return SentenceTransformerEncoder(MINILM_MODEL)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory, model_encoder):
    """The bundled sample archive indexed with the real model (read-only for tests)."""
    data_dir = tmp_path_factory.mktemp("sample-index")
    pipeline.add([SAMPLES], Settings(data_dir=data_dir), encoder=model_encoder, quiet=True)
    return data_dir


@pytest.fixture(scope="session")
def reuters_slice(tmp_path_factory, model_encoder):
    """The Reuters articles relevant to any judged question (bench/qrels/reuters*.jsonl) plus 1,500 others
    (about 2,700 passages), indexed with the real model: small enough for CI, big enough to rank."""
    import json

    from retrieval.evaluate import load_qrels

    if not REUTERS.exists():
        pytest.skip(f"the Reuters archive is not at {REUTERS} (../shared/data is absent)")
    wanted = set().union(*(j.relevant for path in sorted(QRELS.parent.glob("reuters*.jsonl"))
                           for j in load_qrels(path)))
    lines = REUTERS.read_text().splitlines()
    chosen = [line for line in lines if json.loads(line)["id"] in wanted]
    chosen += [line for line in lines if json.loads(line)["id"] not in wanted][:1500]
    data_dir = tmp_path_factory.mktemp("reuters-slice")
    (data_dir / "slice.jsonl").write_text("\n".join(chosen) + "\n")
    pipeline.add([data_dir / "slice.jsonl"], Settings(data_dir=data_dir / "index"), encoder=model_encoder, quiet=True)
    return data_dir / "index"


@pytest.fixture
def needs_seed():
    if not SEED.exists():
        pytest.skip(f"the seed article is not at {SEED} (../shared/data is absent)")
    return SEED


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch):
    """httpx honours *_PROXY variables; the tests' local servers must be reached directly."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)


# The multilingual model is built and exported once for the whole run (about a minute), whichever
# test modules use it.
@pytest.fixture(scope="session")
def e5_cache(tmp_path_factory):
    """A DATA_DIR's models/ with the rebuilt model and its onnx-int8 export, made once for the session."""
    cache = tmp_path_factory.mktemp("e5-models")
    export_onnx(MULTILINGUAL_MODEL, DEFAULT_BACKEND, cache)  # builds the sentence-transformers model first
    return cache


@pytest.fixture
def e5_data(tmp_path, e5_cache):
    """A new data directory whose models/ already holds the session's build (as a deployed image would)."""
    data = tmp_path / "data"
    (data / "models").mkdir(parents=True)
    for built in (e5_model.model_dir(e5_cache), onnx_dir(e5_cache, MULTILINGUAL_MODEL, DEFAULT_BACKEND)):
        (data / "models" / built.name).symlink_to(built, target_is_directory=True)
    return data
