"""Real English, Ukrainian and Russian news for issue 14's evaluation, read from the bare git directories
that the search tool's `fetch` brings under /work/.mirror (the texts are not ours: everything built
from them goes under bench/out/, which git ignores).

- WMT news/general test sets (`wmt-conference/wmt21..24-news-systems`): one `Story` per document, the
  same text in two or three languages (the original and human reference translations).
- Brown-UK (`brown-uk/corpus`, category A) and NEREL (`nerel-ds/NEREL`): one `Native` per article,
  Ukrainian and Russian news written in that language, with its headline.

Readers only read: what is kept for the evaluation is decided in bench/multilingual_eval.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MIRROR = Path("/work/.mirror")


@dataclass(frozen=True)
class Text:
    """One language's version of a document: its first segment (the headline, or a lead) and the rest."""

    headline: str
    paragraphs: tuple[str, ...]  # the body, without the headline

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class Story:
    story_id: str  # "wmt21/kp.235560"
    collection: str  # "wmt21 ru-en"
    domain: str  # "news", or WMT's domain for other documents
    origlang: str
    texts: dict[str, Text]  # language -> text


@dataclass(frozen=True)
class Native:
    article_id: str
    collection: str  # "brown-uk A" or "nerel v1.1 train"
    lang: str
    headline: str
    body: str
    url: str | None = None
    year: str | None = None
    outlet: str | None = None


class Repo:
    """A bare git directory brought by `fetch`, read at its HEAD."""

    def __init__(self, name: str, mirror: Path = MIRROR) -> None:
        self.name = name
        self.git_dir = mirror / name.replace("/", "+") / "repo"
        if not self.git_dir.exists():
            raise SystemExit(f"{self.git_dir} is missing: bring it with the search tool's fetch github:{name}")
        self.commit = self._git("rev-parse", "HEAD").decode().strip()

    def _git(self, *args: str) -> bytes:
        return subprocess.run(["git", "--git-dir", str(self.git_dir), *args], check=True,
                              capture_output=True).stdout

    def read(self, path: str) -> bytes:
        return self._git("show", f"{self.commit}:{path}")

    def text(self, path: str) -> str:
        return self.read(path).decode("utf-8")

    def files(self, under: str) -> list[str]:
        return self._git("ls-tree", "-r", "--name-only", self.commit, "--", under).decode().splitlines()


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


# A headline's trailing outlet and date ("... - ISW - DW - 08.02.2023", "... - РТ на русском", "...:
# 11 Февраля 2023, 14:10") are the web page's title decoration, not words a journalist would ask with.
_DATE = re.compile(r"\s+[-–—]\s+\d{1,2}[./]\d{1,2}[./]\d{4}$")
_TIME = re.compile(r":\s+(\d{1,2}\s+\S+|\S+\s+\d{1,2}),?\s+(\d{4},?\s+)?\d{1,2}:\d{2}.*$")
_OUTLET = re.compile(r"\s+[-–—]\s+[^-–—]*\b(DW|ISW|МЗС|RT|РТ|Scotsman|Hi-Tech|Российская газета|"
                     r"Rossiyskaya Gazeta)\b[^-–—]*$")


def headline(text: str) -> str:
    text = _TIME.sub("", _DATE.sub("", _clean(text)))
    while (stripped := _OUTLET.sub("", text)) != text:
        text = stripped
    return text.strip()


def _split(node) -> Text | None:
    segs = [_clean(seg.text) for seg in node.iter("seg")]
    if not segs or not segs[0]:
        return None
    # the body: every segment after the first, sentences of a <p> joined, paragraphs apart
    paragraphs, seen = [], 0
    for p in node.iter("p"):
        kept = []
        for seg in p.iter("seg"):
            seen += 1
            if seen > 1 and _clean(seg.text):
                kept.append(_clean(seg.text))
        if kept:
            paragraphs.append(" ".join(kept))
    return Text(headline(segs[0]), tuple(paragraphs)) if paragraphs else None


def wmt_xml(repo: Repo, path: str, collection: str, year: str) -> Iterator[Story]:
    """Documents of a WMT XML test set with their first reference translation (translator A)."""
    root = ET.fromstring(repo.read(path))
    for doc in root.iter("doc"):
        src, refs = doc.find("src"), doc.findall("ref")
        if src is None or not refs:
            continue
        ref = sorted(refs, key=lambda r: r.get("translator") or "")[0]  # "A" / "refA"
        texts = {src.get("lang"): _split(src), ref.get("lang"): _split(ref)}
        if any(t is None for t in texts.values()):
            continue
        doc_id = doc.get("id")
        yield Story(f"wmt{year}/{doc_id}", collection, doc.get("domain") or _domain_from_id(doc_id),
                    doc.get("origlang"), texts)


def _domain_from_id(doc_id: str) -> str:
    """WMT21-22 name a document by its outlet ("lenta.ru.89670") or its domain ("social_ru_197")."""
    for domain in ("social", "ecommerce", "tsuite", "test_uk"):
        if doc_id.startswith(domain):
            return domain
    return "news"


def wmt24_english(repo: Repo) -> Iterator[Story]:
    """WMT24's English originals with their Ukrainian and Russian references: the plain-text files are
    paragraph-aligned with a `.docs` file naming each line's domain and document."""
    docs = repo.text("txt/documents/en-uk.docs").splitlines()
    if docs != repo.text("txt/documents/en-ru.docs").splitlines():
        raise SystemExit("WMT24 en-uk and en-ru are not the same documents")
    lines = {"en": repo.text("txt/sources/en-uk.txt").splitlines(),
             "uk": repo.text("txt/references/en-uk.refA.txt").splitlines(),
             "ru": repo.text("txt/references/en-ru.refA.txt").splitlines()}
    if {len(v) for v in lines.values()} != {len(docs)}:
        raise SystemExit("WMT24 files are not line-aligned")
    order: dict[str, list[int]] = {}
    domains: dict[str, str] = {}
    for n, line in enumerate(docs):
        domain, doc_id = line.split("\t")
        order.setdefault(doc_id, []).append(n)
        domains[doc_id] = domain
    for doc_id, rows in order.items():
        if len(rows) < 2:
            continue
        texts = {lang: Text(headline(lines[lang][rows[0]]), tuple(_clean(lines[lang][r]) for r in rows[1:]))
                 for lang in lines}
        yield Story(f"wmt24/{doc_id}", "wmt24 en-uk/en-ru", domains[doc_id], "en", texts)


def brown_uk(repo: Repo) -> Iterator[Native]:
    """Category A (press) of Brown-UK's good and so-so texts; the title and URL come from meta.csv
    (the text file holds the body only). Texts the corpus marks bad are left out."""
    meta = {row["file"]: row for row in csv.DictReader(io.StringIO(repo.text("meta/meta.csv")))}
    for path in repo.files("data/good") + repo.files("data/so-so"):
        name = path.rsplit("/", 1)[1]
        if not name.startswith("A_"):
            continue
        row = meta.get(name)
        if row is None or row.get("cat") != "A":
            continue
        body = repo.text(path).strip()
        yield Native(f"brown-uk/{name.removesuffix('.txt')}", "brown-uk A", "uk", _clean(row["title"]), body,
                     row.get("url") or None, row.get("year") or None, row.get("publ_in") or None)


def nerel(repo: Repo, version: str = "NEREL-v1.1") -> Iterator[Native]:
    """NEREL's Russian Wikinews articles: the first line of each text is its headline."""
    for path in sorted(repo.files(version)):
        if not path.endswith("_text.txt"):
            continue
        split = path.split("/")[1]
        text = repo.text(path).strip()
        first, _, rest = text.partition("\n")
        yield Native(f"nerel/{path.rsplit('/', 1)[1].removesuffix('_text.txt')}", f"nerel {version} {split}",
                     "ru", _clean(first), rest.strip())


def dump(rows, path: Path) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
