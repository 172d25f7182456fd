from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from index import pipeline  # noqa: E402
from index.encoder import SentenceTransformerEncoder  # noqa: E402
from index.settings import DEFAULT_MODEL, Settings  # noqa: E402
from tests.support import SAMPLES, SEED  # noqa: E402


@pytest.fixture(scope="session")
def model_encoder() -> SentenceTransformerEncoder:
    """The real packaged all-MiniLM-L6-v2, loaded once for the session."""
    return SentenceTransformerEncoder(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory, model_encoder):
    """The bundled sample archive indexed with the real model (read-only for tests)."""
    data_dir = tmp_path_factory.mktemp("sample-index")
    pipeline.add([SAMPLES], Settings(data_dir=data_dir), encoder=model_encoder, quiet=True)
    return data_dir


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
