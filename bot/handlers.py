"""Thin handlers: each reads the update, asks `retrieval`, and sends what `bot.format` made of it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from html import escape

from telegram import (
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
from bot.alerts import alert_page, utcnow
from bot import buttons
from bot.buttons import AlertMore, Daily, Full, More, Stop, Vote, follow_buttons, full_row, more_button, vote_buttons
from bot.feedback import DOWN, UP, FeedbackStore, Shown
from bot.follows import FollowError, Follows, Prefs, zone
from bot.limits import UserRateLimit, Verdict
from bot.settings import BotSettings
from bot.state import BotState
from index.errors import IndexNotReady, NewsdeskError
from retrieval import query as query_parser
from retrieval.alerts import AlertSettings
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

<b>Alerts.</b> /follow <i>Rovno</i> sends new reports on Rovno as they are indexed (<code>/follow --daily Rovno</code>: one digest a day); /following lists them, /unfollow ID stops one; /timezone and /digest set the digest time. 👍 / 👎 under a message tell the newsroom whether it helped.

/sources – outlets and dates in the archive
/status – size of the archive and its last update"""

REFUSAL = ("Sorry, this Newsdesk archive is private to its newsroom. "
           "Ask the newsroom's admin to add your Telegram id ({user_id}).")
NOT_READY = "The archive is not indexed yet. Please ask again after the next reindex."
SLOW_DOWN = "You are asking faster than I can answer well. Please wait a minute, then ask again."
TEXT_ONLY = "I answer text questions about the archive, e.g. <i>what was reported about Rovno?</i> /help shows more."
EXPIRED = "This button belongs to an old answer. Please ask the question again."
BUTTON_EXPIRED = "This button has expired."  # a press whose data is malformed or of no known button
FAILED = "Sorry, something went wrong with that one. It has been logged."


@dataclass
class Services:
    """What the handlers share, kept in `application.bot_data`."""

    settings: BotSettings
    searcher: Searcher
    state: BotState
    limits: UserRateLimit
    follows: Follows
    feedback: FeedbackStore
    alert_settings: AlertSettings = AlertSettings()
    clock: Callable[[], datetime] = utcnow  # "now" for digest times; a test may pass another clock
    delivering: asyncio.Lock = field(default_factory=asyncio.Lock)  # one alert round at a time


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    return context.bot_data["services"]


# --- access and flood control -----------------------------------------------------------------

async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Stop every update from someone not on the lists before any handler sees it."""
    s = services(context)
    user = update.effective_user
    chat = update.effective_chat
    if s.settings.allows(user.id if user else None, chat.id if chat else None):
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
    """📄 per passage, More when there is more, and 👍 / 👎 on what this message showed."""
    if not shown:
        return None
    rows = [full_row(state, answer.hits[:shown])]
    if answer.has_more or shown < len(answer.hits):
        rows.append([more_button(More(state.remember(answer.query.question), answer.offset + shown))])
    seen = Shown("answer", answer.query.question, tuple(h.citation.article_id for h in answer.hits[:shown]))
    rows.append(vote_buttons(state, seen))
    return InlineKeyboardMarkup(rows)


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


def pressed(update: Update) -> buttons.Button | None:
    """The button of a callback query (its handler's pattern already checked the kind)."""
    return buttons.decode(update.callback_query.data)


def in_chat(update: Update) -> Message | None:
    """The message a button was under, if the bot can answer there (not a message sent inline, not
    one too old for Telegram to show)."""
    message = update.callback_query.message
    return message if isinstance(message, Message) else None


async def expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any press no other handler takes: malformed, forged or of an older bot. Always answered."""
    log.info("update %s: button data %r is not one of ours", update.update_id, update.callback_query.data)
    await update.callback_query.answer(BUTTON_EXPIRED)


async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The "More" button: the next results of the same question, in a new message."""
    query, button, message = update.callback_query, pressed(update), in_chat(update)
    question_text = services(context).state.recall(button.key)
    if message is None:
        await query.answer(BUTTON_EXPIRED)
        return
    if question_text is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    if not await admitted(update, context):
        return
    await query.answer()
    await _drop_pressed_row(update)
    await reply_answer(message, context, question_text, button.offset)


async def _drop_pressed_row(update: Update) -> None:
    """A More button has done its job once; a second tap would repeat the page."""
    query = update.callback_query
    markup = query.message.reply_markup if query.message else None
    if markup:
        rows = [row for row in markup.inline_keyboard if not any(b.callback_data == query.data for b in row)]
        try:
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
        except BadRequest as error:
            log.info("could not remove the More button: %s", error)


async def full_article(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 📄 button: the whole cited article, as a few messages or its opening and a document."""
    query, button, message = update.callback_query, pressed(update), in_chat(update)
    if message is None:
        await query.answer(BUTTON_EXPIRED)
        return
    article_id = services(context).state.recall(button.key)
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
    reply = await asyncio.to_thread(fmt.article_reply, article.citation.title, article.body, article.citation)
    for part in reply.messages:
        await message.reply_text(part)
    if reply.document is not None:
        await message.reply_document(reply.document, filename=reply.filename, caption=reply.caption)


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
            url=fmt.link_url(hit.citation.url),
        )
        for hit in answer.hits
    ]
    next_offset = str(offset + len(results)) if answer.has_more and offset + len(results) < INLINE_MAX else ""
    await query.answer(results, cache_time=30, is_personal=True, next_offset=next_offset)


# --- follows and alerts -----------------------------------------------------------------------

FOLLOW_USAGE = ("Write what to follow after the command, as you would ask it: <code>/follow Rovno</code>, "
                "<code>/follow ECB interest rates from:Reuters</code>. <code>/follow --daily Rovno</code> "
                "sends one digest a day instead.")
DAILY_FLAGS = {"--daily", "—daily", "-daily", "daily:"}  # phones turn "--" into a dash


def _delivery(follow, prefs: Prefs) -> str:
    return (f"one digest a day at {prefs.digest_hour:02d}:00 {escape(prefs.timezone, quote=False)}"
            if follow.daily else "new reports as soon as they are indexed")


def following_reply(s: Services, chat_id: int, user_id: int) -> tuple[str, InlineKeyboardMarkup | None]:
    """/following: the chat's follows with a stop and a daily/instant button each."""
    follows = s.follows.in_chat(chat_id)
    rows = [follow_buttons(f.id, f.daily, in_list=True, numbered=True) for f in follows]
    return fmt.following_message(follows, s.follows.prefs(user_id)), InlineKeyboardMarkup(rows) if rows else None


async def follow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/follow [--daily] QUESTION: alerts when new reports on it are indexed."""
    s = services(context)
    args = list(context.args or [])
    daily = bool(args) and args[0].lower() in DAILY_FLAGS
    question = " ".join(args[1:] if daily else args).strip()
    if not question:
        await update.message.reply_text(FOLLOW_USAGE)
        return
    try:
        snapshot = await asyncio.to_thread(s.searcher.reader.snapshot)
        parsed = query_parser.parse(question, snapshot.outlets, archive_end=snapshot.archive_end)
        generation = snapshot.generation
    except BadQuery as error:
        await update.message.reply_text(escape(str(error), quote=False))
        return
    except IndexNotReady:  # nothing indexed yet: everything the first run brings is new
        parsed, generation = None, 0
    user, chat = update.effective_user, update.effective_chat
    try:
        added = s.follows.add(chat.id, user.id, question, daily, generation, s.clock())
    except FollowError as error:
        await update.message.reply_text(escape(str(error), quote=False))
        return
    topic = (parsed.topic if parsed else "") or question
    prefs = s.follows.prefs(user.id)
    await update.message.reply_text(
        f"🔔 Following <b>{escape(fmt.shorten(topic, fmt.TOPIC_CHARS), quote=False)}</b> (#{added.id}): "
        f"{_delivery(added, prefs)}. /following lists what you follow.",
        reply_markup=InlineKeyboardMarkup([follow_buttons(added.id, daily)]))


async def following(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/following: what this chat follows, with buttons to stop each."""
    html, markup = following_reply(services(context), update.effective_chat.id, update.effective_user.id)
    await update.message.reply_text(html, reply_markup=markup)


async def unfollow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unfollow ID: stop a follow."""
    s = services(context)
    raw = (context.args or [""])[0].lstrip("#")
    if not raw.isdigit():
        html, markup = following_reply(s, update.effective_chat.id, update.effective_user.id)
        await update.message.reply_text("Which one? Write its number: /unfollow 3\n\n" + html, reply_markup=markup)
        return
    stopped = s.follows.remove(int(raw), update.effective_chat.id)
    if stopped is None:
        await update.message.reply_text(f"This chat follows nothing with the number {raw}. /following lists them.")
        return
    await update.message.reply_text(f"🔕 Stopped following <b>{escape(stopped.question, quote=False)}</b> (#{stopped.id}).")


async def set_timezone(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timezone ZONE: the time zone of your daily digests."""
    s = services(context)
    user = update.effective_user
    prefs = s.follows.prefs(user.id)
    if not context.args:
        await update.message.reply_text(
            f"Your daily digests come at {prefs.digest_hour:02d}:00 {escape(prefs.timezone, quote=False)}. "
            "Change the zone with e.g. <code>/timezone Europe/Kyiv</code>, the hour with <code>/digest 7</code>.")
        return
    try:
        name = zone(context.args[0]).key
    except FollowError as error:
        await update.message.reply_text(escape(str(error), quote=False))
        return
    await _save_prefs(update, s, Prefs(name, prefs.digest_hour))


async def set_digest_hour(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest HOUR: the hour of your daily digests (0-23, in your /timezone)."""
    s = services(context)
    user = update.effective_user
    prefs = s.follows.prefs(user.id)
    raw = (context.args or [""])[0].removesuffix(":00")
    if not raw.isdigit():
        await update.message.reply_text(
            f"Your daily digests come at {prefs.digest_hour:02d}:00 {escape(prefs.timezone, quote=False)}. "
            "Give the hour as a number from 0 to 23: <code>/digest 7</code>.")
        return
    await _save_prefs(update, s, Prefs(prefs.timezone, int(raw)))


async def _save_prefs(update: Update, s: Services, prefs: Prefs) -> None:
    """Store a user's digest time and say what it is now, or why it cannot be."""
    try:
        s.follows.set_prefs(update.effective_user.id, prefs, s.clock())
    except FollowError as error:
        await update.message.reply_text(escape(str(error), quote=False))
        return
    await update.message.reply_text(
        f"Daily digests now come at {prefs.digest_hour:02d}:00 {escape(prefs.timezone, quote=False)}.")


async def stop_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 🔕 button under an alert, a follow confirmation or the /following list."""
    s, query, button = services(context), update.callback_query, pressed(update)
    chat_id = query.message.chat.id if query.message else update.effective_user.id
    stopped = s.follows.remove(button.follow, chat_id)
    await query.answer(fmt.shorten(f"Stopped following {stopped.question}.", 200) if stopped
                       else "That follow was already stopped.")
    if stopped and button.in_list:
        await _refresh_list(update, s, chat_id)


async def daily_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The 🗓 / ⚡ button: one digest a day, or alerts as soon as reports are indexed."""
    s, query, button = services(context), update.callback_query, pressed(update)
    chat_id = query.message.chat.id if query.message else update.effective_user.id
    changed = s.follows.set_daily(button.follow, chat_id, button.daily, s.clock())
    if changed is None:
        await query.answer("That follow was stopped.")
        return
    prefs = s.follows.prefs(changed.user_id)
    await query.answer(fmt.shorten(f"{changed.question}: {_delivery(changed, prefs)}.", 200))
    if button.in_list:
        await _refresh_list(update, s, chat_id)


async def _refresh_list(update: Update, s: Services, chat_id: int) -> None:
    html, markup = following_reply(s, chat_id, update.effective_user.id)
    try:
        await update.callback_query.edit_message_text(html, reply_markup=markup)
    except BadRequest as error:
        log.info("could not refresh the /following list: %s", error)


async def alert_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """"More" under an alert: its next reports, in a new message (they are kept, not searched again)."""
    s, query, button, message = services(context), update.callback_query, pressed(update), in_chat(update)
    if message is None:
        await query.answer(BUTTON_EXPIRED)
        return
    page = s.follows.page(button.page)
    if page is None or button.offset >= len(page.hits):
        await query.answer(EXPIRED, show_alert=True)
        return
    await query.answer()
    await _drop_pressed_row(update)
    html, markup = alert_page(s, page, button.offset)
    await message.reply_text(html, reply_markup=markup)


# --- feedback -----------------------------------------------------------------------------------

async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """👍 / 👎: store the vote on what the message showed, and say so."""
    s, query, button = services(context), update.callback_query, pressed(update)
    value = s.state.recall(button.key)
    shown = Shown.from_ref(value) if value else None
    if shown is None:
        await query.answer(EXPIRED, show_alert=True)
        return
    s.feedback.record(update.effective_user.id, button.key, shown, UP if button.up else DOWN)
    await query.answer("Thanks! Noted as helpful." if button.up else "Thanks! Noted as not helpful.")


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


def error_sentence(error: BaseException | None) -> str:
    """What the user reads about a failure: a domain error's own sentence, else FAILED."""
    if isinstance(error, IndexNotReady):
        return NOT_READY
    if isinstance(error, NewsdeskError):
        return escape(fmt.shorten(str(error), 500), quote=False)
    return FAILED


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log any failure with its traceback; tell the user in one sentence, so one bad update never
    goes unanswered (a pressed button always stops spinning)."""
    error = context.error
    if isinstance(error, NewsdeskError):
        log.warning("update %s: %s: %s", getattr(update, "update_id", "?"), type(error).__name__, error)
    else:
        log.error("update %s failed", getattr(update, "update_id", "?"), exc_info=error)
    if not isinstance(update, Update):
        return
    sentence = error_sentence(error)
    try:
        if update.callback_query:
            await update.callback_query.answer(fmt.shorten(sentence, 200), show_alert=True)
        elif update.effective_message and update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
            await update.effective_message.reply_text(sentence)
    except Exception as failure:  # the network may be why we are here; the log has the story already
        log.warning("could not tell the user about the error: %s", failure)
