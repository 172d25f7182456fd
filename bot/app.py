"""`build_application(settings)`: every handler registered in one place; `run()` for `newsdesk bot`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import buttons, handlers
from bot.alerts import deliver
from bot.feedback import FeedbackStore
from bot.follows import Follows
from bot.limits import InOrderPerConversation, PatientRateLimiter, UserRateLimit
from bot.logs import configure, install_redaction
from bot.settings import BotSettings
from bot.state import BotState
from index.errors import IndexNotReady
from index.encoder import ServingEncoder, serve_queries
from index.reader import IndexReader
from retrieval.search import SearchSettings, Searcher

log = logging.getLogger(__name__)

COMMANDS = [
    BotCommand("help", "What I do and how to ask"),
    BotCommand("ask", "Ask a question (in groups)"),
    BotCommand("sources", "Outlets and dates in the archive"),
    BotCommand("status", "Size of the archive and its last update"),
    BotCommand("follow", "Alerts on new reports: /follow Rovno"),
    BotCommand("following", "What you follow"),
    BotCommand("unfollow", "Stop a follow: /unfollow 3"),
    BotCommand("timezone", "Time zone of daily digests"),
    BotCommand("digest", "Hour of daily digests"),
]


CONCURRENT_UPDATES = 32  # updates handled at once (one person's in one chat stay in order: bot.limits)
HEARTBEAT = "bot.heartbeat"  # touched while the bot runs; `newsdesk health` reads its age
TICK_SECONDS = 5.0


async def _set_commands(application: Application) -> None:
    await application.bot.set_my_commands(COMMANDS)


async def tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every few seconds: load a newly published generation before a question needs it, and beat."""
    services = context.bot_data["services"]
    try:
        generation = (await asyncio.to_thread(services.searcher.reader.snapshot)).generation
    except IndexNotReady:
        generation = 0
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
        engine = settings.engine
        searcher = Searcher(IndexReader(engine.data_dir), ServingEncoder(engine),
                            SearchSettings.from_env())
    bot_db = settings.engine.data_dir / "bot.sqlite3"
    application.bot_data["services"] = handlers.Services(
        settings=settings, searcher=searcher, state=BotState(bot_db),
        limits=UserRateLimit(settings.burst, settings.per_seconds),
        follows=Follows(bot_db), feedback=FeedbackStore(bot_db),
        **({"clock": clock} if clock else {}),
    )
    text = filters.UpdateType.MESSAGE & filters.TEXT
    application.add_handler(TypeHandler(Update, handlers.gate), group=-1)
    application.add_handlers([
        CommandHandler(["start", "help"], handlers.start, filters=filters.UpdateType.MESSAGE),
        CommandHandler("ask", handlers.ask, filters=filters.UpdateType.MESSAGE),
        CommandHandler("sources", handlers.sources, filters=filters.UpdateType.MESSAGE),
        CommandHandler("status", handlers.status, filters=filters.UpdateType.MESSAGE),
        CommandHandler("follow", handlers.follow, filters=filters.UpdateType.MESSAGE),
        CommandHandler("following", handlers.following, filters=filters.UpdateType.MESSAGE),
        CommandHandler("unfollow", handlers.unfollow, filters=filters.UpdateType.MESSAGE),
        CommandHandler("timezone", handlers.set_timezone, filters=filters.UpdateType.MESSAGE),
        CommandHandler("digest", handlers.set_digest_hour, filters=filters.UpdateType.MESSAGE),
        MessageHandler(text & filters.COMMAND, handlers.unknown_command),
        MessageHandler(text & ~filters.COMMAND, handlers.question),
        MessageHandler(filters.UpdateType.MESSAGE & filters.ChatType.PRIVATE & ~filters.TEXT, handlers.not_text),
        CallbackQueryHandler(handlers.expired_button, pattern=buttons.unknown),
        CallbackQueryHandler(handlers.more, pattern=buttons.pattern(buttons.More)),
        CallbackQueryHandler(handlers.full_article, pattern=buttons.pattern(buttons.Full)),
        CallbackQueryHandler(handlers.alert_more, pattern=buttons.pattern(buttons.AlertMore)),
        CallbackQueryHandler(handlers.vote, pattern=buttons.pattern(buttons.Vote)),
        CallbackQueryHandler(handlers.stop_button, pattern=buttons.pattern(buttons.Stop)),
        CallbackQueryHandler(handlers.daily_button, pattern=buttons.pattern(buttons.Daily)),
        CallbackQueryHandler(handlers.expired_button),  # anything else: malformed, forged, or old
        InlineQueryHandler(handlers.inline),
    ])
    application.add_error_handler(handlers.on_error)
    application.job_queue.run_repeating(tick, interval=TICK_SECONDS, first=0.0, name="generation")
    return application


def run(settings: BotSettings) -> None:
    """Long polling until interrupted."""
    configure()
    serve_queries()
    application = build_application(settings)
    searcher = application.bot_data["services"].searcher
    searcher.encode_query("warm up")  # load the model before the first journalist waits for it
    log.info("Newsdesk bot starting (%r)", settings)
    application.run_polling(allowed_updates=Update.ALL_TYPES)
