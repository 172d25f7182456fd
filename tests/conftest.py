from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from index import pipeline  # noqa: E402
from index.encoder import SentenceTransformerEncoder, export_onnx  # noqa: E402
from index.settings import DEFAULT_BACKEND, MINILM_MODEL, MULTILINGUAL_MODEL, Settings, user_model_cache  # noqa: E402
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


@pytest.fixture(scope="session", autouse=True)
def _model_cache(tmp_path_factory):
    """One model cache for the whole run, as a machine has one: the platform's user cache directory
    (XDG_CACHE_HOME) pointed at a directory of the run's, so that nothing the suite builds outlives it
    and subprocesses (`newsdesk bot`) find the same. NEWSDESK_TEST_CACHE reuses a cache across runs
    while developing."""
    cache = os.environ.get("NEWSDESK_TEST_CACHE") or str(tmp_path_factory.mktemp("user-cache"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", cache)
        patch.delenv("NEWSDESK_MODEL_CACHE", raising=False)
        yield user_model_cache()


# The multilingual model is built and exported once for the whole run (about a minute), whichever
# test modules use it.
@pytest.fixture(scope="session")
def e5_cache(_model_cache):
    """The run's model cache with the rebuilt model and its onnx-int8 export in it."""
    export_onnx(MULTILINGUAL_MODEL, DEFAULT_BACKEND, _model_cache)  # builds the sentence-transformers model first
    return _model_cache


@pytest.fixture
def e5_data(tmp_path, e5_cache):
    """A new data directory on a machine whose model cache already holds the default model."""
    return tmp_path / "data"
