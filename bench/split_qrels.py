"""Divide each judged question set of bench/qrels/ into a tuning half and a test half, once.

    .venv/bin/python bench/split_qrels.py     # writes bench/qrels/split.json (committed, fixed)

Settings are chosen on the tuning halves (and RealTimeQA); the README reports the test halves. Each set
is split within each kind of question (date, outlet, spelling, plain ...), so both halves hold every
kind: the questions of a kind are shuffled with a fixed seed and every second one goes to the test
half. The split is written once and never redrawn: a redraw after seeing results would tune on the
test half.
"""

from __future__ import annotations

import json
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import QRELS_DIR, SPLIT  # noqa: E402

SETS = ("reuters.jsonl", "reuters-filters.jsonl", "newsroom.jsonl", "highlights.jsonl")


def split(lines: list[str], seed: int) -> list[int]:
    """1-based line numbers of the test half."""
    by_kind: dict[str, list[int]] = defaultdict(list)
    for number, line in enumerate(lines, start=1):
        if line.strip():
            by_kind[json.loads(line).get("kind", "")].append(number)
    test = []
    for kind in sorted(by_kind):
        numbers = by_kind[kind]
        random.Random(f"{seed}:{kind}").shuffle(numbers)
        test += numbers[1::2]
    return sorted(test)


def main() -> None:
    """Splits the sets the file has no split of yet (a set judged later is split once, when first run);
    the halves it has are never redrawn."""
    result = json.loads(SPLIT.read_text()) if SPLIT.exists() else {}
    new = [name for name in SETS if name not in result]
    if not new:
        sys.exit(f"{SPLIT} splits every set already: the split is fixed once (delete it only to start the evaluation over).")
    for name in new:
        result[name] = {"test": split((QRELS_DIR / name).read_text(encoding="utf-8").splitlines(), 2026)}
    SPLIT.write_text("{\n" + ",\n".join(f" {json.dumps(name)}: {json.dumps(halves)}" for name, halves in result.items())
                     + "\n}\n")
    for name in new:
        print(f"{name}: {len(result[name]['test'])} test questions")


if __name__ == "__main__":
    main()
