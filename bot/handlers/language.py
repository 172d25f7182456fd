"""The language the bot speaks to each user: chosen before any handler runs, and /language to change it."""

from __future__ import annotations

from telegram import Update

from bot import buttons, i18n
from bot.context import NewsdeskContext
from bot.render import menus


async def choose(update: object, context: NewsdeskContext) -> None:
    """Speak the user's language for this update: their /language choice, else Telegram's language_code."""
    user = update.effective_user if isinstance(update, Update) else None
    if user is None:
        i18n.use(i18n.DEFAULT)
        return
    i18n.use(context.services.follows.language(user.id) or user.language_code)


async def language(update: Update, context: NewsdeskContext) -> None:
    """/language [en|uk|ru]: set the language I answer in; without one, buttons to choose."""
    if not context.args:
        await update.message.reply_text(menus.language_menu(i18n.current()), reply_markup=buttons.language_buttons())
        return
    raw = context.args[0]
    chosen = raw.strip().lower()
    if chosen not in i18n.LANGUAGES:
        await update.message.reply_text(menus.language_unknown(raw))
        return
    context.services.follows.set_language(update.effective_user.id, chosen)
    i18n.use(chosen)
    await update.message.reply_text(menus.language_set(chosen))


async def language_button(update: Update, context: NewsdeskContext) -> None:
    """A button under /language: the same choice as /language LANG."""
    chosen = buttons.pressed(update).code
    context.services.follows.set_language(update.effective_user.id, chosen)
    i18n.use(chosen)
    await update.callback_query.answer(menus.language_set(chosen))
    message = buttons.in_chat(update)
    if message is not None:
        await message.reply_text(menus.language_set(chosen))
