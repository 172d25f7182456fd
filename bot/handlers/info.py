"""/help, /sources, /status, and what the bot does not read (stickers, unknown commands)."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import ContextTypes

from bot import format as fmt
from bot.services import services


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start and /help: what the bot does and how to ask."""
    await update.message.reply_text(fmt.help_message(context.bot.username))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: the outlets in the archive and the dates it covers."""
    info = await asyncio.to_thread(services(context).searcher.status)
    await update.message.reply_text(fmt.sources_message(info))


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status: how big the archive is and when it was last reindexed."""
    info = await asyncio.to_thread(services(context).searcher.status)
    await update.message.reply_text(fmt.status_message(info))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos and the like in a private chat: say what the bot reads."""
    await update.message.reply_text(fmt.t(fmt.TEXT_ONLY))


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have."""
    await update.message.reply_text(fmt.unknown_command((update.message.text or "").split()[0]))
