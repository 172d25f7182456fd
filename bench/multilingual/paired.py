"""Same stories, two languages: each WMT story that has a Ukrainian (or Russian) article, asked by its
headline in that language of that language's archive and by its English headline of the English
archive. The held-out comparison of docs/multilingual.md sets uk->uk against en->en over different
stories (en->en's are mostly Russian stories in English translation); this one holds the stories
fixed, so what differs is the language (and the archive around the article: the Ukrainian one also holds
Brown-UK's 483 articles, the English one 286). Measures only; nothing is chosen with it.

    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/paired.py [--uk-prefix U-index] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import multilingual_eval as ml  # noqa: E402
from bench.multilingual import tune_fusion  # noqa: E402


def story(q: dict) -> str:
    return q["relevant"][0].rsplit("#", 1)[0]


def paired(questions: list[dict], lang: str) -> tuple[list[dict], list[dict]]:
    """The `lang`->`lang` WMT questions and the en->en questions of the same stories."""
    own = [q for q in questions if q["set"] == "wmt" and q["lang"] == q["target"] == lang]
    stories = {story(q) for q in own}
    english = [q for q in questions if q["set"] == "wmt" and q["lang"] == q["target"] == "en" and story(q) in stories]
    return own, english


def measure(prefix: str, target: str, asked: list[dict]) -> dict:
    from retrieval.evaluate import Judgement, evaluate
    from retrieval.search import SearchSettings

    searcher = tune_fusion.searcher("e5", target, prefix, SearchSettings(answer_highlight=False))
    judgements = [Judgement(q["question"], frozenset(q["relevant"])) for q in asked]
    return {m.mode: m.as_dict() for m in evaluate(searcher, judgements, ("hybrid", "dense"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uk-prefix", default="index", help="the uk index's prefix (U-index: built with today's lemmas)")
    parser.add_argument("--out")
    args = parser.parse_args()
    questions = ml.load_questions()
    rows = []
    for lang, prefix in (("uk", args.uk_prefix), ("ru", "index")):
        own, english = paired(questions, lang)
        for direction, target, asked, pre in ((f"{lang}->{lang}", lang, own, prefix), ("en->en", "en", english, "index")):
            found = measure(pre, target, asked)
            rows.append({"stories": f"WMT stories with a {lang} article", "direction": direction,
                         "questions": len(asked), **{f"{mode} R@5 / MRR@10": f"{m['recall@5']:.3f} / {m['mrr@10']:.3f}"
                                                      for mode, m in found.items()}})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps({"code": ml.code_state(), "rows": rows}, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
