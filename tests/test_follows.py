"""The follow store (bot/follow_store.py) and the feedback export (bot/feedback_store.py), on real SQLite files."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.bot_errors import FollowError
from bot.feedback_store import DOWN, UP, FeedbackStore, Shown, Vote, judged_questions
from bot.follow_store import MAX_FOLLOWS, Follows, Prefs, next_digest, zone

NOW = datetime(2025, 3, 29, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def follows(tmp_path):
    store = Follows(tmp_path / "bot.sqlite3")
    yield store
    store.close()


def test_a_follow_survives_reopening_and_is_due_after_a_new_generation(tmp_path):
    store = Follows(tmp_path / "bot.sqlite3")
    made = store.add(chat_id=5, user_id=5, question="  Rovno   from:Kyiv Ledger ", daily=False, checked_gen=3, now=NOW)
    store.close()
    again = Follows(tmp_path / "bot.sqlite3")
    assert again.in_chat(5) == [made]
    assert (made.id, made.question, made.daily, made.checked_gen, made.next_digest) == (
        1, "Rovno from:Kyiv Ledger", False, 3, None)
    assert again.due(NOW, 3) == []
    assert again.due(NOW, 4) == [made]


def test_the_same_question_twice_and_too_many_follows_are_refused(follows):
    follows.add(5, 5, "Rovno", False, 1, NOW)
    with pytest.raises(FollowError, match=r"^You already follow that \(#1\)\.$"):
        follows.add(5, 5, "Rovno", True, 1, NOW)
    for i in range(MAX_FOLLOWS - 1):
        follows.add(5, 5, f"topic {i}", False, 1, NOW)
    with pytest.raises(FollowError, match="follows 25 topics"):
        follows.add(5, 5, "one more", False, 1, NOW)
    follows.add(6, 6, "Rovno", False, 1, NOW)  # another chat may follow the same


def test_claim_records_each_article_once_and_release_undoes_a_failed_send(follows):
    follow = follows.add(5, 5, "Rovno", False, 1, NOW)
    assert follows.claim(follow, ["a", "b", "a"], 2) == {"a", "b"}
    assert follows.get(follow.id).checked_gen == 2
    assert follows.claim(follows.get(follow.id), ["b", "c"], 3) == {"c"}
    before = follows.get(follow.id)
    fresh = follows.claim(before, ["d"], 4)
    follows.release(before, fresh)  # the message could not be sent: back to where it was
    assert follows.get(follow.id).checked_gen == 3
    assert follows.was_sent(follow.id, ["a", "b", "c", "d"]) == {"a", "b", "c"}
    assert follows.claim(follows.get(follow.id), ["d"], 4) == {"d"}


def test_removing_a_chat_drops_its_follows_and_their_records(follows):
    mine = follows.add(5, 5, "Rovno", False, 1, NOW)
    other = follows.add(6, 6, "Rovno", False, 1, NOW)
    follows.claim(mine, ["a"], 2)
    assert follows.remove(mine.id, chat_id=6) is None  # not that chat's
    assert follows.remove_chat(5) == 1
    assert follows.all() == [other]
    assert follows.was_sent(mine.id, ["a"]) == set()


def test_digest_time_follows_the_users_zone_and_hour_across_daylight_saving(follows):
    # Kyiv moves to summer time on 30 March 2025: 08:00 local is 06:00 UTC before, 05:00 UTC after
    assert next_digest(NOW, Prefs("Europe/Kyiv", 8)) == datetime(2025, 3, 30, 5, 0, tzinfo=timezone.utc)
    assert next_digest(datetime(2025, 3, 29, 5, 59, tzinfo=timezone.utc), Prefs("Europe/Kyiv", 8)) == \
        datetime(2025, 3, 29, 6, 0, tzinfo=timezone.utc)
    assert next_digest(NOW, Prefs()) == datetime(2025, 3, 30, 8, 0, tzinfo=timezone.utc)  # 08:00 UTC by default
    daily = follows.add(5, 5, "Rovno", True, 1, NOW)
    assert daily.next_digest == datetime(2025, 3, 30, 8, 0, tzinfo=timezone.utc)
    assert follows.set_prefs(5, Prefs(zone("america/new_york").key, 7), NOW) == 1
    assert follows.get(daily.id).next_digest == datetime(2025, 3, 30, 11, 0, tzinfo=timezone.utc)
    assert follows.due(datetime(2025, 3, 30, 11, 0, tzinfo=timezone.utc), 1) == [follows.get(daily.id)]
    with pytest.raises(FollowError, match="I don't know the time zone 'Mars/Olympus'"):
        follows.set_prefs(5, Prefs("Mars/Olympus", 7), NOW)
    with pytest.raises(FollowError, match="from 0 to 23"):
        follows.set_prefs(5, Prefs("UTC", 24), NOW)


def test_votes_become_judged_questions_for_eval(tmp_path):
    store = FeedbackStore(tmp_path / "bot.sqlite3")
    rovno = Shown("answer", "what was reported about Rovno?", ("kl-rovno", "kl-war"))
    store.record(1, "k1", rovno, UP)
    store.record(2, "k1", rovno, UP)
    store.record(2, "k1", rovno, DOWN)  # the same person pressing again changes their vote
    store.record(3, "k2", Shown("answer", "what   was reported about Rovno?", ("kl-war",)), DOWN)
    store.record(1, "k3", Shown("alert", "Khortytsia ferry", ("nw-ferry",)), DOWN)
    store.record(4, "k4", Shown("answer", "what was reported about Rovno?", ("kl-rovno",)), UP)
    votes = store.votes()
    assert [(v.user_id, v.vote) for v in votes] == [(1, UP), (2, DOWN), (3, DOWN), (1, DOWN), (4, UP)]
    export = judged_questions(votes)
    assert (export.votes, export.left_out) == (5, 1)  # the ferry alert had nothing relevant
    # per article: kl-rovno +1 -1 +1, kl-war +1 -1 -1
    assert export.lines == [{"question": "what was reported about Rovno?", "relevant": ["kl-rovno"],
                             "not_relevant": ["kl-war"], "up": 2, "down": 2, "from": ["answer"],
                             "source": "newsdesk feedback"}]


def test_a_vote_is_up_or_down(tmp_path):
    with pytest.raises(ValueError):
        FeedbackStore(tmp_path / "bot.sqlite3").record(1, "k", Shown("answer", "q", ("a",)), 0)
    assert Shown.from_ref("kl-2024-1207-rovno") is None  # a key of a 📄 button is not a vote
    assert judged_questions([Vote(1, Shown("answer", "q", ("a",)), UP, NOW)]).lines[0]["relevant"] == ["a"]
