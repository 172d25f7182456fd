"""The real Reuters-21578 archive: every record reads, and retrieval quality holds on a slice of it."""

import pytest

from index.engines.faiss import IndexReader
from index.records import Article, Problem
from index.sources import read_path
from retrieval.evaluate import evaluate, load_qrels
from retrieval.search import Searcher
from tests.support import QRELS, REUTERS

pytestmark = [
    pytest.mark.data,
    pytest.mark.skipif(not REUTERS.exists(), reason=f"the Reuters archive is not at {REUTERS} (../shared/data is absent)"),
]


def test_every_reuters_record_is_read_with_its_date():
    records = list(read_path(REUTERS))
    articles = [r for r in records if isinstance(r, Article)]
    problems = [r for r in records if isinstance(r, Problem)]
    assert len(articles) == 19043
    assert problems == []
    assert sum(a.published_at is None for a in articles) == 0
    first = articles[0]
    assert (first.article_id, first.source, first.published_at.isoformat()) == (
        "reuters-1", "Reuters", "1987-02-26T15:01:01.790000+00:00")
    assert first.body.startswith("Showers continued throughout the week in the Bahia cocoa zone, alleviating")


@pytest.mark.slow
def test_hybrid_quality_on_a_slice_of_the_archive(reuters_slice, model_encoder):
    """The judged articles plus 1,500 others (conftest.reuters_slice)."""
    judgements = load_qrels(QRELS)
    rows = {m.mode: m for m in evaluate(Searcher(IndexReader(reuters_slice), model_encoder), judgements,
                                        ("dense", "lexical", "hybrid"))}
    hybrid = rows["hybrid"]
    assert hybrid.questions == 120
    assert hybrid.recall[10] >= 0.95
    assert hybrid.ndcg10 >= max(rows["dense"].ndcg10, rows["lexical"].ndcg10)
