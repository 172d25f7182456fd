"""bot.sending: the sends every handler does the same way. "typing…" while an answer is prepared, an
answer as a reply to its question with its link preview, and a spent More button taken away."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from telegram import InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters, Update
from telegram.constants import ChatAction
from telegram.error import BadRequest

from bot.context import Services
from bot.feedback_store import Shown
from bot.render.snippets import preview
from retrieval.records import Hit

log = logging.getLogger(__name__)

TYPING_EVERY = 4.0  # seconds: Telegram shows "typing…" for 5 s, or until the bot's next message


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
    return LinkPreviewOptions(**preview(hits, s.settings.link_preview))


async def send_results(s: Services, message: Message, html: str, markup: InlineKeyboardMarkup | None,
                       hits: list[Hit], shown: Shown | None) -> Message:
    """Send an answer page as a reply to `message`, and remember what it showed for reactions."""
    sent = await message.reply_text(html, reply_markup=markup, reply_parameters=replying_to(message),
                                    link_preview_options=preview_for(s, hits))
    if shown is not None and shown.results:
        s.feedback.sent(sent.chat_id, sent.message_id, shown)
    return sent


async def drop_pressed_row(update: Update) -> None:
    """A More button has done its job once; a second tap would repeat the page. Only the pressed
    button goes: 🆕 and 🧵 share More's row."""
    query = update.callback_query
    markup = query.message.reply_markup if query.message else None
    if markup:
        rows = [kept for row in markup.inline_keyboard
                if (kept := [b for b in row if b.callback_data != query.data])]
        try:
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
        except BadRequest as error:
            log.info("could not remove the More button: %s", error)
