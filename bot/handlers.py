"""Thin handlers: each reads the update, asks `retrieval`, and sends what `bot.format` made of it."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from html import escape

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot import format as fmt
from bot.limits import UserRateLimit, Verdict
from bot.settings import BotSettings
from bot.state import BotState
from index.errors import IndexNotReady
from retrieval.errors import BadQuery
from retrieval.records import Answer
from retrieval.search import Searcher

log = logging.getLogger(__name__)

INLINE_PAGE = 10
INLINE_MAX = 50  # Telegram shows at most 50 inline results

HELP = """<b>Newsdesk</b> finds what the archive says and quotes it, with its source.

Send a question, for example:
• <i>what was reported about Rovno?</i>
• <i>ECB interest rate decision</i>
• <i>Corallo Star aground</i>

Each answer quotes the passages that say so, the best sentence in bold, each with its title, outlet, date and link. <b>More</b> shows the next results; <b>📄</b> sends the whole article.

Narrow it down in the question: an outlet (<i>what did Kyiv Ledger report about Pokrovsk?</i>), a date (<i>on December 7</i>, <i>last week</i>, <i>in March 2024</i>), <i>latest</i> for newest first, or filters: <code>from:OUTLET</code> <code>since:2024-12-01</code> <code>until:2024-12-31</code> and "exact phrase" in quotes.

In a group, mention me or reply to me, or use /ask. In any chat, type @{username} and a question to share a cited snippet.

/sources – outlets and dates in the archive
/status – size of the archive and its last update"""

REFUSAL = ("Sorry, this Newsdesk archive is private to its newsroom. "
           "Ask the newsroom's admin to add your Telegram id ({user_id}).")
NOT_READY = "The archive is not indexed yet. Please ask again after the next reindex."
SLOW_DOWN = "You are asking faster than I can answer well. Please wait a minute, then ask again."
TEXT_ONLY = "I answer text questions about the archive, e.g. <i>what was reported about Rovno?</i> /help shows more."
EXPIRED = "This button belongs to an old answer. Please ask the question again."


@dataclass
class Services:
    """What the handlers share, kept in `application.bot_data`."""

    settings: BotSettings
    searcher: Searcher
    state: BotState
    limits: UserRateLimit


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]


# --- access and flood control -----------------------------------------------------------------

def is_allowed(settings: BotSettings, user_id: int | None, chat_id: int | None) -> bool:
    return settings.public or user_id in settings.allowed_users or chat_id in settings.allowed_chats


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop every update from someone not on the lists before any handler sees it."""
    s = services(context)
    user = update.effective_user
    chat = update.effective_chat
    if is_allowed(s.settings, user.id if user else None, chat.id if chat else None):
        return
    if update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True,
                                         button=InlineQueryResultsButton("Not available to you", start_parameter="access"))
    elif update.callback_query:
        await update.callback_query.answer("This archive is private to its newsroom.", show_alert=True)
    elif update.message and user and chat and addressed_text(update.message, context) is not None:
        subject = f"user:{user.id}" if chat.type == ChatType.PRIVATE else f"chat:{chat.id}"
        if s.state.should_refuse(subject):
            await update.message.reply_text(REFUSAL.format(user_id=user.id))
    raise ApplicationHandlerStop


async def admitted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Apply the per-user rate limit to a request that costs a search: "slow down" once, then silence."""
    verdict = services(context).limits.check(update.effective_user.id)
    if verdict is Verdict.OK:
        return True
    warn = verdict is Verdict.WARN
    if update.callback_query:  # always answered, or the button keeps spinning
        await update.callback_query.answer(SLOW_DOWN if warn else None, show_alert=warn)
    elif warn and update.effective_message:
        await update.effective_message.reply_text(SLOW_DOWN)
    return False


# --- questions -------------------------------------------------------------------------------

def addressed_text(message: Message, context: ContextTypes.DEFAULT_TYPE) -> str | None:
    """The question in a message meant for the bot, or None: in groups only mentions and replies count."""
    text = message.text or ""
    if message.chat.type == ChatType.PRIVATE:
        return text
    mention = f"@{context.bot.username}".lower()
    mentions = [e for e in message.entities if e.type == MessageEntity.MENTION
                and message.parse_entity(e).lower() == mention]
    replied = message.reply_to_message and message.reply_to_message.from_user \
        and message.reply_to_message.from_user.id == context.bot.id
    if not mentions and not replied:
        return None
    return " ".join(w for w in text.split() if w.lower() != mention)


def answer_keyboard(state: BotState, answer: Answer, shown: int) -> InlineKeyboardMarkup | None:
    rows = []
    full = [InlineKeyboardButton(f"📄 {h.rank}", callback_data=f"full:{state.remember(h.citation.article_id)}")
            for h in answer.hits[:shown]]
    if full:
        rows.append(full)
    if answer.has_more or shown < len(answer.hits):
        key = state.remember(answer.query.question)
        rows.append([InlineKeyboardButton("More ▸", callback_data=f"more:{key}:{answer.offset + shown}")])
    return InlineKeyboardMarkup(rows) if rows else None


async def reply_answer(message: Message, context: ContextTypes.DEFAULT_TYPE, question: str, offset: int = 0) -> None:
    s = services(context)
    try:
        answer = await asyncio.to_thread(s.searcher.ask, question, limit=s.settings.results_per_page, offset=offset)
    except BadQuery as error:
        await message.reply_text(escape(str(error), quote=False))
        return
    except IndexNotReady:
        await message.reply_text(NOT_READY)
        return
    html, shown = fmt.answer_message(answer)
    await message.reply_text(html, reply_markup=answer_keyboard(s.state, answer, shown))


async def question(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text message with cited passages."""
    text = addressed_text(update.message, context)
    if text is None:
        return
    if not text.strip():
        await update.message.reply_text(HELP.format(username=context.bot.username))
        return
    if await admitted(update, context):
        await reply_answer(update.message, context, text)


async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/ask QUESTION: the way to ask in a group without a mention."""
    text = " ".join(context.args or [])
    if not text:
        await update.message.reply_text("Write the question after the command: /ask what was reported about Rovno?")
        return
    if await admitted(update, context):
        await reply_answer(update.message, context, text)


async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "More" button: the next results of the same question, in a new message."""
    query = update.callback_query
    _, key, offset = query.data.split(":")
    question_text = services(context).state.recall(key)
    if question_text is None or not offset.isdigit():
        await query.answer(EXPIRED, show_alert=True)
        return
    if not await admitted(update, context):
        return
    await query.answer()
    markup = query.message.reply_markup if query.message else None
    if markup:  # the button has done its job; a second tap would repeat the page
        rows = [row for row in markup.inline_keyboard if not any(b.callback_data == query.data for b in row)]
        try:
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
        except BadRequest as error:
            log.info("could not remove the More button: %s", error)
    await reply_answer(query.message, context, question_text, int(offset))


async def full_article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 📄 button: the whole cited article, in as many messages as it takes."""
    query = update.callback_query
    article_id = services(context).state.recall(query.data.split(":", 1)[1])
    if article_id is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    if not await admitted(update, context):
        return
    try:
        article = await asyncio.to_thread(services(context).searcher.article, article_id)
    except IndexNotReady:
        article = None
    if article is None:
        await query.answer("That article is no longer in the archive.", show_alert=True)
        return
    await query.answer()
    for part in fmt.article_parts(article.citation.title, article.body, article.citation):
        await query.message.reply_text(part)


async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Inline mode: `@bot question` offers cited snippets to share in any chat."""
    query = update.inline_query
    text = query.query.strip()
    offset = int(query.offset) if query.offset.isdigit() else 0
    if not text or offset >= INLINE_MAX:
        await query.answer([], cache_time=0, is_personal=True)
        return
    if services(context).limits.check(update.effective_user.id) is not Verdict.OK:
        await query.answer([], cache_time=0, is_personal=True)
        return
    try:
        answer = await asyncio.to_thread(services(context).searcher.ask, text, limit=INLINE_PAGE, offset=offset)
    except (BadQuery, IndexNotReady):
        await query.answer([], cache_time=0, is_personal=True)
        return
    results = [
        InlineQueryResultArticle(
            id=str(hit.passage_id), title=hit.citation.title[:100],
            description=f"{hit.citation.source or ''} {fmt.short_date(hit.citation.published_at)}: {hit.highlight}"[:200],
            input_message_content=InputTextMessageContent(fmt.inline_snippet(hit), parse_mode=ParseMode.HTML),
            url=hit.citation.url,
        )
        for hit in answer.hits
    ]
    next_offset = str(offset + len(results)) if answer.has_more and offset + len(results) < INLINE_MAX else ""
    await query.answer(results, cache_time=30, is_personal=True, next_offset=next_offset)


# --- everything else --------------------------------------------------------------------------

async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start and /help: what the bot does and how to ask."""
    await update.message.reply_text(HELP.format(username=context.bot.username))


async def sources(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sources: the outlets in the archive and the dates it covers."""
    await _reply_status(update, context, fmt.sources_message)


async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/status: how big the archive is and when it was last reindexed."""
    await _reply_status(update, context, fmt.status_message)


async def _reply_status(update: Update, context: ContextTypes.DEFAULT_TYPE, render) -> None:
    try:
        info = await asyncio.to_thread(services(context).searcher.status)
    except IndexNotReady:
        await update.message.reply_text(NOT_READY)
        return
    await update.message.reply_text(render(info))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stickers, photos and the like in a private chat: say what the bot reads."""
    await update.message.reply_text(TEXT_ONLY)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A command the bot does not have."""
    command = (update.message.text or "").split()[0]
    await update.message.reply_text(f"I don't know {escape(command, quote=False)}. /help lists what I understand.")


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any failure with its traceback; tell the user, so one bad update never goes unanswered."""
    log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=context.error)
    if isinstance(update, Update) and update.effective_message and update.effective_chat \
            and update.effective_chat.type == ChatType.PRIVATE:
        try:
            await update.effective_message.reply_text("Sorry, something went wrong with that one. It has been logged.")
        except Exception as error:  # the network may be why we are here; the log has the story already
            log.warning("could not tell the user about the error: %s", error)
