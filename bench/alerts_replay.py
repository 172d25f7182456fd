"""Alert precision on a replay of the Reuters wire: index it in daily batches, in date order, and
after each published generation check 20 follows against what that generation added, as the bot
does (`retrieval.alerts.new_reports`, each article sent once per follow).

    .venv/bin/python bench/alerts_replay.py [--first 1987-02-26] [--last 1987-03-20]
        [--embeddings bench/out/reuters-index] [--judgements bench/qrels/alerts.jsonl]

Writes every sent item to bench/out/alerts-replay/sent.jsonl (follow, day, generation, article id,
title, cosine, coverage, the highlighted sentence: for reading, never committed). With judgements
(`{"follow", "article_id", "relevant": true|false}` per line, our own reading of each sent item)
it prints precision over all sent items and over the first page of each alert (what the bot shows
before "More"), and lists sent items that are not judged yet.

Encoding is the only real cost (about 25 passages/s here): passage vectors already in the index
`make bench` built (`--embeddings`, same model; its backend is used throughout, looked up by text
hash) are reused, and only the rest is encoded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, REUTERS, REUTERS_INDEX  # noqa: E402
from index import pipeline  # noqa: E402
from index.encoder import SentenceTransformerEncoder, serve_queries  # noqa: E402
from index.normalize import parse_date  # noqa: E402
from index.engines.faiss import IndexReader  # noqa: E402
from index.settings import MINILM_MODEL, Settings  # noqa: E402
from index.schema import EMBEDDING_DTYPE  # noqa: E402
from retrieval.alerts import AlertSettings, new_reports  # noqa: E402
from retrieval.search import Searcher  # noqa: E402

PAGE = 3  # reports on an alert's first page (NEWSDESK_RESULTS default)

# Stories a desk would follow on the wire in March 1987, written as a journalist types a follow.
FOLLOWS = [
    "Brazil debt moratorium",
    "OPEC oil output ceiling",
    "coffee export quotas",
    "cocoa buffer stock",
    "Texaco Pennzoil",
    "USAir Piedmont takeover",
    "Chrysler American Motors",
    "GAF Borg-Warner",
    "Ecuador earthquake oil",
    "Japan semiconductor trade dispute",
    "Bundesbank interest rates",
    "Louvre accord currency stability",
    "Philippines debt rescheduling",
    "EC sugar tender",
    "Soviet wheat purchases",
    "Gulf shipping Iran",
    "Dome Petroleum",
    "Bank of England base rate cut",
    "U.S. trade deficit",
    "tin council",
]


class CachedEncoder:
    """The real model, with passage vectors it already computed for another index read back by text
    hash. The replay uses that index's backend (torch, onnx, onnx-int8) for everything it encodes."""

    def __init__(self, cache: Path | None) -> None:
        db = cache / "newsdesk.sqlite3" if cache else None
        self.cache = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) if db and db.exists() else None
        row = self.cache.execute("SELECT value FROM meta WHERE key = 'backend'").fetchone() if self.cache else None
        self.backend = row[0] if row else "torch"  # indexes from before backends were recorded: torch
        self.model = SentenceTransformerEncoder(MINILM_MODEL, backend=self.backend, cache_dir=cache)
        self.name = self.model.name
        self.hits = self.misses = 0

    @property
    def dimension(self) -> int:
        return self.model.dimension

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        out: list[np.ndarray | None] = [None] * len(texts)
        if self.cache is not None:
            for i, text in enumerate(texts):
                row = self.cache.execute("SELECT vector FROM embeddings WHERE text_hash = ?",
                                         (pipeline.text_hash(text),)).fetchone()
                if row:
                    out[i] = np.frombuffer(row[0], dtype=EMBEDDING_DTYPE).astype(np.float32)
        missing = [i for i, v in enumerate(out) if v is None]
        self.hits += len(texts) - len(missing)
        self.misses += len(missing)
        if missing:
            for i, vector in zip(missing, self.model.encode([texts[i] for i in missing], batch_size)):
                out[i] = vector
        return np.vstack(out) if out else np.zeros((0, self.dimension), dtype=np.float32)

    def encode_queries(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self.model.encode_queries(texts, batch_size)  # questions are not in the cache of passages


def days_of_wire(first: str, last: str) -> list[tuple[str, list[dict]]]:
    """(day, its articles) in date order, for days from `first` to `last` (ISO dates, inclusive)."""
    by_day: dict[str, list[dict]] = defaultdict(list)
    with REUTERS.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            published = parse_date(record.get("date"))
            if published and first <= published.date().isoformat() <= last:
                by_day[published.date().isoformat()].append(record)
    return sorted(by_day.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--first", default="1987-02-26")
    parser.add_argument("--last", default="1987-03-20")
    parser.add_argument("--out", type=Path, default=OUT / "alerts-replay")
    parser.add_argument("--embeddings", type=Path, default=REUTERS_INDEX, help="an index to reuse vectors from")
    parser.add_argument("--judgements", type=Path, default=Path(__file__).parent / "qrels" / "alerts.jsonl")
    args = parser.parse_args()
    if not REUTERS.exists():
        sys.exit(f"the Reuters archive is not at {REUTERS} (../shared/data is absent)")
    serve_queries()
    shutil.rmtree(args.out, ignore_errors=True)
    (args.out / "batches").mkdir(parents=True)
    encoder = CachedEncoder(args.embeddings)
    model = encoder.model
    settings = Settings(data_dir=args.out / "index")
    rules = AlertSettings()
    checked = {topic: 0 for topic in FOLLOWS}
    sent: dict[str, set[str]] = {topic: set() for topic in FOLLOWS}
    rows = []
    started = time.perf_counter()
    days = days_of_wire(args.first, args.last)
    searcher = None
    for day, articles in days:
        batch = args.out / "batches" / f"{day}.jsonl"
        batch.write_text("".join(json.dumps(a) + "\n" for a in articles))
        summary = pipeline.add([batch], settings, encoder, quiet=True)
        searcher = searcher or Searcher(IndexReader(settings.data_dir), model)
        alerts = 0
        for topic in FOLLOWS:
            answer = new_reports(searcher, topic, checked[topic], rules)
            checked[topic] = answer.generation
            fresh = [h for h in answer.hits if h.citation.article_id not in sent[topic]]
            for position, hit in enumerate(fresh, start=1):
                sent[topic].update(c.article_id for c in (hit.citation, *hit.also))
                rows.append({"follow": topic, "day": day, "generation": answer.generation,
                             "article_id": hit.citation.article_id, "position": position,
                             "also": [c.article_id for c in hit.also], "title": hit.citation.title,
                             "cosine": hit.score, "highlight": " ".join(hit.highlight.split())})
            alerts += bool(fresh)
        print(f"{day}: {len(articles)} articles, generation {summary.generation}, "
              f"{summary.passages_embedded} passages embedded; {alerts} alerts", flush=True)
    seconds = time.perf_counter() - started
    with (args.out / "sent.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    messages = len({(r["follow"], r["generation"]) for r in rows})
    print(f"\n{len(days)} daily batches ({args.first} to {args.last}), {sum(len(a) for _, a in days)} articles, "
          f"{seconds:.0f} s; {encoder.backend} vectors reused {encoder.hits}, encoded {encoder.misses}")
    print(f"{len(FOLLOWS)} follows: {messages} alert messages, {len(rows)} items sent "
          f"({sum(r['position'] <= PAGE for r in rows)} on first pages)")
    for topic in FOLLOWS:
        print(f"  {sum(r['follow'] == topic for r in rows):4d}  {topic}")
    if not args.judgements.exists():
        print(f"no judgements at {args.judgements}: read {args.out / 'sent.jsonl'} and write them")
        return
    judged = {}
    for line in args.judgements.read_text(encoding="utf-8").splitlines():
        if line.strip():
            j = json.loads(line)
            judged[(j["follow"], j["article_id"])] = bool(j["relevant"])
    known = [r for r in rows if (r["follow"], r["article_id"]) in judged]
    unjudged = [r for r in rows if (r["follow"], r["article_id"]) not in judged]
    good = sum(judged[(r["follow"], r["article_id"])] for r in known)
    page = [r for r in known if r["position"] <= PAGE]
    good_page = sum(judged[(r["follow"], r["article_id"])] for r in page)
    print(f"precision: {good}/{len(known)} = {good / max(len(known), 1):.3f} of judged sent items; "
          f"first pages {good_page}/{len(page)} = {good_page / max(len(page), 1):.3f}; {len(unjudged)} not judged")
    per = defaultdict(lambda: [0, 0])
    for r in known:
        per[r["follow"]][0] += judged[(r["follow"], r["article_id"])]
        per[r["follow"]][1] += 1
    for topic in FOLLOWS:
        good_t, all_t = per[topic]
        print(f"  {good_t:3d}/{all_t:<3d} {topic}")
    for r in unjudged:
        print(f"  not judged: {r['follow']} | {r['article_id']} | {r['title']}")


if __name__ == "__main__":
    main()
