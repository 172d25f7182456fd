"""How the cost grows with the archive: a table (bench/cost_growth.md) and a plot (bench/cost_growth.png).

    .venv/bin/python bench/cost_growth.py

Made from the JSON other benchmarks leave in bench/out/, nothing re-measured here:

- Reuters rows (measured end to end, bench/growth.py part "steps"): the archive indexed a quarter at a
  time into one data directory; time to index is the total so far, answers are measured after each step.
- 100k / 1M / 5M rows (modelled from measured parts): time to index = passages / the pipeline rate of
  the full Reuters run (encoding is the cost and grows linearly) + the FAISS build measured at that size
  (bench/vector_layer.py, synthetic vectors, the automatic index type). Answer p50 = the full Reuters
  answer p50 + the growth of the vector search (synthetic vectors; Reuters' own exact search taken as
  the 100k one scaled down) + the growth of BM25 measured on Reuters passages copied k times
  (bench/growth.py part "bm25": 4x for 100k, 36x for 1M; 5M is the 1M figure scaled by 5, BM25's cost
  being proportional to posting-list length). BM25 runs beside the question's encoding, and on Reuters
  it already ends after it, so its growth adds in full. With the postings budget (SearchSettings.
  bm25_budget, the default) BM25 reads a bounded number of passages, so its 5M figure is taken as 1M's;
  unbounded it is 1M's times 5.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, ROOT  # noqa: E402

MODELLED = {100_000: 4, 1_000_000: 36, 5_000_000: 36}  # size -> BM25 copies measured (5M: scaled from 36)


def rows() -> tuple[list[dict], dict]:
    growth = json.loads((OUT / "growth.json").read_text())
    layer = json.loads((OUT / "vector_layer.json").read_text())
    steps, bm25 = growth["steps"], {r["copies"]: r for r in growth["bm25"]}
    last = steps[-1]
    rate = sum(s["embedded"] for s in steps) / last["total_seconds"]
    per_article = last["passages"] / last["articles"]
    exact_100k = next(r for r in layer["sizes"]["100000"]["types"] if r["index_type"] == layer["sizes"]["100000"]["auto"])
    reuters_vector_ms = exact_100k["p50_ms"] * last["passages"] / 100_000
    out = [{
        "passages": s["passages"], "articles": s["articles"], "index_type": "IDMap2,SQfp16",
        "index_hours": s["total_seconds"] / 3600, "answer_p50_ms": s["answer_p50_ms"],
        "answer_p95_ms": s["answer_p95_ms"], "vector_ms": None, "bm25_ms": None, "unbounded_ms": None,
        "how": f"measured end to end (Reuters, {i + 1}/{len(steps)})",
    } for i, s in enumerate(steps)]
    for n, size in layer["sizes"].items():
        n = int(n)
        auto = next(r for r in size["types"] if r["index_type"] == size["auto"])
        copies = MODELLED[n]
        scaled = n > bm25[copies]["passages"] * 1.5  # 5M: from the 1M measurement
        # unbounded BM25 grows with posting lists; with the postings budget it is taken as the 1M figure
        unbounded_ms = bm25[copies]["unbounded_p50_ms"] * (n / bm25[copies]["passages"] if scaled else 1)
        bm25_ms = bm25[copies]["p50_ms"]
        answer = last["answer_p50_ms"] + (auto["p50_ms"] - reuters_vector_ms) + (bm25_ms - bm25[1]["p50_ms"])
        out.append({
            "passages": n, "articles": round(n / per_article), "index_type": auto["index_type"],
            "index_hours": (n / rate + auto["build_s"]) / 3600, "answer_p50_ms": answer, "answer_p95_ms": None,
            "vector_ms": auto["p50_ms"], "bm25_ms": bm25_ms, "unbounded_ms": unbounded_ms,
            "how": "modelled: Reuters rate + measured vector layer + measured BM25"
                   + (" (1M figures; unbounded scaled x5)" if scaled else f" ({copies}x Reuters)"),
        })
    facts = {"rate": rate, "per_article": per_article, "bm25_reuters_ms": bm25[1]["p50_ms"],
             "reuters_vector_ms": reuters_vector_ms, "backend": growth.get("backend", "onnx-int8")}
    return out, facts


def bm25_cell(row: dict) -> str:
    if row["bm25_ms"] is None:
        return "-"
    return f"{row['bm25_ms']:.1f} / {row['unbounded_ms']:.1f} ms"


def table(data: list[dict], facts: dict) -> str:
    lines = [
        f"Indexing {facts['rate']:.1f} passages/s through the whole pipeline on Reuters ({facts['backend']}), "
        f"{facts['per_article']:.2f} passages an article. On Reuters, BM25 alone takes {facts['bm25_reuters_ms']:.1f} ms "
        f"(p50) and the exact vector search about {facts['reuters_vector_ms']:.1f} ms.",
        "",
        "| passages | articles | index type (auto) | time to index | answer p50 | answer p95 | vector search p50 "
        "| BM25 p50 (budget / unbounded) | how |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in data:
        hours = r["index_hours"]
        when = f"{hours * 60:.0f} min" if hours < 2 else f"{hours:.1f} h"
        def ms(value):
            return "-" if value is None else f"{value:.1f} ms"
        lines.append(f"| {r['passages']:,} | {r['articles']:,} | `{r['index_type']}` | {when} | {ms(r['answer_p50_ms'])} "
                     f"| {ms(r['answer_p95_ms'])} | {ms(r['vector_ms'])} | {bm25_cell(r)} | {r['how']} |")
    return "\n".join(lines)


def plot(data: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, left = plt.subplots(figsize=(7.5, 4.2))
    right = left.twinx()
    for measured, style in ((True, "-"), (False, "--")):
        part = [r for r in data if r["how"].startswith("measured") == measured]
        label = "measured" if measured else "modelled"
        xs = [r["passages"] for r in part]
        left.plot(xs, [r["index_hours"] for r in part], style, marker="o", color="tab:blue",
                  label=f"time to index, {label}")
        right.plot(xs, [r["answer_p50_ms"] for r in part], style, marker="s", color="tab:red",
                   label=f"answer p50, {label}")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("passages in the archive")
    left.set_ylabel("time to index (hours, 2 cores)", color="tab:blue")
    right.set_ylabel("answer p50 (ms)", color="tab:red")
    right.set_yscale("log")
    handles = left.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    left.legend(handles, [h.get_label() for h in handles], fontsize=7, loc="upper left")
    left.set_title("Newsdesk cost growth (bench/growth.py, bench/vector_layer.py -> bench/cost_growth.py)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    data, facts = rows()
    text = table(data, facts)
    (ROOT / "bench" / "cost_growth.md").write_text(
        "<!-- made by bench/cost_growth.py from bench/out/*.json; do not edit by hand -->\n\n" + text + "\n")
    plot(data, ROOT / "bench" / "cost_growth.png")
    print(text)


if __name__ == "__main__":
    main()
