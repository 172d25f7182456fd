"""The evaluation's arithmetic, on hand-made rankings."""

import math

import pytest

from retrieval.evaluate import score


def test_one_relevant_article_at_rank_two():
    recall, rr, ndcg = score([[{"a"}], [{"b", "https://b"}], [{"c"}]], frozenset({"b"}))
    assert recall == {1: 0.0, 5: 1.0, 10: 1.0}
    assert rr == 0.5
    assert ndcg == pytest.approx(1 / math.log2(3))


def test_an_entry_grouping_two_relevant_copies_gains_for_both():
    grouped = [[{"a"}, {"a2"}], [{"x"}]]
    recall, rr, ndcg = score(grouped, frozenset({"a", "a2"}))
    assert (recall[1], rr, ndcg) == (1.0, 1.0, 1.0)  # 2 / (1 + 1/log2(3)) capped at 1
    apart = [[{"a"}], [{"x"}], [{"a2"}]]
    assert score(apart, frozenset({"a", "a2"}))[2] == pytest.approx((1 + 1 / 2) / (1 + 1 / math.log2(3)))
