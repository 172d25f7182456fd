"""Hostile input, index side (issue 16): every bad record, file or feed is reported with its place and
skipped, the rest of the run is indexed and published, and the counts add up exactly."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
import tracemalloc
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index import pipeline
from index.config import SourceSpec
from index.feeds import Fetcher
from index.engines.faiss import IndexReader
from index.records import Article, Problem
from index.settings import Settings
from index.sources import MAX_FILE_BYTES, MAX_RECORD_CHARS, read_path
from tests.support import HashingEncoder, WebServer

WARNING = " (indexed without it)"  # Problem.line() of a record indexed with a warning


def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data", model=HashingEncoder.name)


def add(tmp_path, *paths):
    return pipeline.add(list(paths), settings(tmp_path), encoder=HashingEncoder(), quiet=True)


def live(tmp_path) -> dict[str, tuple]:
    """The published articles: id -> (title, published_at, body)."""
    gen = IndexReader(tmp_path / "data").snapshot().generation
    with sqlite3.connect(tmp_path / "data" / "newsdesk.sqlite3") as db:
        rows = db.execute("SELECT article_id, title, published_at, body FROM articles WHERE gen_added <= ?"
                          " AND (gen_removed IS NULL OR gen_removed > ?)", (gen, gen)).fetchall()
    return {r[0]: r[1:] for r in rows}


def split(records):
    records = list(records)
    return [r for r in records if isinstance(r, Article)], [r for r in records if isinstance(r, Problem)]


def record(article_id: str, body: str | None = None, **fields) -> bytes:
    fields = {"id": article_id, "body": body or f"Report {article_id} on the harbour dredging contract.", **fields}
    return json.dumps(fields).encode() + b"\n"


# 1 --------------------------------------------------------------------------------------------------
def test_lone_surrogates_and_invalid_bytes_are_replaced_and_the_run_publishes(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_bytes(
        record("good-1")
        + record("surrogate-body", "Drone strikes near Rovno \ud800 were reported.")  # json.dumps writes \\ud800
        + record("surrogate-title", title="Rovno \udc80 update")
        + b'{"id": "encoded-surrogate", "body": "Bytes \xed\xa0\x80 of a surrogate in UTF-8."}\n'
        + b'{"id": "latin1-byte", "body": "Caf\xe9 owners protest the new rent rules."}\n'
        + record("good-2"))
    summary = add(tmp_path, path)
    assert (summary.added, summary.skipped, summary.generation) == (6, 0, 1)

    def replaced(line, count):
        return (f"{path}:{line}: {count} invalid character{'s' if count > 1 else ''} (lone surrogates or bytes "
                f"that are not UTF-8) replaced with U+FFFD{WARNING}")

    assert [p.line() for p in summary.problems] == [replaced(2, 1), replaced(3, 1), replaced(4, 3), replaced(5, 1)]
    articles = live(tmp_path)
    assert sorted(articles) == sorted(["good-1", "surrogate-body", "surrogate-title", "encoded-surrogate",
                                       "latin1-byte", "good-2"])
    assert articles["surrogate-body"][2] == "Drone strikes near Rovno \ufffd were reported."
    assert articles["surrogate-title"][0] == "Rovno \ufffd update"
    assert articles["encoded-surrogate"][2] == "Bytes \ufffd\ufffd\ufffd of a surrogate in UTF-8."
    assert articles["latin1-byte"][2] == "Caf\ufffd owners protest the new rent rules."
    again = add(tmp_path, path)  # a later run is not stopped by the same file either
    assert (again.added, again.unchanged, again.generation) == (0, 6, 1)


def test_file_names_that_are_not_utf8_become_valid_ids(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "plain.txt").write_text("A note on the ferry timetable. More follows.")
    name = os.fsencode(folder) + b"/caf\xe9.txt"
    with open(name, "wb") as handle:
        handle.write(b"A note on the cafe licences. More follows.")
    summary = add(tmp_path, folder)
    assert (summary.added, summary.skipped, summary.problems) == (2, 0, ())
    assert sorted(live(tmp_path)) == sorted([str(folder / "plain.txt"), str(folder / "caf\ufffd.txt")])


# 2, 3, 4 --------------------------------------------------------------------------------------------
@pytest.mark.timeout(30)
def test_links_fifos_and_devices_are_reported_and_never_read(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "good.jsonl").write_bytes(record("good-1") + record("good-2"))
    (folder / "note.txt").write_text("A note on the ferry timetable. More follows.")
    os.symlink("nowhere.csv", folder / "broken.csv")
    os.symlink(tmp_path / "gone.jsonl", folder / "broken.jsonl")
    os.symlink("loop-b.jsonl", folder / "loop-a.jsonl")
    os.symlink("loop-a.jsonl", folder / "loop-b.jsonl")
    os.mkfifo(folder / "pipe.jsonl")
    os.mkfifo(folder / "pipe.txt")
    os.symlink("/dev/zero", folder / "zero.txt")
    os.symlink("/dev/zero", folder / "zero.csv")
    started = time.monotonic()
    summary = add(tmp_path, folder)
    assert time.monotonic() - started < 10  # a FIFO opened for reading would wait for a writer for ever
    assert (summary.added, summary.skipped) == (3, 8)
    device = "is a character device, not a regular file: only regular files are read"
    fifo = "is a named pipe (FIFO), not a regular file: only regular files are read"
    assert [p.line() for p in summary.problems] == [
        f"{folder / 'broken.csv'}: is a broken symbolic link (to nowhere.csv)",
        f"{folder / 'broken.jsonl'}: is a broken symbolic link (to {tmp_path / 'gone.jsonl'})",
        f"{folder / 'loop-a.jsonl'}: is a symbolic link loop",
        f"{folder / 'loop-b.jsonl'}: is a symbolic link loop",
        f"{folder / 'pipe.jsonl'}: {fifo}",
        f"{folder / 'pipe.txt'}: {fifo}",
        f"{folder / 'zero.csv'}: {device}",
        f"{folder / 'zero.txt'}: {device}",
    ]
    assert sorted(live(tmp_path)) == sorted(["good-1", "good-2", str(folder / "note.txt")])


@pytest.mark.timeout(60)
def test_size_caps_are_checked_while_reading(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    with open(folder / "huge.txt", "wb") as handle:  # sparse: 20 GB that cost no disk
        handle.truncate(20 * 2**30)
    with open(folder / "huge.jsonl", "wb") as handle:  # one 60 MB line between two good ones
        handle.write(record("before"))
        handle.write(b'{"id": "huge", "body": "' + b"x" * (60 * 2**20) + b'"}\n')
        handle.write(record("after"))
    tracemalloc.start()
    started = time.monotonic()
    try:
        articles, problems = split(read_path(folder))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 20
    assert peak < 3 * MAX_RECORD_CHARS  # nothing near 60 MB or 20 GB was held
    assert [a.article_id for a in articles] == ["before", "after"]
    assert [p.line() for p in problems] == [
        f"{folder / 'huge.jsonl'}:2: line is longer than {MAX_RECORD_CHARS:,} bytes",
        f"{folder / 'huge.txt'}: file is over {MAX_FILE_BYTES:,} bytes, too large for one article",
    ]


# 5 --------------------------------------------------------------------------------------------------
def csv_rows(count: int) -> list[bytes]:
    return [f"r-{n},Row {n},Body of row {n} about the port.,Harbor Tribune,2024-11-02\r\n".encode()
            for n in range(1, count + 1)]


def test_csv_with_a_byte_that_is_not_utf8_loses_no_row(tmp_path):
    rows = csv_rows(400)
    rows[199] = b"r-200,Row 200,Caf\xe9 body of row 200.,Harbor Tribune,2024-11-02\r\n"
    path = tmp_path / "wire.csv"
    path.write_bytes(b"id,title,body,source,date\r\n" + b"".join(rows))
    summary = add(tmp_path, path)
    assert (summary.added, summary.skipped) == (400, 0)
    assert [p.line() for p in summary.problems] == [
        f"{path}:201: 1 invalid character (lone surrogates or bytes that are not UTF-8) replaced with U+FFFD{WARNING}"]
    articles = live(tmp_path)
    assert sorted(articles) == sorted(f"r-{n}" for n in range(1, 401))
    assert articles["r-200"][2] == "Caf\ufffd body of row 200."


def test_csv_with_a_50_mb_field_loses_only_that_row(tmp_path):
    path = tmp_path / "wire.csv"
    rows = csv_rows(3)
    with open(path, "wb") as handle:
        handle.write(b"id,title,body,source,date\r\n" + rows[0])
        handle.write(b'r-2,Row 2,"' + b"y" * (50 * 2**20) + b'",Harbor Tribune,2024-11-02\r\n')
        handle.write(rows[2])
    started = time.monotonic()
    summary = add(tmp_path, path)
    assert time.monotonic() - started < 20
    assert (summary.added, summary.skipped) == (2, 1)
    assert [p.line() for p in summary.problems] == [f"{path}:3: row is longer than {MAX_RECORD_CHARS:,} characters"]
    assert sorted(live(tmp_path)) == ["r-1", "r-3"]


def test_csv_unbalanced_quotes_are_reported_and_swallowed_rows_read_again(tmp_path):
    path = tmp_path / "wire.csv"
    path.write_text(
        "id,title,body,source,date\n"
        "c-1,First,First body.,Harbor Tribune,2024-11-01\n"
        'c-2,"Second,Second body.,Harbor Tribune,2024-11-02\n'  # 3: the quote is never closed...
        "c-3,Third,Third body.,Harbor Tribune,2024-11-03\n"
        'c-4,"Fourth, with a comma",Fourth body.,Harbor Tribune,2024-11-04\n'  # ...the next one ends it
        "c-5,Fifth,Fifth body.,Harbor Tribune,2024-11-05\n"
        'c-6,Sixth,"Sixth body, never closed,Harbor Tribune,2024-11-06\n'  # 7: swallows up to line 9
        "c-7,Seventh,Seventh body.,Harbor Tribune,2024-11-07\n"
        'c-8,Eighth,"Eighth body,\nover two lines.",Harbor Tribune\n'  # 9-10: well quoted, a value short
        'c-9,Ninth,"Ninth body, never closed,Harbor Tribune,2024-11-09\n'  # 11: open to the end of the file
        "c-10,Tenth,Tenth body.,Harbor Tribune,2024-11-10\n")
    summary = add(tmp_path, path)
    rows = 10
    assert (summary.added, summary.skipped, summary.added + summary.skipped) == (6, 4, rows)
    assert [p.line() for p in summary.problems] == [
        f"{path}:3: malformed quotes (',' expected after '\"'); a quote opened on line 3 is probably not closed, "
        "so lines 4-5 are read again as rows",
        f"{path}:7: malformed quotes (',' expected after '\"'); a quote opened on line 7 is probably not closed, "
        "so lines 8-9 are read again as rows",
        f"{path}:9: fewer values than columns (the row spans lines 9-10)",
        f"{path}:11: malformed quotes (unexpected end of data); a quote opened on line 11 is probably not closed, "
        "so line 12 is read again as rows",
    ]
    articles = live(tmp_path)
    assert sorted(articles) == sorted(["c-1", "c-3", "c-4", "c-5", "c-7", "c-10"])
    assert articles["c-4"][0] == "Fourth, with a comma"
    assert [articles[i][1] for i in ("c-3", "c-10")] == ["2024-11-03T00:00:00+00:00", "2024-11-10T00:00:00+00:00"]


# 6 --------------------------------------------------------------------------------------------------
def test_dates_outside_the_window_are_dropped_with_a_warning(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_bytes(record("placeholder", date="9999-12-31") + record("too-old", date="1700-03-01")
                     + record("past-9999-in-utc", date="9999-12-31T23:00:00-05:00")
                     + record("next-decade", date="2040-01-01") + record("good", date="1987-03-27"))
    summary = add(tmp_path, path)
    assert (summary.added, summary.skipped) == (5, 0)
    assert [p.line() for p in summary.problems] == [
        f"{path}:1: date '9999-12-31' is before 1800 or more than a year from now{WARNING}",
        f"{path}:2: date '1700-03-01' is before 1800 or more than a year from now{WARNING}",
        f"{path}:3: date '9999-12-31T23:00:00-05:00' could not be parsed{WARNING}",
        f"{path}:4: date '2040-01-01' is before 1800 or more than a year from now{WARNING}",
    ]
    assert {key: value[1] for key, value in live(tmp_path).items()} == {
        "placeholder": None, "too-old": None, "past-9999-in-utc": None, "next-decade": None,
        "good": "1987-03-27T00:00:00+00:00"}


def test_a_question_naming_a_month_is_answered_when_the_archive_holds_year_9999(tmp_path):
    """An archive indexed before dates were checked may hold 9999-12-31: archive_end ignores it, so
    "in December" counts back from the newest believable date instead of overflowing."""
    from retrieval.search import Searcher

    path = tmp_path / "wire.jsonl"
    path.write_bytes(
        record("strikes", "Drone strikes hit the Rovno fuel depot overnight, officials said.", date="2024-12-07")
        + record("talks", "Grain talks resumed in Istanbul on Tuesday.", date="2025-01-14")
        + record("placeholder", "A placeholder page about drone strikes with no real date.", date="2025-01-02"))
    add(tmp_path, path)
    with sqlite3.connect(tmp_path / "data" / "newsdesk.sqlite3") as db:  # as an older indexer wrote it
        db.execute("UPDATE articles SET published_at = '9999-12-31T00:00:00+00:00' WHERE article_id = 'placeholder'")
    reader = IndexReader(tmp_path / "data")
    assert reader.snapshot().archive_end == datetime(2025, 1, 14, tzinfo=timezone.utc)
    answer = Searcher(reader, HashingEncoder()).ask("drone strikes in December")
    assert answer.hits[0].citation.article_id == "strikes"  # dated in December, so ranked first


# 10 -------------------------------------------------------------------------------------------------
class TrickleServer:
    """HTTP on 127.0.0.1 answering every GET one byte at a time, `every` seconds apart: from the status
    line on (paths under /headers/) or after prompt headers (any other path). Each byte comes well inside
    a read timeout, so only a deadline on the whole request ends it. Stops trickling when closed."""

    def __init__(self, body: bytes, every: float) -> None:
        stopped = self.stopped = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                        b"Content-Length: %d\r\n\r\n" % len(body))
                slow = head + body if self.path.startswith("/headers/") else body
                try:
                    if slow is body:
                        self.wfile.write(head)
                    for byte in slow:
                        if stopped.wait(every):
                            return
                        self.wfile.write(bytes([byte]))
                except OSError:
                    return  # the client hung up: what the test expects of it

            def log_message(self, *args):
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.netloc = f"127.0.0.1:{self._httpd.server_address[1]}"
        self.base = f"http://{self.netloc}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def __enter__(self) -> TrickleServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Danube Post</title><link>{fast}/</link><description>News</description>
<item><title>Barge captain convicted</title><link>{fast}/articles/1.html</link><guid>dp-1</guid>
  <pubDate>Wed, 15 Jan 2025 09:30:00 GMT</pubDate>
  <content:encoded><![CDATA[<p>{full}</p>]]></content:encoded></item>
<item><title>Lock repairs finished</title><link>{slow}/articles/2.html</link><guid>dp-2</guid>
  <pubDate>Thu, 16 Jan 2025 10:00:00 GMT</pubDate><description>Repairs at the Gabcikovo lock are done.</description></item>
<item><title>Ferry strike called off</title><link>{slow}/articles/3.html</link><guid>dp-3</guid>
  <pubDate>Fri, 17 Jan 2025 11:00:00 GMT</pubDate><description>The ferry strike in Vidin was called off.</description></item>
</channel></rss>"""
FULL = "The court in Vukovar convicted the captain of the barge that struck the bridge pier in March. " * 6


@pytest.mark.timeout(60)
def test_a_trickling_feed_or_page_is_abandoned_at_the_deadline_and_the_rest_is_indexed(tmp_path):
    folder = tmp_path / "desk"
    folder.mkdir()
    (folder / "note.txt").write_text("A note on the ferry timetable. More follows.")
    page = b"<html><body><article><p>" + b"Slow page text. " * 200 + b"</p></article></body></html>"
    with TrickleServer(page, every=0.5) as slow_feed, TrickleServer(page, every=0.5) as slow_pages, \
            WebServer({}) as fast:
        fast.routes["/feed.xml"] = (200, FEED.format(fast=fast.base, slow=slow_pages.base, full=FULL).encode(),
                                    "application/rss+xml")
        specs = [SourceSpec("desk", path=folder), SourceSpec("slow", feed=f"{slow_feed.base}/headers/feed.xml"),
                 SourceSpec("danube", feed=f"{fast.base}/feed.xml")]
        deadline = 1.5
        fetcher = Fetcher(timeout=5.0, deadline=deadline, host_delay=0.0)
        started = time.monotonic()
        summary = pipeline.update(specs, settings(tmp_path), encoder=HashingEncoder(), quiet=True, fetcher=fetcher)
        elapsed = time.monotonic() - started
    # The two feeds are fetched at once: the slow feed's deadline and the first slow page's (the second
    # page of that server is not asked for) overlap, plus the run's own cost (publishing looks up place
    # names: a few seconds on two cores). Trickled to the end, the feed alone would take half an hour.
    assert deadline <= elapsed < 2 * deadline + 15
    assert (summary.added, summary.skipped, summary.generation) == (4, 1, 1)
    abandoned = f"was abandoned: not fetched within the {deadline:g} s deadline"
    summary_kept = "the feed's summary is indexed (indexed without it)"
    assert [p.line() for p in summary.problems] == [
        f"source slow: {slow_feed.base}/headers/feed.xml {abandoned}",
        f"{fast.base}/feed.xml entry 2: article page not fetched ({slow_pages.base}/articles/2.html {abandoned}); "
        f"{summary_kept}",
        f"{fast.base}/feed.xml entry 3: article page not fetched ({slow_pages.base}/articles/3.html not fetched: "
        f"{slow_pages.netloc} missed the {deadline:g} s deadline earlier); {summary_kept}",
    ]
    articles = live(tmp_path)
    assert sorted(articles) == sorted([str(folder / "note.txt"), "dp-1", "dp-2", "dp-3"])
    assert articles["dp-3"][2] == "The ferry strike in Vidin was called off."
