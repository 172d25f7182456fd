"""Step 4 of the pipeline on a Ray cluster: embedding a large backfill across machines.

`newsdesk index add --ray ADDRESS` (or NEWSDESK_RAY) hands the passage texts that have no embedding yet
to Ray Data: `map_batches` with one encoder per worker (an actor that loads the model and backend the
index records, once), and the driver writes each batch of vectors into the embeddings table as it comes
back, one transaction a batch. Everything else (reading, the writer lock, rows, publishing) stays on the
machine that runs the command, so crash safety is unchanged: a dying worker loses at most the batch it
held (Ray retries it), a dying driver loses what it had not written, and a rerun embeds only what is
still missing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from tqdm import tqdm

from index.settings import Settings

# Texts per Ray batch: a worker encodes this many between two results (and loses at most this many)
RAY_BATCH = 256
CHUNK = 100_000  # texts handed to Ray Data at once
WORKER_CPUS = 1  # CPUs (and threads) per encoder actor: one actor per CPU of the cluster


class EncodeBatch:
    """A Ray Data actor: one encoder per worker, loaded once, encoding batches of {"hash", "text"}."""

    def __init__(self, model: str, device: str, backend: str, cache_dir: str, batch_size: int, threads: int = 1) -> None:
        from index.encoder import SentenceTransformerEncoder, serve_queries

        serve_queries(threads)  # the CPUs Ray gave this worker, no more: torch and ONNX Runtime threads alike

        directory = Path(cache_dir)
        if not directory.is_dir():  # another machine: its own cache of the exported model
            directory = Path(tempfile.gettempdir()) / "newsdesk-ray"
        self.encoder = SentenceTransformerEncoder(model, device, backend, directory)
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        vectors = self.encoder.encode([str(t) for t in batch["text"]], batch_size=self.batch_size)
        return {"hash": batch["hash"], "vector": vectors}


def connect(address: str) -> None:
    """Join the cluster at `address` ("auto", "host:6379" or "ray://host:10001") once per process."""
    import ray

    if not ray.is_initialized():
        ray.init(address=address, log_to_driver=False, include_dashboard=False, configure_logging=False)


def workers() -> int:
    import ray

    return max(1, int(ray.cluster_resources().get("CPU", 1)) // WORKER_CPUS)


def encode(texts: dict[str, str], settings: Settings, backend: str, batch: int = RAY_BATCH):
    """(hashes, vectors) batches of `texts` (hash -> text) encoded on the cluster, as they finish."""
    import ray

    connect(settings.ray_address)
    # the model built (e5) and exported (ONNX) once here, not in every worker at the same moment
    from index.encoder import prepare

    prepare(settings.model, backend, settings.models_home)
    # longest first, as locally: batches of similar length waste no padding
    order = sorted(texts, key=lambda h: len(texts[h]), reverse=True)
    n = workers()
    for start in range(0, len(order), CHUNK):  # the driver holds one chunk of texts at a time
        part = order[start : start + CHUNK]
        dataset = ray.data.from_items([{"hash": h, "text": texts[h]} for h in part],
                                      override_num_blocks=max(1, min(len(part) // batch, 1000)))
        encoded = dataset.map_batches(
            EncodeBatch, batch_size=batch, batch_format="numpy", num_cpus=WORKER_CPUS,
            compute=ray.data.ActorPoolStrategy(size=min(n, max(1, len(part) // batch))),
            fn_constructor_kwargs={"model": settings.model, "device": settings.device, "backend": backend,
                                   "cache_dir": str(Path(settings.models_home).resolve()),
                                   "batch_size": settings.batch_size, "threads": WORKER_CPUS})
        for result in encoded.iter_batches(batch_size=batch, batch_format="numpy", prefetch_batches=1):
            yield [str(h) for h in result["hash"]], np.asarray(np.stack(result["vector"]), dtype=np.float32)


def embed_missing(store, texts: dict[str, str], settings: Settings, backend: str, quiet: bool = False) -> int:
    """Step 4 on Ray: encode the texts with no stored embedding; each batch is committed as it arrives."""
    missing = store.read.missing_embeddings(texts)
    if not missing:
        return 0
    done = 0
    with tqdm(total=len(missing), unit="passage", desc="embedding (ray)", disable=True if quiet else None) as bar:
        for hashes, vectors in encode({h: texts[h] for h in missing}, settings, backend):
            store.put_embeddings(hashes, vectors)
            done += len(hashes)
            bar.update(len(hashes))
    return done
