"""bot.feedback_store: 👍 / 👎 on answers and alerts, stored in bot.sqlite3 and exported as judged questions
for `newsdesk eval`.

A vote is a 👍 or 👎 reaction on the message (a `message_reaction` update), or, where reactions do
not reach the bot (a group where it is not an admin), a reply of 👍 or 👎 to it; the buttons of
older messages still count too. Each answer and alert the bot sends is remembered by (chat, message
id) with what it showed (`shown_messages`), so a reaction, which carries only those two, can be
judged later. Withdrawing the reaction withdraws the vote.

A vote stores the question, the ids of the articles the message showed, the vote, the time and
who pressed (one vote per person and message; pressing again changes it). Nothing else of the
message is kept. The export reads a 👍 as "the shown articles answer the question" and a 👎 as
"they do not": per question, each shown article's votes are added up, and articles with more 👍
than 👎 become its `relevant` list (the qrels format of `retrieval/evaluate.py`), those with more 👎
its `not_relevant` list (kept for reading; eval ignores it). A question with nothing relevant has
nothing for eval to find, so it is counted and left out.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from bot.state import connect, short_key

UP, DOWN = 1, -1
REACTIONS = {"👍": UP, "👎": DOWN}
REPLIES = {"👍": UP, "👎": DOWN, "+1": UP, "-1": DOWN, "+": UP, "-": DOWN}  # a reply to an answer

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    user_id INTEGER NOT NULL, shown_key TEXT NOT NULL,
    kind TEXT NOT NULL,                  -- "answer" or "alert"
    question TEXT NOT NULL, results TEXT NOT NULL,  -- JSON list of the article ids shown, in order
    vote INTEGER NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (user_id, shown_key)
);
CREATE TABLE IF NOT EXISTS shown_messages (  -- what each answer and alert showed, for reactions on it
    chat_id INTEGER NOT NULL, message_id INTEGER NOT NULL, ref TEXT NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (chat_id, message_id)
);
"""


@dataclass(frozen=True)
class Shown:
    """What a message showed: enough to judge it later, and no more."""

    kind: str
    question: str
    results: tuple[str, ...]

    def ref(self) -> str:
        """The value stored behind the buttons' short key (bot.state.BotState.remember)."""
        return json.dumps({"kind": self.kind, "question": self.question, "results": list(self.results)},
                          ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_ref(cls, value: str) -> Shown | None:
        try:
            record = json.loads(value)
            return cls(str(record["kind"]), str(record["question"]), tuple(map(str, record["results"])))
        except (ValueError, KeyError, TypeError):
            return None  # a key of another kind of button


@dataclass(frozen=True)
class Vote:
    user_id: int
    shown: Shown
    vote: int
    at: datetime


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.db = connect(path, _SCHEMA)

    @classmethod
    def open_existing(cls, path: Path) -> FeedbackStore:
        """For the export: the bot's file must be there (no empty one is made by mistake)."""
        if not path.exists():
            raise FileNotFoundError(path)
        return cls(path)

    def close(self) -> None:
        self.db.close()

    def record(self, user_id: int, key: str, shown: Shown, vote: int) -> None:
        if vote not in (UP, DOWN):
            raise ValueError(f"a vote is {UP} or {DOWN}, not {vote!r}")
        self.db.execute(
            "INSERT OR REPLACE INTO feedback(user_id, shown_key, kind, question, results, vote, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user_id, key, shown.kind, shown.question, json.dumps(list(shown.results)), vote, time.time()))

    def withdraw(self, user_id: int, key: str) -> bool:
        """Forget a person's vote on a message (they took their reaction back)."""
        return self.db.execute("DELETE FROM feedback WHERE user_id = ? AND shown_key = ?", (user_id, key)).rowcount > 0

    def sent(self, chat_id: int, message_id: int, shown: Shown) -> None:
        """Remember what a message the bot sent showed, so that reactions on it can be judged."""
        self.db.execute("INSERT OR REPLACE INTO shown_messages(chat_id, message_id, ref, at) VALUES (?, ?, ?, ?)",
                        (chat_id, message_id, shown.ref(), time.time()))

    def shown_in(self, chat_id: int, message_id: int) -> tuple[str, Shown] | None:
        """(the vote key, what it showed) of a message the bot sent, or None for any other message."""
        row = self.db.execute("SELECT ref FROM shown_messages WHERE chat_id = ? AND message_id = ?",
                              (chat_id, message_id)).fetchone()
        shown = Shown.from_ref(row[0]) if row else None
        return (short_key(row[0]), shown) if shown else None

    def votes(self) -> list[Vote]:
        rows = self.db.execute("SELECT user_id, kind, question, results, vote, at FROM feedback ORDER BY at, rowid")
        return [Vote(user, Shown(kind, question, tuple(json.loads(results))), vote,
                     datetime.fromtimestamp(at, timezone.utc)) for user, kind, question, results, vote, at in rows]


@dataclass(frozen=True)
class Export:
    lines: list[dict]
    votes: int
    left_out: int  # questions with no article judged relevant


def judged_questions(votes: Iterable[Vote]) -> Export:
    """Votes -> one qrels line per question (whitespace-normalised), in the order first voted on."""
    tally: dict[str, dict[str, int]] = {}
    counts: dict[str, list[int]] = {}
    kinds: dict[str, set[str]] = {}
    n = 0
    for v in votes:
        n += 1
        question = " ".join(v.shown.question.split())
        per = tally.setdefault(question, {})
        for article_id in v.shown.results:
            per[article_id] = per.get(article_id, 0) + v.vote
        up_down = counts.setdefault(question, [0, 0])
        up_down[0 if v.vote == UP else 1] += 1
        kinds.setdefault(question, set()).add(v.shown.kind)
    lines, left_out = [], 0
    for question, per in tally.items():
        relevant = [a for a, score in per.items() if score > 0]
        if not relevant:
            left_out += 1
            continue
        lines.append({"question": question, "relevant": relevant,
                      "not_relevant": [a for a, score in per.items() if score < 0],
                      "up": counts[question][0], "down": counts[question][1],
                      "from": sorted(kinds[question]), "source": "newsdesk feedback"})
    return Export(lines, n, left_out)


def reaction_vote(old: Iterable[str], new: Iterable[str]) -> int | None:
    """The vote a change of reactions (emoji before, emoji after) expresses: UP or DOWN, 0 when the
    👍 / 👎 was taken back, None when it says nothing about the answer (another emoji)."""
    before = [REACTIONS[e] for e in old if e in REACTIONS]
    after = [REACTIONS[e] for e in new if e in REACTIONS]
    if not after:
        return 0 if before else None
    added = [v for v in after if v not in before]
    return (added or after)[-1]
