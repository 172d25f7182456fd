"""How often a Ukrainian or Russian question's language is told wrong, on the TUNING pool only (the
questions of bench/out/multilingual/questions.jsonl outside the held-out sample): lingua's guess
(`index.language.detect`) against `of_question` at several confidence floors (`index.language.SURE`).
A wrong language reads every word with the other dictionary; "unknown" reads it with both.

    .venv/bin/python bench/multilingual/detect_questions.py [--floors 0.5,0.6,0.7,0.8,0.9]
"""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.multilingual.tune_fusion import tuning_pool  # noqa: E402
from index import language  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--floors", default="0.5,0.6,0.7,0.8,0.9")
    args = parser.parse_args()
    asked = {q["question"]: q["lang"] for q in tuning_pool(0) if q["lang"] in ("uk", "ru")}
    print(f"{len(asked)} distinct Ukrainian and Russian questions of the tuning pool")
    print("| rule | right | wrong | unknown |\n|---|---|---|---|")
    rules = [("lingua's guess", language.detect)]
    for floor in map(float, args.floors.split(",")):
        rules.append((f"of_question, SURE = {floor}", lambda q, f=floor: _of_question(q, f)))
    for name, rule in rules:
        told = collections.Counter(
            "unknown" if not (got := rule(q)) else "right" if got == lang else "wrong" for q, lang in asked.items())
        print(f"| {name} | {told['right']} | {told['wrong']} | {told['unknown']} |")


def _of_question(question: str, floor: float) -> str:
    saved, language.SURE = language.SURE, floor
    try:
        return language.of_question(question)
    finally:
        language.SURE = saved


if __name__ == "__main__":
    main()
