"""Every judged question that once failed stays a test (tests/regressions.jsonl).

An entry names its archive, the question (its relevant articles are in that archive's qrels file) and
why it failed; it passes when a relevant article is among the first five entries, which is what
Recall@5 in the evaluation counts. The newsroom archive is indexed whole; Reuters as the slice of
conftest.reuters_slice (every entry passes there), and as the whole archive (`full_archive`, `make
test-full`, which CI runs after `make test`), where the entries marked "still_fails" are strict
expected failures: the day one of them passes, the test says so and the mark comes off. One that sits at
the cut (5th or 6th by the CPU's int8 kernels) says so in "edge" and is not strict: it passes on some
machines and fails on others with the same code.
"""

import json
from functools import lru_cache

import pytest

from index import pipeline
from index.engines.faiss import IndexReader
from index.settings import MINILM_MODEL, Settings
from retrieval.evaluate import load_qrels, ranked_articles, score
from retrieval.search import Searcher
from tests.support import QRELS, REUTERS, ROOT

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


@pytest.fixture(scope="module")
def reuters_full(tmp_path_factory):
    """The whole Reuters archive (27,678 passages), indexed as `index add` does (int8 ONNX): about 7
    minutes on 2 cores, so it runs in `make test-full`, not in `make test`."""
    if not REUTERS.exists():
        pytest.skip(f"the Reuters archive is not at {REUTERS} (../shared/data is absent)")
    data_dir = tmp_path_factory.mktemp("reuters-full")
    # MiniLM, as when these questions' expectations were recorded; e5's figures on Reuters are in
    # docs/multilingual.md ("The English check")
    pipeline.add([REUTERS], Settings(data_dir=data_dir, model=MINILM_MODEL), quiet=True)
    from index.encoder import ServingEncoder

    return Searcher(IndexReader(data_dir), ServingEncoder(Settings(data_dir=data_dir)))


def full_cases() -> list:
    return [pytest.param(e["question"], id=e["question"][:60],
                         marks=[pytest.mark.xfail(strict="edge" not in e, reason=e.get("edge", e["why"]))]
                         if e.get("still_fails") else [])
            for e in REGRESSIONS if e["archive"] == "reuters"]


@pytest.mark.slow
@pytest.mark.data
@pytest.mark.full_archive
@pytest.mark.timeout(1800)  # the first one indexes the archive
@pytest.mark.parametrize("question", full_cases())
def test_reuters_question_on_the_whole_archive(reuters_full, question):
    assert found_in_top_five(reuters_full, "reuters", question)
