"""Inline buttons and their callback data: one codec, used to write the buttons, to route presses
(the handler patterns in bot/app.py) and to read them (the handlers).

Callback data stays far below Telegram's 64 bytes: long values (questions, article ids, what a
message showed) sit behind short keys in bot.sqlite3 (bot.state).

    full:KEY          the whole article              more:KEY:OFFSET   next page of an answer
    story:KEY         🧵 the story of an answer      newer:KEY         🆕 its story's newer report
    amore:PAGE:OFFSET next page of an alert          vote:KEY:u|d      👍 / 👎 (buttons of older messages;
                                                                       votes are reactions now)
    unf:ID[:l]        stop following                 daily:ID:1|0[:l]  daily digest on / off
    lang:en|uk|ru     /language's choice
                      (":l": pressed in the /following list, which is then redrawn)

Anything else (a malformed press, a forged one, a button of an older bot) decodes to None, and the
bot answers it with "This button has expired." (handlers.expired_button).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from telegram import CopyTextButton, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.render import menus, snippets
from bot.state import BotState
from retrieval.records import Answer, Hit, Report

CALLBACK_LIMIT = 64  # bytes, Telegram's limit on callback data
ROW_LIMIT = 8  # buttons in one row (Telegram)
KEYBOARD_LIMIT = 100  # buttons in one message (Telegram)
ROW = 5  # results' buttons per row: five "📋 10" still read on a 390-pixel screen
ONE_ROW = 3  # up to this many results, their 📋 and 📄 share one row (six keys): a row less on a phone screen

_KEY = r"[A-Za-z0-9_-]{1,40}"  # bot.state keys: 16 lower-case base32 characters today
_NUMBER = r"[0-9]{1,12}"


# Each kind's callback data, said once beside the kind: its pattern, the button a match reads as, and
# the data a button is written as (encode), so that what is written is what is read (decode).
_CODECS: dict[type, tuple[re.Pattern[str], Callable[[re.Match[str]], Button], Callable[[Any], str]]] = {}


def _codec(pattern: str, read: Callable[[re.Match[str]], Button], write: Callable[[Any], str]):
    def register(kind: type) -> type:
        _CODECS[kind] = (re.compile(pattern), read, write)
        return kind
    return register


@_codec(rf"full:({_KEY})", lambda m: Full(m[1]), lambda b: f"full:{b.key}")
@dataclass(frozen=True)
class Full:
    """📄: the whole article behind `key`."""

    key: str


@_codec(rf"more:({_KEY}):({_NUMBER})", lambda m: More(m[1], int(m[2])), lambda b: f"more:{b.key}:{b.offset}")
@dataclass(frozen=True)
class More:
    """More ▸ under an answer: the question behind `key`, from result `offset` on."""

    key: str
    offset: int


@_codec(rf"story:({_KEY})", lambda m: StoryView(m[1]), lambda b: f"story:{b.key}")
@dataclass(frozen=True)
class StoryView:
    """🧵 Story under an answer: the story of the first result of the question behind `key`."""

    key: str


@_codec(rf"newer:({_KEY})", lambda m: Newer(m[1]), lambda b: f"newer:{b.key}")
@dataclass(frozen=True)
class Newer:
    """🆕 Newer under an answer: the newer report of the story of the question behind `key`."""

    key: str


@_codec(rf"amore:({_NUMBER}):({_NUMBER})", lambda m: AlertMore(int(m[1]), int(m[2])),
        lambda b: f"amore:{b.page}:{b.offset}")
@dataclass(frozen=True)
class AlertMore:
    """More ▸ under an alert: stored alert page `page`, from report `offset` on."""

    page: int
    offset: int


@_codec(rf"vote:({_KEY}):([ud])", lambda m: Vote(m[1], m[2] == "u"), lambda b: f"vote:{b.key}:{'u' if b.up else 'd'}")
@dataclass(frozen=True)
class Vote:
    """👍 / 👎 on what a message showed (a Shown behind `key`)."""

    key: str
    up: bool


@_codec(rf"unf:({_NUMBER})(:l)?", lambda m: Stop(int(m[1]), bool(m[2])),
        lambda b: f"unf:{b.follow}" + (":l" if b.in_list else ""))
@dataclass(frozen=True)
class Stop:
    """🔕: stop follow `follow`; `in_list`: pressed under /following, which is then redrawn."""

    follow: int
    in_list: bool = False


@_codec(rf"daily:({_NUMBER}):([01])(:l)?", lambda m: Daily(int(m[1]), m[2] == "1", bool(m[3])),
        lambda b: f"daily:{b.follow}:{1 if b.daily else 0}" + (":l" if b.in_list else ""))
@dataclass(frozen=True)
class Daily:
    """🗓 / ⚡: follow `follow` as a daily digest (`daily`) or as soon as reports are indexed."""

    follow: int
    daily: bool
    in_list: bool = False


@_codec(r"lang:(en|uk|ru)", lambda m: Language(m[1]), lambda b: f"lang:{b.code}")
@dataclass(frozen=True)
class Language:
    """A /language choice: answer this user in `code` (en, uk, ru)."""

    code: str


Button = Full | More | StoryView | Newer | AlertMore | Vote | Stop | Daily | Language


def encode(value: Button) -> str:
    """The callback data of a button."""
    return _CODECS[type(value)][2](value)


def decode(data: object) -> Button | None:
    """The button a press carries, or None for anything malformed or unknown."""
    if not isinstance(data, str) or len(data.encode("utf-8", "surrogatepass")) > CALLBACK_LIMIT:
        return None
    for pattern, build, _ in _CODECS.values():
        match = pattern.fullmatch(data)
        if match:
            return build(match)
    return None


def pattern(kind: type) -> Callable[[object], bool]:
    """A CallbackQueryHandler pattern: matches the presses that decode to a `kind` button."""
    return lambda data: isinstance(decode(data), kind)


def unknown(data: object) -> bool:
    """A CallbackQueryHandler pattern for presses no button of ours makes. Registered first: a press
    with empty data matches the first handler that has a pattern (python-telegram-bot)."""
    return decode(data) is None


def pressed(update: Update) -> Button | None:
    """The button of a callback query (its handler's pattern already checked the kind)."""
    return decode(update.callback_query.data)


def in_chat(update: Update) -> Message | None:
    """The message a button was under, if the bot can answer there (not a message sent inline, not
    one too old for Telegram to show)."""
    message = update.callback_query.message
    return message if isinstance(message, Message) else None


def button(label: str, value: Button) -> InlineKeyboardButton:
    data = encode(value)
    assert len(data.encode()) <= CALLBACK_LIMIT, data
    return InlineKeyboardButton(label, callback_data=data)


# --- rows shared by answers and alerts ---------------------------------------------------------

def _rows(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + ROW] for i in range(0, len(buttons), ROW)]


def copy_rows(hits: Sequence[Hit]) -> list[list[InlineKeyboardButton]]:
    """📋 per result: a ready-to-paste quote (bot.render.snippets.quote) on the clipboard, no round trip to the bot."""
    return _rows([InlineKeyboardButton(f"📋 {h.rank}", copy_text=CopyTextButton(snippets.quote(h))) for h in hits])


def full_rows(state: BotState, hits: Sequence[Hit]) -> list[list[InlineKeyboardButton]]:
    """📄 per result: the whole article."""
    return _rows([button(f"📄 {h.rank}", Full(state.remember(h.citation.article_id))) for h in hits])


def results_keyboard(state: BotState, hits: Sequence[Hit], more: More | AlertMore | None,
                     last: Sequence[InlineKeyboardButton] = (),
                     story: Sequence[InlineKeyboardButton] = ()) -> InlineKeyboardMarkup | None:
    """Under an answer or an alert: 📋 and 📄 per result shown, then the `story` buttons (🆕 Newer,
    🧵 Story) and More when there is more, on one row (a row is a line of a phone's first screen),
    then `last` (an alert's 🔕 Stop). Votes are reactions (bot.handlers.feedback)."""
    if len(hits) <= ONE_ROW:
        rows = [[*copy_row, *full_row] for copy_row, full_row in zip(copy_rows(hits), full_rows(state, hits))]
    else:
        rows = [*copy_rows(hits), *full_rows(state, hits)]
    if story or more is not None:
        rows.append([*story, *([more_button(more)] if more is not None else [])])
    if last:
        rows.append(list(last))
    assert sum(map(len, rows)) <= KEYBOARD_LIMIT and all(len(r) <= ROW_LIMIT for r in rows)
    return InlineKeyboardMarkup(rows) if rows else None


def story_buttons(state: BotState, answer: Answer) -> list[InlineKeyboardButton]:
    """Under a first page: 🆕 Newer when its story has a report newer than the first result, 🧵 Story
    when the story has two reports or more. They carry the question's key, as More does: the story is
    built when tapped (bot.handlers.story)."""
    if answer.offset or answer.story is None:
        return []
    key = state.remember(answer.query.question)
    out = [button(menus.newer_label(), Newer(key))] if answer.newer is not None else []
    if len(answer.story.reports) >= 2:
        out.append(button(menus.story_label(), StoryView(key)))
    return out


def report_keyboard(state: BotState, report: Report) -> InlineKeyboardMarkup:
    """Under one report shown alone (🆕 Newer's): 📄 its whole article."""
    return InlineKeyboardMarkup([[button(menus.article_label(), Full(state.remember(report.citation.article_id)))]])


def more_button(value: More | AlertMore) -> InlineKeyboardButton:
    return button(menus.more_label(), value)


def follow_buttons(follow_id: int, daily: bool, in_list: bool = False, numbered: bool = False) -> list[InlineKeyboardButton]:
    """🔕 Stop and the switch to the other delivery (🗓 daily digest or ⚡ as indexed) of one follow."""
    mark = f" #{follow_id}" if numbered else ""
    return [button(menus.stop_label(mark), Stop(follow_id, in_list)),
            button(menus.switch_label(daily, numbered, mark), Daily(follow_id, not daily, in_list))]


def language_buttons() -> InlineKeyboardMarkup:
    """/language's choices, each named in its own language."""
    return InlineKeyboardMarkup([[button(name, Language(code)) for code, name in menus.LANGUAGE_NAMES.items()]])
