"""🧵 Story and 🆕 Newer under an answer: the story of its first result, or that story's newer report."""

from __future__ import annotations

import asyncio

from telegram import Message, Update

from bot import buttons
from bot.admission import admitted
from bot.context import NewsdeskContext
from bot.render import stories
from bot.render.sentences import BUTTON_EXPIRED, EXPIRED, NO_NEWER, NO_STORY, t
from bot.sending import replying_to, typing
from retrieval.records import Answer


async def _asked_again(update: Update, context: NewsdeskContext) -> tuple[Answer, Message] | None:
    """The pressed answer's question asked again, or None when the press was answered already.

    The story is built when tapped, not when the answer is sent: callback data holds 64 bytes, so
    a story sent with every answer would have to be stored in bot.sqlite3 for every question while
    few are ever opened; asking again costs one search (tens of milliseconds, docs/phone.md), gives
    the same first result on the same generation, and on a newer one the story as the archive has
    it now (its newer reports included)."""
    query, button, message = update.callback_query, buttons.pressed(update), buttons.in_chat(update)
    if message is None:
        await query.answer(t(BUTTON_EXPIRED))
        return None
    question = context.services.state.recall(button.key)
    if question is None:
        await query.answer(t(EXPIRED), show_alert=True)
        return None
    if not await admitted(update, context):
        return None
    s = context.services
    async with typing(message):
        answer = await asyncio.to_thread(s.searcher.ask, question, limit=s.settings.results_per_page)
    return answer, message


async def story(update: Update, context: NewsdeskContext) -> None:
    """🧵 Story: the first result's story, first report to latest, and where its reports differ."""
    asked = await _asked_again(update, context)
    if asked is None:
        return
    answer, message = asked
    if answer.story is None or len(answer.story.reports) < 2:  # the archive changed since the answer
        await update.callback_query.answer(t(NO_STORY), show_alert=True)
        return
    await update.callback_query.answer()
    html = stories.story_message(answer.story, answer.query.language)
    await message.reply_text(html, reply_parameters=replying_to(message))


async def newer(update: Update, context: NewsdeskContext) -> None:
    """🆕 Newer: the newest report of the first result's story, with its 📄."""
    asked = await _asked_again(update, context)
    if asked is None:
        return
    answer, message = asked
    if answer.newer is None:
        await update.callback_query.answer(t(NO_NEWER), show_alert=True)
        return
    await update.callback_query.answer()
    html = stories.newer_message(answer.newer, answer.query.language)
    markup = buttons.report_keyboard(context.services.state, answer.newer)
    await message.reply_text(html, reply_markup=markup, reply_parameters=replying_to(message))
