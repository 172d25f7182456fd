"""The bot's settings: read once from the environment at start-up, each wrong value named."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from retrieval.service import Settings, SettingsError

LINK_PREVIEWS = ("below", "above", "off")
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


def _ids(env: dict[str, str], name: str) -> frozenset[int]:
    raw = env.get(name, "")
    try:
        return frozenset(int(part) for part in re.split(r"[\s,;]+", raw.strip()) if part)
    except ValueError:
        raise SettingsError(f"{name} must list Telegram ids (whole numbers) separated by commas, got {raw!r}.") from None


def _flag(env: dict[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SettingsError(f"{name} must be true or false, got {env[name]!r}.")


def _rate(env: dict[str, str], name: str, default: str) -> tuple[int, float]:
    raw = env.get(name) or default
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*", raw)
    if not match or int(match.group(1)) < 1 or float(match.group(2)) <= 0:
        raise SettingsError(f"{name} must look like 6/60 (questions per seconds), got {raw!r}.")
    return int(match.group(1)), float(match.group(2))


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
        token = env.get("TELEGRAM_BOT_TOKEN", "").strip()
        if not token:
            raise SettingsError("TELEGRAM_BOT_TOKEN is not set: give the token @BotFather issued for the bot.")
        if not _TOKEN.match(token):
            raise SettingsError("TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters).")
        base = (env.get("TELEGRAM_API_BASE_URL") or "").strip() or None
        if base and not re.match(r"^https?://[^\s/]+", base):
            raise SettingsError(f"TELEGRAM_API_BASE_URL must be an http(s) URL, got {base!r}.")
        users, chats = _ids(env, "NEWSDESK_ALLOWED_USERS"), _ids(env, "NEWSDESK_ALLOWED_CHATS")
        public = _flag(env, "NEWSDESK_PUBLIC")
        if not users and not chats and not public:
            raise SettingsError(
                "Neither NEWSDESK_ALLOWED_USERS nor NEWSDESK_ALLOWED_CHATS is set, so nobody could use the bot: "
                "list who may ask, or set NEWSDESK_PUBLIC=true if the archive is meant to be open to everyone.")
        per_page = env.get("NEWSDESK_RESULTS", "3").strip()
        if not per_page.isdigit() or not 1 <= int(per_page) <= 10:
            raise SettingsError(f"NEWSDESK_RESULTS must be a number from 1 to 10, got {per_page!r}.")
        burst, seconds = _rate(env, "NEWSDESK_USER_RATE", "6/60")
        preview = (env.get("NEWSDESK_LINK_PREVIEW") or "off").strip().lower()
        if preview not in LINK_PREVIEWS:
            raise SettingsError(f"NEWSDESK_LINK_PREVIEW must be one of {', '.join(LINK_PREVIEWS)}, got {preview!r}.")
        return cls(link_preview=preview, token=token, engine=Settings.from_env(env), api_base_url=base, allowed_users=users,
                   allowed_chats=chats, public=public, results_per_page=int(per_page), burst=burst,
                   per_seconds=seconds)
