"""Self-test of tests/botapi.py: the fake Bot API server, raw and under python-telegram-bot's real Application."""

from __future__ import annotations

import asyncio
import inspect
import json
import threading
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import Forbidden
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from tests.botapi import (
    CHAT_ID_FIELDS,
    NON_STRING_FIELDS_BY_METHOD,
    STRING_FIELDS,
    ApiCall,
    FakeBotApi,
    UploadedFile,
)

TOKEN = "123456:TEST-TOKEN"
KEYBOARD = {"inline_keyboard": [[{"text": "More", "callback_data": "x:1"}]]}


@pytest.fixture
def api():
    before = set(threading.enumerate())
    with FakeBotApi(TOKEN) as server:
        yield server
    leftover = [t for t in threading.enumerate() if t not in before and t.is_alive()]
    assert not leftover, f"threads left running after stop(): {leftover}"


@pytest.fixture
def http(api):
    with httpx.Client(base_url=f"http://127.0.0.1:{api.port}", timeout=5, trust_env=False) as client:
        yield client


def post(http: httpx.Client, method: str, token: str = TOKEN, **kwargs) -> httpx.Response:
    return http.post(f"/bot{token}/{method}", **kwargs)


# ---------------------------------------------------------------------------- raw HTTP


def test_get_me_token_check_and_paths(api, http):
    r = post(http, "getMe")
    assert r.status_code == 200
    me = r.json()["result"]
    assert me["id"] == 999 and me["is_bot"] and me["username"] == "newsdesk_bot"

    r = post(http, "getMe", token="654321:OTHER")
    assert r.status_code == 401
    assert r.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert http.get("/favicon.ico").status_code == 404

    assert [c.method for c in api.calls] == ["getMe"]  # rejected requests are not calls ...
    assert api.paths == [f"/bot{TOKEN}/getMe", "/bot654321:OTHER/getMe", "/favicon.ico"]  # ... but are logged
    assert api.calls[0].path == f"/bot{TOKEN}/getMe"
    assert len(api.log) == 3


def test_params_are_decoded_from_every_encoding(api, http):
    markup = '{"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}'
    # form-urlencoded, as python-telegram-bot sends: strings raw, everything else JSON-encoded
    r = post(http, "sendMessage", data={"chat_id": "42", "text": "123", "reply_markup": markup,
                                        "disable_notification": "true"})
    assert r.status_code == 200
    msg = r.json()["result"]
    assert msg["text"] == "123" and msg["chat"]["id"] == 42 and msg["from"]["id"] == 999
    assert msg["reply_markup"] == {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}
    # JSON body
    post(http, "sendMessage", json={"chat_id": 42, "text": "[1, 2]", "reply_markup": markup})
    # multipart, with a file
    post(http, "sendDocument", data={"chat_id": "@newsroom", "caption": "true"},
         files={"document": ("notes.txt", b"line\r\nbin\x00\xff\n", "text/plain")})
    # query string
    http.get(f"/bot{TOKEN}/getUpdates?offset=5&limit=2&timeout=0")
    # a string-typed `offset` (answerInlineQuery's next_offset, getUserGifts' offset) stays a string
    post(http, "answerInlineQuery", data={"inline_query_id": "7", "results": "[]", "next_offset": "10"})

    calls = api.calls
    assert calls[0] == ApiCall("sendMessage", {
        "chat_id": 42, "text": "123", "disable_notification": True,
        "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]},
    })
    assert calls[1].params == {"chat_id": 42, "text": "[1, 2]",
                               "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}}
    assert calls[2].params["chat_id"] == "@newsroom" and calls[2].params["caption"] == "true"
    assert calls[2].params["document"] == UploadedFile("notes.txt", "text/plain", b"line\r\nbin\x00\xff\n")
    assert calls[2].params["document"].content == b"line\r\nbin\x00\xff\n"
    assert (calls[3].method, calls[3].http_method, calls[3].params) == ("getUpdates", "GET", {"offset": 5, "limit": 2, "timeout": 0})
    assert calls[4].params == {"inline_query_id": "7", "results": [], "next_offset": "10"}


def test_message_ids_increase_per_chat_and_edits_track_state(api, http):
    ids = [post(http, "sendMessage", data={"chat_id": str(c), "text": "hi"}).json()["result"]["message_id"]
           for c in (1, 1, 2, 1)]
    assert ids == [1, 2, 1, 3]
    api.message("from the user", user_id=1)  # users' messages share the chat's counter
    assert post(http, "sendMessage", data={"chat_id": "1", "text": "x"}).json()["result"]["message_id"] == 5

    r = post(http, "editMessageText", data={"chat_id": "1", "message_id": "5", "text": "y",
                                            "reply_markup": '{"inline_keyboard": [[{"text": "b", "callback_data": "c"}]]}'})
    edited = r.json()["result"]
    assert edited["text"] == "y" and "edit_date" in edited and edited["reply_markup"]["inline_keyboard"][0][0]["text"] == "b"
    # same content again: Telegram's "message is not modified"
    r = post(http, "editMessageText", data={"chat_id": "1", "message_id": "5", "text": "y",
                                            "reply_markup": '{"inline_keyboard": [[{"text": "b", "callback_data": "c"}]]}'})
    assert r.status_code == 400 and "not modified" in r.json()["description"]
    # an edit without reply_markup drops the keyboard, as Telegram does
    assert "reply_markup" not in post(http, "editMessageText", data={"chat_id": "1", "message_id": "5", "text": "z"}).json()["result"]
    assert api.message_in(1, 5)["text"] == "z"
    assert post(http, "sendMessage", data={"chat_id": "1", "text": " "}).status_code == 400  # empty text


def test_get_updates_offset_limit_and_long_poll(api, http):
    first = api.message("one")
    api.command("/start")
    third = api.sticker()
    assert first == 1 and third == 3

    got = post(http, "getUpdates", data={"limit": "2"}).json()["result"]
    assert [u["update_id"] for u in got] == [1, 2]
    assert got[0]["message"]["text"] == "one"
    assert got[1]["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    # without offset nothing is confirmed: the same updates come again
    assert [u["update_id"] for u in post(http, "getUpdates").json()["result"]] == [1, 2, 3]
    # offset confirms (and drops) everything below it
    assert [u["update_id"] for u in post(http, "getUpdates", data={"offset": "3"}).json()["result"]] == [3]
    assert [u["update_id"] for u in post(http, "getUpdates", data={"offset": "1"}).json()["result"]] == [3]
    api.wait_confirmed(2, timeout=0)
    with pytest.raises(AssertionError):
        api.wait_confirmed(3, timeout=0.05)

    # long poll with nothing to serve: held, but capped at max_poll_wait (1 s), not 30 s
    post(http, "getUpdates", data={"offset": "4", "timeout": "0"})
    t0 = time.monotonic()
    assert post(http, "getUpdates", data={"offset": "4", "timeout": "30"}).json()["result"] == []
    assert 0.9 <= time.monotonic() - t0 < 2.0

    # a push releases a waiting long poll at once
    timer = threading.Timer(0.2, api.message, args=("late",))
    timer.start()
    t0 = time.monotonic()
    got = post(http, "getUpdates", data={"offset": "4", "timeout": "30"}).json()["result"]
    assert [u["message"]["text"] for u in got] == ["late"] and time.monotonic() - t0 < 0.8
    timer.join()


def test_stop_releases_a_waiting_long_poll():
    api = FakeBotApi(max_poll_wait=30).start()
    result: dict = {}

    def poll():
        with httpx.Client(timeout=10, trust_env=False) as c:
            t0 = time.monotonic()
            try:
                result["body"] = c.post(f"{api.base_url}{TOKEN}/getUpdates", data={"timeout": "30"}).json()
            except httpx.HTTPError as exc:
                result["error"] = exc
            result["elapsed"] = time.monotonic() - t0

    t = threading.Thread(target=poll)
    t.start()
    api.wait_for("getUpdates", timeout=5)
    time.sleep(0.1)
    t0 = time.monotonic()
    api.stop()
    assert time.monotonic() - t0 < 1.5
    t.join(5)
    assert result["elapsed"] < 3
    assert result.get("body") == {"ok": True, "result": []}


def test_webhook_drop_pending_and_commands(api, http):
    api.message("old")
    assert post(http, "setWebhook", data={"url": "https://example.invalid/hook"}).json()["result"] is True
    assert post(http, "getWebhookInfo").json()["result"]["url"] == "https://example.invalid/hook"
    assert post(http, "getUpdates").status_code == 409  # like Telegram while a webhook is set
    assert post(http, "deleteWebhook", data={"drop_pending_updates": "true"}).json()["result"] is True
    assert post(http, "getWebhookInfo").json()["result"] == {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
    assert post(http, "getUpdates").json()["result"] == []
    for method in ("close", "logOut", "deleteMessage", "someFutureMethod"):
        assert post(http, method, data={"chat_id": "1"}).json() == {"ok": True, "result": True}
    assert api.calls[-1].method == "someFutureMethod"


def test_newer_fields_are_checked_as_telegram_checks_them(api, http):
    def send(**fields):
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in {"chat_id": 1, **fields}.items()}
        return post(http, "sendMessage", data=data)

    assert post(http, "sendChatAction", data={"chat_id": "1", "action": "typing"}).json() == {"ok": True, "result": True}
    assert post(http, "sendChatAction", data={"chat_id": "1", "action": "dancing"}).json()["description"] == (
        "Bad Request: wrong type of action")
    # expandable blockquotes, not nested
    assert send(text="<b>a</b>\n<blockquote expandable>b <b>c</b></blockquote>", parse_mode="HTML").status_code == 200
    nested = send(text="<blockquote>a<blockquote expandable>b</blockquote></blockquote>", parse_mode="HTML")
    assert nested.json()["description"] == "Bad Request: can't parse entities: Blockquote entities can't be nested"
    assert send(text="<blockquote open>b</blockquote>", parse_mode="HTML").status_code == 400
    # copy buttons: 1-256 characters; one action a button; at most 8 a row
    copy = {"text": "📋 1", "copy_text": {"text": "“q” — Outlet"}}
    assert send(text="a", reply_markup={"inline_keyboard": [[copy]]}).status_code == 200
    too_long = {"text": "📋", "copy_text": {"text": "x" * 257}}
    assert send(text="a", reply_markup={"inline_keyboard": [[too_long]]}).json()["description"] == (
        "Bad Request: BUTTON_COPY_TEXT_INVALID")
    assert send(text="a", reply_markup={"inline_keyboard": [[{"text": "x"}]]}).status_code == 400
    assert send(text="a", reply_markup={"inline_keyboard": [[copy] * 9]}).status_code == 400
    # replies: to a message the chat has, unless allowed without one
    api.message("question", user_id=1)
    asked = api.pending[-1]["message"]["message_id"]
    assert send(text="a", reply_parameters={"message_id": asked}).status_code == 200
    assert api.last_bot_message(1)["reply_to_message"]["text"] == "question"
    assert send(text="a", reply_parameters={"message_id": 99}).json()["description"] == (
        "Bad Request: message to be replied not found")
    assert send(text="a", reply_parameters={"message_id": 99, "allow_sending_without_reply": True}).status_code == 200
    # link previews
    assert send(text="a", link_preview_options={"url": "https://x.example", "prefer_small_media": True}).status_code == 200
    assert send(text="a", link_preview_options={"prefer_small_media": True, "prefer_large_media": True}).status_code == 400
    assert send(text="a", link_preview_options={"colour": "red"}).status_code == 400


def test_reactions_reach_only_a_bot_that_asks_for_them(api, http):
    api.reaction(5, ("👍",), user_id=3)
    api.message("hi", user_id=3)
    kinds = [next(k for k in u if k != "update_id") for u in post(http, "getUpdates").json()["result"]]
    assert kinds == ["message"]  # Telegram's default leaves message_reaction out
    updates = post(http, "getUpdates", data={"allowed_updates": json.dumps(["message", "message_reaction"])}).json()
    [reaction, message] = updates["result"]
    assert reaction["message_reaction"]["new_reaction"] == [{"type": "emoji", "emoji": "👍"}]
    assert reaction["message_reaction"]["user"]["id"] == 3 and reaction["message_reaction"]["message_id"] == 5
    assert reaction["message_reaction"]["old_reaction"] == []


def test_fail_next_answers_errors_then_recovers(api, http):
    api.fail_next("sendMessage", 429, times=2)
    api.fail_next("sendMessage", 403)
    for _ in range(2):
        r = post(http, "sendMessage", data={"chat_id": "1", "text": "a"})
        assert r.status_code == 429
        assert r.json() == {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 1",
                            "parameters": {"retry_after": 1}}
    r = post(http, "sendMessage", data={"chat_id": "1", "text": "a"})
    assert r.status_code == 403
    assert r.json() == {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
    assert post(http, "sendMessage", data={"chat_id": "1", "text": "a"}).status_code == 200
    assert len(api.sent()) == 4  # failed calls are recorded too

    api.set_result("getChatMemberCount", 17)
    assert post(http, "getChatMemberCount", data={"chat_id": "-5"}).json()["result"] == 17


def test_wait_for_reports_what_it_saw(api, http):
    post(http, "getMe")
    with pytest.raises(AssertionError, match=r"(?s)expected 1 sendMessage call\(s\).*getMe {}"):
        api.wait_for("sendMessage", timeout=0.1)


def test_update_builders_are_realistic(api):
    api.message("hi @someone see https://example.com/a.", user_id=5, first_name="Bo", username="bo")
    api.command("/find@newsdesk_bot Rovno", user_id=5, chat_type="supergroup")
    api.message("reply", user_id=5, chat_id=-7, chat_type="group", reply_to_bot=True)
    api.message("fixed", user_id=5, edited=True)
    api.photo(user_id=5, caption="pic")
    api.callback("x:1", user_id=5)
    api.inline("rovno", user_id=5)
    u = api.pending
    m = u[0]["message"]
    assert m["from"] == {"id": 5, "is_bot": False, "first_name": "Bo", "language_code": "en", "username": "bo"}
    assert m["chat"] == {"id": 5, "type": "private", "first_name": "Bo", "username": "bo"}
    assert m["entities"] == [{"type": "mention", "offset": 3, "length": 8}, {"type": "url", "offset": 16, "length": 21}]
    c = u[1]["message"]
    assert c["chat"]["type"] == "supergroup" and c["chat"]["id"] < 0
    assert c["entities"] == [{"type": "bot_command", "offset": 0, "length": 18}]
    assert u[2]["message"]["reply_to_message"]["from"]["id"] == 999
    assert "edited_message" in u[3] and "edit_date" in u[3]["edited_message"]
    assert u[4]["message"]["caption"] == "pic" and len(u[4]["message"]["photo"]) == 2
    assert u[5]["callback_query"]["data"] == "x:1" and u[5]["callback_query"]["message"]["from"]["is_bot"]
    assert u[6]["inline_query"]["query"] == "rovno"
    # python-telegram-bot parses every one of them
    bot = Bot(TOKEN)
    for raw in u:
        assert Update.de_json(raw, bot).update_id == raw["update_id"]


# ---------------------------------------------------------------------------- python-telegram-bot


def build_app(api: FakeBotApi, rate_limiter: AIORateLimiter | None = None) -> Application:
    builder = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .get_updates_read_timeout(3)
    )
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    return builder.build()


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("More", callback_data="x:1")]])
    await update.message.reply_text(update.message.text.upper(), reply_markup=keyboard)


async def on_find(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await context.bot.send_message(update.effective_chat.id, f"finding {' '.join(context.args)}")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer("Loading")
    await query.edit_message_text(f"{query.message.text} (expanded {query.data})")


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    q = update.inline_query.query
    await update.inline_query.answer(
        [InlineQueryResultArticle(id="1", title=f"About {q}", input_message_content=InputTextMessageContent(f"News on {q}"))],
        cache_time=0,
    )


def add_handlers(app: Application) -> None:
    app.add_handler(CommandHandler("find", on_find))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, on_text))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(InlineQueryHandler(on_inline))


async def running(app: Application, body: Callable[[], Awaitable[None]]) -> None:
    """The Application lifecycle a test should use (what run_polling does, minus signals)."""
    async with app:  # initialize() -> getMe; on exit shutdown()
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)  # deleteWebhook, then getUpdates
        try:
            await body()
        finally:
            await app.updater.stop()  # cancels the long poll, then getUpdates(offset, timeout=0)
            await app.stop()


def run(body: Callable[[], Awaitable[None]], timeout: float = 20) -> None:
    asyncio.run(asyncio.wait_for(body(), timeout))


async def wait_for(api: FakeBotApi, method: str, count: int = 1, timeout: float = 5) -> list[ApiCall]:
    return await asyncio.to_thread(api.wait_for, method, count, timeout)


def test_application_round_trip(api):
    app = build_app(api)
    add_handlers(app)

    async def body() -> None:
        # a text message: upper-cased reply with a button
        api.message("rovno shelling", user_id=42, first_name="Olena")
        [call] = await wait_for(api, "sendMessage")
        assert call.params == {"chat_id": 42, "text": "ROVNO SHELLING", "reply_markup": KEYBOARD}

        # the button: answered, and the message edited in place
        api.callback("x:1", user_id=42)
        [answer] = await wait_for(api, "answerCallbackQuery")
        assert answer.params == {"callback_query_id": answer.params["callback_query_id"], "text": "Loading"}
        assert answer.params["callback_query_id"].isdigit()
        [edit] = await wait_for(api, "editMessageText")
        assert edit.params == {"chat_id": 42, "message_id": 2, "text": "ROVNO SHELLING (expanded x:1)"}
        assert api.message_in(42, 2)["text"] == "ROVNO SHELLING (expanded x:1)"

        # an inline query
        api.inline("kupyansk", user_id=42)
        [inline] = await wait_for(api, "answerInlineQuery")
        assert inline.params == {
            "inline_query_id": inline.params["inline_query_id"],
            "cache_time": 0,
            "results": [{
                "type": "article", "id": "1", "title": "About kupyansk",
                "input_message_content": {"message_text": "News on kupyansk"},
            }],
        }

        # a command addressed to the bot by name in a group; a sticker gets no answer
        api.sticker(user_id=42)
        api.command("/find@newsdesk_bot rovno", user_id=42, chat_type="group")
        sends = await wait_for(api, "sendMessage", count=2)
        assert sends[1].params == {"chat_id": -424242, "text": "finding rovno"}
        assert len(api.sent()) == 2  # updates are handled in order: the sticker was already ignored

    run(lambda: running(app, body))

    methods = api.methods()
    assert methods[:3] == ["getMe", "deleteWebhook", "getUpdates"]
    assert methods[-1] == "getUpdates" and api.calls[-1].params["timeout"] == 0  # the confirming call on stop
    assert api.pending == []  # every update confirmed
    assert api.calls[0].params == {} and api.calls[1].params == {}
    assert all(c.path.startswith(f"/bot{TOKEN}/") for c in api.calls)


# RetryAfter.__init__ itself reads its deprecated int `retry_after` (python-telegram-bot 22.2+).
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
def test_rate_limited_send_is_retried(api):
    app = build_app(api, AIORateLimiter(max_retries=2))
    add_handlers(app)
    api.fail_next("sendMessage", 429, retry_after=1)

    async def body() -> None:
        api.message("hello", user_id=7)
        calls = await wait_for(api, "sendMessage", count=2)
        assert calls[0].params == calls[1].params == {"chat_id": 7, "text": "HELLO", "reply_markup": KEYBOARD}
        assert calls[1].at - calls[0].at >= 1.0  # the limiter waited retry_after (+0.1 s)

    t0 = time.monotonic()
    run(lambda: running(app, body))
    assert len(api.sent()) == 2
    assert time.monotonic() - t0 < 5


def test_blocked_user_surfaces_as_forbidden(api):
    app = build_app(api)
    add_handlers(app)
    errors: list[BaseException] = []

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)

    app.add_error_handler(on_error)
    api.fail_next("sendMessage", 403)

    async def body() -> None:
        api.message("hello", user_id=8)
        api.message("again", user_id=8)
        await wait_for(api, "sendMessage", count=2)
        for _ in range(100):
            if errors:
                break
            await asyncio.sleep(0.01)

    run(lambda: running(app, body))
    assert len(errors) == 1 and isinstance(errors[0], Forbidden)
    assert "blocked by the user" in str(errors[0])


def test_plain_bot_methods_round_trip(api):
    file_id = api.add_file(b"%PDF-1.4 report", "documents/report.pdf")

    async def body() -> None:
        async with Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
            assert bot.username == "newsdesk_bot"
            msg = await bot.send_message(42, "123")
            assert msg.text == "123" and msg.from_user.id == 999 and msg.chat.id == 42
            await bot.send_chat_action(42, "typing")
            await bot.set_my_commands([BotCommand("find", "Search the archive")])
            assert [c.command for c in await bot.get_my_commands()] == ["find"]
            assert await bot.delete_my_commands()
            assert await bot.get_my_commands() == ()
            f = await bot.get_file(file_id)
            assert bytes(await f.download_as_bytearray()) == b"%PDF-1.4 report"
            doc = await bot.send_document(42, b"notes", filename="n.txt", caption="42")
            assert doc.caption == "42" and doc.document is not None
            assert await bot.delete_message(42, msg.message_id)

    run(body)
    by = {c.method: c.params for c in api.calls}
    assert by["sendMessage"] == {"chat_id": 42, "text": "123"}
    assert by["sendChatAction"] == {"chat_id": 42, "action": "typing"}
    assert by["setMyCommands"] == {"commands": [{"command": "find", "description": "Search the archive"}]}
    assert by["sendDocument"]["caption"] == "42" and by["sendDocument"]["document"].content == b"notes"
    assert by["deleteMessage"] == {"chat_id": 42, "message_id": 1}
    assert all(TOKEN not in p.replace(f"/bot{TOKEN}/", "").replace(f"/file/bot{TOKEN}/", "") for p in api.paths)


def test_string_fields_cover_every_str_parameter_of_ptb():
    """A str-typed Bot API parameter missing from STRING_FIELDS would arrive JSON-decoded ("123" -> 123)."""
    missing = set()
    for name, fn in inspect.getmembers(Bot, inspect.iscoroutinefunction):
        if name.startswith("_") or name != name.lower():
            continue
        for p in inspect.signature(fn).parameters.values():
            if str(p.annotation) in ("str", "str | None") and p.name not in STRING_FIELDS | CHAT_ID_FIELDS:
                missing.add((name, p.name))
    assert not missing
    assert "offset" in NON_STRING_FIELDS_BY_METHOD["getUpdates"]
