"""The default engine: FAISS for dense search, FTS5 (in the SQLite archive) for lexical search.

Each generation is a FAISS file in its directory (`VECTORS`), built from the stored embeddings, keyed by
passage id; BM25 and the filters read the generation's rows. Nothing outside the data directory.

The index type follows the archive's size (`choose`): exact flat search while it is small, an inverted
file with 8-bit scalar quantisation (a quarter of the memory) when it is large; bench/vector_layer.py
measured where the line goes. An index type is a FAISS factory string, optionally followed by search
parameters in FAISS's ParameterSpace syntax, e.g. "IVF2048,SQ8 nprobe=32" or "IDMap2,HNSW32 efSearch=64".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import faiss
import numpy as np

from index import generations
from index.engines.snapshot import FollowsCurrent, Snapshot
from index.errors import IndexNotReady, IndexTypeError
from index.settings import Settings
from index.store import Store
from index.store_reader import Readers

VECTORS = "vectors.faiss"  # in the generation's directory

# Exact inner product (vectors are normalised, so this is cosine) over the float16 vectors the store
# keeps: half Flat's memory and disk, and twice as fast at 27k-100k passages (memory-bound), same ranking.
DEFAULT_FACTORY = "IDMap2,SQfp16"
AUTO = "auto"
FLAT_UP_TO = 100_000  # passages; exact search of 100k took 3.6 ms p50 a question (SQfp16), of 1M 142 ms (Flat)
TRAIN_PER_LIST = 64  # vectors sampled per inverted list to train the coarse quantiser and the SQ8 ranges
EXACT_AMONG_UP_TO = 20_000  # a filter this selective is searched exactly among its own vectors (HNSW)
# One exact search over the union of the subsets a question prefers reads this many hits per hit asked
# of each (FaissVectors.search_each): a subset whose best are not all among them is searched on its own
SHARED_DEPTH = 4
BITMAP_FROM = 4_096  # allowed ids from which a bitmap beats a hash set: 500k ids take 1 ms, not 143 ms


def ivf_lists(n: int) -> int:
    """Inverted lists for n vectors: the power of two nearest 2*sqrt(n), at least 64."""
    return max(64, 2 ** round(math.log2(2 * math.sqrt(max(n, 1)))))


def ivf_nprobe(nlist: int) -> int:
    """Lists visited per question: 1/64 of them, at least 16 (at 1M, 32 of 2048: Recall@10 0.993 against
    exact search, p95 1.6 ms; bench/vector_layer.py)."""
    return min(nlist, max(16, nlist // 64))


def choose(n: int) -> str:
    """The index type for an archive of n passages."""
    if n <= FLAT_UP_TO:
        return DEFAULT_FACTORY
    nlist = ivf_lists(n)
    return f"IVF{nlist},SQ8 nprobe={ivf_nprobe(nlist)}"


def resolve(spec: str | None, n: int) -> str:
    """`spec` as given, or the automatic choice for n passages when it is None or "auto"."""
    return choose(n) if spec in (None, "", AUTO) else spec


def build(ids: np.ndarray, vectors: np.ndarray, dimension: int, spec: str = DEFAULT_FACTORY) -> faiss.Index:
    """An index of `spec` holding `vectors` under `ids`; trained on a sample of them when it needs training."""
    factory, _, parameters = spec.strip().partition(" ")
    try:
        index = faiss.index_factory(dimension, factory, faiss.METRIC_INNER_PRODUCT)
    except RuntimeError as error:
        raise IndexTypeError(f"{factory!r} is not a FAISS index type this index can use ({_first_line(error)}).") from None
    if not _takes_ids(index):  # HNSW and friends store no ids of their own
        index = faiss.IndexIDMap2(index)
    if parameters:
        try:
            faiss.ParameterSpace().set_index_parameters(index, parameters.strip())
        except RuntimeError as error:
            raise IndexTypeError(f"{parameters.strip()!r} are not search parameters of {factory!r} "
                                 f"({_first_line(error)}).") from None
    if len(ids):
        if not index.is_trained:
            ivf = faiss.try_extract_index_ivf(index)
            wanted = TRAIN_PER_LIST * (ivf.nlist if ivf is not None else 256)
            if ivf is not None and len(ids) < ivf.nlist:
                raise IndexTypeError(f"{factory!r} needs at least {ivf.nlist} passages to train on; "
                                     f"this archive has {len(ids)}.")
            sample = vectors
            if len(vectors) > wanted:
                rows = np.sort(np.random.default_rng(0).choice(len(vectors), wanted, replace=False))
                sample = vectors[rows]
            index.train(np.ascontiguousarray(sample, dtype=np.float32))
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))
    return index


def _takes_ids(index: faiss.Index) -> bool:
    return isinstance(index, (faiss.IndexIDMap, faiss.IndexIDMap2)) or faiss.try_extract_index_ivf(index) is not None


def _first_line(error: Exception) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return (lines[-1] if lines else type(error).__name__).rstrip(".")


def save(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))


class FaissVectors:
    """Nearest passages to a query vector, in one published generation."""

    def __init__(self, index: faiss.Index) -> None:
        self.index = index
        self.ivf = faiss.try_extract_index_ivf(index)
        inner = faiss.downcast_index(index.index) if isinstance(index, (faiss.IndexIDMap, faiss.IndexIDMap2)) else index
        self.hnsw = getattr(inner, "hnsw", None)
        # One query at a time: OpenMP threads cost more than they save (2.5 ms vs 6.0 ms for a
        # single search over the 27,678 Reuters passages on 2 cores).
        faiss.omp_set_num_threads(1)

    def __len__(self) -> int:
        return self.index.ntotal

    def search(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        """Nearest passages; with `allowed`, only among those ids (FAISS's IDSelector, no over-fetching).

        An approximate index looks at a share of the archive; a filter leaves fewer candidates in that
        share, so the share grows as the filter narrows (nprobe, efSearch), up to exact search."""
        if self.index.ntotal == 0 or (allowed is not None and not len(allowed)):
            return []
        query = vector.reshape(1, -1).astype(np.float32)
        limit = min(limit, self.index.ntotal)
        params = None
        if allowed is not None:
            allowed = np.asarray(allowed, dtype=np.int64)
            widen = self.index.ntotal / len(allowed)
            selector, _keep = selector_for(allowed)
            if self.ivf is not None:
                params = faiss.SearchParametersIVF(sel=selector, nprobe=min(self.ivf.nlist, math.ceil(self.ivf.nprobe * widen)))
            elif self.hnsw is not None:
                if len(allowed) <= EXACT_AMONG_UP_TO:
                    return self._exact_among(query, allowed, limit)
                params = faiss.SearchParametersHNSW(sel=selector, efSearch=min(4096, math.ceil(self.hnsw.efSearch * widen)))
            else:
                params = faiss.SearchParameters(sel=selector)
        scores, ids = self.index.search(query, limit, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def search_each(self, vector: np.ndarray, limit: int,
                    subsets: Sequence[np.ndarray | None]) -> list[list[tuple[int, float]]]:
        """`search(vector, limit, ids)` for each of `subsets` (None: all), from one search over the
        union of the large ones where the index is exact.

        The union's `SHARED_DEPTH * limit` nearest hold a subset's `limit` nearest whenever its
        `limit`-th is strictly closer than the next of the subset there (or than the last read): then
        no hit the union's search left out, ties included, could be among them, and they are the hits
        its own search finds (the scores are FAISS's, bit for bit, whatever the selector or k). A
        subset whose best are not known so is searched on its own, as is each subset of an
        approximate index: the share of the archive IVF and HNSW look at grows as a filter narrows
        (`search`), so one search over the union would look at another share and find other passages."""
        subsets = list(subsets)
        if len(subsets) < 2 or self.ivf is not None or self.hnsw is not None or self.index.ntotal == 0:
            return [self.search(vector, limit, ids) for ids in subsets]
        whole = any(ids is None for ids in subsets)
        every = self.index.ntotal if whole else len(np.unique(np.concatenate([np.asarray(i) for i in subsets])))
        depth = SHARED_DEPTH * limit
        # a subset is read from the shared search when it can be expected to have twice `limit` hits among
        # its `depth` nearest: a small one (a day, a small outlet) is cheaper searched alone
        shared = [ids is None or len(ids) * SHARED_DEPTH >= 2 * every for ids in subsets]
        if sum(shared) < 2:
            return [self.search(vector, limit, ids) for ids in subsets]
        union = None if whole else np.unique(np.concatenate([np.asarray(ids, dtype=np.int64)
                                                             for ids, share in zip(subsets, shared) if share]))
        size = self.index.ntotal if union is None else len(union)
        depth = min(size, depth)
        read = self.search(vector, depth, union)
        exhausted = depth == size or len(read) < depth  # every passage of the union was read
        ids = np.fromiter((pid for pid, _ in read), dtype=np.int64, count=len(read))
        found = []
        for subset, share in zip(subsets, shared):
            if not share:
                found.append(self.search(vector, limit, subset))
                continue
            if subset is None:
                members = read
            else:
                members = [read[i] for i in np.flatnonzero(np.isin(ids, subset))]
            shown = members[:limit]
            if len(members) > limit:
                known = members[limit - 1][1] > members[limit][1]
            elif len(members) == limit:
                known = exhausted or members[-1][1] > read[-1][1]
            else:
                known = exhausted
            found.append(shown if known else self.search(vector, limit, subset))
        return found

    def _exact_among(self, query: np.ndarray, allowed: np.ndarray, limit: int) -> list[tuple[int, float]]:
        present = allowed[np.isin(allowed, faiss.vector_to_array(self.index.id_map))]
        if not len(present):
            return []
        scores = self.index.reconstruct_batch(present) @ query[0]
        best = np.argsort(-scores, kind="stable")[:limit]
        return [(int(present[i]), float(scores[i])) for i in best]


def selector_for(allowed: np.ndarray) -> tuple[faiss.IDSelector, np.ndarray | None]:
    """FAISS's selector for these ids, and the array it reads (to keep alive while it is used): a hash set
    for a few ids, a bitmap over 0..max(id) for many (passage ids are SQLite rowids: small, positive)."""
    if len(allowed) < BITMAP_FROM or allowed.min() < 0:
        return faiss.IDSelectorBatch(allowed), None
    bits = np.zeros(int(allowed.max()) + 1, dtype=bool)
    bits[allowed] = True
    packed = np.packbits(bits, bitorder="little")
    return faiss.IDSelectorBitmap(len(bits), faiss.swig_ptr(packed)), packed


class FaissIndex:
    """One generation's FAISS vectors, and FTS5 and the filters over its rows."""

    def __init__(self, vectors: FaissVectors, readers: Readers, gen: int) -> None:
        self.vectors = vectors
        self._readers = readers
        self.generation = gen

    def dense(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        return self.vectors.search(vector, limit, allowed)

    def dense_each(self, vector: np.ndarray, limit: int,
                   subsets: Sequence[np.ndarray | None]) -> list[list[tuple[int, float]]]:
        return self.vectors.search_each(vector, limit, subsets)

    def lexical(self, match: str, limit: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        return self._readers.get().lexical(match, self.generation, limit, allowed)

    def allowed(self, sources: tuple[str, ...], since: datetime | None, until: datetime | None) -> np.ndarray:
        return self._readers.get().filtered_ids(self.generation, sources, since, until)

    def close(self) -> None:
        pass  # nothing open but memory


class IndexReader(FollowsCurrent):
    """FAISS + FTS5: each generation is its FAISS file and the database view filtered to it."""

    def _load(self, gen: int) -> Snapshot:
        directory = generations.generation_dir(self.data_dir, gen)
        manifest = generations.Manifest.read(directory)
        if manifest.engine != FaissEngine.name:
            raise IndexNotReady(
                f"Generation {gen} in {self.data_dir} was published for {manifest.engine}: set "
                f"NEWSDESK_ENGINE={manifest.engine}, or run `newsdesk index rebuild` with NEWSDESK_ENGINE=faiss.")
        readers = Readers(self.data_dir)
        index = FaissIndex(FaissVectors(load(directory / VECTORS)), readers, gen)
        return Snapshot(self.data_dir, gen, manifest, index, readers)


class FaissEngine:
    """index.engines.base.Engine for FAISS + FTS5. Its manifest part is empty: the file is in the
    generation's directory, which generations.prune deletes with it."""

    name = "faiss"
    copies_words = False  # FTS5 reads the rows' lemma columns themselves

    def __init__(self, settings: Settings) -> None:
        self.data_dir = settings.data_dir

    def build(self, store: Store, gen: int, dimension: int, index_type: str | None,
              directory: Path) -> tuple[str, dict]:
        """`index_type` None or "auto" is chosen by the number of passages (`choose`)."""
        ids, matrix = store.read.vectors(gen)
        factory = resolve(index_type, len(ids))
        save(build(ids, matrix, dimension, factory), directory / VECTORS)
        return factory, {}

    def reader(self) -> IndexReader:
        return IndexReader(self.data_dir)

    def prune(self, keep_from: int, served: int) -> None:
        pass  # nothing outside the generation directories
