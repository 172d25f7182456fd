"""Published index generations: a directory per generation, a CURRENT pointer, and the writer lock.

    data/
      newsdesk.sqlite3        articles, passages, FTS5, embeddings (rows tagged by generation)
      CURRENT                 number of the served generation, replaced atomically
      generations/00000007/   manifest.json, and what the engine writes there (index.engines)
      write.lock              held by the one writer
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from index.errors import IndexBusy, IndexNotReady

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Manifest:
    """What a generation directory holds."""

    generation: int
    schema_version: int
    model: str
    dimension: int
    index_type: str
    articles: int
    passages: int
    created_at: str
    backend: str = "torch"  # the encoder backend that embedded it (manifests before backends: torch)
    engine: str = "faiss"  # the engine that serves it (NEWSDESK_ENGINE, index.engines)
    # What that engine needs to serve it, written and read by the engine alone (index.engines.base.Engine)
    engine_part: dict = field(default_factory=dict)

    def write(self, directory: Path) -> None:
        (directory / MANIFEST).write_text(json.dumps(asdict(self), indent=2) + "\n")

    @classmethod
    def read(cls, directory: Path) -> Manifest:
        written = json.loads((directory / MANIFEST).read_text())
        names = {f.name for f in fields(cls)}
        if "engine_part" not in written:
            # Written before engine parts: the engine's fields stand beside the others, and are its part
            written["engine_part"] = {key: value for key, value in written.items() if key not in names}
        return cls(**{key: value for key, value in written.items() if key in names})


def generation_dir(data_dir: Path, gen: int) -> Path:
    return data_dir / "generations" / f"{gen:08d}"


def current_generation(data_dir: Path) -> int:
    """The served generation, or 0 when nothing was ever published."""
    try:
        return int((data_dir / "CURRENT").read_text().strip())
    except FileNotFoundError:
        return 0


def require_current(data_dir: Path) -> int:
    gen = current_generation(data_dir)
    if gen == 0:
        raise IndexNotReady(
            f"There is no index in {data_dir} yet: run `newsdesk index add PATH` first."
        )
    return gen


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def stage_dir(data_dir: Path, gen: int) -> Path:
    """An empty directory to write generation `gen` into before it is published."""
    staging = data_dir / "generations" / f"{gen:08d}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def seal(data_dir: Path, staging: Path, gen: int) -> Path:
    """Move a fully written staging directory to its final name (still unpublished)."""
    for name in os.listdir(staging):
        with open(staging / name, "rb") as handle:
            os.fsync(handle.fileno())
    final = generation_dir(data_dir, gen)
    shutil.rmtree(final, ignore_errors=True)
    os.replace(staging, final)
    _fsync_dir(final.parent)
    return final


def point_current(data_dir: Path, gen: int) -> None:
    """Publish: readers that look at CURRENT from now on see `gen`."""
    temporary = data_dir / "CURRENT.tmp"
    with open(temporary, "w") as handle:
        handle.write(f"{gen}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, data_dir / "CURRENT")
    _fsync_dir(data_dir)


def prune(data_dir: Path, keep_from: int, served: int) -> None:
    """Delete generation directories older than `keep_from`, and leftovers of unpublished ones."""
    root = data_dir / "generations"
    if not root.exists():
        return
    for entry in root.iterdir():
        number = entry.name.removesuffix(".tmp")
        if not number.isdigit():
            continue
        if entry.name.endswith(".tmp") or int(number) < keep_from or int(number) > served:
            shutil.rmtree(entry, ignore_errors=True)


@contextmanager
def writer_lock(data_dir: Path) -> Iterator[None]:
    """One writer at a time; a second one fails at once instead of waiting."""
    data_dir.mkdir(parents=True, exist_ok=True)
    handle = open(data_dir / "write.lock", "a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IndexBusy(f"Another indexing run holds {data_dir / 'write.lock'}; try again when it ends.") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()
