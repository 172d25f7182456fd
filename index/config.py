"""`sources.toml`: what `newsdesk index update` reads.

    [[source]]
    name = "wire"                  # required, unique: the articles it brought are tagged with it
    path = "archive/wire.jsonl"    # a file or folder, as `newsdesk index add` takes (relative to this file)
    authoritative = true           # with --prune, its articles that disappeared are removed

    [[source]]
    name = "kyiv-ledger"
    feed = "https://kyivledger.example/rss.xml"   # RSS or Atom
    outlet = "Kyiv Ledger"         # optional: the outlet name, when the feed's own title is not it
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from index.errors import SettingsError


@dataclass(frozen=True)
class SourceSpec:
    name: str
    path: Path | None = None
    feed: str | None = None
    outlet: str | None = None
    authoritative: bool = False


def load_sources(path: Path) -> list[SourceSpec]:
    """The configured sources; a mistake in the file is one sentence naming the entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"{path} does not exist: write the sources to read there (see docs/operations.md).") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise SettingsError(f"{path} is not valid TOML ({error}).") from None
    entries = data.get("source")
    if not isinstance(entries, list) or not entries:
        raise SettingsError(f"{path} has no [[source]] entries.")
    specs: list[SourceSpec] = []
    for number, entry in enumerate(entries, start=1):
        where = f"{path}: source {number}"
        unknown = set(entry) - {"name", "path", "feed", "outlet", "authoritative"}
        if unknown:
            raise SettingsError(f"{where} has unknown keys: {', '.join(sorted(unknown))}.")
        name = entry.get("name")
        if not isinstance(name, str) or not re.fullmatch(r"[\w.-]+", name):
            raise SettingsError(f"{where} needs a name of letters, digits, '.', '_' or '-'.")
        if any(s.name == name for s in specs):
            raise SettingsError(f"{where}: the name {name!r} is used twice.")
        if ("path" in entry) == ("feed" in entry):
            raise SettingsError(f"{where} ({name}) needs exactly one of 'path' or 'feed'.")
        feed = entry.get("feed")
        if feed is not None and not re.match(r"^https?://", str(feed)):
            raise SettingsError(f"{where} ({name}): feed must be an http(s) URL, got {feed!r}.")
        authoritative = entry.get("authoritative", False)
        if not isinstance(authoritative, bool):
            raise SettingsError(f"{where} ({name}): authoritative must be true or false.")
        local = (path.parent / entry["path"]) if "path" in entry else None
        specs.append(SourceSpec(name=name, path=local, feed=feed, outlet=entry.get("outlet"),
                                authoritative=authoritative))
    return specs
