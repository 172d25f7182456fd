"""Inline mode: `@bot question` in any chat offers cited snippets to share."""

from __future__ import annotations

import asyncio

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.constants import ParseMode
from telegram.ext import ContextTypes

from bot import format as fmt
from bot.limits import Verdict
from bot.services import services

INLINE_PAGE = 10
INLINE_MAX = 50  # Telegram shows at most 50 inline results


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline mode: `@bot question` offers cited snippets to share in any chat."""
    query = update.inline_query
    text = query.query.strip()
    offset = int(query.offset) if query.offset.isdigit() else 0
    if not text or offset >= INLINE_MAX or services(context).limits.check(update.effective_user.id) is not Verdict.OK:
        await query.answer([], cache_time=0, is_personal=True)
        return
    answer = await asyncio.to_thread(services(context).searcher.ask, text, limit=INLINE_PAGE, offset=offset)
    results = [
        InlineQueryResultArticle(
            id=str(hit.passage_id), title=fmt.shorten(hit.citation.title, 100), description=fmt.inline_description(hit),
            input_message_content=InputTextMessageContent(fmt.inline_snippet(hit), parse_mode=ParseMode.HTML),
            url=fmt.link_url(hit.citation.url),
        )
        for hit in answer.hits
    ]
    if not results and not offset:  # nothing passes the relevance floor: say so rather than offer padding
        await query.answer([], cache_time=30, is_personal=True,
                           button=InlineQueryResultsButton(fmt.t(fmt.NOTHING_ANSWERS), start_parameter="help"))
        return
    next_offset = str(offset + len(results)) if answer.has_more and offset + len(results) < INLINE_MAX else ""
    await query.answer(results, cache_time=30, is_personal=True, next_offset=next_offset)
