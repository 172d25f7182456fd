"""A fake Telegram Bot API server on 127.0.0.1, for running python-telegram-bot's real ``Application`` in tests.

Standard library only (``http.server`` in a daemon thread). Typical use::

    with FakeBotApi() as api:
        app = (ApplicationBuilder().token(api.token)
               .base_url(api.base_url).base_file_url(api.base_file_url)
               .get_updates_read_timeout(2).build())
        ...  # start app, then:
        api.message("hello", user_id=42)
        [call] = api.wait_for("sendMessage")
        assert call.params["chat_id"] == 42

What the server does, in short:

* Records every request to ``/bot<token>/<method>`` as an :class:`ApiCall` with decoded params
  (see :func:`decode_params`), in arrival order, in :attr:`FakeBotApi.calls`.
* Serves updates queued with :meth:`FakeBotApi.push` (or the builders ``message``, ``command``,
  ``callback``, ``inline``, ``sticker``, ``photo``) to ``getUpdates``, honouring ``offset`` (updates
  below it are confirmed and dropped for good), ``limit`` and ``timeout`` (long polling, capped at
  ``max_poll_wait`` seconds so tests stay fast; a push or :meth:`FakeBotApi.stop` releases it).
* Answers with realistic result objects: ``sendMessage``/``editMessageText`` give Message JSON with
  per-chat increasing ``message_id``, ``from`` = the bot, ``chat``, ``date``, ``text`` and the inline
  keyboard echoed back. Unknown methods are recorded and answered ``{"ok": true, "result": true}``.
* Injects errors with :meth:`FakeBotApi.fail_next` (HTTP status = ``error_code``, which is what
  python-telegram-bot looks at), scripted results with :meth:`FakeBotApi.set_result`, and slow
  answers with :meth:`FakeBotApi.slow` (e.g. a chat whose sends take a second each).
* Checks what Telegram checks of a message: ``text`` at most 4096 characters and a caption at most
  1024 after entity parsing, and with ``parse_mode="HTML"`` only Telegram's tags, balanced, an
  ``<a>`` with an ``href``, a ``<blockquote>`` plain or ``expandable`` and never inside another
  (400 "message is too long" / "can't parse entities" otherwise); an inline keyboard's buttons
  (one action each, callback data <= 64 bytes, ``copy_text`` 1-256 characters, <= 8 a row, <= 100
  in all); ``reply_parameters`` naming a message the chat has (unless
  ``allow_sending_without_reply``); ``link_preview_options``' fields; ``sendChatAction``'s action.
* Delivers a ``message_reaction`` update (:meth:`FakeBotApi.reaction`) only to a bot that asked for
  it by name in ``allowed_updates``, as Telegram does; the last ``allowed_updates`` is remembered.
* Rejects another token with 401 ``Unauthorized``; any path at all is kept in :attr:`FakeBotApi.paths`.
"""

from __future__ import annotations

import copy
import email.parser
import email.policy
import itertools
import json
import re
import select
import socket
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

__all__ = ["ApiCall", "FakeBotApi", "UploadedFile", "decode_params", "utf16_len"]

# --------------------------------------------------------------------------------------------
# Parameter decoding
# --------------------------------------------------------------------------------------------

# python-telegram-bot sends every parameter as a form field; strings go as they are, everything
# else JSON-encoded (ints "42", bools "true", objects '{"inline_keyboard": ...}'). A string "123"
# and an int 123 therefore look the same on the wire, so fields typed as strings in the Bot API are
# never decoded. This list is every parameter that python-telegram-bot 22 types as plain `str`
# (tests/test_botapi.py checks it against telegram.Bot's signatures), plus the parse modes and
# file fields (a file_id / URL string, or "attach://..." for an upload).
STRING_FIELDS = frozenset(
    {
        "action", "address", "bio", "business_connection_id", "callback_query_id", "caption",
        "comment", "currency", "current_offset", "custom_description", "custom_emoji_id",
        "custom_title", "description", "emoji", "emoji_status_custom_emoji_id", "endpoint",
        "error_message", "explanation", "filename", "first_name", "format", "foursquare_id",
        "foursquare_type", "game_short_name", "google_place_id", "google_place_type",
        "guest_query_id", "icon_custom_emoji_id", "inline_message_id", "inline_query_id",
        "ip_address", "language_code", "last_name", "message_effect_id", "name", "next_offset",
        "offset", "owned_gift_id", "payload", "performer", "phone_number", "photo_url",
        "pre_checkout_query_id", "provider_token", "question", "secret_token",
        "shipping_query_id", "short_description", "start_parameter", "sticker_format",
        "sticker_set_name", "sticker_type", "tag", "telegram_payment_charge_id", "text", "title",
        "type", "url", "username", "vcard", "web_app_query_id",
        # str | DefaultValue / str | <object> in PTB's annotations
        "parse_mode", "caption_parse_mode", "description_parse_mode", "explanation_parse_mode",
        "question_parse_mode", "text_parse_mode", "file_id", "gift_id", "invite_link",
        "old_sticker", "switch_pm_text", "switch_pm_parameter", "result_id", "data",
        # file fields: a file_id, a URL or "attach://<name>"
        "animation", "audio", "document", "photo", "sticker", "thumbnail", "video",
        "video_note", "voice", "certificate",
    }
)
# Same name, different type depending on the method.
NON_STRING_FIELDS_BY_METHOD = {"getUpdates": frozenset({"offset"})}
# `int | str` fields: an int when it looks like one ("@channel" stays a string).
CHAT_ID_FIELDS = frozenset({"chat_id", "from_chat_id", "sender_chat_id"})
_INT_RE = re.compile(r"-?\d+\Z")


def decode_value(method: str, name: str, value: Any) -> Any:
    """Decode one wire value as the Bot API would: strings stay strings, JSON values get parsed."""
    if not isinstance(value, str):
        return value
    if name in STRING_FIELDS and name not in NON_STRING_FIELDS_BY_METHOD.get(method, ()):
        return value
    if name in CHAT_ID_FIELDS:
        return int(value) if _INT_RE.match(value) else value
    try:
        return json.loads(value)
    except ValueError:
        return value


def decode_params(method: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Decode a dict of raw wire values (see :func:`decode_value`)."""
    return {name: decode_value(method, name, value) for name, value in raw.items()}


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units: the unit of Telegram's entity offsets and lengths."""
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request (e.g. sendDocument with a local file)."""

    filename: str | None
    content_type: str | None
    content: bytes = field(repr=False)


@dataclass(frozen=True)
class ApiCall:
    """One Bot API request. Compares equal on (method, params) only, so tests can write
    ``assert api.sent() == [ApiCall("sendMessage", {...})]``."""

    method: str
    params: dict[str, Any]
    path: str = field(default="", compare=False)  # raw request path, token included
    http_method: str = field(default="POST", compare=False)
    at: float = field(default=0.0, compare=False, repr=False)  # time.monotonic() on arrival


@dataclass
class _Failure:
    error_code: int
    description: str
    parameters: dict[str, Any] | None
    times: int


_KNOWN_METHODS = [
    "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo", "setMyCommands",
    "getMyCommands", "deleteMyCommands", "sendMessage", "editMessageText",
    "editMessageReplyMarkup", "editMessageCaption", "deleteMessage", "deleteMessages",
    "answerCallbackQuery", "answerInlineQuery", "sendChatAction", "close", "logOut", "getFile",
    "sendMediaGroup", "copyMessage", "copyMessages", "forwardMessage", "forwardMessages",
    "sendPhoto", "sendDocument",
]
_CANONICAL = {name.lower(): name for name in _KNOWN_METHODS}

_DEFAULT_DESCRIPTIONS = {
    400: "Bad Request: message text is empty",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


# --------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------


class FakeBotApi:
    """A Bot API server on 127.0.0.1 for tests: records every call, serves injected updates.

    Thread-safe: the HTTP server runs in its own daemon thread (one more per connection);
    tests call the helpers from the test thread or via ``asyncio.to_thread``.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        username: str = "newsdesk_bot",
        bot_id: int = 999,
        *,
        bot_name: str = "Newsdesk",
        max_poll_wait: float = 1.0,
    ) -> None:
        self.token = token
        self.username = username
        self.bot_id = bot_id
        self.bot_name = bot_name
        self.max_poll_wait = max_poll_wait  # cap for getUpdates long polling, seconds

        self._cond = threading.Condition()
        self._calls: list[ApiCall] = []
        self._paths: list[str] = []
        self._log: list[str] = []
        self._updates: list[dict[str, Any]] = []  # pushed and not yet confirmed by `offset`
        self._next_update_id = 1
        self._confirmed_below = 0  # every update_id below this has been confirmed
        self._msg_ids: dict[int | str, int] = {}  # last message_id per chat
        self._messages: dict[tuple[int | str, int], dict[str, Any]] = {}  # by (chat_id, message_id)
        self._last_bot_message: dict[int | str, int] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._chats: dict[int | str, dict[str, Any]] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._results: dict[str, Any] = {}
        self._delays: list[tuple[str, int | str | None, float]] = []  # (method, chat_id or None, seconds)
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._webhook_url = ""
        self._files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, content)
        self._allowed_updates: list[str] = []  # as last given to getUpdates ([]: Telegram's default)
        self._ids = itertools.count(1)

        self._stopping = False
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        self._handler_threads: set[threading.Thread] = set()
        self._busy = 0  # requests being handled
        self.port = 0

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> FakeBotApi:
        if self._server is not None:
            raise RuntimeError("FakeBotApi already started")
        self._stopping = False
        self._server = _Server(("127.0.0.1", 0), _Handler, self)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"FakeBotApi:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release long polls, close every connection, stop the server and join its threads."""
        server, thread = self._server, self._thread
        if server is None:
            return
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        server.shutdown()  # ends serve_forever
        # let requests in progress (long polls just released) finish their answer ...
        deadline = time.monotonic() + 1.0
        with self._cond:
            while self._busy and time.monotonic() < deadline:
                self._cond.wait(0.02)
            conns, handlers = list(self._conns), list(self._handler_threads)
        # ... then close every connection: idle keep-alive handlers block reading the next request
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        for t in handlers:
            t.join(2.0)
        server.server_close()
        if thread is not None:
            thread.join(5.0)
        self._server = self._thread = None

    def __enter__(self) -> FakeBotApi:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``; python-telegram-bot appends the token."""
        self._require_started()
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ``ApplicationBuilder().base_file_url(...)``; python-telegram-bot appends the token."""
        self._require_started()
        return f"http://127.0.0.1:{self.port}/file/bot"

    def _require_started(self) -> None:
        if self._server is None:
            raise RuntimeError("FakeBotApi is not started: call start() or use it as a context manager")

    # ---------------------------------------------------------------- inspection

    @property
    def calls(self) -> list[ApiCall]:
        """Every authorised API call so far, in arrival order (a copy)."""
        with self._cond:
            return list(self._calls)

    @property
    def paths(self) -> list[str]:
        """Raw path (with query string) of every HTTP request, rejected ones included."""
        with self._cond:
            return list(self._paths)

    @property
    def log(self) -> list[str]:
        """The HTTP server's access log lines (they are not printed)."""
        with self._cond:
            return list(self._log)

    def methods(self) -> list[str]:
        """Method names of all calls, in order: handy in assertion messages."""
        return [c.method for c in self.calls]

    def sent(self, method: str = "sendMessage") -> list[ApiCall]:
        return [c for c in self.calls if c.method == method]

    def clear(self) -> None:
        """Forget recorded calls (updates, chats and messages stay)."""
        with self._cond:
            self._calls.clear()

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0, *, since: int = 0) -> list[ApiCall]:
        """Block until at least ``count`` calls of ``method`` arrived (among ``calls[since:]``);
        return all of them. Raise AssertionError listing the calls seen on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [c for c in self._calls[since:] if c.method == method]
                if len(found) >= count:
                    return found
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = "\n".join(f"  {c.method} {c.params}" for c in self._calls[since:]) or "  (none)"
                    raise AssertionError(
                        f"expected {count} {method} call(s) within {timeout}s, got {len(found)}; calls seen:\n{seen}"
                    )
                self._cond.wait(remaining)

    def wait_confirmed(self, update_id: int | None = None, timeout: float = 10.0) -> None:
        """Block until the bot confirmed (via getUpdates offset) ``update_id`` (default: the last pushed).

        Confirmation means the update was fetched and queued, not that its handler finished."""
        deadline = time.monotonic() + timeout
        with self._cond:
            target = self._next_update_id - 1 if update_id is None else update_id
            while self._confirmed_below <= target:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"update {target} not confirmed within {timeout}s; calls: {self.methods()}")
                self._cond.wait(remaining)

    @property
    def pending(self) -> list[dict[str, Any]]:
        """Updates pushed and not yet confirmed."""
        with self._cond:
            return copy.deepcopy(self._updates)

    def last_bot_message(self, chat_id: int | str) -> dict[str, Any] | None:
        """The bot's latest message in a chat, as the server keeps it (edits applied)."""
        with self._cond:
            last = self._last_bot_message.get(chat_id)
            return copy.deepcopy(self._messages.get((chat_id, last))) if last else None

    def message_in(self, chat_id: int | str, message_id: int) -> dict[str, Any] | None:
        """The current state of a message the server knows (sent, edited, or pushed)."""
        with self._cond:
            msg = self._messages.get((chat_id, message_id))
            return copy.deepcopy(msg) if msg else None

    # ---------------------------------------------------------------- scripting

    def fail_next(
        self,
        method: str,
        error_code: int = 429,
        description: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        *,
        parameters: dict[str, Any] | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail with HTTP ``error_code`` and
        ``{"ok": false, "error_code", "description", "parameters"}``.

        ``retry_after`` defaults to 1 for 429 and is left out otherwise (python-telegram-bot raises
        RetryAfter whenever ``parameters.retry_after`` is truthy, whatever the status). The
        description defaults per code: 429 "Too Many Requests: retry after N", 403 "Forbidden: bot
        was blocked by the user", 400 "Bad Request: ...". Queued failures are used in order."""
        params = dict(parameters or {})
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if retry_after:
            params["retry_after"] = retry_after
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if error_code == 429
                else _DEFAULT_DESCRIPTIONS.get(error_code, f"Error {error_code}")
            )
        with self._cond:
            self._failures.setdefault(method, []).append(_Failure(error_code, description, params or None, times))

    def slow(self, method: str, seconds: float, chat_id: int | str | None = None) -> None:
        """Make every later call of ``method`` (to ``chat_id`` only, if given) take ``seconds`` before
        it is answered: a slow network or Telegram's own pacing, for tests of concurrency."""
        with self._cond:
            self._delays.append((method, chat_id, seconds))

    def _delay(self, method: str, params: dict[str, Any]) -> float:
        with self._cond:
            return sum(s for m, chat, s in self._delays
                       if m == method and (chat is None or chat == params.get("chat_id")))

    def set_result(self, method: str, result: Any | Callable[[dict[str, Any]], Any]) -> None:
        """Answer every later call of ``method`` with ``result`` (or ``result(params)`` if callable)."""
        with self._cond:
            self._results[method] = result

    def add_file(self, content: bytes, file_path: str = "documents/file.txt", file_id: str | None = None) -> str:
        """Make a file available to getFile / downloads; returns its file_id."""
        with self._cond:
            file_id = file_id or f"FILE{next(self._ids)}"
            self._files[file_id] = (file_path, content)
        return file_id

    # ---------------------------------------------------------------- update builders

    def push(self, update: dict[str, Any]) -> int:
        """Queue a raw update (any update_id in it is replaced); returns the assigned update_id."""
        with self._cond:
            update = dict(update)
            update_id = self._next_update_id
            self._next_update_id += 1
            update["update_id"] = update_id
            self._updates.append(update)
            self._cond.notify_all()
            return update_id

    def user(self, user_id: int = 1, first_name: str | None = None, username: str | None = None,
             language_code: str | None = None) -> dict[str, Any]:
        """The User object for ``user_id`` (remembered across updates; the first name defaults to "Ann", the
        language to "en": Telegram's language_code, e.g. "uk" or "uk-UA", is set with ``language_code``)."""
        with self._cond:
            user = self._users.get(user_id) or {"id": user_id, "is_bot": False, "first_name": "Ann", "language_code": "en"}
            if first_name is not None:
                user["first_name"] = first_name
            if language_code is not None:
                user["language_code"] = language_code
            if username is not None:
                user["username"] = username
            self._users[user_id] = user
            return dict(user)

    @property
    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": self.bot_name, "username": self.username}

    def message(
        self,
        text: str | None,
        user_id: int = 1,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str | None = None,
        username: str | None = None,
        reply_to_bot: bool = False,
        entities: list[dict[str, Any]] | None = None,
        edited: bool = False,
        **extra: Any,
    ) -> int:
        """Push a message (``edited=True``: an edited_message) from a user; returns the update_id.

        The user's first_name is remembered per user_id (default "Ann").
        ``chat_id`` defaults to ``user_id`` for private chats, to -424242 for "group" and
        -1001234567890 for "supergroup". ``entities=None`` detects them as Telegram does for a
        leading /command, @mentions and http(s) URLs (pass ``[]`` for none). ``reply_to_bot``
        sets reply_to_message to the bot's last message in the chat. ``extra`` keys are merged
        into the Message object (e.g. ``caption=...``, ``message_thread_id=...``), None values drop a key."""
        msg = self._user_message(user_id, chat_id, chat_type, first_name, username, reply_to_bot, edited)
        if text is not None:
            msg["text"] = text
            ents = _detect_entities(text) if entities is None else entities
            if ents:
                msg["entities"] = ents
        for key, value in extra.items():
            if value is None:
                msg.pop(key, None)
            else:
                msg[key] = value
        with self._cond:
            self._messages[(msg["chat"]["id"], msg["message_id"])] = copy.deepcopy(msg)
        return self.push({"edited_message" if edited else "message": msg})

    def command(self, text: str, user_id: int = 1, chat_id: int | None = None, chat_type: str = "private", **kwargs: Any) -> int:
        """Push a message starting with a /command (``/find x``, ``/find@newsdesk_bot x``) with
        its bot_command entity; other keyword arguments as for :meth:`message`."""
        if not text.startswith("/"):
            text = "/" + text
        cmd = text.split(maxsplit=1)[0] if text.strip() else text
        entities = [{"type": "bot_command", "offset": 0, "length": utf16_len(cmd)}]
        rest_offset = len(cmd)
        for ent in _detect_entities(text[rest_offset:]):
            if ent["type"] != "bot_command":
                ent["offset"] += utf16_len(text[:rest_offset])
                entities.append(ent)
        return self.message(text, user_id=user_id, chat_id=chat_id, chat_type=chat_type, entities=entities, **kwargs)

    def sticker(self, user_id: int = 1, chat_id: int | None = None, emoji: str = "👍", **kwargs: Any) -> int:
        """Push a message with a sticker and no text."""
        n = next(self._ids)
        sticker = {
            "file_id": f"STICKER{n}", "file_unique_id": f"USTICKER{n}", "type": "regular",
            "width": 512, "height": 512, "is_animated": False, "is_video": False, "emoji": emoji,
        }
        return self.message(None, user_id=user_id, chat_id=chat_id, sticker=sticker, **kwargs)

    def photo(self, user_id: int = 1, chat_id: int | None = None, caption: str | None = None, **kwargs: Any) -> int:
        """Push a message with a photo (two sizes), optionally captioned."""
        n = next(self._ids)
        sizes = [
            {"file_id": f"PHOTO{n}s", "file_unique_id": f"UPHOTO{n}s", "width": 90, "height": 60, "file_size": 1200},
            {"file_id": f"PHOTO{n}", "file_unique_id": f"UPHOTO{n}", "width": 1280, "height": 853, "file_size": 98000},
        ]
        if caption is not None:
            kwargs["caption"] = caption
        return self.message(None, user_id=user_id, chat_id=chat_id, photo=sizes, **kwargs)

    def callback(
        self,
        data: str,
        user_id: int = 1,
        chat_id: int | None = None,
        message_id: int | None = None,
        message_text: str | None = None,
        inline_message_id: str | None = None,
    ) -> int:
        """Push a callback_query (a user pressed an inline button) on a message sent by the bot.

        ``message_id`` defaults to the bot's last message in the chat (1 if none); the message
        (text, inline keyboard) is the one the server remembers, else a bot message with
        ``message_text`` (default "..."). With ``inline_message_id`` the button was under a message
        sent in inline mode: the query has that id and no message, as Telegram sends it."""
        user = self.user(user_id)
        if inline_message_id is not None:
            query = {"id": str(4_000_000 + next(self._ids)), "from": user, "inline_message_id": inline_message_id,
                     "chat_instance": str(7_000_000_000 + zlib.crc32(inline_message_id.encode())), "data": data}
            return self.push({"callback_query": query})
        chat_id = user_id if chat_id is None else chat_id
        with self._cond:
            if message_id is None:
                message_id = self._last_bot_message.get(chat_id, 1)
            msg = copy.deepcopy(self._messages.get((chat_id, message_id)))
            if msg is None or msg.get("from", {}).get("id") != self.bot_id:
                msg = {
                    "message_id": message_id, "from": self.bot_user, "chat": self._chat(chat_id),
                    "date": int(time.time()), "text": "...",
                }
        if message_text is not None:
            msg["text"] = message_text
        query = {
            "id": str(4_000_000 + next(self._ids)), "from": user, "message": msg,
            "chat_instance": str(7_000_000_000 + zlib.crc32(str(chat_id).encode())), "data": data,
        }
        return self.push({"callback_query": query})

    def reaction(self, message_id: int, new: tuple[str, ...] = ("👍",), old: tuple[str, ...] = (),
                 user_id: int = 1, chat_id: int | None = None) -> int:
        """Push a message_reaction update: ``user_id`` changed their reactions on ``message_id`` from
        the emoji ``old`` to ``new`` (``new=()``: took them back). Telegram sends it only to a bot that
        lists "message_reaction" in allowed_updates (and, in groups, is an admin there)."""
        chat_id = user_id if chat_id is None else chat_id
        emoji = lambda values: [{"type": "emoji", "emoji": e} for e in values]  # noqa: E731
        return self.push({"message_reaction": {
            "chat": self._chat(chat_id), "message_id": message_id, "user": self.user(user_id),
            "date": int(time.time()), "old_reaction": emoji(old), "new_reaction": emoji(new)}})

    def inline(self, query: str, user_id: int = 1, offset: str = "", chat_type: str | None = "sender") -> int:
        """Push an inline_query (``@newsdesk_bot <query>`` typed in any chat)."""
        iq = {"id": str(5_000_000 + next(self._ids)), "from": self.user(user_id), "query": query, "offset": offset}
        if chat_type:
            iq["chat_type"] = chat_type
        return self.push({"inline_query": iq})

    # ---------------------------------------------------------------- internals: objects

    def _chat(self, chat_id: int | str, chat_type: str | None = None, user: dict[str, Any] | None = None) -> dict[str, Any]:
        """The Chat object for chat_id, created on first use (caller may hold the lock)."""
        with self._cond:
            chat = self._chats.get(chat_id)
            if chat is None:
                if isinstance(chat_id, str):  # "@channel"
                    chat = {"id": -1009000000000 - len(self._chats), "type": "channel", "title": chat_id.lstrip("@"),
                            "username": chat_id.lstrip("@")}
                elif chat_type in (None, "private") and chat_id > 0:
                    u = user or self._users.get(chat_id) or {"first_name": "Ann"}
                    chat = {"id": chat_id, "type": "private", "first_name": u.get("first_name", "Ann")}
                    if u.get("username"):
                        chat["username"] = u["username"]
                else:
                    kind = chat_type or ("supergroup" if str(chat_id).startswith("-100") else "group")
                    chat = {"id": chat_id, "type": kind, "title": "Newsroom"}
                self._chats[chat_id] = chat
            return dict(chat)

    def _next_message_id(self, chat_id: int | str) -> int:
        with self._cond:
            n = self._msg_ids.get(chat_id, 0) + 1
            self._msg_ids[chat_id] = n
            return n

    def _user_message(self, user_id, chat_id, chat_type, first_name, username, reply_to_bot, edited) -> dict[str, Any]:
        user = self.user(user_id, first_name=first_name, username=username)
        if chat_id is None:
            chat_id = {"private": user_id, "group": -424242, "supergroup": -1001234567890}.get(chat_type)
            if chat_id is None:
                raise ValueError(f"give chat_id for chat_type={chat_type!r}")
        chat = self._chat(chat_id, chat_type, user)
        now = int(time.time())
        msg: dict[str, Any] = {"message_id": self._next_message_id(chat_id), "from": user, "chat": chat, "date": now}
        if edited:
            msg["edit_date"] = now
        if reply_to_bot:
            with self._cond:
                last = self._last_bot_message.get(chat_id)
                replied = copy.deepcopy(self._messages.get((chat_id, last))) if last else None
            if replied is None:
                replied = {"message_id": self._next_message_id(chat_id), "from": self.bot_user, "chat": chat,
                           "date": now, "text": "..."}
            replied.pop("reply_to_message", None)
            msg["reply_to_message"] = replied
        return msg

    def _bot_message(self, params: dict[str, Any], **content: Any) -> dict[str, Any]:
        chat_id = params.get("chat_id", 0)
        chat = self._chat(chat_id)
        msg: dict[str, Any] = {
            "message_id": self._next_message_id(chat_id), "from": self.bot_user, "chat": chat,
            "date": int(time.time()),
        }
        for key in ("text", "caption"):
            if key in params:
                msg[key] = params[key]
        for key in ("entities", "caption_entities", "message_thread_id", "link_preview_options", "business_connection_id"):
            if key in params:
                msg[key] = params[key]
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            msg["reply_markup"] = markup
        reply = params.get("reply_parameters") or (
            {"message_id": params["reply_to_message_id"]} if "reply_to_message_id" in params else None
        )
        if isinstance(reply, dict) and "message_id" in reply:
            with self._cond:
                replied = copy.deepcopy(self._messages.get((reply.get("chat_id", chat_id), reply["message_id"])))
            if replied:
                replied.pop("reply_to_message", None)
                msg["reply_to_message"] = replied
        msg.update(content)
        with self._cond:
            self._messages[(chat_id, msg["message_id"])] = copy.deepcopy(msg)
            self._last_bot_message[chat_id] = msg["message_id"]
        return msg

    def _check_reply(self, params: dict[str, Any]) -> None:
        reply = params.get("reply_parameters")
        if reply is None:
            return
        if not isinstance(reply, dict) or not isinstance(reply.get("message_id"), int):
            raise _ApiError(400, "Bad Request: invalid reply parameters")
        with self._cond:
            known = (reply.get("chat_id", params.get("chat_id")), reply["message_id"]) in self._messages
        if not known and not reply.get("allow_sending_without_reply"):
            raise _ApiError(400, "Bad Request: message to be replied not found")

    def _edit(self, params: dict[str, Any], **changes: Any) -> dict[str, Any] | bool:
        if "inline_message_id" in params:
            return True
        chat_id, message_id = params.get("chat_id", 0), params.get("message_id", 0)
        with self._cond:
            msg = self._messages.get((chat_id, message_id))
            if msg is None:
                msg = {"message_id": message_id, "from": self.bot_user, "chat": self._chat(chat_id),
                       "date": int(time.time()), "text": ""}
            before = copy.deepcopy(msg)
            msg = copy.deepcopy(msg)
            msg.update(changes)
            markup = params.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                msg["reply_markup"] = markup
            else:  # like Telegram: an edit without reply_markup removes the inline keyboard
                msg.pop("reply_markup", None)
            if msg == before:
                raise _ApiError(400, "Bad Request: message is not modified: specified new message content and "
                                     "reply markup are exactly the same as a content and reply markup of the current message")
            msg["edit_date"] = int(time.time())
            self._messages[(chat_id, message_id)] = copy.deepcopy(msg)
            return msg

    # ---------------------------------------------------------------- internals: dispatch

    def _record(self, method: str, params: dict[str, Any], path: str, http_method: str) -> None:
        with self._cond:
            self._calls.append(ApiCall(method, params, path, http_method, time.monotonic()))
            self._cond.notify_all()

    def _take_failure(self, method: str) -> _Failure | None:
        with self._cond:
            queue = self._failures.get(method)
            if not queue:
                return None
            failure = queue[0]
            failure.times -= 1
            if failure.times <= 0:
                queue.pop(0)
            return failure

    def _dispatch(self, method: str, params: dict[str, Any], handler: _Handler) -> tuple[int, dict[str, Any]]:
        failure = self._take_failure(method)
        if failure is not None:
            body: dict[str, Any] = {"ok": False, "error_code": failure.error_code, "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            return failure.error_code, body
        delay = self._delay(method, params)
        if delay:
            time.sleep(delay)
        with self._cond:
            scripted = self._results.get(method, _MISSING)
        if scripted is not _MISSING:
            result = scripted(params) if callable(scripted) else copy.deepcopy(scripted)
            return 200, {"ok": True, "result": result}
        if method == "getUpdates":
            return self._get_updates(params, handler)
        try:
            result = self._answer(method, params)
        except _ApiError as exc:
            return exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
        return 200, {"ok": True, "result": result}

    def _answer(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {
                **self.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": True, "can_connect_to_business": False, "has_main_web_app": False,
            }
        if method in ("deleteWebhook", "setWebhook"):
            with self._cond:
                self._webhook_url = params.get("url", "") if method == "setWebhook" else ""
                if params.get("drop_pending_updates"):
                    if self._updates:
                        self._confirmed_below = self._updates[-1]["update_id"] + 1
                    self._updates.clear()
                    self._cond.notify_all()
            return True
        if method == "getWebhookInfo":
            with self._cond:
                return {"url": self._webhook_url, "has_custom_certificate": False, "pending_update_count": len(self._updates)}
        if method in ("setMyCommands", "getMyCommands", "deleteMyCommands"):
            key = json.dumps([params.get("scope") or {"type": "default"}, params.get("language_code", "")], sort_keys=True)
            with self._cond:
                if method == "setMyCommands":
                    self._commands[key] = list(params.get("commands") or [])
                    return True
                if method == "deleteMyCommands":
                    self._commands.pop(key, None)
                    return True
                return copy.deepcopy(self._commands.get(key, []))
        _check_text(method, params)
        _check_markup(params.get("reply_markup"))
        _check_preview(params.get("link_preview_options"))
        self._check_reply(params)
        if method == "sendChatAction":
            if params.get("action") not in CHAT_ACTIONS:
                raise _ApiError(400, "Bad Request: wrong type of action")
            if "chat_id" not in params:
                raise _ApiError(400, "Bad Request: chat_id is empty")
            return True
        if method == "sendMessage":
            if not str(params.get("text", "")).strip():
                raise _ApiError(400, "Bad Request: message text is empty")
            return self._bot_message(params)
        if method == "editMessageText":
            return self._edit(params, text=params.get("text", ""), **({"entities": params["entities"]} if "entities" in params else {}))
        if method == "editMessageCaption":
            return self._edit(params, **({"caption": params["caption"]} if "caption" in params else {}))
        if method == "editMessageReplyMarkup":
            return self._edit(params)
        if method == "getFile":
            with self._cond:
                entry = self._files.get(params.get("file_id", ""))
            if entry is None:
                raise _ApiError(400, "Bad Request: invalid file_id")
            file_path, content = entry
            return {"file_id": params["file_id"], "file_unique_id": "U" + params["file_id"],
                    "file_size": len(content), "file_path": file_path}
        if method == "sendMediaGroup":
            return [self._bot_message({**params, **({"caption": m["caption"]} if isinstance(m, dict) and "caption" in m else {})})
                    for m in params.get("media") or [{}]]
        if method in ("copyMessage",):
            return {"message_id": self._next_message_id(params.get("chat_id", 0))}
        if method in ("copyMessages", "forwardMessages"):
            return [{"message_id": self._next_message_id(params.get("chat_id", 0))} for _ in params.get("message_ids") or []]
        if method == "sendPhoto":
            n = next(self._ids)
            return self._bot_message(params, photo=[{"file_id": f"SENTPHOTO{n}", "file_unique_id": f"USENTPHOTO{n}", "width": 800, "height": 600}])
        if method == "sendDocument":
            n = next(self._ids)
            return self._bot_message(params, document={"file_id": f"SENTDOC{n}", "file_unique_id": f"USENTDOC{n}"})
        if method == "forwardMessage" or (method.startswith("send") and method != "sendChatAction"):
            return self._bot_message(params)
        # deleteMessage(s), answerCallbackQuery, answerInlineQuery, sendChatAction, close, logOut, ...
        return True

    def _get_updates(self, params: dict[str, Any], handler: _Handler) -> tuple[int, dict[str, Any]]:
        with self._cond:
            if self._webhook_url:
                return 409, {"ok": False, "error_code": 409,
                             "description": "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
            offset = _as_int(params.get("offset"), 0)
            limit = min(max(_as_int(params.get("limit"), 100), 1), 100)
            if isinstance(params.get("allowed_updates"), list):  # remembered until given again
                self._allowed_updates = list(params["allowed_updates"])
            timeout = max(_as_float(params.get("timeout"), 0.0), 0.0)
            if offset > 0:
                before = len(self._updates)
                self._updates = [u for u in self._updates if u["update_id"] >= offset]
                self._confirmed_below = max(self._confirmed_below, offset)
                if len(self._updates) != before:
                    self._cond.notify_all()
            elif offset < 0:  # the last -offset updates; earlier ones are forgotten
                dropped = self._updates[:offset]
                self._updates = self._updates[offset:]
                if dropped:
                    self._confirmed_below = max(self._confirmed_below, dropped[-1]["update_id"] + 1)
            deadline = time.monotonic() + min(timeout, self.max_poll_wait)
            while not self._deliverable() and not self._stopping:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._cond.wait(min(remaining, 0.05))
                if handler.client_gone():  # python-telegram-bot cancelled the long poll
                    handler.close_connection = True
                    return 0, {}
            result = copy.deepcopy(self._deliverable()[:limit])
        return 200, {"ok": True, "result": result}

    def _deliverable(self) -> list[dict[str, Any]]:
        """The pending updates of the kinds the bot asked for (Telegram's default: all but
        chat_member, message_reaction and message_reaction_count, which must be asked for by name)."""
        wanted = set(self._allowed_updates)
        def kind(update: dict[str, Any]) -> str:
            return next(k for k in update if k != "update_id")
        if wanted:
            return [u for u in self._updates if kind(u) in wanted]
        return [u for u in self._updates if kind(u) not in _ONLY_IF_ASKED]


_MISSING = object()


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def _as_int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _as_float(value: Any, default: float) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


_ONLY_IF_ASKED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset({"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
                          "upload_document", "choose_sticker", "find_location", "record_video_note",
                          "upload_video_note"})
_BUTTON_ACTIONS = ("url", "callback_data", "web_app", "login_url", "switch_inline_query",
                   "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
                   "callback_game", "pay")
_PREVIEW_FIELDS = frozenset({"is_disabled", "url", "prefer_small_media", "prefer_large_media", "show_above_text"})


def _check_markup(markup: Any) -> None:
    """What Telegram checks of an inline keyboard."""
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return
    rows = markup["inline_keyboard"]
    if sum(len(row) for row in rows) > 100:
        raise _ApiError(400, "Bad Request: too many buttons")  # (Telegram: "reply markup is too long")
    for row in rows:
        if len(row) > 8:
            raise _ApiError(400, "Bad Request: too many buttons in a row")
        for button in row:
            actions = [a for a in _BUTTON_ACTIONS if a in button]
            if not str(button.get("text", "")).strip() or len(actions) != 1:
                raise _ApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
            if "callback_data" in button and not 1 <= len(str(button["callback_data"]).encode()) <= 64:
                raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
            if "copy_text" in button:
                copied = button["copy_text"].get("text") if isinstance(button["copy_text"], dict) else None
                if not isinstance(copied, str) or not 1 <= utf16_len(copied) <= 256:
                    raise _ApiError(400, "Bad Request: BUTTON_COPY_TEXT_INVALID")


def _check_preview(options: Any) -> None:
    if options is None:
        return
    if not isinstance(options, dict) or set(options) - _PREVIEW_FIELDS:
        raise _ApiError(400, "Bad Request: can't parse link preview options")
    if options.get("prefer_small_media") and options.get("prefer_large_media"):
        raise _ApiError(400, "Bad Request: can't prefer both small and large media")


TEXT_LIMIT, CAPTION_LIMIT = 4096, 1024
_HTML_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "blockquote",
              "tg-spoiler", "span", "tg-emoji"}
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s[^>]*)?)>")


def parse_html(html: str) -> str:
    """The text Telegram shows for an HTML message (tags removed, entities decoded); raises
    ValueError with Telegram's words for what its parser rejects."""
    import html as html_module

    shown, stack, at = [], [], 0
    for match in _TAG.finditer(html):
        between = html[at:match.start()]
        if "<" in between:
            raise ValueError(f"Unsupported start tag at byte offset {len(html[:at + between.index('<')].encode())}")
        shown.append(between)
        closing, name, attributes = match.group(1), match.group(2).lower(), match.group(3)
        if name not in _HTML_TAGS:
            raise ValueError(f'Unsupported start tag "{name}" at byte offset {len(html[:match.start()].encode())}')
        if closing:
            if not stack or stack[-1] != name:
                raise ValueError(f'Unmatched end tag at byte offset {len(html[:match.start()].encode())}, '
                                 f'expected "</{stack[-1] if stack else ""}>", found "</{name}>"')
            stack.pop()
        else:
            if name == "a" and not re.search(r"\bhref\s*=", attributes):
                raise ValueError("Can't find href in a tag")  # (Telegram drops the link; stricter here)
            if name == "blockquote":
                if attributes.strip() not in ("", "expandable"):
                    raise ValueError(f'Unsupported attribute "{attributes.strip()}" in a blockquote tag')
                if "blockquote" in stack:
                    raise ValueError("Blockquote entities can't be nested")
            stack.append(name)
        at = match.end()
    rest = html[at:]
    if "<" in rest:
        raise ValueError(f"Unsupported start tag at byte offset {len(html[:at + rest.index('<')].encode())}")
    shown.append(rest)
    if stack:
        raise ValueError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return html_module.unescape("".join(shown))


def _check_text(method: str, params: dict[str, Any]) -> None:
    """What Telegram checks of a message's text or a file's caption before sending it."""
    for key, parse_key, limit, too_long in (("text", "parse_mode", TEXT_LIMIT, "message is too long"),
                                            ("caption", "parse_mode", CAPTION_LIMIT, "message caption is too long")):
        value = params.get(key)
        if not isinstance(value, str):
            continue
        if params.get(parse_key) == "HTML":
            try:
                value = parse_html(value)
            except ValueError as error:
                raise _ApiError(400, f"Bad Request: can't parse entities: {error}") from None
        if utf16_len(value.strip()) > limit:
            raise _ApiError(400, f"Bad Request: {too_long}")


_ENTITY_RES = [
    ("mention", re.compile(r"(?<![\w@])@[A-Za-z][A-Za-z0-9_]{3,31}\b")),
    ("url", re.compile(r"\bhttps?://[^\s<>\"]+[^\s<>\".,;:!?)\]]")),
]
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z][A-Za-z0-9_]{3,31})?(?=\s|$)")


def _detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram's clients would mark: a leading /command, @mentions and URLs."""
    found: list[tuple[int, int, str]] = []
    m = _COMMAND_RE.match(text)
    if m:
        found.append((m.start(), m.end(), "bot_command"))
    for kind, rx in _ENTITY_RES:
        for m in rx.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), kind))
    found.sort()
    return [{"type": kind, "offset": utf16_len(text[:s]), "length": utf16_len(text[s:e])} for s, e, kind in found]


# --------------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], handler: type, api: FakeBotApi) -> None:
        self.api = api
        super().__init__(address, handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as python-telegram-bot's httpx pool expects
    timeout = 60  # socket timeout: a backstop against a stuck client
    disable_nagle_algorithm = True  # headers and body go out in two writes: avoid 40 ms delayed-ACK stalls
    server: _Server
    server_version = "FakeBotApi/1.0"

    # -- connection tracking so stop() can close idle keep-alive connections
    def setup(self) -> None:
        super().setup()
        api = self.server.api
        with api._cond:
            api._conns.add(self.connection)
            api._handler_threads.add(threading.current_thread())

    def finish(self) -> None:
        api = self.server.api
        with api._cond:
            api._conns.discard(self.connection)
            api._handler_threads.discard(threading.current_thread())
        try:
            super().finish()
        except OSError:
            pass

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        with self.server.api._cond:
            self.server.api._log.append(f"{self.address_string()} {format % args}")

    def client_gone(self) -> bool:
        """True when the client closed the connection (e.g. a cancelled long poll)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if not readable:
                return False
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except (OSError, ValueError):
            return True

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def _handle(self) -> None:
        api = self.server.api
        with api._cond:
            api._paths.append(self.path)
            api._busy += 1
        try:
            self._handle_request()
        finally:
            with api._cond:
                api._busy -= 1
                api._cond.notify_all()

    def _handle_request(self) -> None:
        api = self.server.api
        try:
            body = self._read_body()
        except (OSError, ValueError) as exc:
            self._reply(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
            return
        split = urlsplit(self.path)
        parts = unquote(split.path).split("/")
        # /bot<token>/<method>   or   /file/bot<token>/<file_path...>
        if len(parts) >= 3 and parts[1] == "file" and parts[2].startswith("bot"):
            self._serve_file(parts[2][3:], "/".join(parts[3:]))
            return
        if len(parts) != 3 or not parts[1].startswith("bot") or not parts[2]:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        if parts[1][3:] != api.token:
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        method = _CANONICAL.get(parts[2].lower(), parts[2])
        try:
            raw = self._raw_params(split.query, body)
        except ValueError as exc:
            self._reply(400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"})
            return
        params = decode_params(method, raw)
        api._record(method, params, self.path, self.command)
        status, payload = api._dispatch(method, params, self)
        if status == 0:  # client went away
            return
        self._reply(status, payload)

    def _serve_file(self, token: str, file_path: str) -> None:
        api = self.server.api
        if token != api.token:
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        with api._cond:
            content = next((c for p, c in api._files.values() if p == file_path), None)
        if content is None:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        self._send(200, content, "application/octet-stream")

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _raw_params(self, query: str, body: bytes) -> dict[str, Any]:
        raw: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        ctype = self.headers.get("Content-Type", "")
        kind = ctype.split(";")[0].strip().lower()
        if not body:
            return raw
        if kind == "application/json":
            data = json.loads(body.decode("utf-8"))
            if not isinstance(data, dict):
                raise ValueError("JSON body must be an object")
            raw.update(data)
        elif kind == "multipart/form-data":
            msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode("latin-1") + b"\r\n\r\n" + body
            )
            if not msg.is_multipart():
                raise ValueError("malformed multipart body")
            for part in msg.iter_parts():
                name = part.get_param("name", header="content-disposition")
                if name is None:
                    continue
                payload = part.get_payload(decode=True) or b""
                filename = part.get_filename()
                if filename is not None:
                    raw[name] = UploadedFile(filename, part.get_content_type(), payload)
                else:
                    raw[name] = payload.decode(part.get_content_charset() or "utf-8")
        else:  # application/x-www-form-urlencoded (python-telegram-bot without files), or unspecified
            raw.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        return raw

    def _reply(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            if self.server.api._stopping:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:  # the client went away (e.g. cancelled request)
            self.close_connection = True

