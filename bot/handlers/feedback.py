"""👍 / 👎 on answers and alerts: a reaction on the message, a reply of 👍 or 👎 to it (where reactions do
not reach the bot), or the vote buttons of messages sent before reactions were used."""

from __future__ import annotations

import logging

from telegram import ReactionTypeEmoji, Update
from telegram.ext import ContextTypes

from bot import buttons
from bot import format as fmt
from bot.feedback import DOWN, REPLIES, UP, Shown, reaction_vote
from bot.services import replying_to, services

log = logging.getLogger(__name__)


async def reaction(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A reaction changed on a message: a 👍 or 👎 on an answer or an alert is stored as a vote, taking
    it back withdraws the vote. Silent: the reaction itself is the acknowledgement."""
    s, changed = services(context), update.message_reaction
    if changed.user is None:  # an anonymous admin or a channel: nobody to count once
        return
    vote = reaction_vote(_emoji(changed.old_reaction), _emoji(changed.new_reaction))
    shown = s.feedback.shown_in(changed.chat.id, changed.message_id)
    if vote is None or shown is None:
        return
    key, what = shown
    if vote == 0:
        s.feedback.withdraw(changed.user.id, key)
    else:
        s.feedback.record(changed.user.id, key, what, vote)
    log.info("reaction vote %+d on message %s in chat %s", vote, changed.message_id, changed.chat.id)


def _emoji(reactions) -> list[str]:
    return [r.emoji for r in reactions or () if isinstance(r, ReactionTypeEmoji)]


async def vote_by_reply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A message of just 👍 or 👎 replying to an answer or an alert: a vote, for chats whose reactions
    the bot cannot see."""
    s, message = services(context), update.message
    replied = message.reply_to_message
    shown = s.feedback.shown_in(replied.chat.id, replied.message_id)
    if shown is None:
        await message.reply_text(fmt.t(fmt.NOT_VOTABLE), reply_parameters=replying_to(message))
        return
    vote = REPLIES[(message.text or "").strip()]
    s.feedback.record(update.effective_user.id, shown[0], shown[1], vote)
    await message.reply_text(fmt.voted(vote == UP), reply_parameters=replying_to(message))


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍 / 👎 buttons under messages sent before votes were reactions: store the vote, and say so."""
    s, query, button = services(context), update.callback_query, buttons.pressed(update)
    value = s.state.recall(button.key)
    shown = Shown.from_ref(value) if value else None
    if shown is None:
        await query.answer(fmt.t(fmt.EXPIRED), show_alert=True)
        return
    s.feedback.record(update.effective_user.id, button.key, shown, UP if button.up else DOWN)
    await query.answer(fmt.voted(button.up))
