"""How often the bold sentence is the one that answers the question.

    .venv/bin/python bench/highlight_eval.py

25 questions over the bundled sample archive (bench/qrels/highlights.jsonl: question, article, the
sentence that answers it, chosen by hand). Each question is asked with the real model; the answer's
entry for that article must highlight exactly that sentence. Compares the highlighters side by side in
the same run: words only (the IDF-weighted overlap) and the default (words, then meaning and the kind
of answer asked for among the sentences that share the question's words).
"""

from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT  # noqa: E402
from index import pipeline  # noqa: E402
from index.encoder import SentenceTransformerEncoder  # noqa: E402
from index.reader import IndexReader  # noqa: E402
from index.settings import Settings  # noqa: E402
from retrieval.search import SearchSettings, Searcher  # noqa: E402

JUDGED = ROOT / "bench" / "qrels" / "highlights.jsonl"
SAMPLES = ROOT / "samples" / "archive.jsonl"


def main() -> None:
    settings = Settings.from_env()
    encoder = SentenceTransformerEncoder(settings.model, settings.device)
    items = [json.loads(line) for line in JUDGED.read_text().splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        pipeline.add([SAMPLES], replace(settings, data_dir=Path(tmp)), encoder=encoder, quiet=True)
        for name, search in {"words only": SearchSettings(answer_highlight=False),
                             "default (answer-aware)": SearchSettings()}.items():
            searcher = Searcher(IndexReader(Path(tmp)), encoder, search)
            right, misses = 0, []
            for item in items:
                hits = [h for h in searcher.ask(item["question"], limit=10).hits
                        if item["article"] in {h.citation.article_id, *(c.article_id for c in h.also)}]
                shown = hits[0].highlight if hits else "(article not in the top 10)"
                if shown == item["sentence"]:
                    right += 1
                else:
                    misses.append((item["question"], shown))
            print(f"{name}: {right}/{len(items)} highlights answer the question")
            for question, shown in misses:
                print(f"   miss: {question} -> {shown[:100]}")


if __name__ == "__main__":
    main()
