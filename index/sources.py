"""Read archives (JSONL, CSV, folders of .txt/.md/.html) into `Article`s, reporting bad records.

Each reader yields `Article` or `Problem`; a bad record never stops the run.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import stat
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from index.errors import NotReadable, SourceError
from index.normalize import (clean_body, clean_line, content_hash, decode_line, parse_date, sane_date,
                             title_from_body, valid_text)
from index.records import Article, Problem

MAX_BODY_CHARS = 1_000_000  # a record longer than this is a dump, not an article
# What is read of one line, CSV row or document before it is given up: a body at its limit plus room for
# markup, escapes and the other fields. Checked while reading, so /dev/zero or a 50 GB file costs 4 MB.
MAX_RECORD_CHARS = MAX_BODY_CHARS * 4
MAX_FILE_BYTES = MAX_BODY_CHARS * 4
TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
RECORD_SUFFIXES = {".jsonl", ".ndjson", ".csv"}
_READ_CHUNK = 1 << 20

Record = Article | Problem


def where(path: Path | str) -> str:
    """A path as reports and ids show it: bytes of a file name that are not UTF-8 become U+FFFD, since
    the database and the terminal refuse the surrogates Python keeps them as."""
    return valid_text(str(path))[0]


def article_from_fields(fields: dict, origin: str, fallback_id: str | None = None) -> Record | list[Record]:
    """Normalise one JSONL/CSV record; returns the article and any problem with a field."""
    replaced = 0

    def valid(value: str) -> str:
        nonlocal replaced
        value, count = valid_text(value)
        replaced += count
        return value

    raw_body = fields.get("body")
    if raw_body in (None, ""):
        raw_body = fields.get("text")
    if not isinstance(raw_body, str):
        return Problem(origin, "no body (expected a 'body' or 'text' field with text)")
    if len(raw_body) > MAX_BODY_CHARS:
        return Problem(origin, f"body is {len(raw_body):,} characters, over the {MAX_BODY_CHARS:,} limit")
    body = clean_body(valid(raw_body))
    if not body:
        return Problem(origin, "empty body")

    def text(name: str) -> str | None:
        value = fields.get(name)
        if value is None or isinstance(value, (dict, list)):
            return None
        return clean_line(valid(str(value))) or None

    url, given_id = text("url"), text("id")
    problems: list[Record] = []
    raw_date = text("published_at") or text("date")
    published = parse_date(raw_date) if raw_date else None
    if raw_date and published is None:
        problems.append(Problem(origin, f"date {raw_date!r} could not be parsed", skipped=False))
    elif published is not None and not sane_date(published):
        problems.append(Problem(origin, f"date {raw_date!r} is before 1800 or more than a year from now",
                                skipped=False))
        published = None
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
    if replaced:
        problems.insert(0, Problem(origin, f"{replaced} invalid character{'s' if replaced > 1 else ''} (lone "
                                           "surrogates or bytes that are not UTF-8) replaced with U+FFFD",
                                   skipped=False))
    return [article, *problems] if problems else article


def expand(result: Record | list[Record]) -> Iterator[Record]:
    if isinstance(result, list):
        yield from result
    else:
        yield result


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))


def _not_regular(mode: int) -> NotReadable:
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return NotReadable(f"is {kind}, not a regular file: only regular files are read")


def open_regular(path: Path) -> BinaryIO:
    """A regular file opened for reading. Anything else raises NotReadable before a byte is read: a
    FIFO would block the run (and the writer lock) until something writes to it, a device like
    /dev/zero never ends, and a dangling link or a loop has nothing to read."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise NotReadable(f"is a broken symbolic link (to {where(os.readlink(path))})") from None
        raise NotReadable("no longer exists") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise NotReadable("is a symbolic link loop") from None
        raise NotReadable(f"cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise _not_regular(info.st_mode)
    try:
        # O_NONBLOCK: if a FIFO took the file's place since the stat, opening it does not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise NotReadable(f"cannot be read ({error.strerror})") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise _not_regular(mode)
    os.set_blocking(fd, True)
    return os.fdopen(fd, "rb")


def bounded_lines(handle: BinaryIO | io.TextIOBase, limit: int) -> Iterator[tuple[int, bytes | str | None]]:
    """(line number, line) with at most `limit` characters kept of a line: a longer line comes as None,
    having been read to its end in chunks, so one huge line costs no more memory than the limit."""
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        ends = (b"\n", b"\r") if isinstance(line, bytes) else ("\n", "\r")
        if len(line) <= limit or line.endswith(ends):
            yield number, line
            continue
        while line and not line.endswith(ends):
            line = handle.readline(_READ_CHUNK)
        yield number, None


def read_jsonl(path: Path) -> Iterator[Record]:
    name = where(path)
    with open_regular(path) as handle:
        for number, raw in bounded_lines(handle, MAX_RECORD_CHARS):
            origin = f"{name}:{number}"
            if raw is None:
                yield Problem(origin, f"line is longer than {MAX_RECORD_CHARS:,} bytes")
                continue
            if not raw.strip():
                continue
            line = decode_line(raw)
            if number == 1:
                line = line.removeprefix("\ufeff")
            try:
                fields = json.loads(line)
            except json.JSONDecodeError as error:
                yield Problem(origin, f"not valid JSON ({error.__class__.__name__}: {error})")
                continue
            except RecursionError:
                yield Problem(origin, "not valid JSON (nested too deeply)")
                continue
            if not isinstance(fields, dict):
                yield Problem(origin, "not a JSON object")
                continue
            yield from expand(article_from_fields(fields, origin))


class _TooLong(Exception):
    """A CSV row grew past MAX_RECORD_CHARS (raised through csv.reader, which passes it on)."""


class _RowLines:
    """The physical lines of a CSV file, fed to csv.reader: each numbered, the lines of the row being read
    kept (`taken`), and lines that a broken row swallowed given back (`again`) to be read as rows."""

    def __init__(self, handle: io.TextIOBase) -> None:
        self._source = bounded_lines(handle, MAX_RECORD_CHARS)
        self.again: deque[tuple[int, str | None]] = deque()
        self.taken: list[tuple[int, str | None]] = []
        self._size = 0

    def start_row(self) -> None:
        self.taken, self._size = [], 0

    def give_back(self, lines: list[tuple[int, str | None]]) -> None:
        self.again.extendleft(reversed(lines))

    def __iter__(self) -> _RowLines:
        return self

    def __next__(self) -> str:
        number, line = self.again.popleft() if self.again else next(self._source)
        self.taken.append((number, line))
        if line is None:
            raise _TooLong
        self._size += len(line)
        if self._size > MAX_RECORD_CHARS:
            raise _TooLong
        return line


def read_csv(path: Path) -> Iterator[Record]:
    """Rows of a CSV file with a header row. Every row is indexed or reported at its first line.

    A row must have as many values as the header has names. A quoted value may span lines (multi-line
    bodies), so a quote that is never closed swallows the rows after it, up to the next quote. csv's
    strict mode turns that into an error (a quote followed by a letter, or the file ending inside
    quotes), as it does a row that grows past the size limit; such a row is reported at its first line
    and the lines after it are read again as rows, so the rows it swallowed are indexed or reported on
    their own. A row that parses with well-formed quotes but the wrong number of values is reported
    whole: its later lines belong to one of its values, and read as rows they would be nonsense."""
    csv.field_size_limit(max(MAX_RECORD_CHARS, csv.field_size_limit()))
    name = where(path)
    with open_regular(path) as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", errors="surrogateescape",
                                                      newline="") as handle:
        lines = _RowLines(handle)
        reader = csv.reader(lines, strict=True)
        header: list[str] | None = None
        while True:
            lines.start_row()
            swallowed = True  # whether a failure may have swallowed the rows after the first line
            try:
                row = next(reader)
                reason = None
            except StopIteration:
                break
            except _TooLong:
                row, reason = [], f"row is longer than {MAX_RECORD_CHARS:,} characters"
            except csv.Error as error:
                row, reason = [], f"malformed quotes ({error})"
            first, last = lines.taken[0][0], lines.taken[-1][0]
            if reason is None and header is not None and row and len(row) != len(header):
                swallowed = False
                reason = f"{'more' if len(row) > len(header) else 'fewer'} values than columns"
                if last > first:
                    reason += f" (the row spans lines {first}-{last})"
            if reason is not None:
                if header is None:
                    yield Problem(f"{name}:{first}", f"the header row is unreadable ({reason}); the file is skipped")
                    return
                if swallowed and last > first:
                    again = f"line {last} is" if last == first + 1 else f"lines {first + 1}-{last} are"
                    reason += f"; a quote opened on line {first} is probably not closed, so {again} read again as rows"
                    lines.give_back(lines.taken[1:])
                yield Problem(f"{name}:{first}", reason)
                continue
            if not row:  # a blank line
                continue
            if header is None:
                header = [valid_text(column)[0].strip() for column in row]
                continue
            yield from expand(article_from_fields(dict(zip(header, row)), f"{name}:{first}"))


def _read_text(path: Path) -> str | Problem:
    name = where(path)
    with open_regular(path) as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return Problem(name, f"file is over {MAX_FILE_BYTES:,} bytes, too large for one article")
    if b"\x00" in data[:8192]:
        return Problem(name, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem(name, "not UTF-8 text")


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
    yield from expand(article_from_fields(fields, where(path)))


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
        if path.is_symlink():
            raise SourceError(f"{path} is a broken symbolic link or a link loop.")
        raise SourceError(f"{path} does not exist.")
    if path.is_dir():
        unreadable: list[OSError] = []
        for root, dirs, files in os.walk(path, onerror=unreadable.append):
            while unreadable:
                error = unreadable.pop(0)
                yield Problem(where(error.filename or root), f"folder cannot be read ({error.strerror})")
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                if not name.startswith("."):
                    yield from _read_file(Path(root) / name, in_folder=True)
        for error in unreadable:
            yield Problem(where(error.filename or path), f"folder cannot be read ({error.strerror})")
    else:
        yield from _read_file(path, in_folder=False)


def _read_file(path: Path, in_folder: bool) -> Iterator[Record]:
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson"}:
        reader = read_jsonl(path)
    elif suffix == ".csv":
        reader = read_csv(path)
    elif suffix in TEXT_SUFFIXES:
        reader = read_document(path, os.path.normpath(where(path)))
    elif in_folder:
        yield Problem(where(path), f"not a supported file type ({', '.join(sorted(TEXT_SUFFIXES | RECORD_SUFFIXES))})")
        return
    else:
        raise SourceError(
            f"{path} is not a supported file: give a .jsonl, .csv, .txt, .md or .html file, or a folder."
        )
    try:
        yield from reader
    except NotReadable as error:
        yield Problem(where(path), str(error))
    except OSError as error:  # the disk or the file went away while it was read: what was read stands
        yield Problem(where(path), f"could not be read to its end ({error.strerror or error})")


def read_paths(paths: Iterable[Path]) -> Iterator[Record]:
    for path in paths:
        yield from read_path(Path(path))
