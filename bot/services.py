"""What the handlers share (kept in `application.bot_data`), and the sends they all do the same way."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ChatAction
from telegram.ext import ContextTypes

from bot import format as fmt
from bot.feedback import FeedbackStore, Shown
from bot.follows import Follows
from bot.limits import UserRateLimit
from bot.settings import BotSettings
from bot.state import BotState
from retrieval.alerts import AlertSettings
from retrieval.records import Hit
from retrieval.search import Searcher

log = logging.getLogger(__name__)

TYPING_EVERY = 4.0  # seconds: Telegram shows "typing…" for 5 s, or until the bot's next message


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Services:
    """What the handlers share, kept in `application.bot_data`."""

    settings: BotSettings
    searcher: Searcher
    state: BotState
    limits: UserRateLimit
    follows: Follows
    feedback: FeedbackStore
    alert_settings: AlertSettings | None = None  # None: the bars of the index's model (retrieval.alerts)
    clock: Callable[[], datetime] = utcnow  # "now" for digest times; a test may pass another clock
    delivering: asyncio.Lock = field(default_factory=asyncio.Lock)  # one alert round at a time


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]


@contextlib.asynccontextmanager
async def typing(message: Message) -> AsyncIterator[None]:
    """"typing…" in the chat of `message` from now until the block ends (the answer sent): sent at
    once, before the work starts, then again every TYPING_EVERY seconds while a slow search goes on."""
    async def action() -> None:
        try:
            await message.reply_chat_action(ChatAction.TYPING)
        except Exception as error:  # a missing "typing…" is no reason to lose the answer
            log.info("could not send the typing action: %s", error)

    async def keep() -> None:
        while True:
            await asyncio.sleep(TYPING_EVERY)
            await action()

    # awaited, not only started: with updates handled concurrently, a task's first request could
    # otherwise reach Telegram after the answer (seen once in a full run of the hostile-input tests)
    await action()
    task = asyncio.create_task(keep())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


def replying_to(message: Message) -> ReplyParameters:
    """An answer is a reply to its question (kept attached in a busy group); still sent if the
    question was deleted meanwhile."""
    return ReplyParameters(message.message_id, allow_sending_without_reply=True)


def preview_for(s: Services, hits: list[Hit]) -> LinkPreviewOptions:
    return LinkPreviewOptions(**fmt.preview(hits, s.settings.link_preview))


async def send_results(s: Services, message: Message, html: str, markup: InlineKeyboardMarkup | None,
                       hits: list[Hit], shown: Shown | None) -> Message:
    """Send an answer page as a reply to `message`, and remember what it showed for reactions."""
    sent = await message.reply_text(html, reply_markup=markup, reply_parameters=replying_to(message),
                                    link_preview_options=preview_for(s, hits))
    if shown is not None and shown.results:
        s.feedback.sent(sent.chat_id, sent.message_id, shown)
    return sent
