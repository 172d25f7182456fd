"""Which cosine bars should an alert need? Measured on the Reuters evaluation set.

Every article of the archive is treated as new, every one of the 120 judged questions as a follow;
an article is "sent" when one of its passages passes the bars (retrieval.alerts: cosine >= A and at
least C of the question's topic-word weight in the passage, or cosine >= B alone). With the judged
relevant articles as the truth (unjudged ones count as not relevant), this prints micro precision,
recall and articles sent per question for a grid of (A, C, B). Needs an index of the whole archive:
`make bench` builds one with all-MiniLM-L6-v2, `newsdesk index add` one with the default model. The
grid is the model's own (its cosines sit in another range); the bars are chosen on the tuning half
and checked once on the held-out half (bench/qrels/split.json).

    .venv/bin/python bench/alerts_threshold.py [--data-dir bench/out/reuters-index] [--half tune|test] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import REUTERS_INDEX, half  # noqa: E402
from index.encoder import ServingEncoder, serve_queries  # noqa: E402
from index.engines.faiss import IndexReader  # noqa: E402
from index.settings import MULTILINGUAL_MODEL, Settings  # noqa: E402
from retrieval.alerts import AlertSettings, rules_for, scored  # noqa: E402
from retrieval.search import Searcher  # noqa: E402

COVERAGE = [0.0, 0.5, 2 / 3, 0.8, 1.0]
# (close in meaning, close in meaning alone) per model; 1.01: never on meaning alone
GRIDS = {MULTILINGUAL_MODEL: ([0.78, 0.80, 0.82, 0.84, 0.86], [0.86, 0.88, 0.90, 0.92, 1.01])}
GRID = ([0.35, 0.40, 0.45, 0.50, 0.55, 0.60], [0.60, 0.65, 0.70, 0.75, 1.01])  # all-MiniLM-L6-v2's


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=REUTERS_INDEX)
    parser.add_argument("--half", choices=["tune", "test", "all"], default="tune",
                        help="which half of the judged questions (choose on tune, report test)")
    parser.add_argument("--json", type=Path, help="write the grid here as JSON")
    args = parser.parse_args()
    serve_queries()
    settings = Settings.from_env(data_dir=args.data_dir)
    reader = IndexReader(settings.data_dir)
    searcher = Searcher(reader, ServingEncoder(settings))  # questions encoded like the index's passages
    snapshot = reader.snapshot()
    cosine_grid, alone_grid = GRIDS.get(snapshot.manifest.model, GRID)
    judgements = half("reuters.jsonl", args.half)
    # per question: article id -> [(cosine, coverage)] of its passages above the lowest bar
    found: list[tuple[frozenset[str], dict[str, list[tuple[float, float]]]]] = []
    for judgement in judgements:
        per_article: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for row in scored(searcher.plan(judgement.question, as_of=snapshot.archive_end, snapshot=snapshot), 0,
                          min(cosine_grid)):
            per_article[row.passage.article_id].append((row.cosine, row.coverage))
        found.append((judgement.relevant, per_article))
    grid = []
    for a in cosine_grid:
        for c in COVERAGE:
            for b in alone_grid:
                rule = AlertSettings(min_cosine=a, min_coverage=c, min_cosine_alone=b)
                sent = hit = relevant = 0
                for truth, per_article in found:
                    chosen = {aid for aid, rows in per_article.items() if any(rule.passes(*r) for r in rows)}
                    sent += len(chosen)
                    hit += len(chosen & truth)
                    relevant += len(truth)
                grid.append({"cosine": a, "coverage": round(c, 3), "alone": b, "sent": sent, "relevant_sent": hit,
                             "precision": round(hit / sent, 4) if sent else None,
                             "recall": round(hit / relevant, 4), "sent_per_question": round(sent / len(found), 2)})
    default = rules_for(snapshot.manifest.model)
    print(f"{snapshot.manifest.model}, {args.half} half: {len(found)} questions, "
          f"{sum(len(t) for t, _ in found)} relevant articles; the whole archive as new")
    print(f"{'cosine':>6} {'cover':>5} {'alone':>5} {'sent':>6} {'/q':>5} {'precision':>9} {'recall':>6}")
    for row in grid:
        alone = "never" if row["alone"] > 1 else f"{row['alone']:.2f}"
        mark = " <- default" if (row["cosine"], row["coverage"], row["alone"]) == (
            default.min_cosine, round(default.min_coverage, 3), default.min_cosine_alone) else ""
        print(f"{row['cosine']:6.2f} {row['coverage']:5.2f} {alone:>5} {row['sent']:6d} {row['sent_per_question']:5.1f} "
              f"{row['precision'] or 0:9.3f} {row['recall']:6.3f}{mark}")
    if args.json:
        args.json.write_text(json.dumps(grid, indent=1) + "\n")


if __name__ == "__main__":
    main()
