"""How the cost grows with the archive: a table (bench/cost_growth.md) and a plot (bench/cost_growth.png).

    .venv/bin/python bench/cost_growth.py

Made from the JSON the other benchmarks leave in bench/out/, nothing re-measured here:

- Reuters row: measured end to end (bench/index_and_query.py, the int8 backend: index-and_query-reuters-int8.json).
- 100k / 1M / 5M rows: the vector layer measured on synthetic vectors (bench/vector_layer.py, the
  automatic index type); indexing time = passages / the measured Reuters pipeline rate (encoding is
  the cost and grows linearly) + the measured FAISS build at that size; answer time = the measured
  Reuters end-to-end p50 - the exact vector search at Reuters' size (the measured 100k exact search
  scaled down linearly, as exact search grows) + the measured vector search at that size. BM25 (SQLite
  FTS5) was measured on Reuters only: its growth at 1M and 5M is not in the table, which says so.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, ROOT  # noqa: E402


def rows() -> tuple[list[dict], dict]:
    reuters = json.loads((OUT / "index_and_query-reuters-int8.json").read_text())
    layer = json.loads((OUT / "vector_layer.json").read_text())
    per_article = reuters["passages_embedded"] / reuters["articles"]
    rate = reuters["index_passages_per_s"]
    flat_100k = next(r for r in layer["sizes"]["100000"]["types"] if r["index_type"] == "IDMap2,Flat")["p50_ms"]
    reuters_vector_ms = flat_100k * reuters["passages_embedded"] / 100_000
    fixed_ms = reuters["total_p50_ms"] - reuters_vector_ms
    out = [{
        "passages": reuters["passages_embedded"], "articles": reuters["articles"], "how": "measured end to end (Reuters)",
        "index_type": "IDMap2,Flat", "index_hours": reuters["index_seconds"] / 3600,
        "answer_p50_ms": reuters["total_p50_ms"], "search_p50_ms": reuters_vector_ms, "memory_mb": None,
    }]
    for n, size in layer["sizes"].items():
        n = int(n)
        auto = next(r for r in size["types"] if r["index_type"] == size["auto"])
        out.append({
            "passages": n, "articles": round(n / per_article), "how": "encoding at the Reuters rate + measured vector layer",
            "index_type": auto["index_type"], "index_hours": (n / rate + auto["build_s"]) / 3600,
            "answer_p50_ms": fixed_ms + auto["p50_ms"], "search_p50_ms": auto["p50_ms"], "memory_mb": auto["memory_mb"],
        })
    return out, {"rate": rate, "per_article": per_article, "fixed_ms": fixed_ms, "backend": reuters.get("backend")}


def table(data: list[dict], facts: dict) -> str:
    lines = [
        f"Encoder backend {facts['backend']}: {facts['rate']:.1f} passages/s through the whole pipeline on Reuters, "
        f"{facts['per_article']:.2f} passages an article; an answer's cost besides the vector search {facts['fixed_ms']:.1f} ms (p50, "
        "Reuters; its vector search, exact over 27k passages, is the 100k exact search scaled down).",
        "",
        "| passages | articles | index type (auto) | time to index | vector index memory | vector search p50 | answer p50 | how |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in data:
        hours = r["index_hours"]
        when = f"{hours * 60:.0f} min" if hours < 2 else f"{hours:.1f} h"
        memory = "-" if r["memory_mb"] is None else f"{r['memory_mb']:.0f} MB"
        lines.append(f"| {r['passages']:,} | {r['articles']:,} | `{r['index_type']}` | {when} | {memory} "
                     f"| {r['search_p50_ms']:.2f} ms | {r['answer_p50_ms']:.1f} ms | {r['how']} |")
    lines.append("")
    lines.append("Answer times above 100k passages leave out BM25's growth (SQLite FTS5 was measured on Reuters only).")
    return "\n".join(lines)


def plot(data: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [r["passages"] for r in data]
    fig, left = plt.subplots(figsize=(7, 4))
    left.plot(xs, [r["index_hours"] for r in data], marker="o", color="tab:blue", label="time to index (hours, 2 cores)")
    left.set_xscale("log")
    left.set_yscale("log")
    left.set_xlabel("passages in the archive")
    left.set_ylabel("time to index (hours)", color="tab:blue")
    right = left.twinx()
    right.plot(xs, [r["answer_p50_ms"] for r in data], marker="s", color="tab:red", label="answer p50 (ms)")
    right.set_ylabel("answer p50 (ms)", color="tab:red")
    right.set_ylim(0, max(60, max(r["answer_p50_ms"] for r in data) * 1.2))
    right.axhline(40, color="tab:red", linestyle=":", linewidth=1)
    left.set_title("Newsdesk cost growth (Reuters measured; larger sizes: bench/cost_growth.py)", fontsize=9)
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
