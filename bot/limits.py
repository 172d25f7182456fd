"""Per-user flood control, updates handled concurrently but in order per person and chat, and
retries of Telegram's own limits and of network failures."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

log = logging.getLogger(__name__)


class Verdict(Enum):
    OK = "ok"
    WARN = "warn"  # over the limit: say "slow down" this once
    DROP = "drop"  # still over the limit: say nothing


@dataclass
class _Bucket:
    tokens: float
    at: float
    warned: bool = False


@dataclass
class UserRateLimit:
    """A token bucket per user: `burst` questions at once, refilled over `per_seconds`."""

    burst: int
    per_seconds: float
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[int, _Bucket] = field(default_factory=dict)

    def check(self, user_id: int) -> Verdict:
        now = self.clock()
        bucket = self._buckets.setdefault(user_id, _Bucket(float(self.burst), now))
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.at) * self.burst / self.per_seconds)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return Verdict.OK
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN


class InOrderPerConversation(BaseUpdateProcessor):
    """Updates are handled concurrently (up to `max_concurrent_updates`), except that the updates of
    one person in one chat wait for each other: a journalist's answers come in the order asked, and
    their flood limit (UserRateLimit) sees their questions one after another, while another user's
    question never waits on their 📄 press. Telegram's per-chat and global send limits stay with the
    rate limiter (PatientRateLimiter), which every request goes through whatever the concurrency."""

    def __init__(self, max_concurrent_updates: int = 64) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[tuple[int | None, int | None], tuple[asyncio.Lock, int]] = {}

    @staticmethod
    def conversation(update: object) -> tuple[int | None, int | None]:
        if not isinstance(update, Update):
            return (None, None)
        chat, user = update.effective_chat, update.effective_user
        return (chat.id if chat else None, user.id if user else None)

    async def do_process_update(self, update: object, coroutine) -> None:
        key = self.conversation(update)
        if key == (None, None):  # nobody to keep in order (e.g. a poll's state)
            await coroutine
            return
        lock, waiting = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, waiting + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, waiting = self._locks[key]
            if waiting == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, waiting - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to free."""


class PatientRateLimiter(AIORateLimiter):
    """python-telegram-bot's AIORateLimiter (Telegram's flood limits, RetryAfter retried), which also
    retries a request that failed on the network, a few times with a growing pause."""

    def __init__(self, network_retries: int = 3, **kwargs) -> None:
        super().__init__(**kwargs)
        self._network_retries = network_retries

    async def process_request(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        for attempt in range(self._network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except NetworkError as error:  # BadRequest is a NetworkError too, but retrying cannot fix it
                if isinstance(error, BadRequest) or attempt == self._network_retries:
                    raise
                log.warning("%s failed (%s); retry %d of %d", endpoint, error, attempt + 1, self._network_retries)
                await asyncio.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")
