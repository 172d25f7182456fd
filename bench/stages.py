"""One question, stage by stage: where an answer's time goes.

    NEWSDESK_MODEL_CACHE=... HF_HUB_OFFLINE=1 .venv/bin/python bench/stages.py \
        [--data-dir bench/out/reuters-e5] [--rounds 3] [--limit 3] [--compare OTHER_DATA_DIR]

The 120 Reuters questions asked `--rounds` times in a process tuned as the bot's (`Searcher.serve`: one
encoder thread), `--limit` results each (the bot shows 3). Each ask runs Searcher.ask's stages one after
the other with a clock between them, BM25 included (Searcher.ask runs it beside the encoder: the whole
ask is timed separately, as the bot calls it), the question's vector encoded anew every time:

    read       reading.read, the stated filters and the BM25 query (Searcher.plan without the vector)
    encode     the question's vector (the model)
    bm25       ranking.lexical
    dense      ranking.candidates: FAISS, and each preferred subset (outlets, period) searched again
    fuse       ranking.fuse, ranking.prefer and floor.read_ranking
    collapse   collapse.entries over the ranked passages (read from SQLite a block at a time)
    highlight  citing.hits: the bold sentence of each hit
    story      retrieval.story.build: the first result's story, its newer report and its disagreements
    render     bot.render.answers.answer_message of the whole answer
    ask        Searcher.ask end to end (BM25 beside the encoder), then render is not in it

With --dense-shared, only the dense searches of the questions that name an outlet or a period (those
with a subset ranking.candidates searches besides the archive) are timed, two ways in turn on the
same vector, which goes first alternating by round: `each`, one SearchIndex.dense per subset (as
ranking.candidates searched before 2026-12), and `shared`, SearchIndex.dense_each; each question's
hits are checked to be the same both ways.

With --compare, a second index (the same archive, e.g. one with sentence vectors) is asked the same
question right after the first, round after round, so both see the same load; each gets its table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS, percentile  # noqa: E402

STAGES = ("read", "encode", "bm25", "dense", "fuse", "collapse", "highlight", "story", "render", "ask")


def open_searcher(data_dir: Path):
    from index.encoder import ServingEncoder
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.search import Searcher

    return Searcher(IndexReader(data_dir), ServingEncoder(Settings.from_env(data_dir=data_dir)))


def staged(searcher, question: str, limit: int) -> dict[str, float]:
    """Milliseconds of each stage of one ask (Searcher.ask's, one after the other)."""
    from dataclasses import replace

    from bot.render.answers import answer_message
    from retrieval import ranking
    from retrieval import search

    clock = time.perf_counter
    took: dict[str, float] = {}
    t = clock()
    plan = searcher.plan(question, "hybrid", None, max(searcher.settings.candidates, 4 * (limit + 1)), encode=False)
    took["read"] = clock() - t
    t = clock()
    vector = searcher._encoder(plan.snapshot).encode_queries([plan.query.dense_text])[0]
    took["encode"] = clock() - t
    plan = replace(plan, vector=vector)
    t = clock()
    bm25 = ranking.lexical(plan)
    took["bm25"] = clock() - t
    t = clock()
    found = ranking.candidates(plan, bm25)
    took["dense"] = clock() - t
    t = clock()
    ranked = ranking.prefer(plan, found, ranking.fuse(plan, found))
    read = search.floors.read_ranking(plan, ranked, dict(found.dense))
    shown = [(pid, score) for pid, score in ranked if read[pid].shown]
    took["fuse"] = clock() - t
    t = clock()
    entries, _ = search.collapse.entries(search.collapse.in_order(plan.snapshot, shown), plan.filters.phrases, 1,
                                         limit + 1, plan.settings.same_story)
    took["collapse"] = clock() - t
    t = clock()
    hits = search.citing.hits(plan, entries[:limit], read, 1)
    took["highlight"] = clock() - t
    t = clock()
    if hits and searcher.settings.story:
        search.stories.build(plan, shown, read, hits[0])
    took["story"] = clock() - t
    searcher._vectors.clear()  # the whole ask encodes its question too, as a new question does
    t = clock()
    answer = searcher.ask(question, limit=limit)
    took["ask"] = clock() - t
    t = clock()
    answer_message(answer)
    took["render"] = clock() - t
    bold = [[hit.passage_id, hit.highlight_start, hit.highlight_end] for hit in answer.hits]
    return {stage: seconds * 1000 for stage, seconds in took.items()}, bold


def dense_both(searcher, question: str, want: int, shared_first: bool) -> tuple[float, float, bool, bool] | None:
    """Milliseconds of the dense searches of one question one search each and shared, whether they
    found the same hits and whether it names an outlet; None when it names no outlet or period."""
    from retrieval import ranking

    plan = searcher.plan(question, "hybrid", None, want)
    snapshot, vector = plan.snapshot, plan.vector
    subsets = [plan.allowed, *(ids for ids in ranking.preferred(snapshot, plan.filters, plan.allowed) if len(ids))]
    if len(subsets) < 2:
        return None
    took = {}
    for way in (("shared", "each") if shared_first else ("each", "shared")):
        t = time.perf_counter()
        if way == "each":
            each = [snapshot.dense(vector, want, ids) for ids in subsets]
        else:
            shared = snapshot.dense_each(vector, want, subsets)
        took[way] = (time.perf_counter() - t) * 1000

    def ordered(hits):
        return sorted(hits, key=lambda hit: (-hit[1], hit[0]))

    same = [ordered(h) for h in each] == [ordered(h) for h in shared]
    return took["each"], took["shared"], same, bool(plan.filters.outlets)


def dense_table(times: dict[str, list[float]]) -> str:
    rows = ["| dense searches | p50 ms | p95 ms | mean ms |", "|---|---|---|---|"]
    for way, values in times.items():
        rows.append(f"| {way} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} | "
                    f"{sum(values) / len(values):.2f} |")
    return "\n".join(rows)


def dense_shared(searcher, questions: list[str], rounds: int, want: int) -> None:
    ways = ("one search each", "one shared search")
    groups = {"all": {w: [] for w in ways}, "naming an outlet": {w: [] for w in ways},
              "naming a period only": {w: [] for w in ways}}
    named, differ = set(), 0
    load = os.getloadavg()
    for round_ in range(rounds):
        for question in questions:
            found = dense_both(searcher, question, want, shared_first=round_ % 2 == 1)
            if found is None:
                continue
            named.add(question)
            for group in ("all", "naming an outlet" if found[3] else "naming a period only"):
                groups[group][ways[0]].append(found[0])
                groups[group][ways[1]].append(found[1])
            differ += not found[2]
    print(f"{len(named)} of {len(questions)} questions name an outlet or a period; x {rounds} rounds, {want} "
          f"candidates a ranking; load average at start {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}, at end "
          + " / ".join(f"{x:.2f}" for x in os.getloadavg()) + f"; asks whose hits differ: {differ}")
    for group, times in groups.items():
        each, shared = times.values()
        if not each:
            continue
        print(f"\n{group} ({len(each)} asks)\n{dense_table(times)}")
        print(f"shared / each: p50 {percentile(shared, 50) / percentile(each, 50):.2f}, p95 "
              f"{percentile(shared, 95) / percentile(each, 95):.2f}, mean {sum(shared) / sum(each):.2f}")


def table(times: dict[str, list[float]]) -> str:
    rows = ["| stage | p50 ms | p95 ms | mean ms |", "|---|---|---|---|"]
    for stage in STAGES:
        values = times[stage]
        rows.append(f"| {stage} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} | "
                    f"{sum(values) / len(values):.2f} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=OUT / "reuters-e5")
    parser.add_argument("--compare", type=Path, help="a second index of the same archive, asked alternately")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limit", type=int, default=3)
    parser.add_argument("--questions", type=Path, default=QRELS,
                        help="a JSON-lines file of questions (default: the Reuters judged questions)")
    parser.add_argument("--json", type=Path, help="write the raw times and each answer's bold sentences here")
    parser.add_argument("--dense-shared", action="store_true",
                        help="time the dense searches of questions naming an outlet or a period, each and shared")
    args = parser.parse_args()
    if args.dense_shared:
        searcher = open_searcher(args.data_dir)
        searcher.serve()
        questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
        dense_shared(searcher, questions, args.rounds, searcher.settings.candidates)
        return
    dirs = [args.data_dir] + ([args.compare] if args.compare else [])
    searchers = [open_searcher(d) for d in dirs]
    for searcher in searchers:
        searcher.serve()
    questions = [json.loads(line)["question"] for line in args.questions.read_text().splitlines() if line.strip()]
    times = [{stage: [] for stage in STAGES} for _ in dirs]
    shown: list[dict[str, list]] = [{} for _ in dirs]
    load = os.getloadavg()
    for _ in range(args.rounds):
        for question in questions:
            for searcher, got, bold in zip(searchers, times, shown):
                took, bold[question] = staged(searcher, question, args.limit)
                for stage, ms in took.items():
                    got[stage].append(ms)
    print(f"{len(questions)} questions x {args.rounds} rounds, limit {args.limit}; load average at start "
          f"{load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}, at end "
          + " / ".join(f"{x:.2f}" for x in os.getloadavg()))
    for data_dir, got in zip(dirs, times):
        print(f"\n{data_dir}\n{table(got)}")
    if len(dirs) == 2:
        a, b = (percentile(t["ask"], 50) for t in times)
        a95, b95 = (percentile(t["ask"], 95) for t in times)
        print(f"\nask p50 second / first: {b / a:.2f}; p95: {b95 / a95:.2f}")
    if args.json:
        args.json.write_text(json.dumps({str(d): {"times": t, "shown": b, "load": os.getloadavg()}
                                         for d, t, b in zip(dirs, times, shown)}) + "\n")


if __name__ == "__main__":
    main()
