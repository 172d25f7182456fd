"""Test helpers that stand in for nothing the project owns: paths and a tiny deterministic encoder."""

from __future__ import annotations

import hashlib
import re
import shutil
import sqlite3
import sys
from collections.abc import Sequence
from contextlib import closing
from pathlib import Path

import numpy as np

from index.schema import DB_NAME

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples" / "archive.jsonl"
STORY = ROOT / "samples" / "story.jsonl"  # one event over three days, in en, uk and ru, with its figures changing
SHARED = ROOT.parent / "shared" / "data"
SEED = SHARED / "seed" / "kupyansk-rovno.txt"
REUTERS = SHARED / "reuters21578" / "articles.jsonl"
QRELS = ROOT / "bench" / "qrels" / "reuters.jsonl"
NEWSDESK = str(Path(sys.executable).parent / "newsdesk")  # the command the venv installs


class HashingEncoder:
    """Bag of hashed words: deterministic and instant, for tests of plumbing where meaning is not the point."""

    name = "test/hashing-64"
    dimension = 64

    def __init__(self) -> None:
        self.calls: list[int] = []  # texts per encode call, so tests can see what was embedded

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        self.calls.append(len(texts))
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=4).digest()
                out[row, digest[0] % self.dimension] += 1.0 if digest[1] % 2 else -1.0
            norm = np.linalg.norm(out[row])
            out[row] /= norm or 1.0
        return out

    def encode_queries(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self.encode(texts, batch_size)


class WebServer:
    """A tiny HTTP server on 127.0.0.1 serving fixed routes, with a log of what was asked and when."""

    def __init__(self, routes: dict[str, tuple[int, bytes, str] | tuple[int, bytes, str, float]]) -> None:
        import threading
        import time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.routes = routes
        self.log: list[tuple[str, float]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                server.log.append((self.path, time.monotonic()))
                status, body, content_type, *delay = server.routes.get(self.path, (404, b"not found", "text/plain"))
                if delay:
                    time.sleep(delay[0])
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout under test)

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> "WebServer":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def paths(self) -> list[str]:
        return [path for path, _ in self.log]


def copy_of(index_dir: Path, tmp_path: Path) -> Path:
    """A copy of a built index for one test, so the bot's own state (bot.sqlite3 in it) starts empty."""
    copy = tmp_path / "data"
    shutil.copytree(index_dir, copy)
    return copy


def stored_sentences(data_dir: Path) -> int:
    """The sentence vectors an index holds (`index add` says how many it embedded)."""
    with closing(sqlite3.connect(data_dir / DB_NAME)) as db:
        return db.execute("SELECT count(*) FROM sentence_vectors").fetchone()[0]
