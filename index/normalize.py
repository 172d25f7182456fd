"""Turn raw source fields into clean article fields: text, dates, ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

# A blank line, or a line break followed by indentation (the wire's paragraph mark), ends a paragraph.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n|\n(?=[ \t]+\S)")
# C0 and C1 controls but tab and line breaks: ESC and CSI would reach a terminal as escape codes.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'’”)\]]*\s")
# Lone surrogates: from JSON escapes such as "\ud800", from bytes that are not UTF-8 (decoded with
# surrogateescape where a file is read), or from bytes ED A0 80 (a surrogate encoded as UTF-8).
# Python strings may hold them; UTF-8 encoders (the sentence splitter, SQLite, a terminal) raise on them.
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"


def valid_text(raw: str) -> tuple[str, int]:
    """The text with every lone surrogate replaced by U+FFFD, and how many were replaced."""
    return _SURROGATE.subn(REPLACEMENT, raw)


def decode_line(raw: bytes) -> str:
    """Bytes of a record file as text: bytes that are not UTF-8 become surrogates, which
    `valid_text` replaces (and counts) where the record's fields are read."""
    return raw.decode("utf-8", "surrogateescape")


def clean_body(raw: str) -> str:
    """Paragraphs separated by one blank line; whitespace inside a paragraph collapsed."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub("", text)
    paragraphs = (" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text))
    return "\n\n".join(p for p in paragraphs if p)


def clean_line(raw: str | None) -> str:
    return " ".join(_CONTROL.sub("", unicodedata.normalize("NFC", raw or "")).split())


def title_from_body(body: str, limit: int = 200) -> str:
    """A title for a record that has none: its first sentence, cut at a word boundary."""
    first = body.split("\n\n", 1)[0]
    match = _SENTENCE_END.search(first + " ")
    sentence = first[: match.start()].strip() if match else first
    if len(sentence) <= limit:
        return sentence
    cut = sentence[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def content_hash(*parts: str | None) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update((part or "").encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()


# Archive dates are absolute: "yesterday" in a record cannot be resolved, so relative parsing is off.
_DATE_SETTINGS = {
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
}


@lru_cache(maxsize=1)
def _date_parser():
    from dateparser.date import DateDataParser

    return DateDataParser(languages=["en"], settings=_DATE_SETTINGS)


# Tried first with strptime (microseconds, where dateparser takes a millisecond); dateparser reads the rest.
_WIRE_FORMATS = ("%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S", "%d-%b-%Y", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M",
                 "%d %b %Y", "%d %B %Y", "%B %d, %Y", "%b %d, %Y")


def _parse_one(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    for form in _WIRE_FORMATS:
        try:
            return datetime.strptime(text, form)
        except ValueError:
            continue
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        pass
    return _date_parser().get_date_data(text).date_obj


def _leading_date(text: str) -> datetime | None:
    """A date at the start of a field followed by junk, as old wire archives have
    ("27-MAR-1987 00:02:59.13&#5;&#5;RM", "31-MAR-1987 605:12:19.12"): the longest run of leading
    words that reads as a date."""
    words = re.split(r"[&#]", text, maxsplit=1)[0].split()
    for count in range(len(words), 0, -1):
        parsed = _parse_one(" ".join(words[:count]))
        if parsed is not None:
            return parsed
    return None


def parse_date(raw: str | None) -> datetime | None:
    """A publication time in UTC, or None when the text is not a date (or not one a datetime can hold:
    "9999-12-31T23:00-05:00" is past year 9999 in UTC)."""
    text = clean_line(raw)
    if not text:
        return None
    try:
        parsed = _parse_one(text)
        if parsed is None:
            parsed = _leading_date(text)
        if parsed is None:
            return None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc)
    except (OverflowError, ValueError):
        return None


EARLIEST = datetime(1800, 1, 1, tzinfo=timezone.utc)
FUTURE_MARGIN = timedelta(days=366)


def latest_sane(now: datetime | None = None) -> datetime:
    """The latest publication time believed: a year from now. A later date is a typo or a placeholder
    (9999-12-31), and date arithmetic near year 9999 overflows."""
    return (now or datetime.now(timezone.utc)) + FUTURE_MARGIN


def sane_date(value: datetime, now: datetime | None = None) -> bool:
    """Whether a publication time is inside the window an archive can hold: 1800 to a year from now."""
    return EARLIEST <= value <= latest_sane(now)
