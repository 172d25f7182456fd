"""Print each report's judged sentence of disagreements-who-when.jsonl from the Reuters archive.

Reads the archive with plain json only (no Newsdesk code), so the held-out set can be checked
by reading without running anything that the rules under test are built from.
"""
import collections
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
QRELS = HERE / "disagreements-who-when.jsonl"
ARCHIVE = HERE.parents[2] / "shared" / "data" / "reuters21578" / "articles.jsonl"
FIELDS = {"id", "source", "batch", "split", "kind", "question", "reports", "disagreements", "note"}


def main(qrels=QRELS, archive=Path(sys.argv[1]) if len(sys.argv) > 1 else None):
    archive = archive or (ARCHIVE if ARCHIVE.exists() else Path("/work/shared/data/reuters21578/articles.jsonl"))
    groups = [json.loads(line) for line in qrels.open()]
    wanted = {r["article"] for g in groups for r in g["reports"]}
    bodies = {}
    for line in archive.open():
        a = json.loads(line)
        if a["id"] in wanted:
            bodies[a["id"]] = a["body"]
    problems = []
    for g in groups:
        if set(g) != FIELDS:
            problems.append(f"{g['id']}: fields {sorted(set(g) ^ FIELDS)}")
        ids = [r["article"] for r in g["reports"]]
        if len(ids) < 2 or len(set(ids)) != len(ids):
            problems.append(f"{g['id']}: needs two or more distinct reports")
        if any(int(i.split("-")[1]) < 10001 for i in ids):
            problems.append(f"{g['id']}: an article below reuters-10001")
        if (g["kind"] == "real") != bool(g["disagreements"]):
            problems.append(f"{g['id']}: kind {g['kind']} with {len(g['disagreements'])} disagreements")
        for d in g["disagreements"]:
            given = [a for v in d["values"] for a in v["articles"]]
            if d["about"] not in ("who", "when") or len(d["values"]) < 2 or not set(given) <= set(ids):
                problems.append(f"{g['id']}: bad disagreement {d}")
        print(f"== {g['id']} [{g['kind']}] {g['question']}")
        for r in g["reports"]:
            s, e = r["sentence"]
            body = bodies.get(r["article"], "")
            if not (0 <= s < e <= len(body)):
                problems.append(f"{g['id']}: {r['article']} offsets {s},{e} outside body")
            print(f"   {r['article']} [{s}, {e}] {body[s:e].replace(chr(10), ' ')}")
        for d in g["disagreements"]:
            print("   >>", d["about"], "; ".join(f"{v['value']} {v['articles']}" for v in d["values"]))
        print("   note:", g["note"])
    kinds = collections.Counter(g["kind"] for g in groups)
    about = collections.Counter(d["about"] for g in groups for d in g["disagreements"])
    print(f"\n{len(groups)} groups {dict(kinds)}; real disagreements by kind {dict(about)}")
    for p in problems:
        print("PROBLEM", p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
