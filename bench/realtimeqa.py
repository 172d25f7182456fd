"""RealTimeQA for Newsdesk: real news-quiz questions (CNN, USA Today, The Week), each judged by the
article that answers it, asked as of the quiz's date. Used by bench/peer_txtai.py --set realtimeqa and
bench/generalisation.py.

The set is built outside the repository (its texts are not ours to redistribute):

    python3 ../shared/tools/realtimeqa.py GIT_DIR bench/out/realtimeqa     # GIT_DIR: fetch realtimeqa/realtimeqa_public

Two 2-core budgets shape it: articles are cut to their first PASSAGES passages (6: about 6,000
characters, the median article is 5,200) for both systems alike, 37,594 passages instead of 77,565.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from bench.common import OUT

SOURCE = OUT / "realtimeqa"  # articles.jsonl and qrels.jsonl from ../shared/tools/realtimeqa.py
ARCHIVE = SOURCE / "archive.jsonl"  # the articles, cut
INDEX = OUT / "rtqa-index"
PASSAGES = 6


@dataclass(frozen=True)
class Question:
    question: str
    relevant: frozenset[str]
    label: str  # human_cited: the quiz links the article; answer_match: a search result has the answer
    as_of: datetime  # the end of the quiz's day: "this week" counts from it


def questions() -> list[Question]:
    if not (SOURCE / "qrels.jsonl").exists():
        raise SystemExit(f"No RealTimeQA at {SOURCE}: build it with ../shared/tools/realtimeqa.py (see {__file__}).")
    rows = [json.loads(line) for line in (SOURCE / "qrels.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return [Question(r["question"], frozenset(r["relevant"]), r["label_type"],
                     datetime.fromisoformat(r["question_date"]).replace(tzinfo=timezone.utc) + timedelta(days=1))
            for r in rows]


def archive() -> Path:
    """The articles, each cut after its first PASSAGES passages (written once)."""
    from index.chunking import chunk
    from index.settings import Settings

    if not ARCHIVE.exists():
        settings = Settings()
        with ARCHIVE.open("w", encoding="utf-8") as out:
            for line in (SOURCE / "articles.jsonl").read_text(encoding="utf-8").splitlines():
                article = json.loads(line)
                passages = chunk(article["body"], settings.passage_chars, settings.overlap_sentences)
                if len(passages) > PASSAGES:
                    article["body"] = article["body"][: passages[PASSAGES - 1].end]
                out.write(json.dumps(article) + "\n")
    return ARCHIVE


def index(data_dir: Path = INDEX) -> Path:
    """Newsdesk's index of the cut articles (an unchanged archive is not encoded again)."""
    from index import pipeline
    from index.settings import Settings

    pipeline.add([archive()], Settings.from_env(data_dir=data_dir), quiet=True)
    return data_dir


def ranked_articles(searcher, question: Question, limit: int = 10) -> list[list[set[str]]]:
    from retrieval.evaluate import ranked_articles as entries

    return entries(searcher.ask(question.question, limit=limit, as_of=question.as_of))
