"""Questions written for the stories, not taken from their headlines (issue 14: "questions can be built from
headlines, rephrased so they do not copy the article's words").

The other multilingual figures ask each story by its headline, word for word; Brown-UK's headlines are often
feature titles ("Смерть прийшла через вікно") that no reader would search with. Here each story gets one
information need, written as a question in every language the story has, by writers who saw neither
Newsdesk's code nor any of its results (their instructions: bench/multilingual/writer-brief.md; who wrote
them: docs/multilingual.md, "Written questions"). The same rules hold in every language, so uk->uk set
against en->en on the same stories differs only in the language. Nothing is chosen with these questions:
they are asked once, held out.

    # 1. the stories the writers read: all 50 WMT stories with a Ukrainian article, 50 of the WMT stories
    #    with a Russian one and 50 Brown-UK articles (seeded), headline and start of each language's article
    .venv/bin/python bench/multilingual/written.py prepare
    # 2. the writers add bench/out/multilingual/written/questions-*.jsonl: {"story", "lang", "question"}
    # 3. ask them of the e5 indexes (bench/multilingual_eval.py builds them), every direction the story has
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual/written.py measure [--out FILE]

Everything under bench/out is git-ignored: the texts, and the questions written from them, are not ours to
redistribute.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench import multilingual_eval as ml  # noqa: E402

WRITTEN = ml.OUT / "written"
PER_SET = 50
SEED = 14
LEAD = 1500  # characters of each article the writer reads: enough for the event, not the whole text


def story_of(article_id: str) -> str:
    return article_id.rsplit("#", 1)[0]


def articles() -> dict[str, str]:
    bodies = {}
    for lang in ml.LANGS:
        for line in (ml.ARCHIVES / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            bodies[row["id"]] = row["body"]
    return bodies


def stories(questions: list[dict]) -> dict[str, dict]:
    """story -> {"set", "articles": {lang: article id}, "headlines": {lang: headline}} from the headline
    questions (a same-language headline question names its article)."""
    found: dict[str, dict] = {}
    for q in questions:
        if q["lang"] != q["target"]:
            continue
        article = q["relevant"][0]
        key = story_of(article) if q["set"] == "wmt" else article
        entry = found.setdefault(key, {"set": q["set"], "articles": {}, "headlines": {}})
        entry["articles"][q["lang"]] = article
        entry["headlines"][q["lang"]] = q["question"]
    return found


def choose(found: dict[str, dict]) -> dict[str, list[str]]:
    """The three groups the writers get; the seed picks the Russian and Brown-UK samples."""
    rng = random.Random(SEED)
    wmt = sorted(k for k, s in found.items() if s["set"] == "wmt")
    with_uk = [k for k in wmt if "uk" in found[k]["articles"]]
    with_ru = [k for k in wmt if "ru" in found[k]["articles"] and k not in with_uk]
    brown = sorted(k for k, s in found.items() if s["set"] == "brown-uk")
    return {"wmt-uk": with_uk, "wmt-ru": sorted(rng.sample(with_ru, PER_SET)), "brown-uk": sorted(rng.sample(brown, PER_SET))}


def prepare() -> None:
    questions = ml.load_questions()
    found, bodies = stories(questions), articles()
    WRITTEN.mkdir(parents=True, exist_ok=True)
    for group, keys in choose(found).items():
        with (WRITTEN / f"stories-{group}.jsonl").open("w", encoding="utf-8") as out:
            for key in keys:
                entry = found[key]
                langs = sorted(entry["articles"], key=ml.LANGS.index)
                out.write(json.dumps({"story": key, "languages": langs,
                                      "headline": {lang: entry["headlines"][lang] for lang in langs},
                                      "article_start": {lang: bodies[entry["articles"][lang]][:LEAD] for lang in langs}},
                                     ensure_ascii=False) + "\n")
        print(f"{group}: {len(keys)} stories -> {WRITTEN / f'stories-{group}.jsonl'}")


def judgements(found: dict[str, dict], written: list[dict]) -> dict[tuple[str, str, str], list[dict]]:
    """(writers' group, question language, target language) -> questions with their relevant article: each
    written question is asked of every language's archive that holds its story. By group, so that en->en
    on the stories with a Ukrainian article can be set beside uk->uk on the same stories."""
    asked: dict[tuple[str, str, str], list[dict]] = {}
    for w in written:
        for target, article in found[w["story"]]["articles"].items():
            asked.setdefault((w["group"], w["lang"], target), []).append(
                {"question": w["question"], "relevant": [article], "story": w["story"]})
    return asked


def shared_words(question: str, article_words: set[str]) -> float:
    """Share of the question's words (first five letters, as multilingual_eval counts them) that its article
    also has: how close to the article's own words the writers came, in each language."""
    words = ml._stem_words(question)
    return len(words & article_words) / len(words) if words else 0.0


def measure(out: Path | None) -> None:
    from retrieval.evaluate import Judgement, evaluate
    from retrieval.search import SearchSettings

    from bench.multilingual import tune_fusion

    found, bodies = stories(ml.load_questions()), articles()
    written = [{**json.loads(line), "group": path.stem.removeprefix("questions-")}
               for path in sorted(WRITTEN.glob("questions-*.jsonl"))
               for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    searchers: dict[str, object] = {}
    rows = []
    for (group, lang, target), asked in sorted(judgements(found, written).items()):
        if target not in searchers:
            searchers[target] = tune_fusion.searcher("e5", target, "index", SearchSettings(answer_highlight=False))
        judged = [Judgement(q["question"], frozenset(q["relevant"])) for q in asked]
        found_modes = {m.mode: m.as_dict() for m in evaluate(searchers[target], judged, ("hybrid", "dense", "lexical"))}
        article_words = [ml._stem_words(bodies[q["relevant"][0]]) for q in asked]
        # beside the written question, the story's headline in its language: the question the other figures ask
        written_share, headline_share = (
            round(statistics.mean(shared_words(text, words) for text, words in zip(texts, article_words)), 3)
            for texts in ([q["question"] for q in asked], [found[q["story"]]["headlines"][lang] for q in asked]))
        rows.append({"group": group, "direction": f"{lang}->{target}", "questions": len(asked),
                     "shared_words": written_share, "headline_shared_words": headline_share,
                     **{mode: {"recall@5": m["recall@5"], "mrr@10": m["mrr@10"]} for mode, m in found_modes.items()}})
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    if out:
        out.write_text(json.dumps({"code": ml.code_state(), "rows": rows}, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=("prepare", "measure"))
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    if args.step == "prepare":
        prepare()
    else:
        measure(args.out)


if __name__ == "__main__":
    main()
