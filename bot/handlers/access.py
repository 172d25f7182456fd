"""Who may use the bot: a gate before every handler, and the answer to a press no other handler takes."""

from __future__ import annotations

import logging

from telegram import InlineQueryResultsButton, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.admission import addressed_text
from bot.context import NewsdeskContext
from bot.render.sentences import BUTTON_EXPIRED, NOT_AVAILABLE, PRIVATE, REFUSAL, t

log = logging.getLogger(__name__)


async def gate(update: Update, context: NewsdeskContext) -> None:
    """Stop every update from someone not on the lists before any handler sees it."""
    s = context.services
    user = update.effective_user
    chat = update.effective_chat
    if s.settings.allows(user.id if user else None, chat.id if chat else None):
        return
    if update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True,
                                         button=InlineQueryResultsButton(t(NOT_AVAILABLE), start_parameter="access"))
    elif update.callback_query:
        await update.callback_query.answer(t(PRIVATE), show_alert=True)
    elif update.message and user and chat and addressed_text(update.message, context) is not None:
        subject = f"user:{user.id}" if chat.type == ChatType.PRIVATE else f"chat:{chat.id}"
        if s.state.should_refuse(subject):
            await update.message.reply_text(t(REFUSAL).format(user_id=user.id))
    raise ApplicationHandlerStop


async def expired_button(update: Update, context: NewsdeskContext) -> None:
    """Any press no other handler takes: malformed, forged or of an older bot. Always answered."""
    log.info("update %s: button data %r is not one of ours", update.update_id, update.callback_query.data)
    await update.callback_query.answer(t(BUTTON_EXPIRED))
