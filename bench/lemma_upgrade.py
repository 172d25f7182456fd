"""What the once-per-data-directory rewrite of the lemma columns costs (index.pipeline.upgrade, meta
"lemmas_version"): on a COPY of an index (its models/ left out), its lemmas version forgotten as an
archive from before it was recorded, the upgrade is timed; the original is only read.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/lemma_upgrade.py bench/out/multilingual/index-e5-uk
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from contextlib import closing
from pathlib import Path

from index import migrations, pipeline
from index.schema import DB_NAME
from index.store import Store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("data_dir", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lemma-upgrade-") as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(args.data_dir, copy, ignore=shutil.ignore_patterns("models", "write.lock"))
        with closing(sqlite3.connect(copy / DB_NAME)) as db, db:
            db.execute("DELETE FROM meta WHERE key = 'lemmas_version'")
            articles, passages = (db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                                  for table in ("articles", "passages"))
        with closing(Store.open_writer(copy)) as store:
            read = migrations.lemma_rows(store.db)
            started = time.perf_counter()
            titles, rewritten = pipeline.upgrade(store, quiet=True)
            seconds = time.perf_counter() - started
    print(f"{args.data_dir}: {articles:,} articles, {passages:,} passages; {read:,} titles and passages with "
          f"Cyrillic words read; {titles:,} titles and {rewritten:,} passages rewritten; {seconds:.2f} s")


if __name__ == "__main__":
    main()
