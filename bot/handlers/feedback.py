"""👍 / 👎 on answers and alerts: a reaction on the message, or the vote buttons of messages sent before
reactions were used (a reply of 👍 or 👎 is read by the question handler: bot.reply_votes)."""

from __future__ import annotations

import logging

from telegram import ReactionTypeEmoji, Update

from bot import buttons
from bot.context import NewsdeskContext
from bot.feedback_store import DOWN, UP, Shown, reaction_vote
from bot.render.sentences import EXPIRED, t, voted

log = logging.getLogger(__name__)


async def reaction(update: Update, context: NewsdeskContext) -> None:
    """A reaction changed on a message: a 👍 or 👎 on an answer or an alert is stored as a vote, taking
    it back withdraws the vote. Silent: the reaction itself is the acknowledgement."""
    s, changed = context.services, update.message_reaction
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


async def vote(update: Update, context: NewsdeskContext) -> None:
    """👍 / 👎 buttons under messages sent before votes were reactions: store the vote, and say so."""
    s, query, button = context.services, update.callback_query, buttons.pressed(update)
    value = s.state.recall(button.key)
    shown = Shown.from_ref(value) if value else None
    if shown is None:
        await query.answer(t(EXPIRED), show_alert=True)
        return
    s.feedback.record(update.effective_user.id, button.key, shown, UP if button.up else DOWN)
    await query.answer(voted(button.up))
