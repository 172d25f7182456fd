"""Issue 14, "Measured on real text": Newsdesk end to end on real English, Ukrainian and Russian news.

    # 1. the sets, from the bare git directories that the search tool's `fetch` brought (/work/.mirror)
    .venv/bin/python bench/multilingual_eval.py build
    # 2. each model: the real `newsdesk index add` of each language's archive into a fresh data
    #    directory, then the real Searcher.ask, hybrid and dense-only (one command for both models, or
    #    one per model side by side: each writes results-COMMIT-MODEL.json)
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual_eval.py run --models minilm,e5 [--native-sample 200]
    # 3. the tables (Markdown) from step 2's results
    .venv/bin/python bench/multilingual_eval.py report [--commit COMMIT]
    # indexing throughput alone, rounds alternating the models, median (for a quieter machine)
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual_eval.py throughput --rounds 3

Steps 2 and 3 can run from a snapshot of a commit, so that nobody's uncommitted work is measured:
    C=$(git rev-parse --short HEAD); git archive --prefix=$C/ HEAD | tar -x -C bench/out/code
    git rev-parse HEAD > bench/out/code/$C/COMMIT
    ln -s /work/main/bench/out bench/out/code/$C/bench/out; ln -s /work/main/.venv bench/out/code/$C/.venv
    cd bench/out/code/$C && PYTHONPATH=$PWD HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual_eval.py run ...

The sets (bench/multilingual/sources.py reads them), written under bench/out/multilingual/:
  * WMT stories: news documents of the WMT21-23 test sets written in Russian or Ukrainian with their
    English reference translation, and WMT24's English news translated into both. Each language's
    first segment (the headline) is that language's question; the other segments are that language's
    article (so the headline is not in the indexed text). Relevant to a question in X asked of the
    Y archive: the same story's article in Y.
  * Native text: Brown-UK category A (Ukrainian press) and NEREL (Russian Wikinews): question = the
    headline, article = the body without it, relevant = that article.
Each language is one archive (archives/{en,uk,ru}.jsonl, written as Newsdesk JSONL: id, url, body; no
title, so Newsdesk titles an article with its first sentence rather than with the headline asked). A
question is asked of the archive of its target language: en->uk is an English headline asked of the
Ukrainian archive (WMT's Ukrainian articles and Brown-UK in one pool). None of these sets was used to
choose any setting: every figure is held-out.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.multilingual import sources  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "multilingual"
ARCHIVES = OUT / "archives"
QUESTIONS = OUT / "questions.jsonl"
SET = OUT / "set.json"
LANGS = ("en", "uk", "ru")
MODELS = {"minilm": "sentence-transformers/all-MiniLM-L6-v2", "e5": "intfloat/multilingual-e5-small"}
MODES = ("hybrid", "dense")
MIN_WORDS, MAX_WORDS = 4, 30  # a headline shorter says too little to be asked; longer is a lead sentence
MIN_BODY = 300  # characters of body, in every language of a story

WMT = (  # (repository, XML file, collection, year); the en-ru/en-uk XML of 2021-23 is absent from the snapshots
    ("wmt-conference/wmt21-news-systems", "xml/newstest2021.ru-en.all.xml", "wmt21 ru-en", "21"),
    ("wmt-conference/wmt22-news-systems", "xml/wmttest2022.ru-en.all.xml", "wmt22 ru-en", "22"),
    ("wmt-conference/wmt22-news-systems", "xml/wmttest2022.uk-en.all.xml", "wmt22 uk-en", "22"),
    ("wmt-conference/wmt23-news-systems", "xml/wmttest2023.ru-en.all.xml", "wmt23 ru-en", "23"),
    ("wmt-conference/wmt23-news-systems", "xml/wmttest2023.uk-en.all.xml", "wmt23 uk-en", "23"),
)
_EMOJI = re.compile("[\U0001F300-\U0001FAFF\u2600-\u27BF]")


# --------------------------------------------------------------------------- build

def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _news(story: sources.Story) -> bool:
    """WMT22's uk-en documents are named test_uk_N whatever they are (chat messages, forms, news): a
    document counts as news when its first segment reads as a headline (no final full stop, question
    or exclamation mark; no emoji) over a body of at least 500 characters."""
    if story.domain != "test_uk":
        return story.domain == "news"
    text = story.texts["uk"]
    return not re.search(r"[.!?…:]$", text.headline) and not _EMOJI.search(text.headline + text.body) \
        and len(text.body) >= 500


def _askable(headline: str, body: str) -> str | None:
    """Why a headline/body pair is left out, or None."""
    if not MIN_WORDS <= _words(headline) <= MAX_WORDS:
        return f"headline not {MIN_WORDS}-{MAX_WORDS} words"
    if len(body) < MIN_BODY:
        return f"body under {MIN_BODY} characters"
    return None


def _stem_words(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"\w+", text.lower()) if len(w) >= 4 and not w.isdigit()}


def build() -> dict:
    OUT.mkdir(parents=True, exist_ok=True)
    ARCHIVES.mkdir(exist_ok=True)
    repos: dict[str, sources.Repo] = {}

    def repo(name: str) -> sources.Repo:
        if name not in repos:
            repos[name] = sources.Repo(name)
        return repos[name]

    stories: list[sources.Story] = []
    dropped: dict[str, dict[str, int]] = {}

    def keep(collection: str, story: sources.Story) -> None:
        why = None if _news(story) else f"not news ({story.domain})"
        if why is None and "_dup" in story.story_id:
            why = "duplicate document"
        for text in story.texts.values():
            why = why or _askable(text.headline, text.body)
        if why:
            dropped.setdefault(collection, {}).setdefault(why, 0)
            dropped[collection][why] += 1
        else:
            stories.append(story)

    for name, path, collection, year in WMT:
        for story in sources.wmt_xml(repo(name), path, collection, year):
            keep(collection, story)
    for story in sources.wmt24_english(repo("wmt-conference/wmt24-news-systems")):
        keep(story.collection, story)

    natives: list[sources.Native] = []
    seen: set[tuple[str, str]] = set()
    native_sets = (("brown-uk", sources.brown_uk(repo("brown-uk/corpus"))),
                   ("nerel", sources.nerel(repo("nerel-ds/NEREL"))))
    for label, found in native_sets:
        for article in found:
            why = _askable(article.headline, article.body)
            if why is None and (article.lang, article.headline.lower()) in seen:
                why = "headline repeated"
            if why:
                dropped.setdefault(label, {}).setdefault(why, 0)
                dropped[label][why] += 1
                continue
            seen.add((article.lang, article.headline.lower()))
            natives.append(article)

    archives: dict[str, list[dict]] = {lang: [] for lang in LANGS}
    questions: list[dict] = []
    for story in stories:
        for lang, text in story.texts.items():
            archives[lang].append({"id": f"{story.story_id}#{lang}", "body": text.body})
        for qlang, qtext in story.texts.items():
            for target in story.texts:
                questions.append({"question": qtext.headline, "lang": qlang, "target": target,
                                  "relevant": [f"{story.story_id}#{target}"], "set": "wmt",
                                  "collection": story.collection, "origlang": story.origlang,
                                  "shares_word": bool(_stem_words(qtext.headline)
                                                      & _stem_words(story.texts[target].body))})
    for article in natives:
        archives[article.lang].append({"id": article.article_id, "url": article.url, "body": article.body})
        questions.append({"question": article.headline, "lang": article.lang, "target": article.lang,
                          "relevant": [article.article_id], "set": article.collection.split()[0],
                          "collection": article.collection, "origlang": article.lang,
                          "shares_word": bool(_stem_words(article.headline) & _stem_words(article.body))})
    for lang, rows in archives.items():
        sources.dump([{k: v for k, v in row.items() if v} for row in rows], ARCHIVES / f"{lang}.jsonl")
    sources.dump(questions, QUESTIONS)

    by_collection: dict[str, dict] = {}
    for story in stories:
        entry = by_collection.setdefault(story.collection, {"stories": 0, "languages": sorted(story.texts)})
        entry["stories"] += 1
    for article in natives:
        entry = by_collection.setdefault(article.collection.split()[0], {"articles": 0, "languages": [article.lang]})
        entry["articles"] += 1
    summary = {
        "commits": {name: r.commit for name, r in repos.items()},
        "kept": by_collection,
        "dropped": dropped,
        "archive_articles": {lang: len(rows) for lang, rows in archives.items()},
        "archive_chars": {lang: sum(len(r["body"]) for r in rows) for lang, rows in archives.items()},
        "questions": {f"{s} {d}": n for (s, d), n in sorted(_count(questions).items())},
        "questions_sharing_no_word": {f"{s} {d}": n for (s, d), n in sorted(_count(
            [q for q in questions if not q["shares_word"]]).items())},
    }
    SET.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    return summary


def _direction(q: dict) -> str:
    return f"{q['lang']}->{q['target']}"


def _count(questions: list[dict]) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    for q in questions:
        key = (q["set"], _direction(q))
        counts[key] = counts.get(key, 0) + 1
    return counts


# --------------------------------------------------------------------------- run

def _load() -> float:
    return os.getloadavg()[0]


# (" and N sentences": this checkout's line; a snapshot of an older commit's has none)
_SUMMARY = re.compile(r"embedded (\d+) passages(?: and \d+ sentences?)?; generation \d+; ([\d.]+) s")


def index(model: str, lang: str, prefix: str = "index", fresh: bool = True) -> dict:
    """The real CLI, `newsdesk index add`, into a fresh data directory; its own summary line gives
    the passages embedded and the run's seconds (model loading included, Python start-up not). Not
    fresh: the index of an earlier run is upgraded to this code's schema (FTS5 rebuilt) and kept,
    nothing re-encoded."""
    data_dir = OUT / f"{prefix}-{model}-{lang}"
    if fresh:
        shutil.rmtree(data_dir, ignore_errors=True)
    # PYTHONPATH: the CLI runs this checkout's code, also when it is a snapshot of a commit (see docs)
    env = {**os.environ, "NEWSDESK_MODEL": MODELS[model], "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    env.pop("NEWSDESK_BACKEND", None)
    before = _load()
    started = time.perf_counter()
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "newsdesk"), "index", "add", str(ARCHIVES / f"{lang}.jsonl"),
                           "--data-dir", str(data_dir)], env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"newsdesk index add failed for {model} {lang}:\n{done.stdout}\n{done.stderr}")
    match = _SUMMARY.search(done.stdout)
    if not match:
        raise SystemExit(f"no summary line in: {done.stdout!r}")
    passages, seconds = int(match.group(1)), float(match.group(2))
    status = json.loads(subprocess.run([str(ROOT / ".venv" / "bin" / "newsdesk"), "index", "status", "--json",
                                        "--data-dir", str(data_dir)], env=env, capture_output=True,
                                       text=True, check=True).stdout)
    return {**first_build(data_dir), "lang": lang, "data_dir": str(data_dir.relative_to(ROOT)), "passages": passages,
            "seconds": round(seconds, 2), "wall_seconds": round(wall, 2),
            "passages_per_s": round(passages / seconds, 2) if passages else None, "load_before": before, "load_after": _load(),
            "summary": done.stdout.strip().splitlines()[-1], "model": status.get("model"),
            "backend": status.get("backend"), "articles": status.get("articles")}


def evaluate(model: str, questions: list[dict]) -> list[dict]:
    from index.encoder import ServingEncoder, serve_queries
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.evaluate import Judgement, evaluate as measure
    from retrieval.search import SearchSettings, Searcher

    serve_queries()
    rows = []
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for q in questions:
        groups.setdefault((q["target"], q["set"], _direction(q)), []).append(q)
    for target in LANGS:
        data_dir = OUT / f"index-{model}-{target}"
        settings = replace(Settings.from_env(data_dir=data_dir), model=MODELS[model])
        # the answer's bold sentence does not change the ranking (bench/generalisation.py does the same)
        searcher = Searcher(IndexReader(data_dir), ServingEncoder(settings), SearchSettings(answer_highlight=False))
        for (t, set_name, direction), asked in sorted(groups.items()):
            if t != target:
                continue
            judgements = [Judgement(q["question"], frozenset(q["relevant"])) for q in asked]
            for metrics in measure(searcher, judgements, MODES):
                rows.append({"model": model, "set": set_name, "direction": direction, **metrics.as_dict()})
                print(model, set_name, direction, rows[-1], flush=True)
    return rows


def code_state() -> dict:
    """The commit measured. The checkout is shared with work in progress, so the figures are measured
    from a snapshot of a commit (`git archive`, see docs/multilingual.md) that holds its id in COMMIT;
    run from a checkout, the uncommitted changes to the code that indexes and searches are listed."""
    if (ROOT / "COMMIT").exists():
        return {"head": (ROOT / "COMMIT").read_text().strip(), "snapshot": True, "modified": []}
    git = lambda *args: subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()  # noqa: E731
    return {"head": git("rev-parse", "HEAD"), "snapshot": False,
            "modified": git("status", "--short", "--", "index", "retrieval").splitlines()}


def load_questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines()]


def sample(questions: list[dict], native: int | None, per_group: int | None = None, seed: int = 14) -> list[dict]:
    """Seeded samples of the questions (the archives keep every article): `native` of each native set's,
    or `per_group` of every set and direction's. The 2-core machine is shared and every question is
    asked twice per model."""
    rng = random.Random(seed)
    groups: dict[tuple[str, str], list[dict]] = {}
    for q in questions:
        groups.setdefault((q["set"], _direction(q)), []).append(q)
    kept = []
    for (set_name, _), asked in sorted(groups.items()):
        cap = per_group if per_group is not None else (native if set_name != "wmt" else None)
        kept += asked if cap is None or len(asked) <= cap else rng.sample(asked, cap)
    return kept


def first_build(data_dir: Path) -> dict:
    """What the index's first generation cost (the `generations` table records it), for an index kept
    from an earlier run of the same commit."""
    import sqlite3

    with sqlite3.connect(f"file:{data_dir / 'newsdesk.sqlite3'}?mode=ro", uri=True) as db:
        created, passages, seconds = db.execute(
            "SELECT created_at, passages, seconds FROM generations ORDER BY gen LIMIT 1").fetchone()
    return {"first_build_at": created, "first_build_passages": passages, "first_build_seconds": round(seconds, 2),
            "first_build_passages_per_s": round(passages / seconds, 2)}


def run(models: list[str], fresh: bool = True, native: int | None = None, per_group: int | None = None) -> None:
    """Each model in turn: index the three archives, then ask every question; one results file per
    model and commit (results-COMMIT-MODEL.json), so that models can also run as parallel commands."""
    if not QUESTIONS.exists():
        raise SystemExit(f"No set at {QUESTIONS}: run `{Path(__file__).name} build` first.")
    questions = sample(load_questions(), native, per_group)
    for model in models:
        started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        indexing = [index(model, lang, fresh=fresh) for lang in LANGS]
        passages = sum(r["passages"] for r in indexing)
        seconds = sum(r["seconds"] for r in indexing)
        result = {"model": model, "code": code_state(), "cpus": os.cpu_count(), "started": started,
                  "native_sample": native, "per_group": per_group, "indexing": indexing, "passages": passages, "seconds": round(seconds, 2),
                  "passages_per_s": round(passages / seconds, 2) if passages else None,
                  "retrieval": evaluate(model, questions),
                  "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
        path = OUT / f"results-{result['code']['head'][:7]}-{model}.json"
        path.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


def summary(runs: list[dict]) -> dict:
    """One round of `index` runs, one per language, as one figure (and each language's)."""
    passages, seconds = sum(r["passages"] for r in runs), sum(r["seconds"] for r in runs)
    return {"passages": passages, "seconds": round(seconds, 2), "passages_per_s": round(passages / seconds, 2),
            "load_before": runs[0]["load_before"], "load_after": runs[-1]["load_after"],
            "per_language": {r["lang"]: r["passages_per_s"] for r in runs}}


def throughput(models: list[str], rounds: int) -> dict:
    """Indexing alone, again: each round indexes the three archives afresh with each model in turn (so
    both see the same machine), median passages/s over the rounds. For a quieter machine than `run`'s."""
    found: dict = {"code": code_state(), "rounds": {m: [] for m in models}}
    for _ in range(rounds):
        for model in models:
            found["rounds"][model].append(summary([index(model, lang, prefix="throughput") for lang in LANGS]))
            print(model, found["rounds"][model][-1], flush=True)
    found["median_passages_per_s"] = {m: statistics.median(r["passages_per_s"] for r in rs)
                                      for m, rs in found["rounds"].items()}
    (OUT / f"throughput-{found['code']['head'][:7]}.json").write_text(json.dumps(found, indent=2) + "\n")
    return found


# --------------------------------------------------------------------------- report

ORDER = ("en->en", "uk->uk", "ru->ru", "uk->en", "ru->en", "en->uk", "en->ru", "uk->ru", "ru->uk")


def _load_cell(row: dict) -> str:
    """The load average around a fresh build; an index kept from an earlier run has none recorded."""
    return f"{row['load_before']:.2f} / {row['load_after']:.2f}" if row["passages"] else "not recorded"


def _rate(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def report(commit: str | None = None) -> str:
    commit = (commit or code_state()["head"])[:7]
    results = {m: json.loads((OUT / f"results-{commit}-{m}.json").read_text()) for m in MODELS
               if (OUT / f"results-{commit}-{m}.json").exists()}
    if not results:
        raise SystemExit(f"No results for commit {commit} in {OUT}.")
    models = list(results)
    table: dict[tuple[str, str], dict[tuple[str, str], dict]] = {}
    for model in models:
        for row in results[model]["retrieval"]:
            table.setdefault((row["set"], row["direction"]), {})[(model, row["mode"])] = row
    keys = sorted(table, key=lambda k: (k[0] != "wmt", k[0], ORDER.index(k[1]) if k[1] in ORDER else 99))
    head = " | ".join(f"{m} {mode} R@5 | {m} {mode} MRR@10" for m in models for mode in MODES)
    lines = ["Held-out (no setting was chosen on these sets). Recall@5 / MRR@10 through Searcher.ask.", "",
             f"| set | direction | questions | {head} |", "|---" * (3 + 2 * len(models) * len(MODES)) + "|"]
    for key in keys:
        cells = []
        first = next(iter(table[key].values()))
        for m in models:
            for mode in MODES:
                row = table[key].get((m, mode))
                cells += [f"{row['recall@5']:.3f}", f"{row['mrr@10']:.3f}"] if row else ["", ""]
        lines.append(f"| {key[0]} | {key[1]} | {first['questions']} | " + " | ".join(cells) + " |")
    lines += ["", "| model | language | articles | passages | seconds | passages/s | load before / after | backend |",
              "|---|---|---|---|---|---|---|---|"]
    for m in models:
        rows = results[m]["indexing"]
        for r in rows:
            lines.append(f"| {m} | {r['lang']} | {r['articles']} | {r['first_build_passages']} | "
                         f"{r['first_build_seconds']:.1f} | {r['first_build_passages_per_s']:.1f} | "
                         f"{_load_cell(r)} | {r['backend']} |")
        passages = sum(r["first_build_passages"] for r in rows)
        seconds = sum(r["first_build_seconds"] for r in rows)
        lines.append(f"| {m} | all | | {passages} | {seconds:.1f} | {passages / seconds:.1f} | | |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    sub.add_parser("build", help="the sets and archives under bench/out/multilingual")
    run_parser = sub.add_parser("run", help="index and evaluate with each model")
    run_parser.add_argument("--models", default="minilm,e5")
    run_parser.add_argument("--keep-indexes", action="store_true",
                            help="upgrade the indexes of an earlier run instead of indexing afresh")
    run_parser.add_argument("--native-sample", type=int, help="ask this many of each native set's questions")
    run_parser.add_argument("--per-group", type=int, help="ask this many of each set and direction's questions")
    speed = sub.add_parser("throughput", help="indexing throughput alone, several rounds")
    speed.add_argument("--models", default="minilm,e5")
    speed.add_argument("--rounds", type=int, default=3)
    sub.add_parser("report", help="Markdown tables from the results").add_argument(
        "--commit", help="whose results (default: this code's commit)")
    args = parser.parse_args()
    if args.step == "build":
        print(json.dumps(build(), indent=2, ensure_ascii=False))
    elif args.step == "run":
        run([m for m in args.models.split(",") if m], fresh=not args.keep_indexes, native=args.native_sample,
            per_group=args.per_group)
        print(report())
    elif args.step == "throughput":
        print(json.dumps(throughput([m for m in args.models.split(",") if m], args.rounds)["median_passages_per_s"]))
    else:
        print(report(args.commit))


if __name__ == "__main__":
    main()
