"""bot.admission: whether a message is meant for the bot (in groups only mentions and replies count),
and whether a request that costs a search is admitted by the per-user rate limit."""

from __future__ import annotations

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType

from bot.context import NewsdeskContext
from bot.limits import Verdict
from bot.render.sentences import SLOW_DOWN, t


async def admitted(update: Update, context: NewsdeskContext) -> bool:
    """Apply the per-user rate limit to a request that costs a search: "slow down" once, then silence."""
    verdict = context.services.limits.check(update.effective_user.id)
    if verdict is Verdict.OK:
        return True
    warn = verdict is Verdict.WARN
    if update.callback_query:  # always answered, or the button keeps spinning
        await update.callback_query.answer(t(SLOW_DOWN) if warn else None, show_alert=warn)
    elif warn and update.effective_message:
        await update.effective_message.reply_text(t(SLOW_DOWN))
    return False


def addressed_text(message: Message, context: NewsdeskContext) -> str | None:
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


def replies_to_bot(message: Message, context: NewsdeskContext) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == context.bot.id)
