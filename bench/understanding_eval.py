"""What query understanding, spelling variants and grouping add, per kind of question, on two archives.

    .venv/bin/python bench/understanding_eval.py [--reuters-index bench/out/reuters-index]

Archives and judged questions:
- Reuters-21578 (index built by bench/index_and_query.py): bench/qrels/reuters.jsonl (topic questions,
  kind "plain") and bench/qrels/reuters-filters.jsonl (dates, the outlet, misspelt names);
- the self-written newsroom archive bench/archives/newsroom.jsonl (8 outlets, 2025), indexed here
  into bench/out/newsroom-index: bench/qrels/newsroom.jsonl.
Rows, each adding one thing to the one before:
1. core hybrid: the question's words only (no dates, outlets, phrases), no spelling variants, only
   identical passages grouped;
2. + query understanding: dates, outlets, from:/since:/until:, phrases, latest-first;
3. + spelling variants: trigram/edit-distance and gazetteer spellings;
4. + grouping: near-duplicate articles are one entry (the default configuration).
Writes bench/out/understanding_eval.json and prints Markdown tables (Recall@5, MRR@10, nDCG@10).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, REUTERS_INDEX, ROOT  # noqa: E402
from index import pipeline  # noqa: E402
from index.encoder import ServingEncoder  # noqa: E402
from index.engines.faiss import IndexReader  # noqa: E402
from index.settings import Settings  # noqa: E402
from retrieval.evaluate import Judgement, evaluate, load_qrels  # noqa: E402
from retrieval.search import SearchSettings, Searcher  # noqa: E402
from retrieval.variants import VariantSettings  # noqa: E402

QRELS = ROOT / "bench" / "qrels"
NEWSROOM = ROOT / "bench" / "archives" / "newsroom.jsonl"
DEFAULT = SearchSettings(answer_highlight=False)  # the highlight does not change the ranking; it costs encodes
ROWS = {
    "core hybrid": replace(DEFAULT, understand=False, variants=VariantSettings(spelling=False, gazetteer=False),
                           same_story=1.1),
    "+ query understanding": replace(DEFAULT, variants=VariantSettings(spelling=False, gazetteer=False),
                                     same_story=1.1),
    "+ spelling variants": replace(DEFAULT, same_story=1.1),
    "+ grouping (default)": DEFAULT,
}
GROUPS = {  # table column -> the kinds of question it holds
    "dates & outlets": ("date", "outlet", "date+outlet"),
    "spelling": ("spelling",),
    "plain": ("plain", ""),
}


def table(searcher: Searcher, judgements: list[Judgement]) -> list[dict]:
    rows = []
    for name, settings in ROWS.items():
        searcher.settings = settings
        row = {"run": name}
        for column, kinds in GROUPS.items():
            chosen = [j for j in judgements if j.kind in kinds]
            if chosen:
                [metrics] = evaluate(searcher, chosen, ("hybrid",))
                row[column] = {"questions": metrics.questions, "recall@5": round(metrics.recall[5], 3),
                               "mrr@10": round(metrics.mrr10, 3), "ndcg@10": round(metrics.ndcg10, 3)}
        rows.append(row)
    return rows


def markdown(title: str, rows: list[dict]) -> str:
    columns = [c for c in GROUPS if c in rows[0]]
    head = " | ".join(f"{c} ({rows[0][c]['questions']} q) R@5 / MRR / nDCG" for c in columns)
    lines = [f"### {title}", "", f"| run | {head} |", "|---" * (len(columns) + 1) + "|"]
    for row in rows:
        cells = " | ".join(f"{row[c]['recall@5']:.3f} / {row[c]['mrr@10']:.3f} / {row[c]['ndcg@10']:.3f}"
                           for c in columns)
        lines.append(f"| {row['run']} | {cells} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reuters-index", type=Path, default=REUTERS_INDEX)
    args = parser.parse_args()
    settings = Settings.from_env()
    newsroom_dir = OUT / "newsroom-index"
    pipeline.add([NEWSROOM], replace(settings, data_dir=newsroom_dir), quiet=True)
    archives = {
        "Reuters-21578": (args.reuters_index, [
            *(replace(j, kind=j.kind or "plain") for j in load_qrels(QRELS / "reuters.jsonl")),
            *load_qrels(QRELS / "reuters-filters.jsonl")]),
        "newsroom archive (self-written)": (newsroom_dir, load_qrels(QRELS / "newsroom.jsonl")),
    }
    results = {}
    for title, (data_dir, judgements) in archives.items():
        encoder = ServingEncoder(replace(settings, data_dir=data_dir))  # the backend the index was built with
        results[title] = table(Searcher(IndexReader(data_dir), encoder), judgements)
        print(markdown(title, results[title]) + "\n", flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "understanding_eval.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
