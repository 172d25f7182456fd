"""How well an answer's story groups the reports of one event, and whether "newer reports exist" warns when it should.

    NEWSDESK_MODEL_CACHE=/work/notes/mcache .venv/bin/python bench/story_eval.py [--split test] [--cosine C --days D]
    NEWSDESK_MODEL_CACHE=/work/notes/mcache .venv/bin/python bench/story_eval.py --sweep     # tune split only

(--reuters-index / --rtqa-index: the built indexes, by default bench/out/reuters-e5 and bench/out/rtqa-index-e5.)

Questions and judged groups: bench/qrels/stories.jsonl (bench/qrels/README.md, "Story groups"); Reuters
questions are asked of bench/out/reuters-e5, RealTimeQA ones of bench/out/rtqa-index-e5, each as of its
`as_of` day (its end). For each question G is the judged group holding the first result (questions whose
first result is in no group are counted apart) and S the articles of `answer.story`:

- story precision |S∩G|/|S| and recall |S∩G|/|G| (G without articles published after `as_of`, which no
  answer of that day can hold), averaged over questions; pairwise precision and recall over the article
  pairs of S and of G, pooled over questions; and how many stories hold an article of another judged event;
- "newer reports exist": due when an article of G is dated after the first result (and before the end of
  `as_of`); a warning (`answer.newer`) is right when the report it names is in G and dated after the first
  result. Precision = right warnings / warnings, recall = right warnings / questions where one is due.

Settings are chosen with --sweep on the tune split (rule, fixed before the first sweep: the highest F1 of
story precision and recall, ties within 0.005 broken by the F1 of "newer"'s precision and recall, then by
the larger cosine); the test split is reported with the chosen setting.
Raw rows go to bench/out/story_sweep.json and bench/out/story_eval-<split>.json (each answer's first
result, story and newer report beside its judgement).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import OUT, QRELS_DIR  # noqa: E402

STORIES = QRELS_DIR / "stories.jsonl"
INDEXES = {"reuters": OUT / "reuters-e5", "realtimeqa": OUT / "rtqa-index-e5"}
COSINES = (0.82, 0.85, 0.88, 0.90, 0.92, 0.94)
DAYS = (1.0, 2.0, 3.0, 5.0, 8.0, 14.0, 30.0)  # 30: the first sweep chose its edge, 14


@dataclass(frozen=True)
class Question:
    id: str
    source: str
    split: str
    question: str
    as_of: datetime  # the end of the day it is asked
    groups: tuple[frozenset[str], ...]


@dataclass(frozen=True)
class Judged:
    """One answer's story and warning, judged against its question's groups."""
    id: str
    judged: bool  # the first result is in a judged group
    precision: float = 0.0
    recall: float = 0.0
    pairs: tuple[int, int, int] = (0, 0, 0)  # (pairs in S, pairs in G, pairs of S inside G)
    other_event: bool = False  # S holds an article of another judged group
    size: int = 0  # |S|
    due: bool = False  # a newer report of G exists by as_of
    warned: bool = False
    right: bool = False  # warned, and the named report is in G and newer than the first result
    late: int = 0  # story members published after as_of (an archive of the past holds them; "now" would not)
    newer_late: bool = False  # the named newer report is published after as_of


def load(path: Path = STORIES) -> list[Question]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Question(r["id"], r["source"], r["split"], r["question"],
                     datetime.fromisoformat(r["as_of"]).replace(tzinfo=timezone.utc) + timedelta(days=1),
                     tuple(frozenset(g) for g in r["groups"])) for r in rows]


def judge(qid: str, groups: Sequence[frozenset[str]], first: str, story: Iterable[str], newer: str | None,
          dates: Mapping[str, datetime | None], as_of: datetime) -> Judged:
    """Judge one answer: `first` its first result's article, `story` the articles of its story, `newer` the
    article its "newer reports exist" names (or None); `dates` the publication time of every judged article."""
    index = next((i for i, g in enumerate(groups) if first in g), None)
    if index is None:
        return Judged(qid, judged=False, warned=newer is not None)
    group = groups[index]
    shown = set(story) | {first}
    visible = {a for a in group if a == first or (dates.get(a) is not None and dates[a] < as_of)}
    inside = shown & group
    others = set().union(*(g for i, g in enumerate(groups) if i != index))
    pairs = (_pairs(len(shown)), _pairs(len(visible)), _pairs(len(inside)))
    when = dates.get(first)
    due = when is not None and any(dates.get(a) is not None and when < dates[a] < as_of for a in group)
    right = (newer is not None and newer in group and when is not None and dates.get(newer) is not None
             and dates[newer] > when)
    after = lambda a: dates.get(a) is not None and dates[a] >= as_of  # noqa: E731
    return Judged(qid, judged=True, precision=len(inside) / len(shown), recall=len(inside & visible) / len(visible),
                  pairs=pairs, other_event=bool(shown & others), size=len(shown), due=due,
                  warned=newer is not None, right=right, late=sum(map(after, shown)),
                  newer_late=newer is not None and after(newer))


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def summarise(judged: Sequence[Judged]) -> dict:
    """The figures of a set of judged answers (one split, one setting)."""
    mine = [j for j in judged if j.judged]
    n = len(mine)
    in_s, in_g, both = (sum(j.pairs[k] for j in mine) for k in range(3))
    warned = sum(j.warned for j in mine)
    due = sum(j.due for j in mine)
    right = sum(j.right for j in mine)
    precision = sum(j.precision for j in mine) / n if n else 0.0
    recall = sum(j.recall for j in mine) / n if n else 0.0
    several = [j for j in mine if j.pairs[1]]  # the event has 2+ reports by as_of: recall is not given
    newer_p = right / warned if warned else None  # undefined without a warning
    newer_r = right / due if due else None
    return {
        "questions": len(judged), "judged": n, "unjudged_first": len(judged) - n,
        "unjudged_warned": sum(j.warned for j in judged if not j.judged),
        "precision": precision, "recall": recall, "f1": _f1(precision, recall),
        "several": len(several),
        "several_precision": sum(j.precision for j in several) / len(several) if several else None,
        "several_recall": sum(j.recall for j in several) / len(several) if several else None,
        "pair_precision": both / in_s if in_s else None,
        "pair_recall": both / in_g if in_g else None,
        "other_event": sum(j.other_event for j in mine), "mean_size": sum(j.size for j in mine) / n if n else 0.0,
        "newer_due": due, "newer_warned": warned, "newer_right": right,
        "late_members": sum(j.late for j in mine), "newer_late": sum(j.newer_late for j in mine),
        "newer_precision": newer_p, "newer_recall": newer_r, "newer_f1": _f1(newer_p or 0.0, newer_r or 0.0),
    }


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def chosen(rows: Sequence[dict]) -> dict:
    """The sweep's choice: best story F1; within 0.005 of it, best "newer" F1, then the larger cosine."""
    best = max(r["f1"] for r in rows)
    near = [r for r in rows if r["f1"] >= best - 0.005]
    return max(near, key=lambda r: (round(r["newer_f1"], 6), r["cosine"], -r["days"]))


def dates_of(data_dir: Path, ids: Iterable[str]) -> dict[str, datetime | None]:
    """Each judged article's publication time, read from the index's own rows (read-only)."""
    wanted = sorted(set(ids))
    connection = sqlite3.connect(f"file:{data_dir / 'newsdesk.sqlite3'}?mode=ro", uri=True)
    try:
        found = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            rows = connection.execute(
                f"SELECT article_id, published_at FROM articles WHERE gen_removed IS NULL "
                f"AND article_id IN ({','.join('?' * len(chunk))})", chunk)
            for article_id, published in rows:
                found[article_id] = _utc(datetime.fromisoformat(published)) if published else None
    finally:
        connection.close()
    return found


def _utc(when: datetime) -> datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=timezone.utc)


def run(searchers: Mapping[str, object], questions: Sequence[Question], dates: Mapping[str, Mapping[str, datetime]],
        cosine: float | None = None, days: float | None = None, shown: list | None = None) -> list[Judged]:
    """Ask each question and judge its answer; `shown` (if given) collects what each answer showed."""
    judged = []
    for question in questions:
        searcher = searchers[question.source]
        base = searcher.settings
        if cosine is not None:
            searcher.settings = replace(base, story_cosine=cosine, story_days=days)
        try:
            answer = searcher.ask(question.question, limit=3, as_of=question.as_of)
        finally:
            searcher.settings = base
        if not answer.hits:
            judged.append(Judged(question.id, judged=False))
            if shown is not None:
                shown.append({"id": question.id, "first": None, "story": [], "newer": None})
            continue
        first = answer.hits[0].citation.article_id
        story = [r.citation.article_id for r in answer.story.reports] if answer.story is not None else [first]
        newer = answer.newer.citation.article_id if answer.newer is not None else None
        source_dates = dict(dates[question.source])
        for report in (answer.story.reports if answer.story is not None else ()):  # unjudged members' dates
            if report.citation.published_at is not None:
                source_dates.setdefault(report.citation.article_id, _utc(report.citation.published_at))
        judged.append(judge(question.id, question.groups, first, story, newer, source_dates, question.as_of))
        if shown is not None:
            shown.append({"id": question.id, "first": first, "story": story, "newer": newer})
    return judged


def searchers_for(indexes: Mapping[str, Path]) -> dict[str, object]:
    from index.encoder import ServingEncoder
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.search import Searcher

    return {s: Searcher(IndexReader(path), ServingEncoder(Settings.from_env(data_dir=path)))
            for s, path in indexes.items()}


def _shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def row(label: str, s: dict) -> str:
    f = _shown
    return (f"| {label} | {s['judged']}/{s['questions']} | {f(s['precision'])} | {f(s['recall'])} | {f(s['f1'])} "
            f"| {f(s['pair_precision'])} | {f(s['pair_recall'])} | {s['other_event']} | {s['mean_size']:.2f} "
            f"| {s['newer_due']} | {s['newer_warned']} | {s['newer_right']} | {f(s['newer_precision'])} "
            f"| {f(s['newer_recall'])} | {f(s['newer_f1'])} |")


HEADER = ("| run | judged/asked | story P | story R | story F1 | pair P | pair R | other event | mean size "
          "| newer due | warned | right | newer P | newer R | newer F1 |\n" + "|---" * 15 + "|")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--split", choices=("tune", "test"), default="test")
    parser.add_argument("--sweep", action="store_true", help="story_cosine x story_days on the tune split")
    parser.add_argument("--cosine", type=float, help="story_cosine (default: SearchSettings')")
    parser.add_argument("--days", type=float, help="story_days (default: SearchSettings')")
    parser.add_argument("--source", choices=tuple(INDEXES), action="append", help="only these sources")
    parser.add_argument("--reuters-index", type=Path, default=INDEXES["reuters"])
    parser.add_argument("--rtqa-index", type=Path, default=INDEXES["realtimeqa"])
    parser.add_argument("--limit", type=int, help="only the first N questions of the split (a quick check)")
    args = parser.parse_args()
    questions = [q for q in load() if not args.source or q.source in args.source]
    split = "tune" if args.sweep else args.split
    questions = [q for q in questions if q.split == split][:args.limit]
    sources = sorted({q.source for q in questions})
    indexes = {"reuters": args.reuters_index, "realtimeqa": args.rtqa_index}
    searchers = searchers_for({s: indexes[s] for s in sources})
    dates = {s: dates_of(indexes[s], (a for q in questions if q.source == s for g in q.groups for a in g))
             for s in sources}
    OUT.mkdir(parents=True, exist_ok=True)
    if args.sweep:
        rows = []
        print(f"{len(questions)} questions, tune split\n\n{HEADER}")
        for cosine in COSINES:
            for days in DAYS:
                judged = run(searchers, questions, dates, cosine, days)
                figures = summarise(judged)
                rows.append({"cosine": cosine, "days": days, **figures,
                             "by_source": {s: summarise([j for j, q in zip(judged, questions) if q.source == s])
                                           for s in sources}})
                print(row(f"cosine {cosine:.2f}, days {days:g}", figures), flush=True)
        (OUT / "story_sweep.json").write_text(json.dumps(rows, indent=2) + "\n")
        pick = chosen(rows)
        print(f"\nchosen: story_cosine={pick['cosine']}, story_days={pick['days']} "
              f"(story F1 {pick['f1']:.3f}, newer F1 {pick['newer_f1']:.3f})")
        return
    base = searchers[sources[0]].settings
    cosine = args.cosine if args.cosine is not None else base.story_cosine
    days = args.days if args.days is not None else base.story_days
    shown: list[dict] = []
    judged = run(searchers, questions, dates, cosine, days, shown)
    by_source = {s: [j for j, q in zip(judged, questions) if q.source == s] for s in sources}
    print(f"{len(questions)} questions, {split} split, story_cosine={cosine}, story_days={days}\n\n{HEADER}")
    for s in sources:
        print(row(s, summarise(by_source[s])))
    print(row("all", summarise(judged)))
    print()
    parts = [*((s, summarise(by_source[s])) for s in sources), ("all", summarise(judged))]
    for label, s in parts:
        print(f"{label}: events of 2+ reports: {s['several']} questions, story P {_shown(s['several_precision'])}, "
              f"R {_shown(s['several_recall'])}")
    for label, s in parts:
        print(f"{label}: story members published after as_of {s['late_members']}, "
              f"newer reports named after as_of {s['newer_late']}")
    unjudged = [j.id for j in judged if not j.judged]
    print(f"\nfirst result in no judged group: {', '.join(unjudged) or 'none'}")
    (OUT / f"story_eval-{split}.json").write_text(json.dumps(
        {"split": split, "cosine": cosine, "days": days, "summary": summarise(judged),
         "by_source": {s: summarise(v) for s, v in by_source.items()},
         "questions": [{**j.__dict__, **s} for j, s in zip(judged, shown)]}, indent=2, default=str) + "\n")


if __name__ == "__main__":
    main()
