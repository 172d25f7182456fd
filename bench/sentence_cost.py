"""What storing the sentences' vectors (index.sentences, schema 8) costs an index: time and bytes.

    NEWSDESK_MODEL_CACHE=... HF_HUB_OFFLINE=1 .venv/bin/python bench/sentence_cost.py \
        --from /work/main/bench/out/reuters-e5 --to bench/out/reuters-e5-sentences [--archive REUTERS]

Copies an index built before schema 8 (the source is only read), then runs `index add` of the same
archive on the copy: nothing is new, so the run is the upgrade and the one-time encoding of every live
passage's sentences, which is what schema 8 adds to indexing the archive from nothing (the passages
themselves were embedded by the source's build). Prints the seconds, the sentences encoded, and the
sizes of the database and of the directory before and after.

    ... bench/sentence_cost.py --sample 400 --from INDEX [--rounds 3]

What the sentences add to indexing, relative to the passages, on a loaded machine: N random live
passages of INDEX encoded as the pipeline encodes them (longest first, NEWSDESK_BATCH_SIZE a call),
then their distinct sentences the same way, alternately for `--rounds`, with the index's model and
backend; prints the seconds of each and their ratio, and the archive's sentences per passage.

    ... bench/sentence_cost.py --fill QUESTIONS... --to INDEX

For a benchmark on an index whose one-time encoding of sentences was cut short: the sentences of the
passages the questions' answers show (3 hits each, and the closest report) are encoded, as the
upgrade would have; the question-time path reads them by key, whatever else is stored.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REUTERS, dir_size  # noqa: E402


def sample(data_dir: Path, n: int, rounds: int) -> None:
    import random

    from index import migrations, sentences
    from index.encoder import ServingEncoder
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from index.store_reader import StoreReader

    settings = Settings.from_env(data_dir=data_dir)
    encoder = ServingEncoder(settings).for_manifest(IndexReader(data_dir).snapshot().manifest)
    texts = list(migrations.unvectored_sentences(StoreReader.open(data_dir).db))
    every = sentences.of_passages(texts)
    chosen = random.Random(7).sample(texts, n)
    passages = sorted(chosen, key=len, reverse=True)
    said = sorted(sentences.of_passages(chosen).values(), key=len, reverse=True)
    encoder.encode(["warm up"])
    took = {"passages": 0.0, "sentences": 0.0}
    for _ in range(rounds):
        for name, batch in (("passages", passages), ("sentences", said)):
            started = time.perf_counter()
            encoder.encode(batch, batch_size=settings.batch_size)
            took[name] += time.perf_counter() - started
    print(f"{encoder.name} ({encoder.backend}), batch {settings.batch_size}: {n} passages ({sum(map(len, passages))} "
          f"characters) {took['passages'] / rounds:.1f} s, their {len(said)} distinct sentences "
          f"({sum(map(len, said))} characters) {took['sentences'] / rounds:.1f} s a round; sentences / passages "
          f"{took['sentences'] / took['passages']:.2f}; the archive: {len(texts)} passages, {len(every)} distinct "
          f"sentences; load average {' / '.join(f'{x:.1f}' for x in os.getloadavg())}")


def fill(data_dir: Path, questions: list[Path]) -> None:
    import json
    from contextlib import closing as closed

    from index import pipeline
    from index.encoder import ServingEncoder
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from index.store import Store
    from retrieval.search import Searcher

    settings = Settings.from_env(data_dir=data_dir)
    searcher = Searcher(IndexReader(data_dir), ServingEncoder(settings))
    texts = {}
    for path in questions:
        for line in path.read_text().splitlines():
            if line.strip():
                answer = searcher.ask(json.loads(line)["question"], limit=3)
                texts.update((h.passage_id, h.passage) for h in [*answer.hits, *filter(None, [answer.closest])])
    encoder = searcher._encoder(searcher.reader.snapshot())
    started = time.perf_counter()
    with closed(Store.open_writer(data_dir)) as store:
        done = pipeline.embed_sentences(store, encoder, texts.values(), settings.batch_size, settings.embed_chunk, True)
    print(f"{len(texts)} passages shown: {done} sentences encoded in {time.perf_counter() - started:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", type=Path)
    parser.add_argument("--to", type=Path)
    parser.add_argument("--archive", type=Path, default=REUTERS)
    parser.add_argument("--sample", type=int)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fill", type=Path, nargs="+")
    args = parser.parse_args()
    if args.sample:
        return sample(args.source, args.sample, args.rounds)
    if args.fill:
        return fill(args.to, args.fill)
    from index import pipeline
    from index.schema import DB_NAME
    from index.settings import Settings

    if args.to.exists():
        shutil.rmtree(args.to)
    args.to.mkdir(parents=True)
    with closing(sqlite3.connect(f"file:{args.source / DB_NAME}?mode=ro", uri=True)) as source, \
            closing(sqlite3.connect(args.to / DB_NAME)) as copy:
        source.backup(copy)  # a consistent copy of a WAL database, the source untouched
    shutil.copytree(args.source / "generations", args.to / "generations")
    shutil.copy(args.source / "CURRENT", args.to / "CURRENT")
    before_db, before = (args.to / DB_NAME).stat().st_size, dir_size(args.to)
    settings = Settings.from_env(data_dir=args.to)
    started = time.perf_counter()
    summary = pipeline.add([args.archive], settings, quiet=True)
    seconds = time.perf_counter() - started
    with closing(sqlite3.connect(args.to / DB_NAME)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        stored, = db.execute("SELECT count(*) FROM sentence_vectors").fetchone()
        blob_bytes, = db.execute("SELECT sum(length(vector)) FROM sentence_vectors").fetchone()
    after_db, after = (args.to / DB_NAME).stat().st_size, dir_size(args.to)
    print(f"{summary.line()}\nsentences encoded {summary.sentences_embedded} in {seconds:.1f} s "
          f"({summary.sentences_embedded / seconds:.1f}/s); stored {stored}, {blob_bytes / 1e6:.1f} MB of vectors\n"
          f"database {before_db / 1e6:.1f} -> {after_db / 1e6:.1f} MB; directory {before / 1e6:.1f} -> {after / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
