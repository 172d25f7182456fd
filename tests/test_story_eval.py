"""The story evaluation's arithmetic (bench/story_eval.py), on made-up article ids and dates."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from bench.story_eval import STORIES, Judged, chosen, judge, load, summarise

DAY = timedelta(days=1)
T0 = datetime(1987, 3, 6, 12, tzinfo=timezone.utc)
AS_OF = T0 + 10 * DAY
# two events: a1..a4 over four days, b1..b2 a week later; "late" is published after the question is asked
GROUPS = (frozenset({"a1", "a2", "a3", "a4", "late"}), frozenset({"b1", "b2"}))
DATES = {"a1": T0, "a2": T0 + DAY, "a3": T0 + 2 * DAY, "a4": T0 + 3 * DAY, "late": AS_OF + DAY,
         "b1": T0 + 7 * DAY, "b2": T0 + 8 * DAY, "x": T0 + DAY}


def test_a_story_of_part_of_its_event_and_a_stranger():
    judged = judge("q", GROUPS, "a1", ["a1", "a2", "x"], "a2", DATES, AS_OF)
    assert judged.judged
    assert judged.precision == pytest.approx(2 / 3)  # a1, a2 of {a1, a2, x}
    assert judged.recall == pytest.approx(2 / 4)  # of a1..a4: "late" is after as_of
    assert judged.pairs == (3, 6, 1)  # pairs of S, of the visible G, of S inside G
    assert not judged.other_event
    assert judged.size == 3
    assert (judged.due, judged.warned, judged.right) == (True, True, True)


def test_a_story_that_swallows_the_other_event():
    judged = judge("q", GROUPS, "a4", ["a3", "a4", "b1", "b2"], "b2", DATES, AS_OF)
    assert judged.precision == 0.5
    assert judged.recall == 0.5
    assert judged.other_event
    # a4 is the newest report of its event by as_of ("late" comes after): no warning was due, and naming
    # a report of the other event is wrong
    assert (judged.due, judged.warned, judged.right) == (False, True, False)


def test_a_warning_that_names_an_older_report_is_wrong():
    judged = judge("q", GROUPS, "a3", ["a1", "a3"], "a1", DATES, AS_OF)
    assert (judged.due, judged.warned, judged.right) == (True, True, False)


def test_the_whole_event_and_no_warning_for_the_newest():
    judged = judge("q", GROUPS, "b2", ["b1", "b2"], None, DATES, AS_OF)
    assert (judged.precision, judged.recall, judged.pairs) == (1.0, 1.0, (1, 1, 1))
    assert (judged.due, judged.warned, judged.right) == (False, False, False)


def test_a_first_result_in_no_group_is_counted_apart():
    judged = judge("q", GROUPS, "x", ["x", "a1"], "a1", DATES, AS_OF)
    assert judged == Judged("q", judged=False, warned=True)


def test_a_story_of_the_first_result_alone():
    judged = judge("q", GROUPS, "a2", ["a2"], None, DATES, AS_OF)
    assert (judged.precision, judged.recall, judged.pairs) == (1.0, 0.25, (0, 6, 0))
    assert (judged.due, judged.warned) == (True, False)


def test_summary_averages_questions_and_pools_pairs():
    judged = [judge("1", GROUPS, "a1", ["a1", "a2", "x"], "a2", DATES, AS_OF),  # P 2/3 R 1/2, right
              judge("2", GROUPS, "a4", ["a3", "a4", "b1", "b2"], "b2", DATES, AS_OF),  # P 1/2 R 1/2, false alarm
              judge("3", GROUPS, "a2", ["a2"], None, DATES, AS_OF),  # P 1 R 1/4, missed
              judge("4", GROUPS, "x", ["x"], "a1", DATES, AS_OF)]  # unjudged
    s = summarise(judged)
    assert (s["questions"], s["judged"], s["unjudged_first"], s["unjudged_warned"]) == (4, 3, 1, 1)
    assert s["precision"] == pytest.approx((2 / 3 + 1 / 2 + 1) / 3)
    assert s["recall"] == pytest.approx((1 / 2 + 1 / 2 + 1 / 4) / 3)
    # pairs: S 3 + 6 + 0, visible G 6 + 6 + 6, S inside G 1 + 1 + 0
    assert s["pair_precision"] == pytest.approx(2 / 9)
    assert s["pair_recall"] == pytest.approx(2 / 18)
    assert (s["other_event"], s["mean_size"]) == (1, pytest.approx(8 / 3))
    assert (s["newer_due"], s["newer_warned"], s["newer_right"]) == (2, 2, 1)
    assert (s["newer_precision"], s["newer_recall"]) == (0.5, 0.5)


def test_the_judged_set_is_well_formed():
    questions = load()
    rows = [json.loads(line) for line in STORIES.read_text().splitlines() if line.strip()]
    assert len(questions) == len(rows) == 120
    assert len({q.id for q in questions}) == 120
    for source in ("reuters", "realtimeqa"):
        splits = [q.split for q in questions if q.source == source]
        assert splits.count("tune") == splits.count("test")
    for q in questions:
        ids = [a for g in q.groups for a in g]
        assert ids and len(ids) == len(set(ids)), q.id  # an article is in one group of its question
    assert sum(len(q.groups) > 1 for q in questions) == 51


def test_rates_without_anything_to_count_are_undefined():
    s = summarise([judge("q", GROUPS, "b2", ["b2"], None, {**DATES, "b1": AS_OF + DAY}, AS_OF)])
    assert (s["pair_precision"], s["pair_recall"], s["newer_precision"], s["newer_recall"]) == (None, None, None, None)
    assert (s["precision"], s["recall"]) == (1.0, 1.0)  # b1 is after as_of: b2 alone is the whole visible story


def test_the_sweep_takes_the_best_story_f1_then_newer_f1_then_the_larger_cosine():
    rows = [{"cosine": 0.85, "days": 3.0, "f1": 0.800, "newer_f1": 0.9},
            {"cosine": 0.90, "days": 2.0, "f1": 0.804, "newer_f1": 0.5},
            {"cosine": 0.88, "days": 5.0, "f1": 0.790, "newer_f1": 1.0},  # more than 0.005 below the best
            {"cosine": 0.92, "days": 1.0, "f1": 0.801, "newer_f1": 0.9}]
    assert (chosen(rows)["cosine"], chosen(rows)["days"]) == (0.92, 1.0)


def test_f1_of_the_summary():
    s = summarise([judge("1", GROUPS, "a1", ["a1", "a2", "x"], "a2", DATES, AS_OF)])
    assert s["f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert s["newer_f1"] == 1.0


def test_events_of_several_reports_are_averaged_apart():
    s = summarise([judge("1", GROUPS, "a1", ["a1", "a2", "x"], "a2", DATES, AS_OF),  # a1..a4 visible
                   judge("2", GROUPS, "b2", ["b2"], None, {**DATES, "b1": AS_OF + DAY}, AS_OF)])  # b2 alone
    assert s["several"] == 1
    assert (s["several_precision"], s["several_recall"]) == (pytest.approx(2 / 3), 0.5)


def test_members_and_warnings_after_as_of_are_counted():
    judged = judge("q", GROUPS, "a4", ["a3", "a4", "late"], "late", DATES, AS_OF)
    assert (judged.late, judged.newer_late) == (1, True)
    assert (judged.due, judged.right) == (False, True)  # in G and newer, as the warning's precision counts it
    s = summarise([judged])
    assert (s["late_members"], s["newer_late"]) == (1, 1)
