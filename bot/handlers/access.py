"""Who may use the bot: a gate before every handler, and the per-user rate limit of costly requests."""

from __future__ import annotations

import logging

from telegram import InlineQueryResultsButton, Message, MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import format as fmt
from bot.limits import Verdict
from bot.services import services

log = logging.getLogger(__name__)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop every update from someone not on the lists before any handler sees it."""
    s = services(context)
    user = update.effective_user
    chat = update.effective_chat
    if s.settings.allows(user.id if user else None, chat.id if chat else None):
        return
    if update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True,
                                         button=InlineQueryResultsButton(fmt.t(fmt.NOT_AVAILABLE), start_parameter="access"))
    elif update.callback_query:
        await update.callback_query.answer(fmt.t(fmt.PRIVATE), show_alert=True)
    elif update.message and user and chat and addressed_text(update.message, context) is not None:
        subject = f"user:{user.id}" if chat.type == ChatType.PRIVATE else f"chat:{chat.id}"
        if s.state.should_refuse(subject):
            await update.message.reply_text(fmt.t(fmt.REFUSAL).format(user_id=user.id))
    raise ApplicationHandlerStop


async def admitted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Apply the per-user rate limit to a request that costs a search: "slow down" once, then silence."""
    verdict = services(context).limits.check(update.effective_user.id)
    if verdict is Verdict.OK:
        return True
    warn = verdict is Verdict.WARN
    if update.callback_query:  # always answered, or the button keeps spinning
        await update.callback_query.answer(fmt.t(fmt.SLOW_DOWN) if warn else None, show_alert=warn)
    elif warn and update.effective_message:
        await update.effective_message.reply_text(fmt.t(fmt.SLOW_DOWN))
    return False


def addressed_text(message: Message, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The question in a message meant for the bot, or None: in groups only mentions and replies count."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{context.bot.username}".lower()
    mentions = [e for e in message.entities if e.type == MessageEntity.MENTION
                and message.parse_entity(e).lower() == mention]
    if not mentions and not replies_to_bot(message, context):
        return None
    return " ".join(w for w in text.split() if w.lower() != mention)


def replies_to_bot(message: Message, context: ContextTypes.DEFAULT_TYPE) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)


async def expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any press no other handler takes: malformed, forged or of an older bot. Always answered."""
    log.info("update %s: button data %r is not one of ours", update.update_id, update.callback_query.data)
    await update.callback_query.answer(fmt.t(fmt.BUTTON_EXPIRED))
