"""The 📄 button: the whole cited article, as a few messages, or its opening and a .txt document."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot import buttons
from bot.admission import admitted
from bot.context import NewsdeskContext
from bot.render import articles
from bot.render.sentences import BUTTON_EXPIRED, EXPIRED, GONE, t


async def full_article(update: Update, context: NewsdeskContext) -> None:
    """The 📄 button: the whole cited article, as a few messages or its opening and a document."""
    query, button, message = update.callback_query, buttons.pressed(update), buttons.in_chat(update)
    if message is None:
        await query.answer(t(BUTTON_EXPIRED))
        return
    article_id = context.services.state.recall(button.key)
    if article_id is None:
        await query.answer(t(EXPIRED), show_alert=True)
        return
    if not await admitted(update, context):
        return
    article = await asyncio.to_thread(context.services.searcher.article, article_id)
    if article is None:
        await query.answer(t(GONE), show_alert=True)
        return
    await query.answer()
    reply = await asyncio.to_thread(articles.article_reply, article.citation.title, article.body, article.citation)
    for part in reply.messages:
        await message.reply_text(part)
    if reply.document is not None:
        await message.reply_document(reply.document, filename=reply.filename, caption=reply.caption)
