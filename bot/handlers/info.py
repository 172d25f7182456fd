"""/help, /sources, /status, and what the bot does not read (stickers, unknown commands)."""

from __future__ import annotations

import asyncio

from telegram import Update

from bot.context import NewsdeskContext
from bot.render import archive, sentences
from bot.render.sentences import TEXT_ONLY, help_message, t


async def start(update: Update, context: NewsdeskContext) -> None:
    """/start and /help: what the bot does and how to ask."""
    await update.message.reply_text(help_message(context.bot.username))


async def sources(update: Update, context: NewsdeskContext) -> None:
    """/sources: the outlets in the archive and the dates it covers."""
    info = await asyncio.to_thread(context.services.searcher.status)
    await update.message.reply_text(archive.sources_message(info))


async def status(update: Update, context: NewsdeskContext) -> None:
    """/status: how big the archive is and when it was last reindexed."""
    info = await asyncio.to_thread(context.services.searcher.status)
    await update.message.reply_text(archive.status_message(info))


async def not_text(update: Update, context: NewsdeskContext) -> None:
    """Stickers, photos and the like in a private chat: say what the bot reads."""
    await update.message.reply_text(t(TEXT_ONLY))


async def unknown_command(update: Update, context: NewsdeskContext) -> None:
    """A command the bot does not have."""
    await update.message.reply_text(sentences.unknown_command((update.message.text or "").split()[0]))
