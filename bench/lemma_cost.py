"""What reading languages and writing lemmas (index.language, index.lemmas) costs the indexer.

    .venv/bin/python bench/lemma_cost.py [--articles 3000] [--rounds 5]

For each archive, the articles are chunked as the indexer does, then timed over `rounds` rounds (median):
what Store.insert_article adds per article (language.detect on title and body, lemmas.column of
the title and of each passage), and, for comparison, lingua run on every passage, which the Latin-script
shortcut spares English text. Also the one-off cost of loading the detector and both dictionaries
(seconds, resident memory). English: the Reuters archive (../shared/data); Ukrainian and Russian: the WMT
news stories under bench/out/multilingual/archives/ when they are there.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, REUTERS, peak_rss_mb  # noqa: E402
from index import language, lemmas  # noqa: E402
from index.chunking import chunk  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def load(path: Path, n: int) -> list[tuple[str, str, list[str]]]:
    out = []
    with path.open() as lines:
        for line in lines:
            record = json.loads(line)
            body = record.get("body") or record.get("text") or ""
            if body.strip():
                out.append((record.get("title") or "", body, [p.text for p in chunk(body)]))
            if len(out) >= n:
                break
    return out


def write_time(articles) -> float:
    """Seconds for what insert_article computes beyond the rows: language, title and passage lemmas."""
    started = time.perf_counter()
    for title, body, passages in articles:
        found = language.detect(f"{title}\n{body}")
        lemmas.column(title, found)
        if language.has_cyrillic(body):
            for text in passages:
                lemmas.column(text, found)
    return time.perf_counter() - started


def lingua_every_passage(articles) -> float:
    detector = language._detector()
    started = time.perf_counter()
    for _, _, passages in articles:
        for text in passages:
            detector.detect_language_of(text)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    before = rss_mb()
    started = time.perf_counter()
    language._detector().detect_language_of("что сообщалось о Ровно")  # lingua loads its models on first use
    lingua_s, lingua_mb = time.perf_counter() - started, rss_mb() - before
    before, started = rss_mb(), time.perf_counter()
    lemmas.analyzer("uk"), lemmas.analyzer("ru")
    morph_s, morph_mb = time.perf_counter() - started, rss_mb() - before
    print(f"load: lingua (en, uk, ru) {lingua_s:.2f} s, +{lingua_mb:.0f} MB; pymorphy3 uk+ru {morph_s:.2f} s, "
          f"+{morph_mb:.0f} MB")
    archives = {"en (Reuters)": REUTERS, "uk (WMT)": OUT / "multilingual" / "archives" / "uk.jsonl",
                "ru (WMT)": OUT / "multilingual" / "archives" / "ru.jsonl"}
    for name, path in archives.items():
        if not path.exists():
            print(f"{name}: {path} is absent, skipped")
            continue
        articles = load(path, args.articles)
        passages = sum(len(p) for _, _, p in articles)
        chars = sum(len(b) for _, b, _ in articles)
        lemmas.forms.cache_clear()  # each round but the first reads with a warm cache, as an indexer does
        rounds = [write_time(articles) for _ in range(args.rounds)]
        every = [lingua_every_passage(articles) for _ in range(max(1, args.rounds // 2))]
        first, median = rounds[0], statistics.median(rounds)
        print(f"{name}: {len(articles)} articles, {passages} passages, {chars / 1e6:.1f} M chars; language + lemmas"
              f" first round {first:.3f} s ({1e3 * first / len(articles):.3f} ms/article), median of {args.rounds}"
              f" {median:.3f} s ({1e6 * median / passages:.1f} us/passage); lingua on every passage instead:"
              f" {statistics.median(every):.3f} s ({1e6 * statistics.median(every) / passages:.1f} us/passage)")
    print(f"peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
