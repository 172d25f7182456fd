"""Questions (a message, /ask) and the More button: "typing…", the search, the answer as a reply."""

from __future__ import annotations

import asyncio

from telegram import Message, Update

from bot import buttons
from bot.admission import addressed_text, admitted, replies_to_bot
from bot.buttons import More
from bot.context import NewsdeskContext
from bot.feedback_store import REPLIES, Shown
from bot.render import answers
from bot.render.sentences import ASK_USAGE, BUTTON_EXPIRED, EXPIRED, help_message, t
from bot.reply_votes import vote_by_reply
from bot.sending import drop_pressed_row, send_results, typing


async def reply_answer(message: Message, context: NewsdeskContext, question: str, offset: int = 0) -> None:
    """Search and send one page of the answer, as a reply to `message`, "typing…" until it is sent."""
    s = context.services
    async with typing(message):
        answer = await asyncio.to_thread(s.searcher.ask, question, limit=s.settings.results_per_page, offset=offset)
        html, hits = answers.answer_message(answer)
        more = More(s.state.remember(answer.query.question), answer.offset + len(hits)) \
            if hits and (answer.has_more or len(hits) < len(answer.hits)) else None
        markup = buttons.results_keyboard(s.state, hits, more, story=buttons.story_buttons(s.state, answer))
        shown = Shown("answer", answer.query.question, tuple(h.citation.article_id for h in hits))
        await send_results(s, message, html, markup, hits, shown)


async def question(update: Update, context: NewsdeskContext) -> None:
    """Answer a text message with cited passages (or count a 👍 / 👎 replied to an answer)."""
    text = addressed_text(update.message, context)
    if text is None:
        return
    if text.strip() in REPLIES and replies_to_bot(update.message, context):
        await vote_by_reply(update, context)
        return
    if not text.strip():
        await update.message.reply_text(help_message(context.bot.username))
        return
    if await admitted(update, context):
        await reply_answer(update.message, context, text)


async def ask(update: Update, context: NewsdeskContext) -> None:
    """/ask QUESTION: the way to ask in a group without a mention."""
    text = " ".join(context.args or [])
    if not text:
        await update.message.reply_text(t(ASK_USAGE))
        return
    if await admitted(update, context):
        await reply_answer(update.message, context, text)


async def more(update: Update, context: NewsdeskContext) -> None:
    """The "More" button: the next results of the same question, in a new message."""
    query, button, message = update.callback_query, buttons.pressed(update), buttons.in_chat(update)
    question_text = context.services.state.recall(button.key)
    if message is None:
        await query.answer(t(BUTTON_EXPIRED))
        return
    if question_text is None:
        await query.answer(t(EXPIRED), show_alert=True)
        return
    if not await admitted(update, context):
        return
    await query.answer()
    await drop_pressed_row(update)
    await reply_answer(message, context, question_text, button.offset)
