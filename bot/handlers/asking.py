"""Questions (a message, /ask) and the More button: "typing…", the search, the answer as a reply."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot import buttons
from bot import format as fmt
from bot.buttons import More
from bot.feedback import REPLIES, Shown
from bot.handlers.access import addressed_text, admitted, replies_to_bot
from bot.handlers.feedback import vote_by_reply
from bot.services import send_results, services, typing

log = logging.getLogger(__name__)


async def reply_answer(message: Message, context: ContextTypes.DEFAULT_TYPE, question: str, offset: int = 0) -> None:
    """Search and send one page of the answer, as a reply to `message`, "typing…" until it is sent."""
    s = services(context)
    async with typing(message):
        answer = await asyncio.to_thread(s.searcher.ask, question, limit=s.settings.results_per_page, offset=offset)
        html, hits = fmt.answer_message(answer)
        more = More(s.state.remember(answer.query.question), answer.offset + len(hits)) \
            if hits and (answer.has_more or len(hits) < len(answer.hits)) else None
        markup = buttons.results_keyboard(s.state, hits, more)
        shown = Shown("answer", answer.query.question, tuple(h.citation.article_id for h in hits))
        await send_results(s, message, html, markup, hits, shown)


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message with cited passages (or count a 👍 / 👎 replied to an answer)."""
    text = addressed_text(update.message, context)
    if text is None:
        return
    if text.strip() in REPLIES and replies_to_bot(update.message, context):
        await vote_by_reply(update, context)
        return
    if not text.strip():
        await update.message.reply_text(fmt.help_message(context.bot.username))
        return
    if await admitted(update, context):
        await reply_answer(update.message, context, text)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION: the way to ask in a group without a mention."""
    text = " ".join(context.args or [])
    if not text:
        await update.message.reply_text(fmt.t(fmt.ASK_USAGE))
        return
    if await admitted(update, context):
        await reply_answer(update.message, context, text)


async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "More" button: the next results of the same question, in a new message."""
    query, button, message = update.callback_query, buttons.pressed(update), buttons.in_chat(update)
    question_text = services(context).state.recall(button.key)
    if message is None:
        await query.answer(fmt.t(fmt.BUTTON_EXPIRED))
        return
    if question_text is None:
        await query.answer(fmt.t(fmt.EXPIRED), show_alert=True)
        return
    if not await admitted(update, context):
        return
    await query.answer()
    await drop_pressed_row(update)
    await reply_answer(message, context, question_text, button.offset)


async def drop_pressed_row(update: Update) -> None:
    """A More button has done its job once; a second tap would repeat the page."""
    query = update.callback_query
    markup = query.message.reply_markup if query.message else None
    if markup:
        rows = [row for row in markup.inline_keyboard if not any(b.callback_data == query.data for b in row)]
        try:
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
        except BadRequest as error:
            log.info("could not remove the More button: %s", error)
