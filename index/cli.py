"""`newsdesk index ...`: the writing commands and the status of the published index."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from index import pipeline
from index.config import load_sources
from index.engines import open_reader
from index.records import RunSummary
from index.encoder import LEGACY_BACKEND, prepare, prepared
from index.settings import AMX_BACKEND, DEFAULT_BACKEND, DEFAULT_MODEL, Settings

app = typer.Typer(help="Build and inspect the index.", no_args_is_help=True)
Ray = Annotated[
    Optional[str],
    typer.Option("--ray", envvar="NEWSDESK_RAY", metavar="ADDRESS",
                 help='Embed on this Ray cluster ("auto", "HOST:6379", "ray://HOST:10001"); needs newsdesk[engines].'),
]
DataDir = Annotated[
    Optional[Path],
    typer.Option("--data-dir", envvar="NEWSDESK_DATA", help="Where the index lives.", show_default="./data"),
]


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


@app.command()
def add(
    paths: Annotated[list[Path], typer.Argument(help="JSONL or CSV files, .txt/.md/.html files, or folders.")],
    data_dir: DataDir = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    ray: Ray = None,
) -> None:
    """Index articles and publish the updated index."""
    settings = with_ray(Settings.from_env(data_dir=data_dir), ray)
    report(pipeline.add(paths, settings, quiet=quiet), quiet)


@app.command()
def update(
    sources: Annotated[Optional[Path], typer.Option("--sources", envvar="NEWSDESK_SOURCES",
                                                    help="The sources file.", show_default="DATA_DIR/sources.toml")] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Remove articles an authoritative source no longer has.")] = False,
    data_dir: DataDir = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
    ray: Ray = None,
) -> None:
    """Bring the index up to date with the configured sources (for cron)."""
    settings = with_ray(Settings.from_env(data_dir=data_dir), ray)
    specs = load_sources(sources or settings.data_dir / "sources.toml")
    report(pipeline.update(specs, settings, quiet=quiet, prune=prune), quiet)


@app.command()
def rebuild(
    index_type: Annotated[Optional[str], typer.Option(
        "--index-type", envvar="NEWSDESK_INDEX_TYPE",
        help='A FAISS factory string with optional search parameters ("IVF2048,SQ8 nprobe=32", '
             '"IDMap2,HNSW32 efSearch=64", "IDMap2,Flat"), or "auto" to choose by size.')] = None,
    engine: Annotated[Optional[str], typer.Option(
        "--engine", help='"faiss" or "milvus" (default: NEWSDESK_ENGINE): publish for that engine; with milvus, '
                         "a new collection at NEWSDESK_MILVUS_URI.")] = None,
    data_dir: DataDir = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors.")] = False,
) -> None:
    """Publish the index again from the stored embeddings (nothing is re-encoded), e.g. as another index
    type, or as a Milvus collection (NEWSDESK_ENGINE=milvus)."""
    env = None if engine is None else {**os.environ, "NEWSDESK_ENGINE": engine}
    settings = Settings.from_env(env, data_dir=data_dir)
    summary = pipeline.rebuild(settings, index_type, quiet)
    if not quiet:
        manifest = open_reader(settings).snapshot().manifest
        print(f"rebuilt generation {summary.generation}: {manifest.passages:,} passages, "
              f"index type {manifest.index_type}; {summary.seconds:.1f} s")


@app.command()
def model(data_dir: DataDir = None) -> None:
    """Build the model a new index is embedded with (NEWSDESK_MODEL, else the default) and its export for
    NEWSDESK_BACKEND, under NEWSDESK_MODEL_CACHE (else the user's cache directory, ~/.cache/newsdesk),
    so the first `index add` does not wait for it. The Docker image runs it. NEWSDESK_BACKEND unset: both defaults, since the
    machine that builds an image need not be the one whose CPU chooses between them."""
    settings = Settings.from_env(data_dir=data_dir)
    name = settings.model or DEFAULT_MODEL
    for backend in [settings.backend] if settings.backend else [AMX_BACKEND, DEFAULT_BACKEND]:
        print(f"{name} ({backend}) is ready in {prepare(name, backend, settings.models_home)}")


def with_ray(settings: Settings, address: str | None) -> Settings:
    return settings if not address else replace(settings, ray_address=address)


def report(summary: RunSummary, quiet: bool) -> None:
    """Problems on stderr, the one-line summary on stdout (what cron mails or logs)."""
    if quiet:
        return
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    for problem in summary.problems:
        err.print(f"{'skipped' if problem.skipped else 'warning'}: {problem.line()}", markup=False)
    print(summary.line())


@app.command()
def status(
    data_dir: DataDir = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object, for scripts and monitoring.")] = False,
) -> None:
    """Articles, passages, model, index type, size on disk and last update."""
    settings = Settings.from_env(data_dir=data_dir)
    snapshot = open_reader(settings).snapshot()
    info = snapshot.status()
    ready = prepared(info.model, snapshot.manifest.backend or LEGACY_BACKEND, settings.models_home)
    if as_json:
        json.dump({
            "generation": info.generation, "articles": info.articles, "passages": info.passages,
            "model": info.model, "dimension": info.dimension, "index_type": info.index_type,
            "backend": snapshot.manifest.backend,
            "model_cache": str(settings.models_home), "model_ready": str(ready) if ready else None,
            "size_bytes": info.size_bytes,
            "last_update": info.last_update.isoformat() if info.last_update else None,
        }, sys.stdout)
        print()
        return
    rows = (
        ("articles", f"{info.articles:,}"), ("passages", f"{info.passages:,}"),
        ("outlets", f"{sum(1 for o in info.sources if o.name):,}"),
        ("dates", f"{info.first_published:%Y-%m-%d} to {info.last_published:%Y-%m-%d}" if info.first_published else "-"),
        ("model", f"{info.model} ({info.dimension} dimensions)"), ("backend", snapshot.manifest.backend),
        ("model files", str(ready) if ready else f"not built yet in {settings.models_home} (the next index add builds them)"),
        ("index type", info.index_type),
        ("size on disk", human_size(info.size_bytes)), ("generation", str(info.generation)),
        ("last update", f"{info.last_update:%Y-%m-%d %H:%M:%S} UTC" if info.last_update else "-"),
    )
    for name, value in rows:  # plain lines: a table would crop the paths to the terminal's width
        print(f" {name:<13} {value}")
