"""Inline mode: `@bot question` in any chat offers cited snippets to share."""

from __future__ import annotations

import asyncio

from telegram import InlineQueryResultArticle, InlineQueryResultsButton, InputTextMessageContent, Update
from telegram.constants import ParseMode

from bot.context import NewsdeskContext
from bot.limits import Verdict
from bot.render import markup, snippets
from bot.render.sentences import NOTHING_ANSWERS, t

INLINE_PAGE = 10
INLINE_MAX = 50  # Telegram shows at most 50 inline results


async def inline(update: Update, context: NewsdeskContext) -> None:
    """Inline mode: `@bot question` offers cited snippets to share in any chat."""
    query = update.inline_query
    text = query.query.strip()
    offset = int(query.offset) if query.offset.isdigit() else 0
    if not text or offset >= INLINE_MAX or context.services.limits.check(update.effective_user.id) is not Verdict.OK:
        await query.answer([], cache_time=0, is_personal=True)
        return
    answer = await asyncio.to_thread(context.services.searcher.ask, text, limit=INLINE_PAGE, offset=offset)
    results = [
        InlineQueryResultArticle(
            id=str(hit.passage_id), title=markup.shorten(hit.citation.title, 100), description=snippets.inline_description(hit),
            input_message_content=InputTextMessageContent(snippets.inline_snippet(hit), parse_mode=ParseMode.HTML),
            url=markup.link_url(hit.citation.url),
        )
        for hit in answer.hits
    ]
    if not results and not offset:  # nothing passes the relevance floor: say so rather than offer padding
        await query.answer([], cache_time=30, is_personal=True,
                           button=InlineQueryResultsButton(t(NOTHING_ANSWERS), start_parameter="help"))
        return
    next_offset = str(offset + len(results)) if answer.has_more and offset + len(results) < INLINE_MAX else ""
    await query.answer(results, cache_time=30, is_personal=True, next_offset=next_offset)
