"""Every judged question that once failed stays a test (tests/regressions.jsonl).

An entry names its archive, the question (its relevant articles are in that archive's qrels file) and
why it failed; it passes when a relevant article is among the first five entries, which is what
Recall@5 in the evaluation counts. The newsroom archive is indexed whole; Reuters as the slice of
conftest.reuters_slice, where the three entries marked "still_fails" (they fail on the full archive,
bench/understanding_eval.py) pass: there they guard against getting worse, not better.
"""

import json
from functools import lru_cache

import pytest

from index import pipeline
from index.reader import IndexReader
from index.settings import Settings
from retrieval.evaluate import load_qrels, ranked_articles, score
from retrieval.search import Searcher
from tests.support import QRELS, ROOT

NEWSROOM = ROOT / "bench" / "archives" / "newsroom.jsonl"
REGRESSIONS = [json.loads(line) for line in (ROOT / "tests" / "regressions.jsonl").read_text().splitlines()
               if line.strip()]
QRELS_FILES = {"newsroom": ["newsroom.jsonl"], "reuters": ["reuters.jsonl", "reuters-filters.jsonl"]}


@lru_cache(maxsize=None)
def relevant(archive: str) -> dict[str, frozenset[str]]:
    return {j.question: j.relevant for name in QRELS_FILES[archive] for j in load_qrels(QRELS.parent / name)}


def cases(archive: str) -> list:
    return [pytest.param(e["question"], id=e["question"][:60]) for e in REGRESSIONS if e["archive"] == archive]


def found_in_top_five(searcher: Searcher, archive: str, question: str) -> bool:
    answer = searcher.ask(question, limit=10, as_of=searcher.reader.snapshot().archive_end)
    return score(ranked_articles(answer), relevant(archive)[question])[0][5] > 0


@pytest.fixture(scope="module")
def newsroom(tmp_path_factory, model_encoder):
    data_dir = tmp_path_factory.mktemp("newsroom")
    pipeline.add([NEWSROOM], Settings(data_dir=data_dir), encoder=model_encoder, quiet=True)
    return Searcher(IndexReader(data_dir), model_encoder)


@pytest.mark.slow
@pytest.mark.parametrize("question", cases("newsroom"))
def test_newsroom_question(newsroom, question):
    assert found_in_top_five(newsroom, "newsroom", question)


@pytest.fixture(scope="module")
def reuters(reuters_slice, model_encoder):
    return Searcher(IndexReader(reuters_slice), model_encoder)


@pytest.mark.slow
@pytest.mark.data
@pytest.mark.parametrize("question", cases("reuters"))
def test_reuters_question(reuters, question):
    assert found_in_top_five(reuters, "reuters", question)
