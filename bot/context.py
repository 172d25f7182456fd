"""bot.context: what the handlers share (`Services`, kept in `application.bot_data`), and the typed
context every handler, job and error handler is given (`NewsdeskContext`, registered with
`CONTEXT_TYPES` in bot.app): `context.services` in place of an untyped `bot_data` look-up.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from telegram.ext import Application, CallbackContext, ContextTypes, ExtBot

from bot.feedback_store import FeedbackStore
from bot.follow_store import Follows
from bot.limits import UserRateLimit
from bot.settings import BotSettings
from bot.state import BotState
from retrieval.alerts import AlertSettings
from retrieval.search import Searcher

SERVICES = "services"  # their key in bot_data


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Services:
    """What the handlers share, kept in `application.bot_data`."""

    settings: BotSettings
    searcher: Searcher
    state: BotState
    limits: UserRateLimit
    follows: Follows
    feedback: FeedbackStore
    alert_settings: AlertSettings | None = None  # None: the bars of the index's model (retrieval.alerts)
    clock: Callable[[], datetime] = utcnow  # "now" for digest times; a test may pass another clock
    delivering: asyncio.Lock = field(default_factory=asyncio.Lock)  # one alert round at a time


def services_of(application: Application) -> Services:
    """The Services of an Application, for code that holds the Application and no context (an alert round)."""
    return application.bot_data[SERVICES]


class NewsdeskContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """The `context` of every callback of the bot (python-telegram-bot's ContextTypes)."""

    @property
    def services(self) -> Services:
        return services_of(self.application)


CONTEXT_TYPES = ContextTypes(context=NewsdeskContext)
