"""Indexing as plain steps, composed by `add()` (paths given on the command line) and `update()`
(the configured sources, for cron).

1. read     sources -> articles (+ problems, reported with file and line)
2. diff     against the live archive: new, changed, unchanged, and gone (with --prune)
3. chunk    new and changed articles -> passages with offsets
4. embed    only passage texts whose hash has no stored embedding yet
5. write    rows tagged with the next generation, in one transaction
6. publish  the engine's index (index.engines) + manifest in a new generation directory, then CURRENT
            points to it
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from tqdm import tqdm

from index import duplicates, engines, generations, lemmas, migrations, places, sentences
from index.chunking import chunk
from index.config import SourceSpec
from index.encoder import LEGACY_BACKEND, Encoder, SentenceTransformerEncoder, check_backend, default_backend
from index.errors import ModelMismatch, SourceError
from index.errors import FetchError
from index.feeds import Fetcher, read_feed
from index.normalize import content_hash
from index.records import Article, Passage, Problem, RunSummary, Seen
from index.settings import DEFAULT_MODEL, Settings
from index.sources import read_path, read_paths
from index.engines.base import Engine
from index.schema import SCHEMA_VERSION
from index.store import Store

Input = tuple[str, Iterable[Article | Problem | Seen]]  # (collection, what its source yields)
FEEDS_AT_ONCE = 8  # feeds fetched concurrently by `update`
UNPUBLISHED_FORMS = "lemmas_unpublished"  # meta: lemma columns rewritten since the last generation
# meta: an archive from before schema 8 whose live passages' sentences have no vectors yet: the next
# run encodes them (embed_sentences), once; until then a question encodes the few it needs
SENTENCES_PENDING = "sentences_pending"


@dataclass
class Plan:
    new: list[Article] = field(default_factory=list)
    changed: list[tuple[Article, int]] = field(default_factory=list)  # (article, rowid it replaces)
    unchanged: int = 0
    removed: list[int] = field(default_factory=list)  # rowids of articles their source no longer has


def article_key(article: Article) -> str:
    """Identity across runs: the URL when there is one, else the source's id, else a content hash."""
    return article.url or article.article_id


def article_hash(article: Article) -> str:
    published = article.published_at.isoformat() if article.published_at else None
    return content_hash(article.article_id, article.url, article.title, article.source, article.author,
                        published, article.body)


def read(inputs: Iterable[Input]) -> tuple[list[Article], set[str], list[Problem]]:
    """Step 1: articles, keys of items seen but not read again, problems. The last record with a
    given key wins; earlier ones are reported."""
    by_key: dict[str, Article] = {}
    seen: set[str] = set()
    problems: list[Problem] = []
    for collection, records in inputs:
        for record in records:
            if isinstance(record, Problem):
                problems.append(record)
            elif isinstance(record, Seen):
                seen.add(record.key)
            else:
                key = article_key(record)
                if key in by_key:
                    problems.append(Problem(by_key[key].origin, f"same id/URL as {record.origin}, which replaces it"))
                by_key[key] = replace(record, collection=collection)
    return list(by_key.values()), seen, problems


def diff(articles: list[Article], seen: set[str], live: dict[str, tuple[int, str, str]],
         prune: set[str] = frozenset()) -> Plan:
    """Step 2. Articles of the collections in `prune` that their source no longer lists are removed."""
    plan = Plan(unchanged=len(seen & live.keys()))
    for article in articles:
        known = live.get(article_key(article))
        if known is None:
            plan.new.append(article)
        elif known[1] != article_hash(article):
            plan.changed.append((article, known[0]))
        else:
            plan.unchanged += 1
    if prune:
        present = seen | {article_key(a) for a in articles}
        plan.removed = [rowid for key, (rowid, _, collection) in live.items()
                        if collection in prune and key not in present]
    return plan


def text_hash(text: str) -> str:
    return content_hash(text)


def chunk_articles(articles: list[Article], settings: Settings) -> list[tuple[Article, list[Passage]]]:
    """Step 3."""
    return [(a, chunk(a.body, settings.passage_chars, settings.overlap_sentences)) for a in articles]


def embed_missing(store: Store, encoder: Encoder, texts: dict[str, str], batch_size: int,
                  chunk_size: int, quiet: bool = False) -> int:
    """Step 4. Encode passage texts that have no embedding yet; commits as it goes."""
    missing = store.read.missing_embeddings(texts)
    return _encode(missing, texts, store.put_embeddings, encoder, batch_size, chunk_size, "passage", quiet)


def embed_sentences(store: Store, encoder: Encoder, texts: Iterable[str], batch_size: int,
                    chunk_size: int, quiet: bool = False) -> int:
    """Step 4, for the bold sentence: encode the sentences of these passages that have no stored
    vector (index.sentences); commits as it goes."""
    found = sentences.of_passages(texts)
    missing = store.read.missing_sentence_vectors(found)
    return _encode(missing, found, store.put_sentence_vectors, encoder, batch_size, chunk_size, "sentence", quiet)


def _encode(missing, texts: dict[str, str], put, encoder: Encoder, batch_size: int, chunk_size: int,
            unit: str, quiet: bool) -> int:
    """Encode `texts[k]` for each key in `missing` and `put` them a chunk at a time. Longest first: batches
    of similar length waste no padding, and the slowest batch shows up early."""
    order = sorted(missing, key=lambda k: len(texts[k]), reverse=True)
    with tqdm(total=len(order), unit=unit, desc=f"embedding {unit}s", disable=True if quiet else None) as bar:
        for i in range(0, len(order), chunk_size):
            keys = order[i : i + chunk_size]
            put(keys, encoder.encode([texts[k] for k in keys], batch_size=batch_size))
            bar.update(len(keys))
    return len(order)


def write_rows(store: Store, gen: int, plan: Plan, chunks: list[tuple[Article, list[Passage]]]) -> None:
    """Step 5 (inside the caller's transaction)."""
    store.retire([rowid for _, rowid in plan.changed] + plan.removed, gen)
    for article, passages in chunks:
        store.insert_article(article_key(article), article, article_hash(article), gen, passages,
                             [text_hash(p.text) for p in passages], duplicates.sketch(article.title, article.body))


def upgrade(store: Store, quiet: bool = False) -> tuple[int, int]:
    """Step 0, once for a data directory written by an older version: what later schemas derive from
    the rows (article sketches, the trigram term index, other names of places) is computed, and what
    it stored twice is dropped (passage texts), then the schema is current. Lemma columns written by
    an older index.lemmas are written again (`rewrite_lemmas`). Returns the (titles, passages) whose
    lemma columns were written again."""
    written = int(store.read.meta("schema_version") or 0)
    # No record: written before lemma versions were recorded (by 1929cb5 or later, the columns are
    # current already; rewrite_lemmas then finds nothing to write, and rebuilds nothing)
    columns = int(store.read.meta("lemmas_version") or 1)
    if written == SCHEMA_VERSION and columns >= lemmas.COLUMN_VERSION:
        return 0, 0
    rewritten = (0, 0)
    with store.transaction():
        if written != SCHEMA_VERSION:
            if written < 3:  # before sketching: new sketches are narrow already
                migrations.narrow_stored(store.db, duplicates.SKETCH_DTYPE)
            migrations.read_languages(store.db)  # before schema 7: languages and lemmas, which the full-text index is written with
            migrations.drop_passage_texts(store.db)  # before schema 5 (the full-text index is written anew with it)
            if written in (5, 6):
                migrations.rebuild_full_text(store.db)
            missing = migrations.unsketched(store.db)
            if missing:
                migrations.set_sketches(store.db, ((duplicates.sketch(title, body), rowid)
                                                   for rowid, title, body in missing))
            store.add_new_terms()
            store.add_places(places.rows(store.read.all_terms()))
            if written < 8:
                store.set_meta(SENTENCES_PENDING, "1")  # encoded by run, which has the encoder
            if written < 9:
                migrations.count_sentence_uses(store.db, store.use_sentences)
            store.set_meta("schema_version", str(SCHEMA_VERSION))
        if columns < lemmas.COLUMN_VERSION:
            if written >= 7:  # before, read_languages has just written them as index.lemmas writes them now
                rewritten = rewrite_lemmas(store, quiet)
            if any(rewritten):
                # cleared by the next generation's commit: a run that dies before publishing leaves it,
                # so the next one publishes what an engine that copies the words still lacks (see run)
                store.set_meta(UNPUBLISHED_FORMS, "1")
            store.set_meta("lemmas_version", str(lemmas.COLUMN_VERSION))
    return rewritten


def rewrite_lemmas(store: Store, quiet: bool = False) -> tuple[int, int]:
    """Step 0b (in upgrade's transaction): the lemma columns of every Cyrillic title and passage as
    index.lemmas writes them now, then the full-text index rebuilt once from them and their new words
    added to the term index, as a new generation's are. A data version rather than a schema version:
    readers (index.engines.snapshot) refuse an older schema until the indexer has run, which would stop the bot
    until cron's next update; the old columns still answer meanwhile, a few words less well."""
    with tqdm(total=migrations.lemma_rows(store.db), unit="row", desc="lemma columns",
              disable=True if quiet else None) as bar:
        titles, passages = migrations.rewrite_lemmas(store.db, bar.update)
    if titles or passages:
        migrations.rebuild_full_text(store.db)
        store.add_places(places.rows(store.add_new_terms()))
    return titles, passages


def publish(data_dir: Path, store: Store, engine: Engine, gen: int, model: str, dimension: int,
            index_type: str | None, backend: str = LEGACY_BACKEND) -> generations.Manifest:
    """Step 6a: write the generation directory, with what the engine builds for it (index.engines: its
    files there, or elsewhere) and the manifest, which records the engine's part; the caller commits,
    then points CURRENT at it. `index_type` None or "auto": the engine's choice."""
    staging = generations.stage_dir(data_dir, gen)
    built, part = engine.build(store, gen, dimension, index_type, staging)
    articles, passages = store.read.counts(gen)
    manifest = generations.Manifest(
        generation=gen, schema_version=SCHEMA_VERSION, model=model, dimension=dimension,
        index_type=built, articles=articles, passages=passages,
        created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"), backend=backend,
        engine=engine.name, engine_part=part,
    )
    manifest.write(staging)
    generations.seal(data_dir, staging, gen)
    return manifest


def index_model(store: Store, model: str | None) -> str:
    """The model the index was built with, else NEWSDESK_MODEL (`model`), else the default. A
    NEWSDESK_MODEL that names another model than the index's is refused: one index, one model."""
    built_with = store.read.meta("model")
    if built_with is None:
        return model or DEFAULT_MODEL
    if model is not None and built_with != model:
        raise ModelMismatch(
            f"The index in this data directory was built with the model {built_with!r}, not {model!r}: "
            "set NEWSDESK_MODEL back, or index into another --data-dir."
        )
    return built_with


def index_backend(store: Store) -> str | None:
    """The backend the stored embeddings came from (None for an empty store)."""
    return store.read.meta("backend") or (LEGACY_BACKEND if store.read.meta("model") is not None else None)


def indexing_encoder(settings: Settings, store: Store) -> SentenceTransformerEncoder:
    """The configured backend, else the one the index was embedded with, else this CPU's default."""
    backend = settings.backend or index_backend(store) or default_backend()
    return SentenceTransformerEncoder(settings.model, settings.device, backend, settings.models_home)


def index_type(settings: Settings, store: Store) -> str | None:
    """NEWSDESK_INDEX_TYPE, else the type `index rebuild --index-type` chose, else None (by size)."""
    return settings.index_type or store.read.meta("index_type")


def commit_generation(store: Store, settings: Settings, gen: int, plan: Plan,
                      chunks: list[tuple[Article, list[Passage]]], dimension: int, summary: RunSummary,
                      backend: str = LEGACY_BACKEND) -> RunSummary:
    """Steps 5 and 6: rows, the engine's index and manifest in one transaction, then CURRENT, then clean-up."""
    engine = engines.engine_for(settings)
    with store.transaction():
        write_rows(store, gen, plan, chunks)
        store.add_places(places.rows(store.add_new_terms()))  # step 5b: new words, for spelling and places
        manifest = publish(settings.data_dir, store, engine, gen, settings.model, dimension,
                           index_type(settings, store), backend)
        store.set_meta("model", settings.model)
        store.set_meta("backend", backend)
        store.set_meta("dimension", str(dimension))
        store.set_meta(UNPUBLISHED_FORMS, "")
        store.record_generation(gen, datetime.now(timezone.utc), {
            "added": summary.added, "updated": summary.updated, "unchanged": summary.unchanged,
            "removed": summary.removed, "skipped": summary.skipped,
            "articles": manifest.articles, "passages": manifest.passages, "seconds": summary.seconds})
    generations.point_current(settings.data_dir, gen)
    keep_from = store.read.oldest_needed(gen, settings.keep_generations, settings.keep_seconds, datetime.now(timezone.utc))
    store.forget_before(keep_from)
    generations.prune(settings.data_dir, keep_from, gen)
    engine.prune(keep_from, gen)
    return replace(summary, generation=gen)


class Warming:
    """What a run that indexes something new needs, read in a thread (once) while feeds are still being
    fetched: the encoder's model (seconds) and the gazetteer (1.5 s); `wait` before encoding. A run that
    indexes nothing new loads neither. The gazetteer is read even for the rare run whose new articles
    bring no new word (places.rows would not need it): reading it during the fetch is what keeps a run
    with a slow feed within that feed's deadline."""

    def __init__(self, encoder: Encoder | None) -> None:
        self._thread = None
        self._model = (lambda: encoder.model) if isinstance(encoder, SentenceTransformerEncoder) else (lambda: None)
        self._started = threading.Lock()

    def start(self) -> None:
        with self._started:
            if self._thread is None:
                self._thread = threading.Thread(target=self._quietly, name="warming", daemon=True)
                self._thread.start()

    def _quietly(self) -> None:
        try:
            self._model()
            places.gazetteer()
        except Exception:  # noqa: BLE001 (encoding and committing load them again and report the error)
            logging.getLogger(__name__).warning("could not load the model or gazetteer ahead; loading it when needed",
                                                exc_info=True)

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()


def run(inputs: Callable[[Callable[[str], bool]], Iterable[Input]], settings: Settings,
        encoder: Encoder | None = None, quiet: bool = False,
        prune: Callable[[], set[str]] = frozenset) -> RunSummary:
    """Under the writer lock: read, diff, chunk, embed, and publish a generation if anything changed.

    `inputs(known)` gives the sources; `known(key)` tells whether an item is indexed already, so a
    source can skip re-reading it. `prune()`, asked after reading, names the collections whose
    vanished articles are removed."""
    started = time.perf_counter()
    with generations.writer_lock(settings.data_dir), closing(Store.open_writer(settings.data_dir)) as store:
        # NEWSDESK_MODEL, else the encoder handed in (a test's, a library user's), names the model
        settings = replace(settings, model=index_model(store, settings.model or (encoder and encoder.name)))
        rewritten = upgrade(store, quiet)
        served = generations.current_generation(settings.data_dir)
        store.discard_after(served)  # rows of a run that died before it published
        live = store.read.live_articles()
        encoder = encoder or indexing_encoder(settings, store)
        warming = Warming(None if settings.ray_address else encoder)  # a Ray cluster embeds on its workers

        def known(key: str) -> bool:  # a feed entry not indexed yet will be embedded: load the model meanwhile
            if key in live:
                return True
            warming.start()
            return False

        articles, seen, problems = read(inputs(known))                                       # 1
        plan = diff(articles, seen, live, prune())                                           # 2
        chunks = chunk_articles(plan.new + [a for a, _ in plan.changed], settings)           # 3
        texts = {text_hash(p.text): p.text for _, passages in chunks for p in passages}
        if chunks:
            warming.start()
        warming.wait()
        backend = getattr(encoder, "backend", "custom")  # an encoder of a test or a library user's own
        if store.read.meta("model") is not None:
            check_backend(index_backend(store), backend, settings.data_dir)
        if settings.ray_address:  # 4, on a Ray cluster: one encoder per worker, same model and backend
            from index import ray_backfill

            embedded = ray_backfill.embed_missing(store, texts, settings, backend, quiet)
        else:
            embedded = embed_missing(store, encoder, texts, settings.batch_size, settings.embed_chunk, quiet)     # 4
        pending = bool(store.read.meta(SENTENCES_PENDING))
        said = embed_sentences(store, encoder, [*texts.values(), *(migrations.unvectored_sentences(store.db) if pending else ())],
                               settings.batch_size, settings.embed_chunk, quiet)
        if pending:
            with store.transaction():
                store.db.execute("DELETE FROM meta WHERE key = ?", (SENTENCES_PENDING,))
        summary = RunSummary(added=len(plan.new), updated=len(plan.changed), unchanged=plan.unchanged,
                             removed=len(plan.removed), skipped=sum(p.skipped for p in problems),
                             passages_embedded=embedded, sentences_embedded=said, generation=served,
                             seconds=time.perf_counter() - started, problems=tuple(problems),
                             forms_rewritten=rewritten)
        # An engine that copies the words (Engine.copies_words) holds the lemma
        # columns it was built with (FTS5 reads them from the rows): rewritten ones, by this run or by one
        # that died before publishing, reach it in a new generation
        if chunks or plan.removed or (store.read.meta(UNPUBLISHED_FORMS)
                                      and engines.engine_for(settings).copies_words):
            dimension = int(store.read.meta("dimension") or encoder.dimension)
            summary = commit_generation(store, settings, served + 1, plan, chunks, dimension, summary,  # 5, 6
                                        backend)
    return replace(summary, seconds=time.perf_counter() - started)


def add(paths: Iterable[Path], settings: Settings, encoder: Encoder | None = None,
        quiet: bool = False) -> RunSummary:
    """`newsdesk index add`: the given files and folders; nothing is removed."""
    paths = list(paths)
    return run(lambda known: [("", read_paths(paths))], settings, encoder, quiet)


def update(specs: list[SourceSpec], settings: Settings, encoder: Encoder | None = None, quiet: bool = False,
           prune: bool = False, fetcher: Fetcher | None = None) -> RunSummary:
    """`newsdesk index update`: every configured source. A source that fails is reported and the
    others go on; only a source read to its end can have articles pruned."""
    fetcher = fetcher or Fetcher()
    complete: set[str] = set()
    feeds = [s for s in specs if s.feed]

    def source(spec: SourceSpec, known: Callable[[str], bool]):
        try:
            if spec.feed:
                yield from read_feed(spec.feed, fetcher, spec.outlet, known)
            else:
                yield from read_path(spec.path)
            complete.add(spec.name)
        except (SourceError, FetchError) as error:
            yield Problem(f"source {spec.name}", str(error).rstrip("."))

    def inputs(known: Callable[[str], bool]) -> list[Input]:
        # Feeds are fetched at once, so a slow one (up to the fetcher's deadline) costs only itself; their
        # records are read in the sources' order, so which of two records of one article wins stays fixed
        with ThreadPoolExecutor(max_workers=max(1, min(len(feeds), FEEDS_AT_ONCE)),
                                thread_name_prefix="feed") as pool:
            fetched = {s.name: pool.submit(list, source(s, known)) for s in feeds}
            return [(s.name, fetched[s.name].result() if s.feed else source(s, known)) for s in specs]

    try:
        return run(inputs, settings, encoder, quiet,
                   prune=lambda: {s.name for s in specs if prune and s.authoritative and s.name in complete})
    finally:
        fetcher.close()


def rebuild(settings: Settings, index_type: str | None = None, quiet: bool = False) -> RunSummary:
    """`newsdesk index rebuild`: publish the served archive again as a new generation, the engine's index
    built from the stored embeddings (nothing is encoded). `index_type` is a FAISS factory string (kept
    for later updates) or "auto" (by size, the default); None keeps the current choice."""
    started = time.perf_counter()
    with generations.writer_lock(settings.data_dir), closing(Store.open_writer(settings.data_dir)) as store:
        served = generations.require_current(settings.data_dir)
        settings = replace(settings, model=index_model(store, settings.model))
        rewritten = upgrade(store, quiet)
        store.discard_after(served)
        if index_type is not None:
            store.set_meta("index_type", engines.kept_index_type(index_type))
        summary = commit_generation(store, settings, served + 1, Plan(), [], int(store.read.meta("dimension")),
                                    RunSummary(generation=served, forms_rewritten=rewritten),
                                    index_backend(store) or LEGACY_BACKEND)
    return replace(summary, seconds=time.perf_counter() - started)
