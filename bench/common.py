"""Shared by the benchmark scripts: where the Reuters archive and its index live, and percentiles."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "articles.jsonl"
QRELS_DIR = ROOT / "bench" / "qrels"
QRELS = QRELS_DIR / "reuters.jsonl"
SPLIT = QRELS_DIR / "split.json"  # the test half of each judged set (bench/split_qrels.py)
OUT = ROOT / "bench" / "out"  # ignored by git: indexes and raw results
REUTERS_INDEX = OUT / "reuters-index"


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss it is not inherited across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values, dtype=float), q)) if values else float("nan")


def questions(n: int, seed: int = 7) -> list[str]:
    """The evaluation questions, topped up with article titles (lower-cased, as typed) up to n."""
    asked = [json.loads(line)["question"] for line in QRELS.read_text().splitlines() if line.strip()]
    rng = np.random.default_rng(seed)
    titles = [json.loads(line)["title"] for line in REUTERS.read_text().splitlines()]
    while len(asked) < n:
        title = titles[int(rng.integers(len(titles)))].strip()
        if title:
            asked.append(title.lower())
    return asked[:n]


def dir_size(path: Path) -> int:
    """Bytes of an index directory, cached model exports left out (index.engines.snapshot.index_size; imported
    here, not at the top: txtai's venv imports this module too)."""
    from index.engines.snapshot import index_size

    return index_size(path)


def half(name: str, which: str):
    """The judged questions of bench/qrels/NAME in one half: "tune", "test" or "all"."""
    from retrieval.evaluate import load_qrels

    judgements = load_qrels(QRELS_DIR / name)
    if which == "all":
        return judgements
    test = set(json.loads(SPLIT.read_text())[name]["test"])
    numbered = [n for n, line in enumerate((QRELS_DIR / name).read_text(encoding="utf-8").splitlines(), start=1)
                if line.strip()]
    return [j for n, j in zip(numbered, judgements) if (n in test) == (which == "test")]


def cpu() -> str:
    """The CPU a figure was measured on (figures of different CPUs are not compared), and whether it has AMX."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        import platform
        return platform.processor() or platform.machine()
    name = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "unknown")
    return name + (", AMX" if " amx_tile" in info else ", no AMX")
