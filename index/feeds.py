"""RSS/Atom feeds: entries become articles; an entry with only a summary gets its page's main text.

Fetching is polite and bounded: a timeout per read, a deadline per request (a server sending one byte
every few seconds never trips a read timeout), a cap on the bytes read, and a pause between two
requests to the same host.
"""

from __future__ import annotations

import asyncio
import re
import threading
import time
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import feedparser
import httpx
from lxml import etree
from lxml import html as lxml_html

from index.errors import FetchError
from index.records import Problem, Seen
from index.sources import Record, article_from_fields, expand, where

FULL_TEXT_CHARS = 400  # an entry with less text than this is a summary: the article page is fetched
# lxml refuses strings with these ("All strings must be XML compatible"); a feed's entry may hold them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _run(coroutine: Coroutine[Any, Any, bytes]) -> bytes:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    # called from a thread that runs an event loop (asyncio.run cannot nest): the fetch gets its own thread
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def is_http(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:  # "http://[::1" and the like
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


@dataclass
class Fetcher:
    """GET with a read timeout, a total deadline, a size cap and a per-host politeness delay.

    The request runs on an event loop so that the deadline cancels it wherever it is (connecting,
    reading headers byte by byte, or the body): httpx's own timeouts bound each network operation,
    never the whole request. A server (host and port) that missed the deadline is not asked again for
    the same feed (`for_feed`), so a feed of fifty slow pages costs one deadline, not fifty; another
    feed on that server is still asked, within its own deadline, so a slow feed costs only itself.
    Feeds may be fetched from several threads at once (index.pipeline.update): requests to one host
    still start at least `host_delay` apart, and after the one before ends when they are not concurrent."""

    timeout: float = 15.0
    deadline: float = 60.0
    max_bytes: int = 5_000_000
    host_delay: float = 1.0
    user_agent: str = "Newsdesk/0.1 (news archive indexer)"
    _last: dict[str, float] = field(default_factory=dict)
    _too_slow: set[str] = field(default_factory=set)
    _spacing: threading.Lock = field(default_factory=threading.Lock)  # guards `_last` across threads

    def for_feed(self) -> Fetcher:
        """This fetcher for one feed and its article pages: the pause between two requests to a host is
        kept across feeds (the same `_last`), the servers that missed the deadline are this feed's own."""
        return replace(self, _too_slow=set())

    def get(self, url: str) -> bytes:
        if not is_http(url):
            raise FetchError(f"{where(url)} is not an http(s) URL")
        parts = urlsplit(url)
        host, server = parts.hostname or "", parts.netloc
        if server in self._too_slow:
            raise FetchError(f"{where(url)} not fetched: {where(server)} missed the {self.deadline:g} s deadline earlier")
        # `host_delay` after the host's last request ended, or after the last one started while it is
        # still going (another thread's: a slow feed does not hold up the other feeds of its server)
        with self._spacing:
            start = max(time.monotonic(), self._last.get(host, float("-inf")) + self.host_delay)
            self._last[host] = start
        time.sleep(max(0.0, start - time.monotonic()))
        try:
            return _run(self._get(url))
        except TimeoutError:
            self._too_slow.add(server)
            raise FetchError(f"{where(url)} was abandoned: not fetched within the {self.deadline:g} s deadline") from None
        finally:
            with self._spacing:
                self._last[host] = max(self._last[host], time.monotonic())

    async def _get(self, url: str) -> bytes:
        async with asyncio.timeout(self.deadline):
            try:
                async with httpx.AsyncClient(timeout=self.timeout, follow_redirects=True,
                                             headers={"User-Agent": self.user_agent}) as client:
                    async with client.stream("GET", url) as response:
                        response.raise_for_status()
                        declared = response.headers.get("content-length", "").strip()
                        if declared.isdigit() and int(declared) > self.max_bytes:
                            raise FetchError(f"{where(url)} is larger than {self.max_bytes:,} bytes")
                        body = bytearray()
                        async for chunk in response.aiter_bytes():
                            body += chunk
                            if len(body) > self.max_bytes:
                                raise FetchError(f"{where(url)} is larger than {self.max_bytes:,} bytes")
                        return bytes(body)
            except httpx.HTTPStatusError as error:
                raise FetchError(f"{where(url)} answered HTTP {error.response.status_code}") from None
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                raise FetchError(f"{where(url)} could not be fetched ({error.__class__.__name__}: {error})") from None

    def close(self) -> None:
        """Nothing stays open between requests (each has its own client on its own event loop)."""


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed's summary or content), one paragraph per block."""
    fragment = _NOT_XML.sub("", fragment)
    if not fragment.strip():
        return ""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    for block in root.iter("p", "div", "li", "br", "h1", "h2", "h3", "h4", "blockquote", "pre"):
        block.tail = "\n\n" + (block.tail or "")
    return root.text_content()


def page_text(page: bytes) -> str | None:
    """The main text of an article page (menus, footers and comments dropped)."""
    import trafilatura

    text = trafilatura.extract(page, include_comments=False, include_tables=False, favor_recall=True)
    return text.replace("\n", "\n\n") if text else None


def read_feed(url: str, fetcher: Fetcher, outlet: str | None = None,
              known: Callable[[str], bool] = lambda key: False) -> Iterator[Record | Seen]:
    """Articles of one feed. Raises FetchError when the feed itself cannot be had."""
    fetcher = fetcher.for_feed()
    parsed = feedparser.parse(fetcher.get(url))
    if parsed.bozo and not parsed.entries:
        raise FetchError(f"{url} is not an RSS or Atom feed ({parsed.bozo_exception})")
    outlet = outlet or parsed.feed.get("title") or urlsplit(url).hostname
    for number, entry in enumerate(parsed.entries, start=1):
        origin = f"{url} entry {number}"
        try:
            yield from _entry(entry, origin, outlet, fetcher, known)
        except (etree.ParserError, ValueError) as error:  # lxml on a malformed fragment
            yield Problem(origin, f"entry not readable ({error.__class__.__name__}: {error})")


def _entry(entry: dict, origin: str, outlet: str | None, fetcher: Fetcher,
           known: Callable[[str], bool]) -> Iterator[Record | Seen]:
    link = entry.get("link")
    contents = entry.get("content") or []
    text = fragment_text(contents[0].get("value", "")) if contents else ""
    if len(text.strip()) < FULL_TEXT_CHARS and link and is_http(link):
        if known(link):  # indexed on an earlier run: its page is not fetched again
            yield Seen(link, origin)
            return
        try:
            text = page_text(fetcher.get(link)) or text
        except FetchError as error:
            yield Problem(origin, f"article page not fetched ({error}); the feed's summary is indexed",
                          skipped=False)
    if not text.strip():
        text = fragment_text(entry.get("summary", ""))
    fields = {"url": link, "id": entry.get("id"), "title": entry.get("title"), "body": text,
              "source": outlet, "author": entry.get("author"),
              "published_at": entry.get("published") or entry.get("updated")}
    yield from expand(article_from_fields(fields, origin))
