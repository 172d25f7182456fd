"""Newsdesk and txtai side by side: same machine, same run, same Reuters passages, model and questions.

    make bench-peer        # makes .venv-peer (txtai needs transformers >= 5.9, Newsdesk's ONNX
                           # backend < 4.58: they cannot share a venv), then runs this script

    .venv/bin/python bench/peer_txtai.py [--peer-python .venv-peer/bin/python]

txtai (FAISS + SQLite + BM25 hybrid: `Embeddings(content=True, hybrid=True, backend="faiss")`, the
closest existing tool) is given exactly the passages Newsdesk's chunker makes of the Reuters archive and
the same packaged all-MiniLM-L6-v2 directory (with its default, the PyTorch sentence-transformers
backend). Newsdesk runs as shipped (its default backend and index type) and does its whole pipeline in
its indexing time (reading, chunking, FTS5, FAISS), txtai only its `index()` call. Both answer the same
200 questions (the judged ones topped up with titles) in a fresh process after indexing, one at a time,
and the judged questions for Recall@5 / nDCG@10, scored by retrieval.evaluate.score with passages
collapsed to their articles. Peak memory is each process's VmHWM. Phases run one after the other.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS, REUTERS, ROOT, dir_size, peak_rss_mb, percentile, questions  # noqa: E402

WORK = OUT / "peer"


# --- the txtai side (runs in .venv-peer, imports nothing of Newsdesk) --------------------------------

def txtai_index(model: str, passages: Path, target: Path) -> dict:
    from importlib.metadata import version

    from txtai import Embeddings

    rows = [json.loads(line) for line in passages.read_text().splitlines()]
    embeddings = Embeddings(path=model, method="sentence-transformers", content=True, hybrid=True,
                            backend="faiss")
    embeddings.transform("warm up the model before the clock starts")
    started = time.perf_counter()
    embeddings.index((row["id"], row["text"], None) for row in rows)
    embeddings.save(str(target))
    return {"index_seconds": round(time.perf_counter() - started, 1), "passages": len(rows),
            "index_peak_rss_mb": round(peak_rss_mb()), "version": version("txtai")}


def txtai_query(target: Path, asked: list[str], judged: list[str], runs: int) -> dict:
    from txtai import Embeddings

    embeddings = Embeddings()
    embeddings.load(str(target))
    for question in asked[:10]:
        embeddings.search(question, 10)
    totals, run_p50 = [], []
    for _ in range(runs):
        times = []
        for question in asked:
            started = time.perf_counter()
            embeddings.search(question, 10)
            times.append((time.perf_counter() - started) * 1000)
        totals += times
        run_p50.append(round(percentile(times, 50), 1))
    ranked = {}
    for question in judged:
        articles: list[str] = []
        for hit in embeddings.search(question, 50):
            article = hit["id"].rsplit("#", 1)[0]
            if article not in articles:
                articles.append(article)
        ranked[question] = articles[:10]
    return {"total_p50_ms": round(percentile(totals, 50), 2), "total_p95_ms": round(percentile(totals, 95), 2),
            "total_p50_per_run": run_p50, "query_peak_rss_mb": round(peak_rss_mb()), "ranked": ranked}


# --- the Newsdesk side and the comparison (runs in .venv) ---------------------------------------------

def write_archive(path: Path, others: int | None) -> Path:
    """The Reuters archive, or (with `others`) its judged articles plus that many others, chosen at random."""
    if others is None:
        return REUTERS
    import random

    judged = {a for j in load_qrels_lines() for a in j}
    lines = REUTERS.read_text().splitlines()
    keep = [line for line in lines if json.loads(line).get("id") in judged]
    rest = [line for line in lines if json.loads(line).get("id") not in judged]
    keep += random.Random(3).sample(rest, min(others, len(rest)))
    path.write_text("\n".join(keep) + "\n")
    return path


def load_qrels_lines() -> list[list[str]]:
    return [json.loads(line)["relevant"] for line in QRELS.read_text().splitlines() if line.strip()]


def write_passages(path: Path, archive: Path) -> int:
    from index.chunking import chunk
    from index.records import Article
    from index.settings import Settings
    from index.sources import read_paths

    settings = Settings()
    count = 0
    with path.open("w") as out:
        for article in read_paths([archive]):
            if not isinstance(article, Article):
                continue
            for n, passage in enumerate(chunk(article.body, settings.passage_chars, settings.overlap_sentences)):
                out.write(json.dumps({"id": f"{article.article_id}#{n}", "text": passage.text}) + "\n")
                count += 1
    return count


def newsdesk_quality(data_dir: Path) -> dict:
    from index.encoder import ServingEncoder, serve_queries
    from index.reader import IndexReader
    from index.settings import Settings
    from retrieval.evaluate import evaluate, load_qrels
    from retrieval.search import Searcher

    serve_queries()
    searcher = Searcher(IndexReader(data_dir), ServingEncoder(Settings.from_env(data_dir=data_dir)))
    [metrics] = evaluate(searcher, load_qrels(QRELS), ("hybrid",))
    return {"recall@5": metrics.recall[5], "ndcg@10": metrics.ndcg10}


def txtai_quality(ranked: dict[str, list[str]]) -> dict:
    from retrieval.evaluate import load_qrels, score

    judgements = load_qrels(QRELS)
    recall5 = ndcg = 0.0
    for judgement in judgements:
        recall, _, gain = score([[{a}] for a in ranked[judgement.question]], judgement.relevant)
        recall5 += recall[5]
        ndcg += gain
    return {"recall@5": recall5 / len(judgements), "ndcg@10": ndcg / len(judgements)}


def run(cmd: list[str]) -> dict:
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"{' '.join(cmd[:3])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer-python", default=str(ROOT / ".venv-peer" / "bin" / "python"))
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slice", type=int, metavar="N",
                        help="index only the judged articles and N others (quicker; quality figures then differ from the full archive's)")
    parser.add_argument("--role", choices=["txtai-index", "txtai-query"], help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "txtai-index":
        print(json.dumps(txtai_index(args.model, WORK / "passages.jsonl", WORK / "txtai")))
        return
    if args.role == "txtai-query":
        asked = json.loads((WORK / "questions.json").read_text())
        print(json.dumps(txtai_query(WORK / "txtai", asked["asked"], asked["judged"], args.runs)))
        return
    if not Path(args.peer_python).exists():
        sys.exit(f"No peer interpreter at {args.peer_python}: run `make bench-peer`.")
    from index.encoder import resolve_model
    from index.settings import DEFAULT_MODEL
    from retrieval.evaluate import load_qrels

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    archive = write_archive(WORK / "archive.jsonl", args.slice)
    passages = write_passages(WORK / "passages.jsonl", archive)
    (WORK / "questions.json").write_text(json.dumps({
        "asked": questions(args.questions), "judged": [j.question for j in load_qrels(QRELS)]}))
    model = resolve_model(DEFAULT_MODEL)
    me = [sys.executable, str(Path(__file__).resolve())]

    subprocess.run([sys.executable, str(ROOT / "bench" / "index_and_query.py"), "--data-dir", str(WORK / "newsdesk"),
                    "--archive", str(archive), "--raw-sample", "50", "--questions", str(args.questions),
                    "--runs", str(args.runs)], check=True, capture_output=True, cwd=ROOT)
    newsdesk = json.loads((OUT / "index_and_query-newsdesk.json").read_text())
    newsdesk.update(newsdesk_quality(WORK / "newsdesk"))
    newsdesk["index_size_mb"] = round(dir_size(WORK / "newsdesk") / 2**20, 1)

    peer = run([args.peer_python, *me[1:], "--role", "txtai-index", "--model", model])
    peer.update(run([args.peer_python, *me[1:], "--role", "txtai-query", "--runs", str(args.runs)]))
    peer.update(txtai_quality(peer.pop("ranked")))
    peer["index_size_mb"] = round(dir_size(WORK / "txtai") / 2**20, 1)

    rows = [  # (what, newsdesk, txtai, lower is better)
        ("indexing time (s)", newsdesk["index_seconds"], peer["index_seconds"], True),
        ("query p50 (ms)", newsdesk["total_p50_ms"], peer["total_p50_ms"], True),
        ("query p95 (ms)", newsdesk["total_p95_ms"], peer["total_p95_ms"], True),
        ("peak memory, indexing (MB)", newsdesk["index_peak_rss_mb"], peer["index_peak_rss_mb"], True),
        ("peak memory, serving (MB)", newsdesk["query_peak_rss_mb"], peer["query_peak_rss_mb"], True),
        ("index size on disk (MB)", newsdesk["index_size_mb"], peer["index_size_mb"], True),
        ("Recall@5", round(newsdesk["recall@5"], 3), round(peer["recall@5"], 3), False),
        ("nDCG@10", round(newsdesk["ndcg@10"], 3), round(peer["ndcg@10"], 3), False),
    ]
    result = {"passages": passages, "newsdesk": newsdesk, "txtai": peer,
              "rows": [{"what": w, "newsdesk": n, "txtai": t,
                        "newsdesk_ahead_by": round(t / n if lower else n / t, 2)} for w, n, t, lower in rows]}
    (OUT / "peer_txtai.json").write_text(json.dumps(result, indent=2) + "\n")
    result["archive"] = "all of Reuters" if args.slice is None else f"judged Reuters articles + {args.slice} others"
    (OUT / "peer_txtai.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{result['archive']}: {passages} passages; Newsdesk backend {newsdesk.get('backend')}; txtai {peer.get('version', '')}\n")
    print("| | Newsdesk | txtai | Newsdesk ahead by |\n|---|---|---|---|")
    for row in result["rows"]:
        print(f"| {row['what']} | {row['newsdesk']} | {row['txtai']} | {row['newsdesk_ahead_by']:.2f}x |")


if __name__ == "__main__":
    main()
