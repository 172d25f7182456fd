"""Model directories written whole or not at all (the rebuilt e5 model, ONNX exports).

Each is built in a staging directory beside its target and renamed into place, so a crash or a second
process building at the same time never leaves a half-written model behind."""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def built_into(target: Path, done: str) -> Iterator[Path]:
    """A new staging directory for `target`, renamed to `target` when the block ends without error.
    `done` is the file whose presence makes a directory complete."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        try:
            os.replace(staging, target)
        except OSError:  # another process got there first (theirs is as good as ours), or a stale build
            if not (target / done).exists():
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
