"""What the story costs the first answer (issue 28: at most 20% more): `Searcher.ask(limit=3)` as the bot
asks, with the story built (`SearchSettings.story`, the default) and without, on the whole Reuters
archive, the questions of bench/qrels/reuters.jsonl. The two searchers share one index and one model and
alternate question by question, in several rounds, so that the machine's load weighs on both alike.

    NEWSDESK_MODEL_CACHE=... HF_HUB_OFFLINE=1 .venv/bin/python bench/story_speed.py [--rounds 3] \
        [--data-dir bench/out/reuters-e5] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS, cpu, percentile  # noqa: E402
from index.encoder import ServingEncoder  # noqa: E402
from index.engines.faiss import IndexReader  # noqa: E402
from index.settings import Settings  # noqa: E402
from retrieval.search import SearchSettings, Searcher  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=OUT / "reuters-e5")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in QRELS.open(encoding="utf-8")]
    reader = IndexReader(args.data_dir)
    encoder = ServingEncoder(Settings.from_env(data_dir=args.data_dir))
    with_story = Searcher(reader, encoder, SearchSettings())
    without = Searcher(reader, encoder, replace(SearchSettings(), story=False))
    with_story.serve()
    without.ask("warm up", limit=3)
    times: dict[str, list[float]] = {"without story": [], "with story": []}
    reports = []
    for _ in range(args.rounds):
        for question in questions:
            for name, searcher in (("without story", without), ("with story", with_story)):
                started = time.perf_counter()
                answer = searcher.ask(question, limit=3)
                times[name].append((time.perf_counter() - started) * 1000)
                if answer.story is not None:
                    reports.append(len(answer.story.reports))
    rows = {name: {"asks": len(t), "p50 ms": round(percentile(t, 50), 1), "p95 ms": round(percentile(t, 95), 1)}
            for name, t in times.items()}
    base, story = rows["without story"], rows["with story"]
    result = {"cpu": cpu(), "rounds": args.rounds, "questions": len(questions),
              "rows": rows, "p50 ratio": round(story["p50 ms"] / base["p50 ms"], 3),
              "p95 ratio": round(story["p95 ms"] / base["p95 ms"], 3),
              "reports per story p50": percentile(reports, 50) if reports else 0}
    print(json.dumps(result, indent=2))
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
