"""RSS/Atom feeds: entries become articles; an entry with only a summary gets its page's main text.

Fetching is polite and bounded: a timeout per request, a cap on the bytes read, and a pause between
two requests to the same host.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import feedparser
import httpx
from lxml import html as lxml_html

from index.errors import NewsdeskError
from index.records import Problem, Seen
from index.sources import Record, article_from_fields, expand

FULL_TEXT_CHARS = 400  # an entry with less text than this is a summary: the article page is fetched


class FetchError(NewsdeskError):
    """A URL could not be fetched within the limits."""


@dataclass
class Fetcher:
    """GET with a timeout, a size cap and a per-host politeness delay."""

    timeout: float = 15.0
    max_bytes: int = 5_000_000
    host_delay: float = 1.0
    user_agent: str = "Newsdesk/0.1 (news archive indexer)"
    _last: dict[str, float] = field(default_factory=dict)
    _client: httpx.Client | None = None

    def get(self, url: str) -> bytes:
        host = urlsplit(url).hostname or ""
        pause = self._last.get(host, float("-inf")) + self.host_delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        if self._client is None:
            self._client = httpx.Client(timeout=self.timeout, follow_redirects=True,
                                        headers={"User-Agent": self.user_agent})
        try:
            with self._client.stream("GET", url) as response:
                response.raise_for_status()
                if int(response.headers.get("content-length") or 0) > self.max_bytes:
                    raise FetchError(f"{url} is larger than {self.max_bytes:,} bytes")
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise FetchError(f"{url} is larger than {self.max_bytes:,} bytes")
                return bytes(body)
        except httpx.HTTPStatusError as error:
            raise FetchError(f"{url} answered HTTP {error.response.status_code}") from None
        except httpx.HTTPError as error:
            raise FetchError(f"{url} could not be fetched ({error.__class__.__name__}: {error})") from None
        finally:
            self._last[host] = time.monotonic()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


def fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed's summary or content), one paragraph per block."""
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
    parsed = feedparser.parse(fetcher.get(url))
    if parsed.bozo and not parsed.entries:
        raise FetchError(f"{url} is not an RSS or Atom feed ({parsed.bozo_exception})")
    outlet = outlet or parsed.feed.get("title") or urlsplit(url).hostname
    for number, entry in enumerate(parsed.entries, start=1):
        origin = f"{url} entry {number}"
        link = entry.get("link")
        contents = entry.get("content") or []
        text = fragment_text(contents[0].get("value", "")) if contents else ""
        if len(text.strip()) < FULL_TEXT_CHARS and link:
            if known(link):  # indexed on an earlier run: its page is not fetched again
                yield Seen(link, origin)
                continue
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
