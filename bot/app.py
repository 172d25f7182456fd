"""`build_application(settings)`: every handler registered in one place; `run()` for `newsdesk bot`."""

from __future__ import annotations

import asyncio
import faulthandler
import logging
import signal
from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    MessageReactionHandler,
    TypeHandler,
    filters,
)

from bot import buttons, i18n
from bot.alert_delivery import deliver
from bot.context import CONTEXT_TYPES, SERVICES, NewsdeskContext, Services, services_of
from bot.feedback_store import FeedbackStore
from bot.follow_store import Follows
from bot.handlers import access, article, asking, error_handler, feedback, follows, info, inline, language, story
from bot.limits import InOrderPerConversation, PatientRateLimiter, UserRateLimit
from bot.logs import configure, install_redaction
from bot.render import menus
from bot.settings import BotSettings
from bot.state import BotState
from retrieval.search import Searcher
from retrieval.service import open_searcher

log = logging.getLogger(__name__)

CONCURRENT_UPDATES = 32  # updates handled at once (one person's in one chat stay in order: bot.limits)
HEARTBEAT = "bot.heartbeat"  # touched while the bot runs; `newsdesk health` reads its age
TICK_SECONDS = 5.0
# what the bot asks Telegram for; message_reaction is never sent unless asked for by name
ALLOWED_UPDATES = [Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY,
                   Update.MESSAGE_REACTION]


async def _set_commands(application: Application) -> None:
    """The command menu: English for everyone, and in Ukrainian and Russian for users whose Telegram is."""
    for language in i18n.LANGUAGES:
        with i18n.speaking(language):
            commands = [BotCommand(name, description) for name, description in menus.commands()]
        await application.bot.set_my_commands(commands, language_code=None if language == i18n.DEFAULT else language)


async def tick(context: NewsdeskContext) -> None:
    """Every few seconds: load a newly published generation before a question needs it, and beat."""
    services = context.services
    generation = await asyncio.to_thread(lambda: services.searcher.generation)
    if generation != context.bot_data.get("generation"):
        log.info("serving index generation %d", generation)
        context.bot_data["generation"] = generation
    (services.settings.engine.data_dir / HEARTBEAT).write_text(f"{generation}\n")
    if generation and not services.delivering.locked():  # alerts for new generations and due digests
        context.application.create_task(deliver(context.application), name="alerts")


def build_application(settings: BotSettings, searcher: Searcher | None = None,
                      clock: Callable[[], datetime] | None = None) -> Application:
    """The bot, ready to run: the same object `newsdesk bot` polls with and the tests drive.
    `clock` is "now" for daily digests (UTC-aware; default the system clock)."""
    install_redaction(settings.token)
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(CONTEXT_TYPES)  # every callback's context is a NewsdeskContext: context.services
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .rate_limiter(PatientRateLimiter(max_retries=3))
        # one user's long reply (a whole article, a slow search) never holds up another's question
        .concurrent_updates(InOrderPerConversation(CONCURRENT_UPDATES))
        .post_init(_set_commands)
    )
    if settings.api_base_url:
        base = settings.api_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.removesuffix("/bot") + "/file/bot")
    application = builder.build()
    if searcher is None:
        searcher = open_searcher(settings.engine)
    bot_db = settings.engine.data_dir / "bot.sqlite3"
    application.bot_data[SERVICES] = Services(
        settings=settings, searcher=searcher, state=BotState(bot_db),
        limits=UserRateLimit(settings.burst, settings.per_seconds),
        follows=Follows(bot_db), feedback=FeedbackStore(bot_db),
        **({"clock": clock} if clock else {}),
    )
    text = filters.UpdateType.MESSAGE & filters.TEXT
    message = filters.UpdateType.MESSAGE
    application.add_handler(TypeHandler(object, language.choose), group=-2)  # the gate's refusal speaks it too
    application.add_handler(TypeHandler(Update, access.gate), group=-1)
    application.add_handlers([
        CommandHandler(["start", "help"], info.start, filters=message),
        CommandHandler("ask", asking.ask, filters=message),
        CommandHandler("sources", info.sources, filters=message),
        CommandHandler("status", info.status, filters=message),
        CommandHandler("follow", follows.follow, filters=message),
        CommandHandler("following", follows.following, filters=message),
        CommandHandler("unfollow", follows.unfollow, filters=message),
        CommandHandler("timezone", follows.set_timezone, filters=message),
        CommandHandler("digest", follows.set_digest_hour, filters=message),
        CommandHandler("language", language.language, filters=message),
        MessageHandler(text & filters.COMMAND, info.unknown_command),
        MessageHandler(text & ~filters.COMMAND, asking.question),
        MessageHandler(message & filters.ChatType.PRIVATE & ~filters.TEXT, info.not_text),
        MessageReactionHandler(feedback.reaction, message_reaction_types=MessageReactionHandler.MESSAGE_REACTION_UPDATED),
        CallbackQueryHandler(access.expired_button, pattern=buttons.unknown),
        CallbackQueryHandler(asking.more, pattern=buttons.pattern(buttons.More)),
        CallbackQueryHandler(article.full_article, pattern=buttons.pattern(buttons.Full)),
        CallbackQueryHandler(story.story, pattern=buttons.pattern(buttons.StoryView)),
        CallbackQueryHandler(story.newer, pattern=buttons.pattern(buttons.Newer)),
        CallbackQueryHandler(follows.alert_more, pattern=buttons.pattern(buttons.AlertMore)),
        CallbackQueryHandler(feedback.vote, pattern=buttons.pattern(buttons.Vote)),
        CallbackQueryHandler(follows.stop_button, pattern=buttons.pattern(buttons.Stop)),
        CallbackQueryHandler(follows.daily_button, pattern=buttons.pattern(buttons.Daily)),
        CallbackQueryHandler(language.language_button, pattern=buttons.pattern(buttons.Language)),
        CallbackQueryHandler(access.expired_button),  # anything else: malformed, forged, or old
        InlineQueryHandler(inline.inline),
    ])
    application.add_error_handler(error_handler.on_error)
    application.job_queue.run_repeating(tick, interval=TICK_SECONDS, first=0.0, name="generation")
    return application


def run(settings: BotSettings) -> None:
    """Long polling until interrupted."""
    configure()
    # `kill -USR1 PID` writes every thread's stack to the log: how a round that hangs is diagnosed
    faulthandler.register(signal.SIGUSR1, all_threads=True)
    application = build_application(settings)
    services_of(application).searcher.serve()  # one question at a time, the model loaded before the first
    log.info("Newsdesk bot starting (%r)", settings)
    application.run_polling(allowed_updates=ALLOWED_UPDATES)
