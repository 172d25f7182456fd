"""Near-duplicate groups of a whole archive, as the answer list forms them, for checking by hand.

    .venv/bin/python bench/duplicates.py [--data-dir bench/out/reuters-index] [--sample 30]

Articles whose MinHash sketches (index/duplicates.py) estimate a Jaccard similarity at or above the
threshold, published within two days of each other, are linked (`duplicates.same_story`); linked articles form a group (connected components). Candidate pairs come from
datasketch's MinHashLSH, then each pair's estimate is checked. Prints how many groups, their sizes, a
seeded random sample of groups, and a sample of pairs just below the threshold (what is not grouped).
Writes bench/out/duplicates.md.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from collections import Counter
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from datasketch import MinHashLSH  # noqa: E402

from bench.common import OUT, REUTERS_INDEX  # noqa: E402
from index import duplicates, generations  # noqa: E402
from index.schema import DB_NAME, VISIBLE  # noqa: E402


def load(data_dir: Path) -> list[tuple[str, str, str, str, bytes]]:
    """(article id, title, date, opening, sketch) of every article of the served generation."""
    gen = generations.require_current(data_dir)
    db = sqlite3.connect(f"{(data_dir / DB_NAME).resolve().as_uri()}?mode=ro", uri=True)
    rows = db.execute(f"SELECT a.article_id, a.title, coalesce(a.published_at, ''), substr(a.body, 1, 160),"
                      f" a.sketch FROM articles a WHERE {VISIBLE} AND a.sketch IS NOT NULL ORDER BY a.rowid",
                      {"gen": gen}).fetchall()
    db.close()
    return rows


def when(row) -> datetime | None:
    return datetime.fromisoformat(row[2]) if row[2] else None


def pairs(rows: list, low: float) -> list[tuple[int, int, float]]:
    """(i, j, estimated Jaccard) of every pair at or above `low`, within the days of one story, that
    LSH proposes."""
    lsh = MinHashLSH(threshold=low, num_perm=duplicates.PERMUTATIONS)
    found = []
    for i, row in enumerate(rows):
        sketch = duplicates.minhash(row[4])
        for j in lsh.query(sketch):
            if duplicates.same_story(rows[j][4], row[4], when(rows[j]), when(row), threshold=low):
                found.append((j, i, duplicates.similarity(rows[j][4], row[4])))
        lsh.insert(i, sketch)
    return found


def groups(count: int, linked: list[tuple[int, int, float]]) -> list[list[int]]:
    parent = list(range(count))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j, _ in linked:
        parent[root(i)] = root(j)
    members: dict[int, list[int]] = {}
    for i in range(count):
        members.setdefault(root(i), []).append(i)
    return [m for m in members.values() if len(m) > 1]


def describe(row) -> str:
    opening = " ".join(row[3].split())[:110]
    return f"{row[0]} | {row[2][:16]} | {row[1][:70]} | {opening}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=REUTERS_INDEX)
    parser.add_argument("--threshold", type=float, default=duplicates.SAME_STORY)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rows = load(args.data_dir)
    low = max(args.threshold - 0.1, 0.3)
    found = pairs(rows, low)
    linked = [p for p in found if p[2] >= args.threshold]
    grouped = groups(len(rows), linked)
    sizes = Counter(len(g) for g in grouped)
    rng = random.Random(args.seed)
    lines = [
        f"# Near-duplicate groups: estimated Jaccard >= {args.threshold},"
        f" published within {duplicates.SAME_STORY_DAYS:g} days",
        "",
        f"{len(rows)} articles; {len(grouped)} groups holding {sum(map(len, grouped))} articles; "
        f"answer entries saved: {sum(map(len, grouped)) - len(grouped)}.",
        "",
        "Group sizes: " + ", ".join(f"{n} articles: {c}" for n, c in sorted(sizes.items())),
        "",
        f"## A random sample of {min(args.sample, len(grouped))} groups (seed {args.seed})",
    ]
    for number, group in enumerate(rng.sample(grouped, min(args.sample, len(grouped))), start=1):
        lines.append(f"\n{number}.")
        lines.extend("   - " + describe(rows[i]) for i in group)
    below = [p for p in found if p[2] < args.threshold]
    lines += ["", f"## Pairs just below the threshold ({low:.2f} to {args.threshold}): "
              f"{len(below)}, a sample of {min(15, len(below))}"]
    for i, j, similarity in rng.sample(below, min(15, len(below))):
        lines += [f"\n- {similarity:.2f}", "   - " + describe(rows[i]), "   - " + describe(rows[j])]
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "duplicates.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
