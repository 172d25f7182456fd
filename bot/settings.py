"""The bot's settings: read once at start-up through the settings registry (index.settings), each wrong value named."""

from __future__ import annotations

import os
from dataclasses import dataclass

from index.errors import SettingsError
from index.settings import Settings, read


@dataclass(frozen=True)
class BotSettings:
    token: str
    engine: Settings
    api_base_url: str | None = None
    allowed_users: frozenset[int] = frozenset()
    allowed_chats: frozenset[int] = frozenset()
    public: bool = False
    results_per_page: int = 3
    burst: int = 6  # questions a user may ask at once...
    per_seconds: float = 60.0  # ...and the time in which that many are allowed again
    # the first result's article as a small preview under an answer ("below", "above"), or "off": the
    # default, as the card (3 to 5 lines, repeating the first result) would push an answer's buttons
    # below a phone's first screen (docs/phone.md); also for archives whose links are not public pages
    link_preview: str = "off"

    def allows(self, user_id: int | None, chat_id: int | None) -> bool:
        """The one access rule: questions, buttons, follows and alerts all go through it."""
        return self.public or user_id in self.allowed_users or chat_id in self.allowed_chats

    def __repr__(self) -> str:  # never print the token
        return f"BotSettings(api_base_url={self.api_base_url!r}, users={len(self.allowed_users)}, chats={len(self.allowed_chats)}, public={self.public})"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> BotSettings:
        env = dict(os.environ if env is None else env)
        got = read("bot", env)
        users, chats, public = got["NEWSDESK_ALLOWED_USERS"], got["NEWSDESK_ALLOWED_CHATS"], got["NEWSDESK_PUBLIC"]
        if not users and not chats and not public:
            raise SettingsError(
                "Neither NEWSDESK_ALLOWED_USERS nor NEWSDESK_ALLOWED_CHATS is set, so nobody could use the bot: "
                "list who may ask, or set NEWSDESK_PUBLIC=true if the archive is meant to be open to everyone.")
        burst, seconds = got["NEWSDESK_USER_RATE"]
        return cls(token=got["TELEGRAM_BOT_TOKEN"], engine=Settings.from_env(env), api_base_url=got["TELEGRAM_API_BASE_URL"],
                   allowed_users=users, allowed_chats=chats, public=public, results_per_page=got["NEWSDESK_RESULTS"],
                   burst=burst, per_seconds=seconds, link_preview=got["NEWSDESK_LINK_PREVIEW"])
