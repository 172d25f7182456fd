"""bot.reply_votes: a message of just 👍 or 👎 replying to an answer or an alert, counted as a vote: the way
to vote in chats whose reactions the bot cannot see (a group where it is not an admin). Reached from
the question handler, since such a reply is a text message addressed to the bot."""

from __future__ import annotations

from telegram import Update

from bot.context import NewsdeskContext
from bot.feedback_store import REPLIES, UP
from bot.render.sentences import NOT_VOTABLE, t, voted
from bot.sending import replying_to


async def vote_by_reply(update: Update, context: NewsdeskContext) -> None:
    """A message of just 👍 or 👎 replying to an answer or an alert: a vote, for chats whose reactions
    the bot cannot see."""
    s, message = context.services, update.message
    replied = message.reply_to_message
    shown = s.feedback.shown_in(replied.chat.id, replied.message_id)
    if shown is None:
        await message.reply_text(t(NOT_VOTABLE), reply_parameters=replying_to(message))
        return
    vote = REPLIES[(message.text or "").strip()]
    s.feedback.record(update.effective_user.id, shown[0], shown[1], vote)
    await message.reply_text(voted(vote == UP), reply_parameters=replying_to(message))
