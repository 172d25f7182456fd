"""The whole `newsdesk index add` of the three multilingual archives, two checkouts of Newsdesk in the
same run, their order alternated round by round, so that a change's speed is measured against the code
before it on the same machine at the same time (bench/multilingual_eval.py `throughput` measures one).

    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/ab_throughput.py \\
        --before bench/out/code/59bbd29 --before-cache bench/out/model-cache-old \\
        --after . --after-cache bench/out/model-cache [--rounds 3] [--model e5]

Each checkout is a `git archive` snapshot (or this working tree) with `.venv` and `bench/out` linked
as bench/multilingual_eval.py's docstring shows; each indexes with its own code (bench/multilingual_eval
`index`, the real CLI) into `bench/out/multilingual/ab-{before,after}-MODEL-LANG` and with its own model
cache, built beforehand (`newsdesk index model`), so that no run builds or exports a model. The last
round's indexes stay, for asking them (bench/multilingual/tune_fusion.py check --prefix ab-after).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import bench.multilingual_eval as ml  # noqa: E402  (this checkout's, for the figures; each side indexes with its own)


def index_all(code: Path, cache: Path, name: str, model: str) -> dict:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NEWSDESK_MODEL_CACHE": str(cache), "PYTHONPATH": str(code)}
    script = ("import json, bench.multilingual_eval as m; "
              f"print(json.dumps([m.index({model!r}, lang, prefix='ab-{name}') for lang in m.LANGS]))")
    done = subprocess.run([sys.executable, "-c", script], cwd=code, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"indexing with {code} failed:\n{done.stderr[-2000:]}")
    return {"code": name, **ml.summary(json.loads(done.stdout.strip().splitlines()[-1]))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for side in ("before", "after"):
        parser.add_argument(f"--{side}", type=Path, required=True, help="a checkout of Newsdesk")
        parser.add_argument(f"--{side}-cache", type=Path, required=True, help="its NEWSDESK_MODEL_CACHE")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", default="e5")
    args = parser.parse_args()
    sides = {"before": (args.before.resolve(), args.before_cache.resolve()),
             "after": (args.after.resolve(), args.after_cache.resolve())}
    rows = []
    for number in range(args.rounds):
        for name in (("before", "after") if number % 2 == 0 else ("after", "before")):
            rows.append({"round": number, **index_all(*sides[name], name, args.model)})
            print(json.dumps(rows[-1]), flush=True)
    rate = {(r["round"], r["code"]): r["passages_per_s"] for r in rows}
    found = {"model": args.model, "checkouts": {k: str(v[0]) for k, v in sides.items()}, "rounds": rows,
             "median_passages_per_s": {name: statistics.median(r["passages_per_s"] for r in rows if r["code"] == name)
                                       for name in sides},
             "after_over_before_median": round(statistics.median(rate[(n, "after")] / rate[(n, "before")]
                                                                 for n in range(args.rounds)), 3)}
    (ml.OUT / f"ab-throughput-{args.model}.json").write_text(json.dumps(found, indent=2) + "\n")
    print(json.dumps({k: found[k] for k in ("median_passages_per_s", "after_over_before_median")}))


if __name__ == "__main__":
    main()
