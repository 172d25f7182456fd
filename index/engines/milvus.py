"""Milvus as the engine behind index.engines.base.SearchIndex (NEWSDESK_ENGINE=milvus; needs the
`engines` extra).

One collection per generation, built from the SQLite store (its embeddings: nothing is re-encoded):

    id         INT64 primary key: the archive's passage id
    vector     FLOAT_VECTOR, inner product (the embeddings are normalised: the cosine)
    title      VARCHAR, analysed, with a BM25 function -> title_sparse
    text       VARCHAR, analysed, with a BM25 function -> text_sparse
    source     VARCHAR: the outlet ("" when unknown)
    published  INT64: publication time, seconds since 1970 UTC (NO_DATE when unknown)

Dense search, BM25 full-text search (title at TITLE_WEIGHT of the text, as in FTS5) and the outlet and
date filters (Milvus filter expressions) run in Milvus; the rows behind the hits, document frequencies,
other spellings and places are still read from SQLite, the source of truth.

Publishing: the generation's manifest records its collection and where it is (its engine part,
`Collection`), and CURRENT switches
generations as for FAISS, so a run killed while building a collection leaves the served one answering.
On a server the alias `newsdesk` is also pointed at the served collection. Milvus Lite (a local file)
lets one process open a file at a time and has no aliases, so there each generation gets a file of its
own beside the configured path (`milvus-00000007-1a2b3c.db`): the indexer writes a new file while the
bot reads the served one.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from index import generations
from index.engines.milvus_text import ANALYZER, parse_match, satisfies, tokens
from index.engines.snapshot import FollowsCurrent, Snapshot
from index.errors import IndexNotReady, SettingsError
from index.schema import EMBEDDING_DTYPE, TITLE_WEIGHT
from index.settings import Settings
from index.store import Store
from index.store_reader import Readers, StoreReader

try:  # the `engines` extra
    from pymilvus import DataType, Function, FunctionType, MilvusClient
except ImportError:  # pragma: no cover - reported when the engine is chosen
    MilvusClient = None

PREFIX = "newsdesk_g"
ALIAS = "newsdesk"
NO_DATE = -(2**62)  # `published` of an article without a date: outside every date filter, as SQL NULL is
MAX_TOPK = 16384  # Milvus's largest limit (and query window)
MAX_ID_FILTER = 16384  # ids in one `id in [...]` expression; a larger set is applied after the search
# BM25 candidates read at most to find those with every AND-ed phrase of a query (Milvus Lite has no
# TEXT_MATCH/PHRASE_MATCH filter): past this many, a rare phrase among common words can be missed
MAX_CHECKED = 4096
MAX_VARCHAR = 65535  # bytes
FILE = "milvus.db"  # Milvus Lite's file in the data directory when NEWSDESK_MILVUS_URI is unset


def target(settings: Settings) -> str:
    """Where Milvus is: NEWSDESK_MILVUS_URI, else a Milvus Lite file in the data directory."""
    return settings.milvus_uri or str(settings.data_dir / FILE)


@dataclass(frozen=True)
class Collection:
    """A generation's engine part of its manifest: where its collection is."""

    uri: str = ""  # the Milvus server, or the Milvus Lite file, that holds the generation
    name: str = ""  # the collection serving it

    @classmethod
    def of(cls, manifest: generations.Manifest) -> Collection:
        part = manifest.engine_part
        # a manifest written before engine parts has them as its own fields, milvus_uri and milvus_collection
        return cls(part.get("uri", part.get("milvus_uri", "")), part.get("name", part.get("milvus_collection", "")))

_clients: dict[str, MilvusClient] = {}
_clients_lock = threading.Lock()


def require_pymilvus() -> None:
    if MilvusClient is None:
        raise SettingsError("NEWSDESK_ENGINE=milvus needs pymilvus: pip install 'newsdesk[engines]'.")


def is_local(uri: str) -> bool:
    """A Milvus Lite file rather than a server address."""
    return "://" not in uri


def client(uri: str) -> MilvusClient:
    """One client per address and process (a Milvus Lite file can be opened once per process)."""
    require_pymilvus()
    with _clients_lock:
        found = _clients.get(uri)
        if found is None:
            if is_local(uri):
                Path(uri).parent.mkdir(parents=True, exist_ok=True)
            found = _clients[uri] = MilvusClient(uri)
        return found


def release(uri: str) -> None:
    """Close a client this process opened (frees a Milvus Lite file for another process)."""
    with _clients_lock:
        found = _clients.pop(uri, None)
    if found is not None:
        found.close()


def collection_name(gen: int) -> str:
    return f"{PREFIX}{gen:08d}"


def generation_uri(target: str, gen: int) -> str:
    """Where generation `gen` is written: the server itself, or a new Milvus Lite file beside `target`."""
    if not is_local(target):
        return target
    path = Path(target)
    return str(path.with_name(f"{path.stem}-{gen:08d}-{uuid.uuid4().hex[:6]}{path.suffix or '.db'}"))


def _clip(text: str | None) -> str:
    data = (text or "").encode("utf-8")
    return text or "" if len(data) <= MAX_VARCHAR else data[:MAX_VARCHAR].decode("utf-8", "ignore")


def _seconds(iso: str | None) -> int:
    if not iso:
        return NO_DATE
    moment = datetime.fromisoformat(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def _schema(dimension: int):
    schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("vector", DataType.FLOAT_VECTOR, dim=dimension)
    for name in ("title", "text"):
        schema.add_field(name, DataType.VARCHAR, max_length=MAX_VARCHAR, enable_analyzer=True, analyzer_params=ANALYZER)
        schema.add_field(f"{name}_sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(Function(name=f"{name}_bm25", function_type=FunctionType.BM25,
                                     input_field_names=[name], output_field_names=[f"{name}_sparse"]))
    schema.add_field("source", DataType.VARCHAR, max_length=1024)
    schema.add_field("published", DataType.INT64)
    return schema


def vector_index(uri: str) -> tuple[str, dict]:
    """Exact search in Milvus Lite (which offers FLAT, IVF_FLAT and AUTOINDEX); HNSW on a server."""
    return ("FLAT", {}) if is_local(uri) else ("HNSW", {"M": 16, "efConstruction": 200})



def build(store: StoreReader, gen: int, dimension: int, target: str, batch: int = 2000) -> tuple[str, str, str]:
    """Write generation `gen`'s collection from the store; returns (uri, collection, index type).
    A collection of that name left by a run that died is dropped first."""
    uri, name = generation_uri(target, gen), collection_name(gen)
    milvus = client(uri)
    if milvus.has_collection(name):
        milvus.drop_collection(name)
    kind, params = vector_index(uri)
    index_params = milvus.prepare_index_params()
    index_params.add_index("vector", index_type=kind, metric_type="IP", params=params)
    for field in ("title_sparse", "text_sparse"):
        index_params.add_index(field, index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
    milvus.create_collection(name, schema=_schema(dimension), index_params=index_params)
    for rows in store.searchable_rows(gen, batch):
        matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=EMBEDDING_DTYPE).reshape(len(rows), -1)
        milvus.insert(name, [
            {"id": pid, "vector": vector.astype(np.float32).tolist(), "title": _clip(title), "text": _clip(text),
             "source": _clip(source)[:1024], "published": _seconds(published)}
            for (pid, _, title, text, source, published), vector in zip(rows, matrix)])
    milvus.flush(name)
    milvus.load_collection(name)
    if not is_local(uri):
        _point_alias(milvus, name)
    if is_local(uri):
        release(uri)  # the bot opens this file once it is served
    return uri, name, f"milvus:{kind}"


def _point_alias(milvus: MilvusClient, name: str) -> None:
    """On a server, `newsdesk` names the newest collection (CURRENT and the manifest still decide what is served)."""
    try:
        milvus.alter_alias(name, ALIAS)
    except Exception:  # noqa: BLE001 - no such alias yet
        milvus.create_alias(name, ALIAS)


def prune(target: str, kept: Iterable[Collection]) -> None:
    """Drop the collections (and Milvus Lite files) of generations no longer kept, and leftovers of runs
    that died before publishing. Called by the one writer, after CURRENT moved."""
    kept = list(kept)
    if is_local(target):
        keep_files = {Path(c.uri).name for c in kept if c.uri}
        path = Path(target)
        for leftover in path.parent.glob(f"{path.stem}-*{path.suffix or '.db'}"):
            if leftover.name not in keep_files and re.fullmatch(rf"{re.escape(path.stem)}-\d{{8}}-\w+\.\w+", leftover.name):
                release(str(leftover))
                leftover.unlink(missing_ok=True)
                leftover.with_name(f".{leftover.name}.lock").unlink(missing_ok=True)  # Milvus Lite's lock file
        return
    milvus = client(target)
    keep = {c.name for c in kept if c.uri == target}
    for name in milvus.list_collections():
        if name.startswith(PREFIX) and name not in keep:
            milvus.drop_collection(name)


# --- the snapshot -----------------------------------------------------------------------------------

class IdFilter(np.ndarray):
    """Passage ids that also carry the Milvus filter expression that selects them (`allowed`), so that a
    search given them filters in Milvus by outlet and date rather than by a list of ids."""

    expr: str | None = None

    def __array_finalize__(self, obj):  # slices and copies are plain id lists again
        self.expr = None


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def filter_expr(sources: tuple[str, ...], since: datetime | None, until: datetime | None) -> str:
    parts = []
    if sources:
        parts.append(f"source in [{', '.join(_quote(s) for s in sources)}]")
    if since or until:
        parts.append(f"published != {NO_DATE}")
    if since:
        parts.append(f"published >= {_seconds(since.isoformat())}")
    if until:
        parts.append(f"published < {_seconds(until.isoformat())}")
    return " and ".join(parts)


def _ids_expr(ids: Iterable[int]) -> str:
    return f"id in [{', '.join(str(int(i)) for i in ids)}]"


class MilvusIndex:
    """One generation's collection: dense, BM25 and filters in Milvus (the rest is read from SQLite)."""

    def __init__(self, collection: Collection, readers: Readers, gen: int) -> None:
        self.uri = collection.uri
        self.collection = collection.name
        self._readers = readers
        self.generation = gen
        self.milvus = client(self.uri)
        if not self.milvus.has_collection(self.collection):
            raise IndexNotReady(f"The Milvus collection {self.collection} at {self.uri} is missing: "
                                "run `newsdesk index rebuild` with NEWSDESK_ENGINE=milvus.")

    def close(self) -> None:
        if is_local(self.uri):
            release(self.uri)

    def _search(self, data, field: str, metric: str, limit: int, expr: str, output: list[str] | None = None):
        return self.milvus.search(self.collection, data=[data], anns_field=field, limit=limit, filter=expr,
                                  output_fields=output or [], search_params={"metric_type": metric})[0]

    def dense(self, vector: np.ndarray, limit: int, allowed: np.ndarray | None = None) -> list[tuple[int, float]]:
        if limit <= 0 or (allowed is not None and len(allowed) == 0):
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1).tolist()
        expr, post = self._restrict(allowed)

        def fetch_hits(fetch: int) -> tuple[list[tuple[int, float]], bool]:
            raw = self._search(query, "vector", "IP", fetch, expr)
            return [(int(h["id"]), float(h["distance"])) for h in raw], len(raw) < fetch

        return self._grow(fetch_hits, limit, post, more=post is not None)

    def dense_each(self, vector: np.ndarray, limit: int,
                   subsets: Sequence[np.ndarray | None]) -> list[list[tuple[int, float]]]:
        """One search each: a Milvus search takes one filter expression for all its query vectors, and
        each subset is its own (an outlet, a period), so a search over their union would have to fetch
        down to the smallest one's `limit`-th hit, past MAX_TOPK on a large collection."""
        return [self.dense(vector, limit, ids) for ids in subsets]

    def lexical(self, match: str, limit: int, allowed: set[int] | None = None) -> list[tuple[int, float]]:
        """Milvus BM25 over title and text (title at TITLE_WEIGHT), every AND-ed group of the FTS5 query
        present as FTS5 would require (checked on the analysed words of each candidate)."""
        groups = parse_match(match or "")
        if limit <= 0 or not groups or (allowed is not None and not allowed):
            return []
        required = [[tokens(alternative) for alternative in group] for group in groups]
        words = list(dict.fromkeys(w for group in required for alternative in group for w in alternative))
        if not words:
            return []
        query = " ".join(words)
        expr, post = self._restrict(None if allowed is None else np.fromiter(allowed, dtype=np.int64))
        # One group of single words (a question's terms OR-ed): every BM25 hit has one of them, as in
        # FTS5. Phrases, or groups AND-ed, are checked on each candidate's analysed words.
        check = len(required) > 1 or any(len(alternative) > 1 for alternative in required[0])
        output = ["title", "text"] if check else []

        def fetch_hits(fetch: int) -> tuple[list[tuple[int, float]], bool]:
            scores: dict[int, float] = {}
            fields: dict[int, tuple[str, str]] = {}
            exhausted = True
            for field, weight in (("text_sparse", 1.0), ("title_sparse", TITLE_WEIGHT)):
                raw = self._search(query, field, "BM25", fetch, expr, output)
                exhausted = exhausted and len(raw) < fetch
                for hit in raw:
                    pid = int(hit["id"])
                    scores[pid] = scores.get(pid, 0.0) + weight * float(hit["distance"])
                    if check:
                        fields[pid] = (hit["entity"].get("title", ""), hit["entity"].get("text", ""))
            kept = [(pid, score) for pid, score in scores.items()
                    if not check or satisfies(required, (tokens(fields[pid][0]), tokens(fields[pid][1])))]
            return sorted(kept, key=lambda hit: (-hit[1], hit[0])), exhausted or (check and fetch >= MAX_CHECKED)

        return self._grow(fetch_hits, limit, post, more=check)

    @staticmethod
    def _restrict(allowed: np.ndarray | None) -> tuple[str, set[int] | None]:
        """A filter expression for Milvus, and the ids to keep afterwards when they are too many for one."""
        if allowed is None:
            return "", None
        if getattr(allowed, "expr", None):
            return allowed.expr, None
        if len(allowed) <= MAX_ID_FILTER:
            return _ids_expr(allowed.tolist()), None
        return "", set(np.asarray(allowed).tolist())

    @staticmethod
    def _grow(search, limit: int, post: set[int] | None, more: bool) -> list[tuple[int, float]]:
        """`search(fetch)` -> (hits, exhausted), with a growing fetch until `limit` hits survive what is
        checked after the search (`post` ids; `more`: candidates can be dropped, so ask for more at once)."""
        fetch = min(max(limit * 4, 100) if more else limit, MAX_TOPK)
        while True:
            found, exhausted = search(fetch)
            hits = found if post is None else [hit for hit in found if hit[0] in post]
            if len(hits) >= limit or exhausted or fetch >= MAX_TOPK:
                return hits[:limit]
            fetch = min(fetch * 4, MAX_TOPK)

    def allowed(self, sources: tuple[str, ...], since: datetime | None, until: datetime | None) -> np.ndarray:
        """The ids (from SQLite, as the FAISS engine gives them) with the Milvus expression that selects them."""
        ids = self._readers.get().filtered_ids(self.generation, sources, since, until).view(IdFilter)
        ids.expr = filter_expr(sources, since, until) or None
        return ids


class MilvusReader(FollowsCurrent):
    """Follows CURRENT like index.engines.faiss.IndexReader, with each generation served from its Milvus
    collection."""

    def __init__(self, settings: Settings) -> None:
        require_pymilvus()
        super().__init__(settings.data_dir)
        self._previous: Snapshot | None = None

    def _load(self, gen: int) -> Snapshot:
        manifest = generations.Manifest.read(generations.generation_dir(self.data_dir, gen))
        collection = Collection.of(manifest)
        if not collection.name:
            raise IndexNotReady(
                f"Generation {gen} in {self.data_dir} has no Milvus collection: run `newsdesk index rebuild` "
                "with NEWSDESK_ENGINE=milvus once to build it from the stored embeddings.")
        readers = Readers(self.data_dir)
        fresh = Snapshot(self.data_dir, gen, manifest, MilvusIndex(collection, readers, gen), readers)
        if self._previous is not None and self._previous.index.uri != fresh.index.uri:
            self._previous.close()  # two generations back: no question in flight still reads it
        self._previous = self._snapshot
        return fresh


class MilvusEngine:
    """index.engines.base.Engine for Milvus: a collection per generation, at `target(settings)`."""

    name = "milvus"
    copies_words = True  # each collection holds the title and text words it was built with

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def build(self, store: Store, gen: int, dimension: int, index_type: str | None,
              directory: Path) -> tuple[str, dict]:
        """The collection is Milvus's (`vector_index` chooses its index); `index_type`, a FAISS one, is not."""
        uri, name, kind = build(store.read, gen, dimension, target(self.settings))
        return kind, asdict(Collection(uri, name))

    def reader(self) -> MilvusReader:
        return MilvusReader(self.settings)

    def prune(self, keep_from: int, served: int) -> None:
        """Drop the collections (or Milvus Lite files) of generations no longer kept, and of runs that died."""
        kept = []
        for gen in range(keep_from, served + 1):
            try:
                manifest = generations.Manifest.read(generations.generation_dir(self.settings.data_dir, gen))
            except FileNotFoundError:
                continue
            kept.append(Collection.of(manifest))
        prune(target(self.settings), kept)
