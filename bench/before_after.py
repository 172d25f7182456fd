"""Two versions of Newsdesk asked the same questions in one run, round after round: before / after.

    NEWSDESK_MODEL_CACHE=... HF_HUB_OFFLINE=1 .venv/bin/python bench/before_after.py \
        --before-code DIR --before-index A --after-index B [--questions F ...] [--rounds 3]

DIR is a copy of the older code (`git archive <commit> | tar -x -C DIR`); each round runs
bench/stages.py once per version, in its own fresh process, the older first, so the machine's load
weighs on both alike. Prints each version's stage table over all rounds, the after / before ratios
of the whole ask, and how many hits of the same question kept the same passage and bold sentence.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS, ROOT, percentile  # noqa: E402
from bench.stages import STAGES, table  # noqa: E402


def run(code: Path, data_dir: Path, questions: Path, out: Path) -> dict:
    if code.resolve() != ROOT:
        shutil.copy(ROOT / "bench" / "stages.py", code / "bench" / "stages.py")  # the same clock for both
    subprocess.run([sys.executable, str(code / "bench" / "stages.py"), "--data-dir", str(data_dir), "--rounds", "1",
                    "--questions", str(questions), "--json", str(out)],
                   env={**os.environ, "PYTHONPATH": str(code)}, check=True, stdout=subprocess.DEVNULL)
    [found] = json.loads(out.read_text()).values()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before-code", type=Path, required=True)
    parser.add_argument("--before-index", type=Path, required=True)
    parser.add_argument("--after-index", type=Path, required=True)
    parser.add_argument("--questions", type=Path, nargs="+", default=[QRELS])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = OUT / "before_after"
    work.mkdir(parents=True, exist_ok=True)
    for questions in args.questions:
        times = {"before": {s: [] for s in STAGES}, "after": {s: [] for s in STAGES}}
        shown, loads = {}, []
        for round_ in range(args.rounds):
            for name, code, data_dir in (("before", args.before_code, args.before_index),
                                         ("after", ROOT, args.after_index)):
                found = run(code, data_dir, questions, work / f"{questions.stem}-{name}-{round_}.json")
                for stage in STAGES:
                    times[name][stage] += found["times"][stage]
                shown[name] = found["shown"]
                loads.append(found["load"][0])
        print(f"\n## {questions.name}: {len(shown['after'])} questions x {args.rounds} rounds, limit 3; "
              f"load average (1 min) after each run: {', '.join(f'{x:.1f}' for x in loads)}")
        for name in times:
            print(f"\n{name}\n{table(times[name])}")
        for q in (50, 95):
            b, a = percentile(times["before"]["ask"], q), percentile(times["after"]["ask"], q)
            print(f"ask p{q}: before {b:.1f} ms, after {a:.1f} ms, after / before {a / b:.2f}")
        hits = sum(len(v) for v in shown["before"].values())
        same = sum(x == y for q in shown["before"] for x, y in zip(shown["before"][q], shown["after"][q]))
        print(f"hits with the same passage and bold sentence: {same} of {hits}")


if __name__ == "__main__":
    main()
