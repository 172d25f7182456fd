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

    .venv/bin/python bench/peer_txtai.py --set realtimeqa [--peer-python .venv-peer/bin/python]

RealTimeQA (bench/realtimeqa.py: real news-quiz questions nobody here wrote, each asked as of its quiz's
date): both rank the same passages of the same articles with the same vectors, the int8
all-MiniLM-L6-v2 vectors Newsdesk stored when it indexed them (txtai through its `external` vectors
method; questions encoded once by Newsdesk's query encoder), so the comparison is of search, not of
encoders. Reports Recall@1/5/10, MRR@10 and nDCG@10 for the quiz-cited and the answer-matched
questions separately, and the questions answered with nothing.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS, REUTERS, ROOT, cpu, dir_size, peak_rss_mb, percentile, questions  # noqa: E402

WORK = OUT / "peer"
REUTERS_END = datetime(1987, 10, 20, 23, 59, tzinfo=timezone.utc)  # the newest Reuters-21578 story's day


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


def top_articles(embeddings, question: str) -> list[str]:
    """txtai's first 10 articles for a question: its 50 best passages (ids ARTICLE#SEQ) collapsed."""
    articles: list[str] = []
    for hit in embeddings.search(question, 50):
        article = hit["id"].rsplit("#", 1)[0]
        if article not in articles:
            articles.append(article)
    return articles[:10]


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
    ranked = {question: top_articles(embeddings, question) for question in judged}
    return {"total_p50_ms": round(percentile(totals, 50), 2), "total_p95_ms": round(percentile(totals, 95), 2),
            "total_p50_per_run": run_p50, "query_peak_rss_mb": round(peak_rss_mb()), "ranked": ranked}


def txtai_external(work: Path) -> dict:
    """txtai's hybrid index over passages whose vectors are given (`method="external"`)."""
    import numpy as np
    from txtai import Embeddings

    rows = [json.loads(line) for line in (work / "passages.jsonl").read_text().splitlines()]
    asked = json.loads((work / "questions.json").read_text())
    lookup = dict(zip((row["text"] for row in rows), np.load(work / "vectors.npy")))
    lookup.update(zip(asked, np.load(work / "queries.npy")))
    embeddings = Embeddings(method="external", transform=lambda texts: np.vstack([lookup[t] for t in texts]),
                            content=True, hybrid=True, backend="faiss")
    started = time.perf_counter()
    embeddings.index((row["id"], row["text"], None) for row in rows)
    seconds = time.perf_counter() - started
    return {"index_seconds": round(seconds, 1), "ranked": [top_articles(embeddings, question) for question in asked]}


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


def write_mixed(path: Path, reuters: int, realtimeqa: int) -> list[dict]:
    """The multi-outlet set of issue 29: `realtimeqa` RealTimeQA articles of 2023 (those that answer its 2023
    questions first, then others of 2023, at random) and `reuters` Reuters stories (the judged ones first), as
    written by their outlets (not cut). Returns the RealTimeQA questions whose articles are all in it."""
    import random

    from bench import realtimeqa as rtqa

    rng = random.Random(2023)
    rows = [json.loads(line) for line in (rtqa.SOURCE / "articles.jsonl").read_text(encoding="utf-8").splitlines()]
    of_2023 = {r["id"]: r for r in rows if (r.get("published_at") or "").startswith("2023")}
    quiz = [q for q in map(json.loads, (rtqa.SOURCE / "qrels.jsonl").read_text(encoding="utf-8").splitlines())
            if q["question_date"].startswith("2023") and set(q["relevant"]) <= of_2023.keys()]
    rng.shuffle(quiz)
    chosen: list[str] = []
    for q in quiz:
        if len(chosen) + len(set(q["relevant"]) - set(chosen)) <= realtimeqa // 2:
            chosen += [a for a in q["relevant"] if a not in chosen]
    chosen += rng.sample(sorted(of_2023.keys() - set(chosen)), realtimeqa - len(chosen))
    asked = [q for q in quiz if set(q["relevant"]) <= set(chosen)]
    judged = {a for j in load_qrels_lines() for a in j}
    keep, rest = [], []
    for line in REUTERS.read_text().splitlines():
        (keep if json.loads(line).get("id") in judged else rest).append(line)
    keep += random.Random(3).sample(rest, reuters - len(keep))
    path.write_text("\n".join(keep + [json.dumps(of_2023[a]) for a in chosen]) + "\n")
    return asked


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


def judged(rtqa_asked: list[dict]) -> dict[str, list[tuple[str, frozenset[str], datetime | None]]]:
    """The judged questions of each set: (question, relevant articles, as of). Reuters' are asked as of its
    newest story (they were written from its point in time), RealTimeQA's as of their quiz's day."""
    from retrieval.evaluate import load_qrels

    sets = {"reuters": [(j.question, j.relevant, REUTERS_END) for j in load_qrels(QRELS)]}
    if rtqa_asked:
        sets["realtimeqa 2023"] = [(q["question"], frozenset(q["relevant"]),
                                    datetime.fromisoformat(q["question_date"]).replace(tzinfo=timezone.utc)
                                    + timedelta(days=1)) for q in rtqa_asked]
    return sets


def quality(ranked, sets: dict) -> dict:
    """Recall@5 and nDCG@10 of each set; `ranked(question, as_of)` gives a system's entries, each a list of
    article-id sets."""
    from retrieval.evaluate import score

    result = {}
    for name, questions_ in sets.items():
        recall5 = ndcg = 0.0
        for question, relevant, as_of in questions_:
            recall, _, gain = score(ranked(question, as_of), relevant)
            recall5 += recall[5]
            ndcg += gain
        prefix = "" if name == "reuters" else f"{name} "
        result |= {f"{prefix}recall@5": recall5 / len(questions_), f"{prefix}ndcg@10": ndcg / len(questions_)}
    return result


def newsdesk_quality(data_dir: Path, sets: dict) -> dict:
    from index.encoder import ServingEncoder, serve_queries
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.evaluate import ranked_articles
    from retrieval.search import Searcher

    serve_queries()
    searcher = Searcher(IndexReader(data_dir), ServingEncoder(Settings.from_env(data_dir=data_dir)))
    return quality(lambda q, as_of: ranked_articles(searcher.ask(q, limit=10, as_of=as_of)), sets)


def txtai_quality(ranked: dict[str, list[str]], sets: dict) -> dict:
    """txtai has no "as of": it ranks the whole archive for every question."""
    return quality(lambda q, _: [[{a}] for a in ranked[q]], sets)


def run(cmd: list[str]) -> dict:
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if done.returncode:
        sys.exit(f"{' '.join(cmd[:3])} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def export_passages(data_dir: Path, work: Path) -> int:
    """The passages of a Newsdesk index (id ARTICLE#SEQ, text) and their stored vectors, for txtai."""
    import sqlite3

    import numpy as np

    from index.schema import EMBEDDING_DTYPE, PASSAGE_TEXT

    db = sqlite3.connect(f"{(data_dir / 'newsdesk.sqlite3').resolve().as_uri()}?mode=ro", uri=True)
    rows = db.execute(f"SELECT a.article_id, p.seq, {PASSAGE_TEXT}, e.vector FROM passages p"
                      " JOIN articles a ON a.rowid = p.article JOIN embeddings e ON e.text_hash = p.text_hash"
                      " WHERE a.gen_removed IS NULL ORDER BY p.id").fetchall()
    with (work / "passages.jsonl").open("w") as out:
        for article, seq, text, _ in rows:
            out.write(json.dumps({"id": f"{article}#{seq}", "text": text}) + "\n")
    vectors = np.vstack([np.frombuffer(v, dtype=EMBEDDING_DTYPE) for *_, v in rows]).astype(np.float32)
    np.save(work / "vectors.npy", vectors)
    return len(rows)


def realtimeqa(peer_python: str) -> None:
    """Newsdesk and txtai on RealTimeQA, same passages and vectors, one run (module docstring)."""
    import numpy as np

    from bench import realtimeqa as rtqa
    from index.encoder import ServingEncoder, serve_queries
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.evaluate import CUTOFFS, score
    from retrieval.search import Searcher

    work = OUT / "peer-realtimeqa"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    data_dir = rtqa.index()
    asked = rtqa.questions()
    serve_queries()
    searcher = Searcher(IndexReader(data_dir), ServingEncoder(Settings.from_env(data_dir=data_dir)))
    passages = export_passages(data_dir, work)
    texts = list(dict.fromkeys(q.question for q in asked))
    (work / "questions.json").write_text(json.dumps(texts))
    np.save(work / "queries.npy", searcher.encoder.encode(texts))
    ours = [rtqa.ranked_articles(searcher, q) for q in asked]
    theirs = dict(zip(texts, run([peer_python, str(Path(__file__).resolve()), "--role", "txtai-external"])["ranked"]))
    result: dict = {"passages": passages, "articles_cut_to_passages": rtqa.PASSAGES, "rows": {}}
    for label in ("human_cited", "answer_match", "all"):
        chosen = [i for i, q in enumerate(asked) if label in ("all", q.label)]
        for name, ranked in (("newsdesk", [ours[i] for i in chosen]),
                             ("txtai", [[[{a}] for a in theirs[asked[i].question]] for i in chosen])):
            totals = {f"recall@{k}": 0.0 for k in CUTOFFS} | {"mrr@10": 0.0, "ndcg@10": 0.0}
            for entries, i in zip(ranked, chosen):
                recall, rr, ndcg = score(entries, asked[i].relevant)
                for k in CUTOFFS:
                    totals[f"recall@{k}"] += recall[k]
                totals["mrr@10"] += rr
                totals["ndcg@10"] += ndcg
            row = {k: round(v / len(chosen), 3) for k, v in totals.items()}
            row["questions"] = len(chosen)
            row["answered_with_nothing"] = sum(not entries for entries in ranked)
            result["rows"][f"{label} {name}"] = row
    found_by_txtai = [i for i, q in enumerate(asked) if not ours[i] and set(theirs[q.question]) & q.relevant]
    result["empty_where_txtai_finds_it"] = len(found_by_txtai)
    (OUT / "peer_realtimeqa.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"RealTimeQA: {len(asked)} questions, {passages} passages (articles cut to {rtqa.PASSAGES} passages); "
          "same vectors for both\n")
    print("| questions | system | R@1 | R@5 | R@10 | MRR@10 | nDCG@10 | answered with nothing |")
    print("|---|---|---|---|---|---|---|---|")
    for name, row in result["rows"].items():
        label, system = name.rsplit(" ", 1)
        print(f"| {label} ({row['questions']}) | {system} | {row['recall@1']:.3f} | {row['recall@5']:.3f} "
              f"| {row['recall@10']:.3f} | {row['mrr@10']:.3f} | {row['ndcg@10']:.3f} | {row['answered_with_nothing']} |")
    print(f"\nNewsdesk answered nothing where txtai found the article in its top 10: {len(found_by_txtai)}")


def queries_only(peer_python: str, runs: int, alternations: int) -> None:
    """The per-question times of both systems again, on the indexes the last full run built (bench/out/peer),
    each in a fresh process, Newsdesk then txtai, `alternations` times: a quiet re-measure of the query rows
    without indexing both again."""
    me = str(Path(__file__).resolve())
    rounds = []
    for _ in range(alternations):
        ours = run([sys.executable, str(ROOT / "bench" / "index_and_query.py"), "--phase", "query", "--data-dir",
                    str(WORK / "newsdesk"), "--asked", str(WORK / "asked.json"), "--runs", str(runs)])
        theirs = run([peer_python, me, "--role", "txtai-query", "--runs", str(runs)])
        rounds.append({"newsdesk_p50_ms": ours["total_p50_ms"], "newsdesk_p95_ms": ours["total_p95_ms"],
                       "txtai_p50_ms": theirs["total_p50_ms"], "txtai_p95_ms": theirs["total_p95_ms"],
                       "p50_ratio": round(ours["total_p50_ms"] / theirs["total_p50_ms"], 3),
                       "p95_ratio": round(ours["total_p95_ms"] / theirs["total_p95_ms"], 3)})
    result = {"cpu": cpu(), "questions_timed": len(json.loads((WORK / "asked.json").read_text())), "runs": runs,
              "rounds": rounds}
    (OUT / "peer_txtai-queries.json").write_text(json.dumps(result, indent=2) + "\n")
    print("| round | Newsdesk p50 / p95 ms | txtai p50 / p95 ms | Newsdesk / txtai p50, p95 |\n|---|---|---|---|")
    for n, r in enumerate(rounds, 1):
        print(f"| {n} | {r['newsdesk_p50_ms']} / {r['newsdesk_p95_ms']} | {r['txtai_p50_ms']} / {r['txtai_p95_ms']} "
              f"| x{r['p50_ratio']}, x{r['p95_ratio']} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--peer-python", default=str(ROOT / ".venv-peer" / "bin" / "python"))
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--slice", type=int, metavar="N",
                        help="index only the judged articles and N others (quicker; quality figures then differ from the full archive's)")
    parser.add_argument("--set", choices=["reuters", "mixed", "realtimeqa"], default="reuters",
                        help="the Reuters archive and our questions (default); mixed: issue 29's multi-outlet set, "
                             "RealTimeQA articles of 2023 beside Reuters stories; or RealTimeQA (bench/realtimeqa.py)")
    parser.add_argument("--reuters", type=int, default=2000, help="mixed: how many Reuters stories")
    parser.add_argument("--realtimeqa", type=int, default=326, help="mixed: how many RealTimeQA articles of 2023")
    parser.add_argument("--queries-only", action="store_true",
                        help="time only the questions, on the indexes of the last run, alternating the two systems")
    parser.add_argument("--alternations", type=int, default=2, help="--queries-only: rounds of (Newsdesk, txtai)")
    parser.add_argument("--role", choices=["txtai-index", "txtai-query", "txtai-external"], help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "txtai-index":
        print(json.dumps(txtai_index(args.model, WORK / "passages.jsonl", WORK / "txtai")))
        return
    if args.role == "txtai-query":
        asked = json.loads((WORK / "questions.json").read_text())
        print(json.dumps(txtai_query(WORK / "txtai", asked["asked"], asked["judged"], args.runs)))
        return
    if args.role == "txtai-external":
        print(json.dumps(txtai_external(OUT / "peer-realtimeqa")))
        return
    if not Path(args.peer_python).exists():
        sys.exit(f"No peer interpreter at {args.peer_python}: run `make bench-peer`.")
    if args.queries_only:
        queries_only(args.peer_python, args.runs, args.alternations)
        return
    if args.set == "realtimeqa":
        realtimeqa(args.peer_python)
        return
    from index.encoder import resolve_model
    from index.settings import MINILM_MODEL

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    rtqa_asked: list[dict] = []
    if args.set == "mixed":
        archive = WORK / "archive.jsonl"
        rtqa_asked = write_mixed(archive, args.reuters, args.realtimeqa)
    else:
        archive = write_archive(WORK / "archive.jsonl", args.slice)
    sets = judged(rtqa_asked)
    passages = write_passages(WORK / "passages.jsonl", archive)
    asked = questions(args.questions) + [q["question"] for q in rtqa_asked]
    (WORK / "asked.json").write_text(json.dumps(asked))
    (WORK / "questions.json").write_text(json.dumps({
        "asked": asked, "judged": [q for s in sets.values() for q, _, _ in s]}))
    model = resolve_model(MINILM_MODEL)
    me = [sys.executable, str(Path(__file__).resolve())]

    subprocess.run([sys.executable, str(ROOT / "bench" / "index_and_query.py"), "--data-dir", str(WORK / "newsdesk"),
                    "--archive", str(archive), "--raw-sample", "50", "--asked", str(WORK / "asked.json"),
                    "--runs", str(args.runs)], check=True, capture_output=True, cwd=ROOT)
    newsdesk = json.loads((OUT / "index_and_query-newsdesk.json").read_text())
    newsdesk.update(newsdesk_quality(WORK / "newsdesk", sets))
    newsdesk["index_size_mb"] = round(dir_size(WORK / "newsdesk") / 2**20, 1)

    peer = run([args.peer_python, *me[1:], "--role", "txtai-index", "--model", model])
    peer.update(run([args.peer_python, *me[1:], "--role", "txtai-query", "--runs", str(args.runs)]))
    peer.update(txtai_quality(peer.pop("ranked"), sets))
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
        *[(f"{name} {metric}", round(newsdesk[f"{name} {metric}"], 3), round(peer[f"{name} {metric}"], 3), False)
          for name in sets if name != "reuters" for metric in ("recall@5", "ndcg@10")],
    ]
    result = {"passages": passages, "newsdesk": newsdesk, "txtai": peer,
              "rows": [{"what": w, "newsdesk": n, "txtai": t,
                        "newsdesk_ahead_by": round(t / n if lower else n / t, 2)} for w, n, t, lower in rows]}
    result["archive"] = ("all of Reuters" if args.slice is None else f"judged Reuters articles + {args.slice} others"
                         ) if args.set == "reuters" else (f"{args.reuters} Reuters stories (the judged ones first) + "
                                                          f"{args.realtimeqa} RealTimeQA articles of 2023")
    result["cpu"], result["questions_timed"] = cpu(), len(asked)
    (OUT / "peer_txtai.json").write_text(json.dumps(result, indent=2) + "\n")
    print(f"{result['archive']}: {passages} passages; Newsdesk backend {newsdesk.get('backend')}; txtai {peer.get('version', '')}\n")
    print("| | Newsdesk | txtai | Newsdesk ahead by |\n|---|---|---|---|")
    for row in result["rows"]:
        print(f"| {row['what']} | {row['newsdesk']} | {row['txtai']} | {row['newsdesk_ahead_by']:.2f}x |")


if __name__ == "__main__":
    main()
