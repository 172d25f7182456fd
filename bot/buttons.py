"""Inline buttons shared by answers and alerts. Callback data stays far below Telegram's 64 bytes:
long values (questions, article ids, what a message showed) sit behind short keys in bot.sqlite3.

    full:KEY          the whole article              more:KEY:OFFSET   next page of an answer
    amore:PAGE:OFFSET next page of an alert          vote:KEY:u|d      👍 / 👎 on what a message showed
    unf:ID            stop following                 daily:ID:1|0      daily digest on / off
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton

from bot.feedback import Shown
from bot.state import BotState
from retrieval.records import Hit


def full_row(state: BotState, hits: Sequence[Hit]) -> list[InlineKeyboardButton]:
    return [InlineKeyboardButton(f"📄 {h.rank}", callback_data=f"full:{state.remember(h.citation.article_id)}")
            for h in hits]


def vote_buttons(state: BotState, shown: Shown) -> list[InlineKeyboardButton]:
    key = state.remember(shown.ref())
    return [InlineKeyboardButton("👍", callback_data=f"vote:{key}:u"),
            InlineKeyboardButton("👎", callback_data=f"vote:{key}:d")]
