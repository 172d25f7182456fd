"""What storing the sentences' vectors (index.sentences, schema 8) costs an index: time and bytes.

    NEWSDESK_MODEL_CACHE=... HF_HUB_OFFLINE=1 .venv/bin/python bench/sentence_cost.py \
        --from /work/main/bench/out/reuters-e5 --to bench/out/reuters-e5-sentences [--archive REUTERS]

Copies an index built before schema 8 (the source is only read), then runs `index add` of the same
archive on the copy: nothing is new, so the run is the upgrade and the one-time encoding of every live
passage's sentences, which is what schema 8 adds to indexing the archive from nothing (the passages
themselves were embedded by the source's build). Prints the seconds, the sentences encoded, and the
sizes of the database and of the directory before and after.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import time
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REUTERS, dir_size  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from", dest="source", type=Path, required=True)
    parser.add_argument("--to", type=Path, required=True)
    parser.add_argument("--archive", type=Path, default=REUTERS)
    args = parser.parse_args()
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
