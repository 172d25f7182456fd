"""Issue 16, bot and CLI side: hostile input (bad bytes, huge fields, escape codes, forged buttons,
a 999k-character article) gets an answer, exactly as below, and never stops anyone else's.

The bot runs as `newsdesk bot` does (build_application, polling) against tests/botapi.py, which
refuses what Telegram refuses (texts over 4096, captions over 1024, broken HTML)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import sys

import pytest

from bot.app import ALLOWED_UPDATES, build_application
from bot.render.sentences import BUTTON_EXPIRED
from bot.settings import BotSettings
from bot.state import BotState, short_key
from bot.cli import main
from index import pipeline
from index.engines.faiss import IndexReader
from index.settings import Settings
from retrieval.cli import terminal_safe
from retrieval.search import Searcher
from tests.botapi import FakeBotApi, parse_html
from tests.support import HashingEncoder

ALLOWED, OTHER = 1, 2
LONG_TITLE = ("Oskil bridge " * 424)[:5500]  # 5,500 characters
LONG_URL = "https://harbortribune.example/" + "a" * 4970  # 5,000 characters
HUGE_PARAGRAPH = ("Workers at the Azovstal steel plant in Mariupol described the siege street by street, "
                  "and the shelling of the shelters beneath the works. ") * 5
HUGE_BODY = "\n\n".join([HUGE_PARAGRAPH] * (999_000 // (len(HUGE_PARAGRAPH) + 2)))
HUGE_STORED = "\n\n".join(p.strip() for p in HUGE_BODY.split("\n\n"))  # as the indexer cleans it

ARTICLES = [
    {"id": "rovno-drone", "url": "https://kyivledger.example/rovno-drone", "title": "Drone strike near Rovno",
     "source": "Kyiv Ledger", "published_at": "2024-12-07T08:00:00Z",
     "body": "A drone struck a warehouse near Rovno overnight, the regional governor said. Nobody was hurt."},
    {"id": "long-title", "url": "https://harbortribune.example/oskil", "title": LONG_TITLE, "source": "Harbor Tribune",
     "published_at": "2025-01-10T09:00:00Z",
     "body": "Engineers reopened the Oskil bridge near Kupiansk to trucks on Friday after repairs."},
    {"id": "long-url", "url": LONG_URL, "title": "Kherson ferry timetable", "source": "Harbor Tribune",
     "published_at": "2025-01-11T09:00:00Z",
     "body": "The Kherson ferry timetable changes on Monday, with two crossings a day instead of four."},
    {"id": "js-link", "url": "javascript:alert(1)", "title": "Zaporizhzhia grain convoy", "source": "Northern Wire",
     "published_at": "2025-02-01T07:00:00Z",
     "body": "A grain convoy left Zaporizhzhia for the port at dawn, escorted by police cars."},
    {"id": "escapes", "url": "https://evil.example/odesa", "title": "\x1b[31mRed alert\x1b[0m in Odesa\x9b2J",
     "source": "Evil\x1b]0;pwned\x07 \x9b0mOutlet", "published_at": "2025-01-05T10:00:00Z",
     "body": "Air raid sirens sounded in Odesa port for two hours on Sunday morning."},
]
HUGE = {"id": "huge", "url": "https://mariupolherald.example/azovstal", "title": "Azovstal: the siege in full",
        "source": "Mariupol Herald", "published_at": "2024-05-20T06:00:00Z", "body": HUGE_BODY}


def write_archive(path, records) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")


@pytest.fixture(scope="module")
def bot_archive(tmp_path_factory):
    """The hostile articles and the 999k-character one, indexed with the small test encoder."""
    root = tmp_path_factory.mktemp("hostile-bot")
    write_archive(root / "in.jsonl", [*ARTICLES, HUGE])
    pipeline.add([root / "in.jsonl"], Settings(data_dir=root / "index"), encoder=HashingEncoder(), quiet=True)
    return root / "index"


@pytest.fixture(scope="module")
def cli_archive(tmp_path_factory, model_encoder):
    """The hostile articles indexed with the real model, which `newsdesk ask` loads."""
    root = tmp_path_factory.mktemp("hostile-cli")
    write_archive(root / "in.jsonl", ARTICLES)
    pipeline.add([root / "in.jsonl"], Settings(data_dir=root / "index"), encoder=model_encoder, quiet=True)
    return root / "index"


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


def drive(api, data_dir, scenario, timeout=30):
    settings = BotSettings(token=api.token, engine=Settings(data_dir=data_dir), api_base_url=api.base_url,
                           allowed_users=frozenset({ALLOWED, OTHER}), burst=20, per_seconds=60)

    async def main_():
        application = build_application(settings, Searcher(IndexReader(data_dir), HashingEncoder()))
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
            try:
                await asyncio.wait_for(scenario(), timeout)
            finally:
                await application.updater.stop()
                await application.stop()
    asyncio.run(main_())


def wait(api, method, count=1, since=0, timeout=10):
    return asyncio.to_thread(api.wait_for, method, count, timeout, since=since)


@pytest.fixture
def bot_data(bot_archive, tmp_path):
    """The archive with a fresh bot state (bot.sqlite3) per test: a symlinked copy of the index."""
    import shutil
    copy = tmp_path / "data"
    shutil.copytree(bot_archive, copy)
    return copy


def citation_of(text: str) -> str:
    return next(line for line in text.split("\n") if line.startswith("<b>[1]</b>"))


# --- 7: invalid UTF-8 in a question -------------------------------------------------------------

def test_invalid_utf8_in_a_question_is_replaced_and_answered(capsys, cli_archive):
    question = os.fsdecode(b"Rovno \x80 drone")  # what Python hands over in argv for those bytes
    assert question == "Rovno \udc80 drone"
    code = main(["ask", "--json", question, "-k", "1", "--data-dir", str(cli_archive)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    answer = json.loads(out)
    assert answer["query"] == "Rovno \ufffd drone"
    assert [r["article_id"] for r in answer["results"]] == ["rovno-drone"]


def test_batch_mode_answers_every_line_around_invalid_utf8(capsys, cli_archive, monkeypatch):
    raw = b"Rovno drone\nRovno \x80 drone\n\xff\xfe\xed\xa0\x80\nOdesa sirens\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))  # strict, as a real stdin
    code = main(["ask", "--json", "-", "-k", "1", "--data-dir", str(cli_archive)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["query"] for r in rows] == ["Rovno drone", "Rovno \ufffd drone", "\ufffd\ufffd\ufffd\ufffd\ufffd",
                                          "Odesa sirens"]
    assert [[x["article_id"] for x in r["results"]] for r in rows] == [["rovno-drone"], ["rovno-drone"], [], ["escapes"]]
    assert rows[2]["error"] == "The question has no words to search for: ask about a person, a place or an event."


# --- 11: terminal escape codes in titles and outlets ---------------------------------------------

def test_escape_codes_in_titles_and_outlets_never_reach_the_terminal(capsys, cli_archive):
    code = main(["ask", "Odesa sirens", "-k", "1", "--data-dir", str(cli_archive)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert not any(ord(ch) < 32 and ch != "\n" or 0x7f <= ord(ch) <= 0x9f for ch in out)
    citation = out.splitlines()[3]
    assert "Red alert" in citation and "in Odesa" in citation and "Evil" in citation and "Outlet" in citation
    assert citation.endswith(" — 2025-01-05 — https://evil.example/odesa")


def test_terminal_safe_removes_escape_sequences_and_control_characters():
    assert terminal_safe("\x1b[31mRed alert\x1b[0m in Odesa\x9b2J") == "Red alert in Odesa"
    assert terminal_safe("Evil\x1b]0;pwned\x07 \x9b0mOutlet") == "Evil Outlet"
    assert terminal_safe("bell\x07 tab\tline\nnel\x85del\x7f esc\x1bc end") == "bell  tab line nel del  esc end"


# --- 8: a 5,500-character title, a 5,000-character URL -------------------------------------------

def test_long_titles_and_urls_are_cut_to_fit_every_answer(api, bot_data, caplog):
    caplog.set_level(logging.INFO)
    short_title = ("Oskil bridge " * 23).strip() + "…"  # 300 characters at most, cut between words
    result_title = ("Oskil bridge " * 5).strip() + "…"  # heading a result's quote: 70 at most (a phone's two lines)

    async def scenario():
        api.message("Oskil bridge Kupiansk trucks", user_id=ALLOWED)
        [title_answer] = await wait(api, "sendMessage")
        api.message("Kherson ferry timetable", user_id=ALLOWED)
        [_, url_answer] = await wait(api, "sendMessage", 2)
        api.inline("Kherson ferry timetable", user_id=ALLOWED)
        [inline] = await wait(api, "answerInlineQuery")
        BotState(bot_data / "bot.sqlite3").remember("long-title")
        api.callback(f"full:{short_key('long-title')}", user_id=ALLOWED)
        [_, _, article] = await wait(api, "sendMessage", 3)

        assert citation_of(title_answer.params["text"]) == (
            '<b>[1]</b> <a href="https://harbortribune.example/oskil">Harbor Tribune</a> · 10 Jan 2025')
        assert f"<blockquote expandable><i>{result_title}</i>\n" in title_answer.params["text"]
        # the URL is too long to be a link: the outlet is plain text, the URL shown shortened
        assert citation_of(url_answer.params["text"]) == (
            "<b>[1]</b> Harbor Tribune · 11 Jan 2025 · https://harbortribune.example/" + "a" * 29 + "…")
        first = inline.params["results"][0]
        assert first["title"] == "Kherson ferry timetable" and "url" not in first
        assert article.params["text"].startswith(f"<b>{short_title}</b>\n")
        for sent in api.sent():
            assert len(parse_html(sent.params["text"])) <= 4096

    drive(api, bot_data, scenario)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "does not fit" not in caplog.text


def test_only_http_links_become_links(api, bot_data):
    async def scenario():
        api.message("Zaporizhzhia grain convoy", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        api.inline("Zaporizhzhia grain convoy", user_id=ALLOWED)
        [inline] = await wait(api, "answerInlineQuery")
        assert citation_of(sent.params["text"]) == (
            "<b>[1]</b> Northern Wire · 1 Feb 2025 · id <code>js-link</code>")
        assert "javascript:" not in sent.params["text"]
        first = inline.params["results"][0]
        assert "url" not in first and "javascript:" not in first["input_message_content"]["message_text"]

    drive(api, bot_data, scenario)


# --- 9: one user's 📄 on a 999k-character article never blocks another user's question ------------

def test_a_huge_article_is_two_messages_and_nobody_waits_for_it(api, bot_data):
    BotState(bot_data / "bot.sqlite3").remember("huge")
    api.slow("sendMessage", 1.5, chat_id=ALLOWED)  # the reader's chat is slow, as under a flood limit
    api.slow("sendDocument", 3.0, chat_id=ALLOWED)

    async def scenario():
        api.callback(f"full:{short_key('huge')}", user_id=ALLOWED)
        await wait(api, "answerCallbackQuery")
        pushed = asyncio.get_running_loop().time()
        api.message("Rovno drone", user_id=OTHER)
        [answer] = [c for c in await wait(api, "sendMessage", 2) if c.params["chat_id"] == OTHER] or [None]
        assert answer is not None and answer.params["text"].startswith("<i>1 report on Rovno drone</i>")
        assert asyncio.get_running_loop().time() - pushed < 2.0
        assert not api.sent("sendDocument")  # ... answered while the article was still being sent
        [document] = await wait(api, "sendDocument")
        [opening] = [c for c in api.sent() if c.params["chat_id"] == ALLOWED]
        assert opening.params["text"].startswith("<b>Azovstal: the siege in full</b>\n<a href=")
        assert opening.params["text"].endswith(
            f"<i>… the whole article ({len(HUGE_STORED):,} characters) is in the file below.</i>")
        assert document.params["caption"] == ("<b>Azovstal: the siege in full</b>\nMariupol Herald, 20 May 2024")
        assert document.params["document"].filename == "azovstal-the-siege-in-full.txt"
        assert document.params["document"].content.decode() == (
            "Azovstal: the siege in full\nMariupol Herald, 20 May 2024\nhttps://mariupolherald.example/azovstal\n\n"
            + HUGE_STORED + "\n")

    drive(api, bot_data, scenario)
    # the article: one message and one document (a request is recorded as it arrives, before its delay)
    assert sorted(c.params["chat_id"] for c in api.sent()) == [ALLOWED, OTHER]
    assert [c.params["chat_id"] for c in api.sent("sendDocument")] == [ALLOWED]


# --- 12: malformed and unknown button data ---------------------------------------------------------

@pytest.mark.parametrize("press", [
    dict(data="more:a"), dict(data="more:a:b:c"), dict(data="vote:k"), dict(data="vote:k:x"),
    dict(data="full:"), dict(data="amore:1:x"), dict(data="unf:x"), dict(data="daily:1"),
    dict(data="zzz:1"), dict(data=""), dict(data="x" * 64),
    dict(data=f"full:{short_key('rovno-drone')}", inline_message_id="AAQBAAAAAAAAAAAAAAAAAAAAAAA"),
    dict(data=f"more:{short_key('Rovno')}:3", inline_message_id="AAQBAAAAAAAAAAAAAAAAAAAAAAA"),
], ids=lambda p: p["data"][:12] + (" inline" if "inline_message_id" in p else ""))
def test_malformed_or_unknown_buttons_are_answered_as_expired(api, bot_data, caplog, press):
    BotState(bot_data / "bot.sqlite3").remember("rovno-drone")
    BotState(bot_data / "bot.sqlite3").remember("Rovno")

    async def scenario():
        api.callback(press.pop("data"), user_id=ALLOWED, **press)
        api.message("Rovno drone", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        [answered] = api.sent("answerCallbackQuery")
        assert answered.params == {"callback_query_id": answered.params["callback_query_id"], "text": BUTTON_EXPIRED}
        assert sent.params["text"].startswith("<i>1 report on Rovno drone</i>")

    drive(api, bot_data, scenario)
    made = [c.method for c in api.calls if c.method not in ("getMe", "deleteWebhook", "getUpdates", "setMyCommands")]
    # the press answered; "typing…" then the answer (a press on an inline message runs beside the question)
    assert sorted(made) == ["answerCallbackQuery", "sendChatAction", "sendMessage"]
    assert made.index("sendChatAction") < made.index("sendMessage")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
