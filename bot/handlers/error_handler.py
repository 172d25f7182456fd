"""bot.handlers.error_handler: the one error handler. Every failure logged (with its traceback when it
is a bug), and the user told in one sentence (bot.render.failures.error_sentence: a domain error's own
words, else "something went wrong"), so no update goes unanswered and a pressed button always stops spinning."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import NewsdeskContext
from bot.render import failures, markup
from bot.sending import replying_to
from index.errors import NewsdeskError

log = logging.getLogger(__name__)


async def on_error(update: object, context: NewsdeskContext) -> None:
    """Log any failure; tell the user in one sentence, wherever they asked."""
    error = context.error
    if isinstance(error, NewsdeskError):
        log.warning("update %s: %s: %s", getattr(update, "update_id", "?"), type(error).__name__, error)
    else:
        log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=error)
    if not isinstance(update, Update):
        return
    sentence = failures.error_sentence(error)
    try:
        if update.callback_query:
            await update.callback_query.answer(markup.shorten(sentence, 200), show_alert=True)
        elif update.inline_query:  # an empty list says "nothing" where a sentence cannot be shown
            await update.inline_query.answer([], cache_time=0, is_personal=True)
        elif update.message:
            await update.message.reply_text(sentence, reply_parameters=replying_to(update.message))
    except Exception as failure:  # the network may be why we are here; the log has the story already
        log.warning("could not tell the user about the error: %s", failure)
