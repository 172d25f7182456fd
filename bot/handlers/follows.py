"""Follows and digests: /follow, /following, /unfollow, /timezone, /digest, their buttons, and More
under an alert (bot/alert_delivery.py sends the alerts themselves)."""

from __future__ import annotations

import asyncio
import logging

from telegram import InlineKeyboardMarkup, Update
from telegram.error import BadRequest

from bot import buttons, i18n
from bot.alert_delivery import alert_page
from bot.buttons import follow_buttons
from bot.context import NewsdeskContext, Services
from bot.feedback_store import Shown
from bot.follow_store import Prefs, zone
from bot.render import follow_texts
from bot.render.sentences import BUTTON_EXPIRED, EXPIRED, FOLLOW_STOPPED, FOLLOW_USAGE, t
from bot.sending import drop_pressed_row, preview_for

log = logging.getLogger(__name__)

DAILY_FLAGS = {"--daily", "—daily", "-daily", "daily:"}  # phones turn "--" into a dash


def following_reply(s: Services, chat_id: int, user_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """/following: the chat's follows with a stop and a daily/instant button each."""
    follows = s.follows.in_chat(chat_id)
    rows = [follow_buttons(f.id, f.daily, in_list=True, numbered=True) for f in follows]
    return follow_texts.following_message(follows, s.follows.prefs(user_id)), InlineKeyboardMarkup(rows) if rows else None


async def follow(update: Update, context: NewsdeskContext) -> None:
    """/follow [--daily] QUESTION: alerts when new reports on it are indexed."""
    s = context.services
    args = list(context.args or [])
    daily = bool(args) and args[0].lower() in DAILY_FLAGS
    question = " ".join(args[1:] if daily else args).strip()
    if not question:
        await update.message.reply_text(t(FOLLOW_USAGE))
        return
    # nothing indexed yet (generation 0): everything the first run brings is new
    parsed, generation = await asyncio.to_thread(s.searcher.read_question, question)
    user, chat = update.effective_user, update.effective_chat
    added = s.follows.add(chat.id, user.id, question, daily, generation, s.clock(), i18n.current())
    prefs = s.follows.prefs(user.id)
    await update.message.reply_text(
        follow_texts.follow_started((parsed.topic if parsed else "") or question, added.id, daily, prefs.digest_hour, prefs.timezone),
        reply_markup=InlineKeyboardMarkup([follow_buttons(added.id, daily)]))


async def following(update: Update, context: NewsdeskContext) -> None:
    """/following: what this chat follows, with buttons to stop each."""
    html, markup = following_reply(context.services, update.effective_chat.id, update.effective_user.id)
    await update.message.reply_text(html, reply_markup=markup)


async def unfollow(update: Update, context: NewsdeskContext) -> None:
    """/unfollow ID: stop a follow."""
    s = context.services
    raw = (context.args or [""])[0].lstrip("#")
    if not raw.isdigit():
        html, markup = following_reply(s, update.effective_chat.id, update.effective_user.id)
        await update.message.reply_text(follow_texts.unfollow_which(html), reply_markup=markup)
        return
    stopped = s.follows.remove(int(raw), update.effective_chat.id)
    if stopped is None:
        await update.message.reply_text(follow_texts.unfollow_unknown(raw))
        return
    await update.message.reply_text(follow_texts.unfollowed(stopped.question, stopped.id))


async def set_timezone(update: Update, context: NewsdeskContext) -> None:
    """/timezone ZONE: the time zone of your daily digests."""
    s = context.services
    prefs = s.follows.prefs(update.effective_user.id)
    if not context.args:
        await update.message.reply_text(follow_texts.digest_time(prefs.digest_hour, prefs.timezone))
        return
    await _save_prefs(update, s, Prefs(zone(context.args[0]).key, prefs.digest_hour))


async def set_digest_hour(update: Update, context: NewsdeskContext) -> None:
    """/digest HOUR: the hour of your daily digests (0-23, in your /timezone)."""
    s = context.services
    prefs = s.follows.prefs(update.effective_user.id)
    raw = (context.args or [""])[0].removesuffix(":00")
    if not raw.isdigit():
        await update.message.reply_text(follow_texts.digest_time(prefs.digest_hour, prefs.timezone, ask_hour=True))
        return
    await _save_prefs(update, s, Prefs(prefs.timezone, int(raw)))


async def _save_prefs(update: Update, s: Services, prefs: Prefs) -> None:
    """Store a user's digest time (FollowError, a sentence for the user, if it cannot be) and say it."""
    s.follows.set_prefs(update.effective_user.id, prefs, s.clock())
    await update.message.reply_text(follow_texts.digest_time_set(prefs.digest_hour, prefs.timezone))


async def stop_button(update: Update, context: NewsdeskContext) -> None:
    """The 🔕 button under an alert, a follow confirmation or the /following list."""
    s, query, button = context.services, update.callback_query, buttons.pressed(update)
    chat_id = query.message.chat.id if query.message else update.effective_user.id
    stopped = s.follows.remove(button.follow, chat_id)
    await query.answer(follow_texts.follow_stopped_note(stopped.question if stopped else None))
    if stopped and button.in_list:
        await _refresh_list(update, s, chat_id)


async def daily_button(update: Update, context: NewsdeskContext) -> None:
    """The 🗓 / ⚡ button: one digest a day, or alerts as soon as reports are indexed."""
    s, query, button = context.services, update.callback_query, buttons.pressed(update)
    chat_id = query.message.chat.id if query.message else update.effective_user.id
    changed = s.follows.set_daily(button.follow, chat_id, button.daily, s.clock())
    if changed is None:
        await query.answer(t(FOLLOW_STOPPED))
        return
    prefs = s.follows.prefs(changed.user_id)
    await query.answer(follow_texts.follow_switched(changed.question, changed.daily, prefs.digest_hour, prefs.timezone))
    if button.in_list:
        await _refresh_list(update, s, chat_id)


async def _refresh_list(update: Update, s: Services, chat_id: int) -> None:
    html, markup = following_reply(s, chat_id, update.effective_user.id)
    try:
        await update.callback_query.edit_message_text(html, reply_markup=markup)
    except BadRequest as error:
        log.info("could not refresh the /following list: %s", error)


async def alert_more(update: Update, context: NewsdeskContext) -> None:
    """"More" under an alert: its next reports, in a new message (they are kept, not searched again)."""
    s, query, button, message = context.services, update.callback_query, buttons.pressed(update), buttons.in_chat(update)
    if message is None:
        await query.answer(t(BUTTON_EXPIRED))
        return
    page = s.follows.page(button.page)
    if page is None or button.offset >= len(page.hits):
        await query.answer(t(EXPIRED), show_alert=True)
        return
    await query.answer()
    await drop_pressed_row(update)
    html, markup, hits = alert_page(s, page, button.offset)
    sent = await message.reply_text(html, reply_markup=markup, link_preview_options=preview_for(s, hits))
    s.feedback.sent(sent.chat_id, sent.message_id,
                    Shown("alert", page.question, tuple(h.citation.article_id for h in hits)))
