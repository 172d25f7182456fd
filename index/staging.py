"""Model directories built once per machine, whole or not at all (the rebuilt e5 model, ONNX exports).

Each is built in a staging directory beside its target and renamed into place, so a crash never leaves
a half-written model behind. The build holds a lock file beside the target: a second process that needs
the same model while it is being built waits for it (building it again would cost it the same minute
and gigabytes) and then uses the finished one."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


def build_once(target: Path, done: str, build: Callable[[Path], None]) -> Path:
    """`target`, built by `build(staging)` unless it is complete already (`done` is the file whose
    presence makes it complete). Concurrent callers of the same target build it once."""
    if (target / done).exists():
        return target
    with _locked(target):
        if not (target / done).exists():  # built while this process waited for the lock
            with _built_into(target, done) as staging:
                build(staging)
    return target


@contextmanager
def _locked(target: Path) -> Iterator[None]:
    """flock on TARGET's lock file: released by the kernel if the holder dies, so a killed build never
    blocks the next one."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("waiting for another process to finish building %s", target)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


@contextmanager
def _built_into(target: Path, done: str) -> Iterator[Path]:
    """A new staging directory for `target`, renamed to `target` when the block ends without error."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        if target.exists() and not (target / done).exists():  # a stale build from before the lock
            shutil.rmtree(target)
        os.replace(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def quiet(*names: str) -> Iterator[None]:
    """Only errors from these loggers inside the block: what transformers and sentence-transformers
    say while saving and reloading a model is not for the cron log."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    try:
        for logger in loggers:
            logger.setLevel(logging.ERROR)
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)
