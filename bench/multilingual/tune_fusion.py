"""Issue 14: choosing how hybrid search fuses a passage written in another language than the question
(`Fusion.across_weights`, retrieval/fusion.py), on the TUNING pool of the multilingual sets only.

The held-out questions are those `bench/multilingual_eval.sample(questions, None, per_group=50, seed=14)`
picks (docs/multilingual.md); everything else in questions.jsonl is the tuning pool:
  * across languages: WMT en->ru and ru->en (203 each; every en->uk, uk->en, uk->ru, ru->uk question is
    held out);
  * same language, to see that nothing changes there: seeded samples of 100 of WMT en->en, WMT ru->ru,
    NEREL ru->ru and Brown-UK uk->uk.

    # 1. the dense and BM25 candidates of every tuning question through the real Searcher.ask (its fusion
    #    replaced by one that records what it is given), cached in bench/out/multilingual/F-tune-*.pkl
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/tune_fusion.py cache --model e5
    # 2. fusion settings replayed over the cache (fast; the rest of ranking.fuse and collapse.entries as
    #    `_replay` says), one row per setting and group
    .venv/bin/python bench/multilingual/tune_fusion.py grid --model e5 [--mixed] [--rule dense|pair] --values 1.0,0.3,0.1,0.0
    # 3. one setting through the real Searcher.ask and retrieval.evaluate (what the code does)
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/tune_fusion.py check --model e5 --across 0.7:0.1
    # 4. once, the setting chosen and committed: the held-out sample (from a snapshot of the commit, as
    #    bench/multilingual_eval.py's docstring shows), F-heldout-COMMIT-MODEL.json
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/tune_fusion.py heldout --model e5 [--alike]

An index is read from bench/out/multilingual/index-MODEL-LANG, or --prefix F-index for one built with
`bench/multilingual_eval.index(model, lang, prefix="F-index")` (a MiniLM index of the ru archive, to see
what the rule would do to an English-only model).
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import multilingual_eval as ml  # noqa: E402

SAME_LANGUAGE_SAMPLE = 100
SEED = 1414  # the same-language samples of the tuning pool (not 14: that one picks the held-out questions)


def _key(q: dict) -> tuple:
    return q["question"], q["lang"], q["target"], tuple(q["relevant"]), q["set"]


def tuning_pool(sample: int = SAME_LANGUAGE_SAMPLE) -> list[dict]:
    """The questions not held out: all of each cross-language direction, `sample` of each same-language
    set and direction (seeded)."""
    questions = ml.load_questions()
    held = {_key(q) for q in ml.sample(questions, None, per_group=50, seed=14)}
    groups: dict[tuple[str, str], list[dict]] = {}
    for q in questions:
        if _key(q) not in held:
            groups.setdefault((q["set"], ml._direction(q)), []).append(q)
    rng = random.Random(SEED)
    pool = []
    for (_, direction), asked in sorted(groups.items()):
        same = direction.split("->")[0] == direction.split("->")[1]
        pool += rng.sample(asked, sample) if same and sample and len(asked) > sample else asked
    return pool


def _group(q: dict) -> str:
    return f"{q['set']} {ml._direction(q)}"


def searcher(model: str, target: str, prefix: str, settings):
    from index.encoder import ServingEncoder, serve_queries
    from index.engines.faiss import IndexReader
    from index.settings import Settings
    from retrieval.search import Searcher

    serve_queries()
    data_dir = ml.OUT / f"{prefix}-{model}-{target}"
    index_settings = replace(Settings.from_env(data_dir=data_dir), model=ml.MODELS[model])
    return Searcher(IndexReader(data_dir), ServingEncoder(index_settings), settings)


# --------------------------------------------------------------------------- 1. candidates

@dataclass
class Recorder:
    """A fusion that records the rankings ranking.fuse fuses and fuses them as the default does."""

    fusion: object
    seen: list = field(default_factory=list)

    @property
    def across_weights(self):
        return None  # which passages are across languages is read into the cache instead, for any model

    def __call__(self, dense, lexical, across=()):
        self.seen.append((list(dense), list(lexical)))
        return self.fusion(dense, lexical)


def cache_path(model: str, prefix: str, sample: int = SAME_LANGUAGE_SAMPLE) -> Path:
    size = "" if sample == SAME_LANGUAGE_SAMPLE else f"-same{sample or 'all'}"
    return ml.OUT / f"F-tune-{prefix}-{model}{size}.pkl"


def cache(model: str, prefix: str, targets: tuple[str, ...] = ml.LANGS, own: bool = False,
          directions: tuple[str, ...] = (), sample: int = SAME_LANGUAGE_SAMPLE) -> dict:
    """Each tuning question asked (hybrid, the real Searcher.ask) of each language's index: its
    language, the dense and BM25 rankings fused, each candidate's article, URL and language, and the
    answer's articles. Its own target's index is the measurement; the other two let `_replay` put
    three monolingual indexes' candidates together as one archive of three languages would rank them.
    `own`: only the questions of each index's own language (enough without `--mixed`); `directions`:
    only these; `sample`: same-language questions per set and direction (0: all of the pool's); questions
    already in the cache are not asked again."""
    from retrieval.fusion import Fusion
    from retrieval.search import SearchSettings

    pool = tuning_pool(sample)
    path = cache_path(model, prefix, sample)
    found: dict = pickle.loads(path.read_bytes()) if path.exists() else \
        {"model": model, "prefix": prefix, "code": ml.code_state(), "questions": pool, "asked": {}}
    if found["questions"] != pool:
        raise SystemExit(f"{path} holds another pool: remove it first.")
    for target in targets:
        if not (ml.OUT / f"{prefix}-{model}-{target}" / "CURRENT").exists():
            continue
        recorder = Recorder(Fusion(across_weights=None))
        search = searcher(model, target, prefix, SearchSettings(fusion=recorder, answer_highlight=False))
        snapshot = search.reader.snapshot()
        started = time.perf_counter()
        for i, q in enumerate(pool):
            if (i, target) in found["asked"] or (own and q["target"] != target) \
                    or (directions and ml._direction(q) not in directions):
                continue
            recorder.seen.clear()
            answer = search.ask(q["question"], limit=10, mode="hybrid", as_of=snapshot.archive_end)
            dense, lexical = recorder.seen[-1] if recorder.seen else ([], [])
            ids = list({pid for pid, _ in dense} | {pid for pid, _ in lexical})
            stored = snapshot.passages(ids)
            found["asked"][(i, target)] = {
                "language": answer.query.language, "dense": dense, "lexical": lexical,
                "phrases": bool(answer.query.filters.phrases), "fused": bool(recorder.seen),
                "passages": {pid: (p.article_id, p.url, p.language) for pid, p in stored.items()},
                "answer": [[x for x in (h.citation.article_id, h.citation.url) if x] for h in answer.hits]}
        print(f"{model} {target}: {sum(k[1] == target for k in found['asked'])} questions asked,"
              f" {time.perf_counter() - started:.0f} s", flush=True)
        path.write_bytes(pickle.dumps(found))  # each index's as soon as it is done
    return found


# --------------------------------------------------------------------------- 2. replay

def _replay(asked: dict, fusion, multilingual: bool, min_dense_only: float = 0.4) -> list[list[set[str]]]:
    """What ranking.fuse and collapse.entries make of one question's recorded rankings under `fusion`:
    fused (passages in another language than the question's as `across` when the model is multilingual),
    passages neither matched by BM25 nor at `min_dense_only` cosine dropped, then one entry per article,
    ten entries. Left out: what the question prefers (ranking.preferred_first) and same-story grouping;
    `grid` prints how often the replay of today's fusion gives Searcher.ask's own reciprocal rank."""
    if not asked["fused"]:  # no BM25 query: the dense ranking alone, whatever the fusion
        return [[set(ids)] for ids in asked["answer"]]
    dense, lexical = asked["dense"], asked["lexical"]
    across = ()
    if multilingual and asked["language"]:
        across = {pid for pid, (_, _, lang) in asked["passages"].items() if lang and lang != asked["language"]}
    ranked = fusion(dense, lexical, across)
    matched = {pid for pid, _ in lexical}
    close = dict(dense)
    if asked["phrases"]:
        ranked = [(pid, s) for pid, s in ranked if pid in matched]
    elif min_dense_only > 0:
        ranked = [(pid, s) for pid, s in ranked if pid in matched or close.get(pid, 0.0) >= min_dense_only]
    entries, seen = [], set()
    for pid, _ in ranked:
        article, url, _ = asked["passages"][pid]
        if article in seen:
            continue
        seen.add(article)
        entries.append([{x for x in (article, url) if x}])
        if len(entries) == 10:
            break
    return entries


def _together(parts: list[dict], candidates: int = 100) -> dict:
    """Three indexes' recorded rankings as one archive's: cosines compare as they are (one model);
    BM25 scores are each archive's own (its IDF), an approximation of one archive's."""
    dense = sorted((((lang, pid), s) for lang, part in parts for pid, s in part["dense"]),
                   key=lambda hit: -hit[1])[:candidates]
    lexical = sorted((((lang, pid), s) for lang, part in parts for pid, s in part["lexical"]),
                     key=lambda hit: -hit[1])[:candidates]
    return {"language": parts[0][1]["language"], "dense": dense, "lexical": lexical,
            "phrases": any(p["phrases"] for _, p in parts), "fused": all(p["fused"] for _, p in parts),
            "passages": {(lang, pid): v for lang, part in parts for pid, v in part["passages"].items()},
            "answer": []}


def _story(q: dict) -> frozenset[str]:
    """Every language's article of a WMT question's story (its one article for a native set)."""
    if q["set"] != "wmt":
        return frozenset(q["relevant"])
    story = q["relevant"][0].rsplit("#", 1)[0]
    return frozenset(f"{story}#{lang}" for lang in ml.LANGS)


def measure(found: dict, fusion, multilingual: bool = True, mixed: bool = False) -> dict[str, dict]:
    """R@5 and MRR@10 per group. `mixed`: the three indexes' candidates as one archive's, judged twice:
    `target` (the question's own target-language article, as in the one-language sets) and `story` (the
    story in any language)."""
    from retrieval.evaluate import score

    by_group: dict[str, list] = {}
    for i, q in enumerate(found["questions"]):
        if mixed:
            parts = [(lang, found["asked"][(i, lang)]) for lang in ml.LANGS if (i, lang) in found["asked"]]
            if len(parts) < len(ml.LANGS):  # not (yet) asked of every index
                continue
            ranked = _replay(_together(parts), fusion, multilingual)
            for judged, relevant in (("target", frozenset(q["relevant"])), ("story", _story(q))):
                recall, rr, _ = score(ranked, relevant)
                by_group.setdefault(f"{_group(q)} {judged}", []).append((recall[5], rr))
        elif (i, q["target"]) in found["asked"]:
            recall, rr, _ = score(_replay(found["asked"][(i, q["target"])], fusion, multilingual),
                                  frozenset(q["relevant"]))
            by_group.setdefault(_group(q), []).append((recall[5], rr))
    return {g: {"questions": len(v), "recall@5": sum(r for r, _ in v) / len(v),
                "mrr@10": sum(m for _, m in v) / len(v)} for g, v in sorted(by_group.items())}


def fusions(values: list[str], rule: str, method: str, dense_weight: float):
    """Today's fusion, then one per value of the rule tried: `Fusion.across_weights` (dense, BM25) for
    passages in another language is (dense_weight, (1 - dense_weight) * s) for "lexical" (BM25 counts
    a share s of its usual weight), (w, 1 - w) for "dense" (a dense share of their own), the pair given
    as DENSE:BM25 for "pair". In a one-language archive only the ratio of the two orders anything; in an
    archive of several languages (`--mixed`) their size also says how passages of the question's
    language and of others compare."""
    from retrieval.fusion import Fusion

    yield "today", Fusion(method, dense_weight, across_weights=None)
    for value in values:
        if rule == "lexical":
            pair = (dense_weight, (1 - dense_weight) * float(value))
        elif rule == "dense":
            pair = (float(value), 1 - float(value))
        else:
            pair = tuple(map(float, value.split(":")))
        yield f"{rule} {value}: ({pair[0]:.3g}, {pair[1]:.3g})", Fusion(method, dense_weight, across_weights=pair)


def grid(model: str, prefix: str, values: list[str], rule: str = "lexical", method: str = "linear",
         dense_weight: float = 0.4, mixed: bool = False, multilingual: bool = True,
         sample: int = SAME_LANGUAGE_SAMPLE) -> list[dict]:
    from retrieval.evaluate import score
    from retrieval.fusion import Fusion

    found = pickle.loads(cache_path(model, prefix, sample).read_bytes())
    own = [(q, found["asked"][(i, q["target"])]) for i, q in enumerate(found["questions"])
           if (i, q["target"]) in found["asked"]]
    same = sum(score(_replay(a, Fusion(across_weights=None), False), frozenset(q["relevant"]))[1]
               == score([[set(ids)] for ids in a["answer"]], frozenset(q["relevant"]))[1] for q, a in own)
    print(f"replay of today's fusion gives Searcher.ask's reciprocal rank for {same} of {len(own)} questions")
    rows = []
    for name, fusion in fusions(values, rule, method, dense_weight):
        rows.append({"fusion": name, **measure(found, fusion, multilingual, mixed)})
    groups = [g for g in rows[0] if g != "fusion"]
    print(f"{model}, {'three indexes as one archive' if mixed else 'each question of its target archive'}, "
          f"{method}, dense_weight {dense_weight}; R@5 / MRR@10")
    print("| fusion | " + " | ".join(f"{g} ({rows[0][g]['questions']})" for g in groups) + " |")
    print("|---" * (len(groups) + 1) + "|")
    for r in rows:
        print(f"| {r['fusion']} | " + " | ".join(f"{r[g]['recall@5']:.3f} / {r[g]['mrr@10']:.3f}" for g in groups) + " |")
    return rows


# --------------------------------------------------------------------------- 3. the real thing

def check(model: str, prefix: str, across: tuple[float, float] | None, modes: tuple[str, ...] = ("hybrid",)) -> list[dict]:
    """The tuning pool through the real Searcher.ask with `Fusion(across_weights=across)`
    (retrieval.evaluate, as bench/multilingual_eval.evaluate asks)."""
    from retrieval.evaluate import Judgement, evaluate
    from retrieval.fusion import Fusion
    from retrieval.search import SearchSettings

    pool = tuning_pool()
    settings = SearchSettings(fusion=Fusion(across_weights=across), answer_highlight=False)
    rows = []
    for target in ml.LANGS:
        asked = [q for q in pool if q["target"] == target]
        if not asked or not (ml.OUT / f"{prefix}-{model}-{target}").exists():
            continue
        search = searcher(model, target, prefix, settings)
        groups: dict[str, list[dict]] = {}
        for q in asked:
            groups.setdefault(_group(q), []).append(q)
        for group, qs in sorted(groups.items()):
            judgements = [Judgement(q["question"], frozenset(q["relevant"])) for q in qs]
            for metrics in evaluate(search, judgements, modes):
                rows.append({"model": model, "across_weights": across, "group": group, **metrics.as_dict()})
                print(json.dumps(rows[-1]), flush=True)
    return rows


def heldout(model: str, alike: bool = False) -> Path:
    """Once, with committed code and the setting chosen: the held-out sample through
    bench/multilingual_eval.evaluate (hybrid and dense, every set and direction), as docs/multilingual.md
    measured it before. `alike`: the same code with every passage fused alike (`across_weights=None`),
    hybrid, the cross-language directions only (nothing else can differ), so that the change is measured
    against the same indexes and code, not only against the figures of an earlier commit."""
    questions = ml.load_questions()
    held = ml.sample(questions, None, per_group=50, seed=14)
    started = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    if alike:
        rows = _alike(model, [q for q in held if q["lang"] != q["target"]])
    else:
        rows = ml.evaluate(model, held)
    code = ml.code_state()
    path = ml.OUT / f"F-heldout{'-alike' if alike else ''}-{code['head'][:7]}-{model}.json"
    path.write_text(json.dumps({"model": model, "code": code, "started": started, "retrieval": rows,
                                "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())},
                               indent=2, ensure_ascii=False) + "\n")
    return path


def _alike(model: str, questions: list[dict]) -> list[dict]:
    from retrieval.evaluate import Judgement, evaluate
    from retrieval.fusion import Fusion
    from retrieval.search import SearchSettings

    settings = SearchSettings(fusion=Fusion(across_weights=None), answer_highlight=False)
    rows = []
    for target in ml.LANGS:
        search = searcher(model, target, "index", settings)
        groups: dict[tuple[str, str], list[dict]] = {}
        for q in questions:
            if q["target"] == target:
                groups.setdefault((q["set"], ml._direction(q)), []).append(q)
        for (set_name, direction), asked in sorted(groups.items()):
            judgements = [Judgement(q["question"], frozenset(q["relevant"])) for q in asked]
            for metrics in evaluate(search, judgements, ("hybrid",)):
                rows.append({"model": model, "set": set_name, "direction": direction, "fusion": "alike",
                             **metrics.as_dict()})
                print(json.dumps(rows[-1]), flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="step", required=True)
    held = sub.add_parser("heldout", help="the held-out sample, once, with committed code")
    held.add_argument("--model", default="e5", choices=sorted(ml.MODELS))
    held.add_argument("--alike", action="store_true", help="every passage fused alike (the rule off), hybrid, "
                                                           "cross-language directions")
    for name in ("cache", "grid", "check"):
        p = sub.add_parser(name)
        p.add_argument("--model", default="e5", choices=sorted(ml.MODELS))
        p.add_argument("--prefix", default="index")
        p.add_argument("--sample", type=int, default=SAME_LANGUAGE_SAMPLE,
                       help="same-language questions per set and direction in the pool (0: all)")
        if name == "cache":
            p.add_argument("--targets", default=",".join(ml.LANGS), help="the indexes to ask (added to the cache)")
            p.add_argument("--own", action="store_true", help="only the questions whose target each index is")
            p.add_argument("--directions", default="", help="only these directions (en->ru,...)")
        if name == "grid":
            p.add_argument("--values", default="1.0,0.5,0.3,0.2,0.1,0.05,0.0")
            p.add_argument("--rule", default="lexical", choices=("lexical", "dense", "pair"),
                           help="what a value sets (`fusions`): lexical: BM25's share s; dense: a dense share w"
                                " (BM25 1 - w); pair: DENSE:BM25")
            p.add_argument("--dense-weight", type=float, default=0.4)
            p.add_argument("--method", default="linear")
            p.add_argument("--mixed", action="store_true", help="the three indexes as one archive")
            p.add_argument("--english-only", action="store_true",
                           help="no passage counts as across languages (the rule's MiniLM behaviour)")
        if name == "check":
            p.add_argument("--across", help="Fusion.across_weights as DENSE:BM25 (none: None, today's fusion)")
            p.add_argument("--modes", default="hybrid")
            p.add_argument("--out", help="write the rows to this JSON file")
    args = parser.parse_args()
    if args.step == "heldout":
        print(heldout(args.model, args.alike))
    elif args.step == "cache":
        cache(args.model, args.prefix, tuple(args.targets.split(",")), args.own,
              tuple(d for d in args.directions.split(",") if d), args.sample)
    elif args.step == "grid":
        grid(args.model, args.prefix, args.values.split(","), args.rule, args.method,
             args.dense_weight, args.mixed, not args.english_only, args.sample)
    else:
        across = tuple(map(float, args.across.split(":"))) if args.across else None
        rows = check(args.model, args.prefix, across, tuple(args.modes.split(",")))
        if args.out:
            Path(args.out).write_text(json.dumps({"code": ml.code_state(), "rows": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
