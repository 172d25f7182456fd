"""`newsdesk index update`: configured folders and feeds, pruning, polite fetching, cron-friendly output."""

import os
import sqlite3
import textwrap
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from index import pipeline
from index.config import SourceSpec, load_sources
from index.errors import SettingsError
from index.errors import FetchError
from index.feeds import Fetcher
from index.engines.faiss import IndexReader
from index.settings import Settings
from tests.support import HashingEncoder, WebServer

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Danube Post</title><link>{base}/</link><description>News</description>
<item><title>Barge captain convicted</title><link>{base}/articles/1.html</link><guid>dp-1</guid>
  <pubDate>Wed, 15 Jan 2025 09:30:00 +0100</pubDate>
  <content:encoded><![CDATA[<p>{full}</p><p>The captain will appeal.</p>]]></content:encoded></item>
<item><title>Lock repairs finished</title><link>{base}/articles/2.html</link><guid>dp-2</guid>
  <pubDate>Thu, 16 Jan 2025 10:00:00 GMT</pubDate><description>Repairs at the Gabcikovo lock are done.</description></item>
<item><title>Ferry strike called off</title><link>{base}/articles/3.html</link><guid>dp-3</guid>
  <pubDate>Fri, 17 Jan 2025 11:00:00 GMT</pubDate><description>The ferry strike in Vidin was called off.</description></item>
</channel></rss>"""
FULL = ("The court in Vukovar convicted the captain of the barge that struck the bridge pier in March, "
        "after a trial that lasted eleven weeks and heard forty witnesses. ") * 4
PAGE = """<html><head><title>Lock repairs finished</title></head><body>
<nav>Home | River | Ports</nav>
<article><h1>Lock repairs finished</h1>
<p>Engineers finished the repairs at the Gabcikovo lock on Thursday, two weeks ahead of schedule, and
river traffic through the lock resumed in both directions by the afternoon.</p>
<p>The lock had been closed since December after a gate mechanism failed during a cold snap, forcing
cargo barges to wait or unload at Bratislava.</p></article>
<footer>Copyright Danube Post</footer></body></html>"""


def routes(base):
    return {
        "/feed.xml": (200, RSS.format(base=base, full=FULL).encode(), "application/rss+xml"),
        "/articles/2.html": (200, PAGE.encode(), "text/html"),
        # /articles/3.html is missing: the feed's summary is indexed instead
    }


@pytest.fixture
def web():
    with WebServer({}) as server:
        server.routes.update(routes(server.base))
        yield server


def folder_with(tmp_path, names):
    folder = tmp_path / "desk"
    folder.mkdir(exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    for name in names:
        (folder / f"{name}.txt").write_text(f"Note {name} about the harbour dredging contract. More follows here.")
    return folder


def write_sources(tmp_path, web, authoritative=True):
    path = tmp_path / "sources.toml"
    path.write_text(textwrap.dedent(f"""
        [[source]]
        name = "desk"
        path = "desk"
        authoritative = {str(authoritative).lower()}

        [[source]]
        name = "danube"
        feed = "{web.base}/feed.xml"
        authoritative = true
    """))
    return path


def run_update(tmp_path, web, prune=False, authoritative=True, delay=0.0):
    specs = load_sources(write_sources(tmp_path, web, authoritative))
    settings = Settings(data_dir=tmp_path / "data", model=HashingEncoder.name)
    return pipeline.update(specs, settings, encoder=HashingEncoder(), quiet=True, prune=prune,
                           fetcher=Fetcher(host_delay=delay, timeout=5))


def live(tmp_path):
    snapshot = IndexReader(tmp_path / "data").snapshot()
    import sqlite3
    with sqlite3.connect(tmp_path / "data" / "newsdesk.sqlite3") as db:
        rows = db.execute("SELECT article_id, collection, source, published_at, body FROM articles"
                          " WHERE gen_added <= ? AND (gen_removed IS NULL OR gen_removed > ?) ORDER BY article_id",
                          (snapshot.generation, snapshot.generation)).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_feeds_and_folders_are_indexed_and_summaries_get_their_page(tmp_path, web):
    folder_with(tmp_path, ["a", "b"])
    summary = run_update(tmp_path, web)
    assert (summary.added, summary.skipped, summary.generation) == (5, 0, 1)
    assert [p.line() for p in summary.problems] == [
        f"{web.base}/feed.xml entry 3: article page not fetched ({web.base}/articles/3.html answered HTTP 404); "
        "the feed's summary is indexed (indexed without it)"]
    articles = live(tmp_path)
    assert sorted(articles) == sorted([str(tmp_path / "desk" / "a.txt"), str(tmp_path / "desk" / "b.txt"),
                                       "dp-1", "dp-2", "dp-3"])
    assert articles["dp-1"][:3] == ("danube", "Danube Post", "2025-01-15T08:30:00+00:00")
    assert articles["dp-1"][3].startswith("The court in Vukovar convicted") and "appeal" in articles["dp-1"][3]
    assert articles["dp-2"][3] == ("Lock repairs finished\n\nEngineers finished the repairs at the Gabcikovo lock on Thursday, two weeks ahead of "
                                   "schedule, and river traffic through the lock resumed in both directions by the "
                                   "afternoon.\n\nThe lock had been closed since December after a gate mechanism failed "
                                   "during a cold snap, forcing cargo barges to wait or unload at Bratislava.")
    assert articles["dp-3"][3] == "The ferry strike in Vidin was called off."
    assert articles[str(tmp_path / "desk" / "a.txt")][0] == "desk"


def test_a_second_update_fetches_no_article_page_and_embeds_nothing(tmp_path, web):
    folder_with(tmp_path, ["a"])
    run_update(tmp_path, web)
    web.log.clear()
    summary = run_update(tmp_path, web)
    assert (summary.added, summary.updated, summary.unchanged, summary.passages_embedded, summary.generation) == (
        0, 0, 4, 0, 1)
    assert web.paths() == ["/feed.xml"]


def test_prune_removes_what_an_authoritative_source_no_longer_has(tmp_path, web):
    folder_with(tmp_path, ["a", "b"])
    run_update(tmp_path, web)
    folder_with(tmp_path, ["a"])
    kept = run_update(tmp_path, web)  # without --prune nothing is removed
    assert (kept.removed, len(live(tmp_path))) == (0, 5)
    not_authoritative = run_update(tmp_path, web, prune=True, authoritative=False)
    assert (not_authoritative.removed, len(live(tmp_path))) == (0, 5)
    pruned = run_update(tmp_path, web, prune=True)
    assert (pruned.removed, pruned.generation) == (1, 2)
    assert str(tmp_path / "desk" / "b.txt") not in live(tmp_path)


def test_a_feed_that_fails_is_reported_and_its_articles_are_not_pruned(tmp_path, web):
    folder_with(tmp_path, ["a"])
    run_update(tmp_path, web)
    web.routes["/feed.xml"] = (500, b"oops", "text/plain")
    summary = run_update(tmp_path, web, prune=True)
    assert [p.line() for p in summary.problems] == [f"source danube: {web.base}/feed.xml answered HTTP 500"]
    assert (summary.removed, summary.skipped, len(live(tmp_path))) == (0, 1, 4)


def test_fetching_is_polite_bounded_and_times_out(web):
    fetcher = Fetcher(host_delay=0.3, timeout=0.5, max_bytes=500)
    for _ in range(3):
        with pytest.raises(FetchError, match="is larger than 500 bytes"):
            fetcher.get(f"{web.base}/feed.xml")
    times = [t for _, t in web.log]
    assert min(b - a for a, b in zip(times, times[1:])) >= 0.29
    web.routes["/slow"] = (200, b"late", "text/plain", 2.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match=r"/slow could not be fetched \(ReadTimeout"):
        fetcher.get(f"{web.base}/slow")
    assert time.monotonic() - started < 1.9
    fetcher.close()


@contextmanager
def drip_server(every: float):
    """127.0.0.1 serving `routes(base)` at once and, at /drip.xml, a feed whose headers come at once and
    whose body comes one byte every `every` seconds: each byte well inside a read timeout, so only the
    deadline ends it. The drip stops at the body's end, when the client hangs up, or at the exit.
    Yields (base URL, the paths asked for in order)."""
    stopped, asked, served = threading.Event(), [], {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the http.server API)
            asked.append(self.path)
            status, body, kind = served.get(self.path, (404, b"not found", "text/plain"))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            drip = self.path == "/drip.xml"
            try:
                for piece in (body[i:i + 1] for i in range(len(body))) if drip else (body,):
                    if drip and stopped.wait(every):
                        return
                    self.wfile.write(piece)
                    self.wfile.flush()
            except OSError:
                return  # the client gave up on it: what the test expects

        def log_message(self, *args):
            pass

    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as httpd:
        httpd.daemon_threads = True
        base = f"http://127.0.0.1:{httpd.server_address[1]}"
        slow = RSS.replace("Danube Post", "Slow Gazette").replace("dp-", "sg-").format(base=base, full=FULL)
        served.update(routes(base))
        served["/drip.xml"] = (200, slow.encode(), "application/rss+xml")
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        try:
            yield base, asked
        finally:
            stopped.set()
            httpd.shutdown()


def test_a_slow_feed_costs_only_itself_the_other_feed_of_its_server_is_fetched_and_published(tmp_path):
    with drip_server(every=2.0) as (base, asked):
        sources = tmp_path / "sources.toml"
        sources.write_text(f"[[source]]\nname = 'slow'\nfeed = '{base}/drip.xml'\n\n"
                           f"[[source]]\nname = 'danube'\nfeed = '{base}/feed.xml'\n")
        # the default deadline is a minute; a short one keeps the test short, the drip still outlasts it
        fetcher = Fetcher(timeout=5.0, deadline=3.0, host_delay=0.0)
        summary = pipeline.update(load_sources(sources), Settings(data_dir=tmp_path / "data", model=HashingEncoder.name),
                                  encoder=HashingEncoder(), quiet=True, fetcher=fetcher)
    assert [p.line() for p in summary.problems] == [
        f"source slow: {base}/drip.xml was abandoned: not fetched within the 3 s deadline",
        f"{base}/feed.xml entry 3: article page not fetched ({base}/articles/3.html answered HTTP 404); "
        "the feed's summary is indexed (indexed without it)"]
    # the good feed's article pages on the same server are asked too: only the slow feed was given up on
    assert sorted(asked) == ["/articles/2.html", "/articles/3.html", "/drip.xml", "/feed.xml"]  # feeds at once
    assert (summary.added, summary.skipped, summary.generation) == (3, 1, 1)
    articles = live(tmp_path)
    assert sorted(articles) == ["dp-1", "dp-2", "dp-3"]
    assert articles["dp-1"][:3] == ("danube", "Danube Post", "2025-01-15T08:30:00+00:00")
    assert articles["dp-2"][3].startswith("Lock repairs finished\n\nEngineers finished the repairs at the Gabcikovo lock")
    with sqlite3.connect(tmp_path / "data" / "newsdesk.sqlite3") as db:
        assert db.execute("SELECT title FROM articles WHERE article_id = 'dp-1'").fetchone() == ("Barge captain convicted",)


@pytest.mark.parametrize("text, message", [
    ("", "has no [[source]] entries."),
    ("[[source]]\nname = 'a'\n", "source 1 (a) needs exactly one of 'path' or 'feed'."),
    ("[[source]]\nname = 'a'\nfeed = 'ftp://x'\n", "source 1 (a): feed must be an http(s) URL, got 'ftp://x'."),
    ("[[source]]\nname = 'a b'\npath = 'x'\n", "source 1 needs a name of letters, digits, '.', '_' or '-'."),
    ("[[source]]\nname = 'a'\npath = 'x'\n[[source]]\nname = 'a'\npath = 'y'\n", "source 2: the name 'a' is used twice."),
    ("[[source]]\nname = 'a'\npath = 'x'\nprune = true\n", "source 1 has unknown keys: prune."),
    ("[[source]\n", "is not valid TOML"),
])
def test_sources_file_mistakes_are_one_sentence(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")):
        load_sources(path)


def test_paths_are_relative_to_the_sources_file(tmp_path):
    path = tmp_path / "conf" / "sources.toml"
    path.parent.mkdir()
    path.write_text("[[source]]\nname = 'wire'\npath = '../archive/wire.jsonl'\nauthoritative = true\n")
    assert load_sources(path) == [SourceSpec("wire", path=tmp_path / "conf" / "../archive/wire.jsonl", authoritative=True)]


def test_update_command_for_cron(tmp_path, capsys, model_encoder):
    from bot.cli import main
    from index import generations

    folder_with(tmp_path, ["a"])
    sources = tmp_path / "sources.toml"
    sources.write_text("[[source]]\nname = 'desk'\npath = 'desk'\nauthoritative = true\n")
    data = str(tmp_path / "data")
    assert main(["index", "update", "--sources", str(sources), "--data-dir", data]) == 0
    out, err = capsys.readouterr()
    assert (err, out.split("; ")[0]) == ("", "added 1, updated 0, unchanged 0, removed 0, skipped 0")
    assert main(["index", "update", "--sources", str(sources), "--data-dir", data, "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    with generations.writer_lock(tmp_path / "data"):
        assert main(["index", "update", "--sources", str(sources), "--data-dir", data]) == 75
    out, err = capsys.readouterr()
    assert err == f"busy: Another indexing run holds {tmp_path / 'data' / 'write.lock'}; try again when it ends.\n"
    assert main(["index", "update", "--data-dir", data]) == 1
    assert capsys.readouterr().err == (f"error: {tmp_path / 'data' / 'sources.toml'} does not exist: "
                                       "write the sources to read there (see docs/operations.md).\n")


def test_health_reports_index_and_heartbeat(tmp_path, capsys):
    from bot.app import HEARTBEAT
    from bot.cli import main

    data = tmp_path / "data"
    assert main(["health", "--data-dir", str(data)]) == 1
    assert "There is no index" in capsys.readouterr().err
    pipeline.add([folder_with(tmp_path, ["a"])], Settings(data_dir=data, model=HashingEncoder.name),
                 encoder=HashingEncoder(), quiet=True)
    assert main(["health", "--data-dir", str(data)]) == 1
    assert capsys.readouterr().err == f"error: The bot has never run with this data directory (no {data / HEARTBEAT}).\n"
    (data / HEARTBEAT).write_text("1\n")
    os.utime(data / HEARTBEAT, (time.time() - 500, time.time() - 500))
    assert main(["health", "--data-dir", str(data), "--max-age", "60"]) == 1
    assert capsys.readouterr().err == "error: The bot has not beaten for 500 s (more than 60 s): is it running?\n"
    (data / HEARTBEAT).write_text("1\n")
    assert main(["health", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out == "ok: generation 1, heartbeat 0 s ago\n"
