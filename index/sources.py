"""Read archives (JSONL, CSV, folders of .txt/.md/.html) into `Article`s, reporting bad records.

Each reader yields `Article` or `Problem`; a bad record never stops the run.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from index.errors import SourceError
from index.normalize import clean_body, clean_line, content_hash, parse_date, title_from_body
from index.records import Article, Problem

MAX_BODY_CHARS = 1_000_000  # a record longer than this is a dump, not an article
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv"}

Record = Article | Problem


def article_from_fields(fields: dict, origin: str, fallback_id: str | None = None) -> Record | list[Record]:
    """Normalise one JSONL/CSV record; returns the article and any problem with a field."""
    raw_body = fields.get("body")
    if raw_body in (None, ""):
        raw_body = fields.get("text")
    if not isinstance(raw_body, str):
        return Problem(origin, "no body (expected a 'body' or 'text' field with text)")
    if len(raw_body) > MAX_BODY_CHARS:
        return Problem(origin, f"body is {len(raw_body):,} characters, over the {MAX_BODY_CHARS:,} limit")
    body = clean_body(raw_body)
    if not body:
        return Problem(origin, "empty body")

    def text(name: str) -> str | None:
        value = fields.get(name)
        if value is None or isinstance(value, (dict, list)):
            return None
        return clean_line(str(value)) or None

    url, given_id = text("url"), text("id")
    problems: list[Record] = []
    raw_date = text("published_at") or text("date")
    published = parse_date(raw_date) if raw_date else None
    if raw_date and published is None:
        problems.append(Problem(origin, f"date {raw_date!r} could not be parsed", skipped=False))
    article = Article(
        article_id=given_id or url or fallback_id or content_hash(body),
        body=body,
        title=text("title") or title_from_body(body),
        url=url,
        source=text("source") or text("outlet"),
        author=text("author"),
        published_at=published,
        origin=origin,
    )
    return [article, *problems] if problems else article


def expand(result: Record | list[Record]) -> Iterator[Record]:
    if isinstance(result, list):
        yield from result
    else:
        yield result


def read_jsonl(path: Path) -> Iterator[Record]:
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, start=1):
            origin = f"{path}:{number}"
            if not raw.strip():
                continue
            try:
                fields = json.loads(raw)
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                yield Problem(origin, f"not valid JSON ({error.__class__.__name__}: {error})")
                continue
            if not isinstance(fields, dict):
                yield Problem(origin, "not a JSON object")
                continue
            yield from expand(article_from_fields(fields, origin))


def read_csv(path: Path) -> Iterator[Record]:
    csv.field_size_limit(max(MAX_BODY_CHARS * 16, csv.field_size_limit()))
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
        reader = csv.DictReader(handle)
        with handle:
            start = reader.line_num + 1
            for row in reader:
                origin = f"{path}:{start}"
                start = reader.line_num + 1
                if None in row:
                    yield Problem(origin, "more values than columns")
                    continue
                yield from expand(article_from_fields(row, origin))
    except UnicodeDecodeError:
        yield Problem(str(path), "not UTF-8 text")
    except csv.Error as error:
        yield Problem(str(path), f"not readable as CSV ({error})")


def _read_text(path: Path) -> str | Problem:
    try:
        data = path.read_bytes()
    except OSError as error:
        return Problem(str(path), f"cannot be read ({error.strerror})")
    if b"\x00" in data[:8192]:
        return Problem(str(path), "binary file, not text")
    if len(data) > MAX_BODY_CHARS * 4:
        return Problem(str(path), f"file is {len(data):,} bytes, too large for one article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem(str(path), "not UTF-8 text")


def read_document(path: Path, article_id: str) -> Iterator[Record]:
    """One .txt/.md/.html file is one article; its id is its path."""
    text = _read_text(path)
    if isinstance(text, Problem):
        yield text
        return
    fields: dict[str, str] = {"id": article_id}
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm"}:
        fields.update(_html_fields(text))
    elif suffix in {".md", ".markdown"}:
        first, _, rest = text.lstrip().partition("\n")
        if first.startswith("# "):
            fields["title"], text = first[2:].strip(), rest
        fields["body"] = text
    else:
        fields["body"] = text
    yield from expand(article_from_fields(fields, str(path)))


def _html_fields(html: str) -> dict[str, str]:
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, favor_recall=True, include_comments=False)
    if document is None or not document.text:
        return {}
    # trafilatura puts one paragraph per line; clean_body wants blank lines between paragraphs
    fields = {"body": document.text.replace("\n", "\n\n")}
    for name, value in (("title", document.title), ("published_at", document.date),
                        ("source", document.sitename), ("url", document.url), ("author", document.author)):
        if value:
            fields[name] = value
    return fields


def read_path(path: Path) -> Iterator[Record]:
    """Every article under a path: a record file, a document, or a folder of them."""
    if not path.exists():
        raise SourceError(f"{path} does not exist.")
    if path.is_dir():
        for root, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield from _read_file(Path(root) / name, in_folder=True)
    else:
        yield from _read_file(path, in_folder=False)


def _read_file(path: Path, in_folder: bool) -> Iterator[Record]:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        yield from read_jsonl(path)
    elif suffix == ".csv":
        yield from read_csv(path)
    elif suffix in TEXT_SUFFIXES:
        yield from read_document(path, os.path.normpath(str(path)))
    elif in_folder:
        yield Problem(str(path), f"not a supported file type ({', '.join(sorted(TEXT_SUFFIXES | RECORD_SUFFIXES))})")
    else:
        raise SourceError(
            f"{path} is not a supported file: give a .jsonl, .csv, .txt, .md or .html file, or a folder."
        )


def read_paths(paths: Iterable[Path]) -> Iterator[Record]:
    for path in paths:
        yield from read_path(Path(path))
