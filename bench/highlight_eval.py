"""How often the bold sentence is the one that answers the question.

    .venv/bin/python bench/highlight_eval.py [--latency bench/out/reuters-index]

25 questions over the bundled sample archive (bench/qrels/highlights.jsonl: question, article, the
sentence that answers it, chosen by hand). Each question is asked with the real model; the answer's
entry for that article must highlight exactly that sentence, counted on the tuning and test halves
(bench/qrels/split.json). Compares the highlighters side by side in the same run: words only (the
IDF-weighted overlap) and the default (words and the kind of answer asked for; by meaning where no
sentence shares a word), the default both as schema 7 served it (the sentences compared by meaning
encoded when asked) and with the sentences' vectors stored at index time (schema 8, index.sentences).
NEWSDESK_MODEL / NEWSDESK_BACKEND choose the model (MiniLM by default).
With --latency, also what the answer-aware highlight costs: the 120 Reuters questions asked three times
on that index with both highlighters, alternating, 5 results each (a bot answer), one torch thread like
the bot; prints p50/p95 of the whole ask for each and their ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import shutil
import sqlite3
import tempfile
from contextlib import closing
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import QRELS, ROOT, SPLIT, percentile  # noqa: E402
from index import pipeline  # noqa: E402
from index.encoder import SentenceTransformerEncoder, ServingEncoder, serve_queries  # noqa: E402
from index.engines.faiss import IndexReader  # noqa: E402
from index.schema import DB_NAME  # noqa: E402
from index.settings import MINILM_MODEL, Settings  # noqa: E402
from retrieval.search import SearchSettings, Searcher  # noqa: E402

JUDGED = ROOT / "bench" / "qrels" / "highlights.jsonl"
SAMPLES = ROOT / "samples" / "archive.jsonl"


def latency(data_dir: Path, runs: int = 3) -> None:
    serve_queries()
    settings = replace(Settings.from_env(), data_dir=data_dir)
    questions = [json.loads(line)["question"] for line in QRELS.read_text().splitlines() if line.strip()]
    searchers = {"words only": Searcher(IndexReader(data_dir), ServingEncoder(settings),
                                        SearchSettings(answer_highlight=False)),
                 "answer-aware": Searcher(IndexReader(data_dir), ServingEncoder(settings))}
    times: dict[str, list[float]] = {name: [] for name in searchers}
    for searcher in searchers.values():
        searcher.ask("warm up")
    for _ in range(runs):
        for question in questions:
            for name, searcher in searchers.items():
                searcher._vectors.clear()  # every ask encodes its question, as a new question does
                started = time.perf_counter()
                searcher.ask(question, limit=5)
                times[name].append((time.perf_counter() - started) * 1000)
    for name, values in times.items():
        print(f"{name}: ask p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms "
              f"({len(values)} asks)")
    ratio = percentile(times["answer-aware"], 50) / percentile(times["words only"], 50)
    print(f"answer-aware / words only, p50: {ratio:.2f}")


def as_schema_7(data_dir: Path, copy: Path) -> Path:
    """A copy of an index without its sentences' vectors, as schema 7 served it: the bold sentence by
    meaning then encodes its candidate sentences at question time."""
    shutil.copytree(data_dir, copy, ignore=shutil.ignore_patterns("write.lock"))
    with closing(sqlite3.connect(copy / DB_NAME)) as db:
        db.executescript("DROP TABLE sentence_vectors; UPDATE meta SET value = '7' WHERE key = 'schema_version';")
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--latency", type=Path, help="a Reuters index to time the highlighters on")
    args = parser.parse_args()
    if args.latency:
        latency(args.latency)
    settings = Settings.from_env()
    model = settings.model or MINILM_MODEL
    encoder = SentenceTransformerEncoder(model, settings.device, settings.backend or "torch", settings.models_home)
    items = [json.loads(line) for line in JUDGED.read_text().splitlines() if line.strip()]
    test = set(json.loads(SPLIT.read_text())[JUDGED.name]["test"])  # 1-based lines (bench/split_qrels.py)
    half = ["test" if n in test else "tune" for n in range(1, len(items) + 1)]
    print(f"{model} ({encoder.backend}); tune {half.count('tune')}, test {half.count('test')} questions")
    with tempfile.TemporaryDirectory() as tmp:
        built = Path(tmp) / "index"
        pipeline.add([SAMPLES], replace(settings, data_dir=built), encoder=encoder, quiet=True)
        before = as_schema_7(built, Path(tmp) / "schema-7")
        for name, (data_dir, search) in {
                "words only": (built, SearchSettings(answer_highlight=False)),
                "default, sentences encoded when asked (schema 7)": (before, SearchSettings()),
                "default, sentences' stored vectors (schema 8)": (built, SearchSettings())}.items():
            searcher = Searcher(IndexReader(data_dir), encoder, search)
            right, misses = {"tune": 0, "test": 0}, []
            for item, which in zip(items, half):
                hits = [h for h in searcher.ask(item["question"], limit=10).hits
                        if item["article"] in {h.citation.article_id, *(c.article_id for c in h.also)}]
                shown = hits[0].highlight if hits else "(article not in the top 10)"
                if shown == item["sentence"]:
                    right[which] += 1
                else:
                    misses.append((which, item["question"], shown))
            print(f"{name}: tune {right['tune']}/{half.count('tune')}, test {right['test']}/{half.count('test')} "
                  "highlights answer the question")
            for which, question, shown in misses:
                print(f"   miss ({which}): {question} -> {shown[:100]}")


if __name__ == "__main__":
    main()
