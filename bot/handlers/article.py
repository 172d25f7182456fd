"""The 📄 button: the whole cited article, as a few messages, or its opening and a .txt document."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot import buttons
from bot import format as fmt
from bot.handlers.access import admitted
from bot.services import services


async def full_article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 📄 button: the whole cited article, as a few messages or its opening and a document."""
    query, button, message = update.callback_query, buttons.pressed(update), buttons.in_chat(update)
    if message is None:
        await query.answer(fmt.t(fmt.BUTTON_EXPIRED))
        return
    article_id = services(context).state.recall(button.key)
    if article_id is None:
        await query.answer(fmt.t(fmt.EXPIRED), show_alert=True)
        return
    if not await admitted(update, context):
        return
    article = await asyncio.to_thread(services(context).searcher.article, article_id)
    if article is None:
        await query.answer(fmt.t(fmt.GONE), show_alert=True)
        return
    await query.answer()
    reply = await asyncio.to_thread(fmt.article_reply, article.citation.title, article.body, article.citation)
    for part in reply.messages:
        await message.reply_text(part)
    if reply.document is not None:
        await message.reply_document(reply.document, filename=reply.filename, caption=reply.caption)
