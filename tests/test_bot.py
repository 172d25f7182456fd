"""The real python-telegram-bot Application (from build_application) against a local Bot API server."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest

from bot.app import ALLOWED_UPDATES, HEARTBEAT, TICK_SECONDS, build_application
from bot.render.sentences import EXPIRED, NO_NEWER, NO_STORY, REFUSAL, SLOW_DOWN, TEXT_ONLY
from bot.settings import BotSettings
from bot.state import BotState, short_key
from index import pipeline
from index.engines.faiss import IndexReader
from index.settings import Settings
from retrieval.search import Searcher
from tests.botapi import FakeBotApi, parse_html
from tests.support import copy_of

ALLOWED = 1
STRANGER = 666
ROVNO_SENTENCE = ("<b>According to the Russian Defence Ministry, Rovno, a settlement in the Donetsk region, "
                  "came under Russian control.</b>")
ROVNO_CITATION = ('<b>[1]</b> <a href="https://kyivledger.example/2024/12/07/russia-claims-kucherkovka-and-rovno">'
                  "Kyiv Ledger</a> · 7 Dec 2024")
ROVNO_TITLE = "<i>Russia claims two villages in Kharkiv and Donetsk regions</i>"
# the full citation, as the 📄 article and an inline snippet give it: title (linked), outlet, date
ROVNO_FULL_CITATION = ('<a href="https://kyivledger.example/2024/12/07/russia-claims-kucherkovka-and-rovno">'
                       "Russia claims two villages in Kharkiv and Donetsk regions</a> — Kyiv Ledger, 7 Dec 2024")


@pytest.fixture
def api():
    with FakeBotApi() as server:
        yield server


@pytest.fixture
def data_dir(sample_dir, tmp_path):
    """A copy of the sample index per test, so the bot's own state starts empty."""
    return copy_of(sample_dir, tmp_path)


def settings_for(api, data_dir, **overrides) -> BotSettings:
    values = dict(token=api.token, engine=Settings(data_dir=data_dir), api_base_url=api.base_url,
                  allowed_users=frozenset({ALLOWED}), allowed_chats=frozenset({-424242}), burst=20, per_seconds=60)
    values.update(overrides)
    return BotSettings(**values)


def drive(settings, encoder, scenario, timeout=60):
    """Run the bot the way `newsdesk bot` does (post_init, polling), play the scenario, stop cleanly."""
    async def main():
        application = build_application(settings, Searcher(IndexReader(settings.engine.data_dir), encoder))
        async with application:
            await application.post_init(application)
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
            try:
                await asyncio.wait_for(scenario(), timeout)
            finally:
                await application.updater.stop()
                await application.stop()
    asyncio.run(main())


def wait(api, method, count=1, since=0):
    return asyncio.to_thread(api.wait_for, method, count, 30, since=since)


ROVNO_URL = "https://kyivledger.example/2024/12/07/russia-claims-kucherkovka-and-rovno"
ROVNO_QUOTE = ("“According to the Russian Defence Ministry, Rovno, a settlement in the Donetsk region, came under "
               f"Russian control.” — Kyiv Ledger, 7 Dec 2024, {ROVNO_URL}")


def test_a_question_is_answered_with_cited_passages_and_buttons(api, data_dir, model_encoder):
    async def scenario():
        pushed = asyncio.get_running_loop().time()
        api.message("what was reported about Rovno?", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        # "typing…" first, then the answer, as a reply to the question
        assert [c.method for c in api.calls if c.method in ("sendChatAction", "sendMessage")][:2] == [
            "sendChatAction", "sendMessage"]
        typing = api.sent("sendChatAction")[0]
        assert typing.params == {"chat_id": ALLOWED, "action": "typing"}
        assert typing.at <= sent.at and typing.at - pushed < 5
        assert api.message_in(ALLOWED, 1)["text"] == "what was reported about Rovno?"
        assert sent.params["reply_parameters"] == {"message_id": 1, "allow_sending_without_reply": True,
                                                   "quote_parse_mode": "HTML"}  # (python-telegram-bot's default)
        assert sent.params["chat_id"] == ALLOWED
        assert sent.params["parse_mode"] == "HTML"
        assert sent.params["link_preview_options"] == {"is_disabled": False, "url": ROVNO_URL, "prefer_small_media": True,
                                                       "show_above_text": False}
        assert sent.params["text"] == (
            "<i>1 report on Rovno</i>\n" + ROVNO_SENTENCE + "\n" + ROVNO_CITATION + "\n"
            "<blockquote expandable>" + ROVNO_TITLE + "\n…A second statement followed a short time later. " + ROVNO_SENTENCE +
            " The ministry placed the village in the so-called Donetsk People's Republic, the name Moscow uses for "
            "the parts of Ukraine's Donetsk region it occupies. The settlement is not to be confused with the city "
            "of Rivne in western Ukraine.</blockquote>")
        assert parse_html(sent.params["text"]).startswith("1 report on Rovno\nAccording to")
        assert sent.params["reply_markup"] == {"inline_keyboard": [
            [{"text": "📋 1", "copy_text": {"text": ROVNO_QUOTE}},
             {"text": "📄 1", "callback_data": f"full:{short_key('kl-2024-1207-rovno')}"}]]}
        reply = api.last_bot_message(ALLOWED)
        assert reply["reply_to_message"]["text"] == "what was reported about Rovno?"

    drive(settings_for(api, data_dir, link_preview="below"), model_encoder, scenario)  # (the default is "off")
    assert api.methods()[:2] == ["getMe", "setMyCommands"]
    commands, uk, ru = api.sent("setMyCommands")  # the menu in English, and for Ukrainian and Russian clients
    assert [c["command"] for c in commands.params["commands"]] == [
        "help", "ask", "sources", "status", "follow", "following", "unfollow", "timezone", "digest", "language"]
    assert "language_code" not in commands.params and commands.params["commands"][0]["description"] == (
        "What I do and how to ask")
    assert (uk.params["language_code"], uk.params["commands"][0]["description"]) == ("uk", "Що я роблю і як запитувати")
    assert (ru.params["language_code"], ru.params["commands"][-1]["description"]) == ("ru", "Язык, на котором я отвечаю: en, uk, ru")
    polls = [c for c in api.calls if c.method == "getUpdates"]
    assert "message_reaction" in polls[0].params["allowed_updates"]


def test_a_reaction_on_an_answer_is_a_vote_that_the_export_shows(api, data_dir, model_encoder, capsys):
    from bot.cli import main as newsdesk

    async def scenario():
        api.message("what was reported about Rovno?", user_id=ALLOWED)
        await wait(api, "sendMessage")
        answer = api.last_bot_message(ALLOWED)
        api.reaction(answer["message_id"], ("👍",), user_id=ALLOWED)
        api.reaction(answer["message_id"], ("🔥",), user_id=ALLOWED + 1)  # another emoji says nothing
        api.reaction(1, ("👎",), user_id=ALLOWED)  # on the question, not on an answer: nothing
        api.message("Rovno", user_id=ALLOWED)  # handled after the reactions (one person's updates in order)
        await wait(api, "sendMessage", 2)

    drive(settings_for(api, data_dir, allowed_users=frozenset({ALLOWED, ALLOWED + 1})), model_encoder, scenario)
    capsys.readouterr()
    assert newsdesk(["feedback", "export", "--data-dir", str(data_dir)]) == 0
    out, err = capsys.readouterr()
    assert [json.loads(line) for line in out.splitlines()] == [{
        "question": "what was reported about Rovno?", "relevant": ["kl-2024-1207-rovno"], "not_relevant": [],
        "up": 1, "down": 0, "from": ["answer"], "source": "newsdesk feedback"}]
    assert err.startswith("1 votes -> 1 judged questions")

    async def take_back():  # withdrawing the 👍 withdraws the vote; a 👎 replied to the answer counts instead
        api.reaction(2, (), old=("👍",), user_id=ALLOWED)
        api.message("👎", user_id=ALLOWED, reply_to_bot=True)
        [noted] = await wait(api, "sendMessage")
        assert noted.params["text"] == "Thanks! Noted as not helpful."

    api.clear()
    drive(settings_for(api, data_dir), model_encoder, take_back)
    import sqlite3
    rows = sqlite3.connect(data_dir / "bot.sqlite3").execute("SELECT user_id, question, vote FROM feedback").fetchall()
    assert rows == [(ALLOWED, "Rovno", -1)]


def test_more_and_full_article_work_after_a_restart(api, data_dir, model_encoder):
    settings = settings_for(api, data_dir)
    seen = {}

    async def first_run():
        api.message("war in Ukraine", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        seen["keyboard"] = sent.params["reply_markup"]["inline_keyboard"]
        assert sent.params["text"].startswith("<i>3 reports on war in Ukraine</i>\n")

    drive(settings, model_encoder, first_run)
    results_row, [more_button] = seen["keyboard"]  # 📋 and 📄 of three results share a row
    copy_row, full_row = results_row[:3], results_row[3:]
    assert [b["text"] for b in copy_row] == ["📋 1", "📋 2", "📋 3"]
    assert all(b["copy_text"]["text"].startswith("“") and len(b["copy_text"]["text"]) <= 256 for b in copy_row)
    assert [b["text"] for b in full_row] == ["📄 1", "📄 2", "📄 3"]
    assert more_button["text"] == "More ▸"
    assert more_button["callback_data"] == f"more:{short_key('war in Ukraine')}:3"
    assert all(len(b["callback_data"].encode()) <= 64 for b in [*full_row, more_button])

    async def second_run():  # a new Application: nothing survives but the data directory
        before = len(api.calls)
        api.callback(more_button["callback_data"], user_id=ALLOWED)
        [ack] = await wait(api, "answerCallbackQuery", since=before)
        [edit] = await wait(api, "editMessageReplyMarkup", since=before)
        assert edit.params["reply_markup"] == {"inline_keyboard": [results_row]}
        [page] = await wait(api, "sendMessage", since=before)
        [typing] = await wait(api, "sendChatAction", since=before)
        assert typing.at <= page.at
        # More's page replies to the answer it continues
        assert page.params["reply_parameters"]["message_id"] == edit.params["message_id"]
        assert page.params["text"].startswith("<i>Reports 4–6 on war in Ukraine</i>\n")
        assert "<b>[4]</b>" in page.params["text"] and "<b>[1]</b>" not in page.params["text"]
        before = len(api.calls)
        api.callback(full_row[0]["callback_data"], user_id=ALLOWED)
        [article] = await wait(api, "sendMessage", since=before)
        assert article.params["text"].startswith("<b>")
        assert "\n\n" in article.params["text"]
        before = len(api.calls)
        api.callback("more:unknownkey:3", user_id=ALLOWED)
        [expired] = await wait(api, "answerCallbackQuery", since=before)
        assert (expired.params["text"], expired.params["show_alert"]) == (EXPIRED, True)

    drive(settings, model_encoder, second_run)


def test_full_article_is_the_whole_text(api, data_dir, model_encoder):
    async def scenario():
        api.callback(f"full:{short_key('kl-2024-1207-rovno')}", user_id=ALLOWED)
        await wait(api, "answerCallbackQuery")
        [sent] = await wait(api, "sendMessage")
        lines = sent.params["text"].split("\n")
        assert lines[0] == "<b>Russia claims two villages in Kharkiv and Donetsk regions</b>"
        assert lines[1] == ROVNO_FULL_CITATION
        assert "Rovno, a settlement in the Donetsk region, came under Russian control." in sent.params["text"]

    settings = settings_for(api, data_dir)
    # the key must be known to the bot: it was handed out with an earlier answer
    BotState(data_dir / "bot.sqlite3").remember("kl-2024-1207-rovno")
    drive(settings, model_encoder, scenario)


def test_inline_mode_offers_shareable_cited_snippets(api, data_dir, model_encoder):
    async def scenario():
        api.inline("Rovno", user_id=ALLOWED)
        [answer] = await wait(api, "answerInlineQuery")
        results = answer.params["results"]
        assert 1 <= len(results) <= 50
        first = results[0]
        assert first["type"] == "article"
        assert first["title"] == "Russia claims two villages in Kharkiv and Donetsk regions"
        content = first["input_message_content"]
        assert content["parse_mode"] == "HTML"
        assert content["message_text"] == ROVNO_SENTENCE + "\n— " + ROVNO_FULL_CITATION
        assert answer.params["is_personal"] is True

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_strangers_get_one_polite_refusal_and_no_content(api, data_dir, model_encoder):
    async def scenario():
        api.message("what was reported about Rovno?", user_id=STRANGER)
        api.message("and Kupiansk?", user_id=STRANGER)
        api.inline("Rovno", user_id=STRANGER)
        api.callback(f"full:{short_key('kl-2024-1207-rovno')}", user_id=STRANGER)
        api.message("group chatter", user_id=STRANGER, chat_type="group", chat_id=-5)
        api.message("Rovno", user_id=ALLOWED)  # handled after all of the above
        await wait(api, "sendMessage", 2)
        refusals = [c for c in api.sent() if c.params["chat_id"] == STRANGER]
        assert [c.params["text"] for c in refusals] == [REFUSAL.format(user_id=STRANGER)]
        [inline] = api.sent("answerInlineQuery")
        assert inline.params["results"] == []
        [alert] = api.sent("answerCallbackQuery")
        assert alert.params["show_alert"] is True and "private" in alert.params["text"]
        assert [c.params["chat_id"] for c in api.sent()] == [STRANGER, ALLOWED]

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_a_flood_gets_one_slow_down_not_a_flood_of_replies(api, data_dir, model_encoder):
    async def scenario():
        for _ in range(8):
            api.message("Rovno", user_id=ALLOWED)
        api.message("/help", user_id=ALLOWED)  # commands that cost no search still work
        await wait(api, "sendMessage", 5)
        texts = [c.params["text"] for c in api.sent()]
        assert len(texts) == 5
        assert [t for t in texts if t == SLOW_DOWN] == [SLOW_DOWN]
        assert sum(t.startswith("<i>1 report on Rovno") for t in texts) == 3
        assert texts[-1].startswith("<b>Newsdesk</b>")

    drive(settings_for(api, data_dir, burst=3, per_seconds=600), model_encoder, scenario)


def test_retry_after_and_network_errors_are_retried(api, data_dir, model_encoder):
    async def scenario():
        api.fail_next("sendMessage", 429, retry_after=1)
        api.fail_next("sendMessage", 502, description="Bad Gateway")
        api.message("Rovno", user_id=ALLOWED)
        calls = await wait(api, "sendMessage", 3)
        await asyncio.sleep(0.5)
        assert len(api.sent()) == 3  # two failures, then the one answer
        assert len({c.params["text"] for c in calls}) == 1 and ROVNO_SENTENCE in calls[0].params["text"]

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_one_failing_update_does_not_stop_the_others_and_the_token_never_reaches_a_log(
        api, data_dir, model_encoder, caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario():
        api.fail_next("sendMessage", 400, description="Bad Request: can't parse entities")
        api.message("Rovno", user_id=ALLOWED)
        api.message("Rovno", user_id=ALLOWED)
        await wait(api, "sendMessage", 3)
        texts = [c.params.get("text", "") for c in api.sent()]
        assert texts[1] == "Sorry, something went wrong with that one. It has been logged."
        assert ROVNO_SENTENCE in texts[2]

    drive(settings_for(api, data_dir), model_encoder, scenario)
    failures = [r for r in caplog.records if r.getMessage().startswith("update ") and r.exc_info]
    assert len(failures) == 1 and "Can't parse entities" in failures[0].exc_text
    assert api.token not in caplog.text
    assert all(api.token not in r.getMessage() and api.token not in (r.exc_text or "") for r in caplog.records)
    assert "/bot<token>/getUpdates" in caplog.text  # httpx did log the URLs, redacted


@pytest.mark.parametrize("send, expected", [
    (lambda api: api.message("   ", user_id=ALLOWED), "<b>Newsdesk</b>"),
    (lambda api: api.message("🙂🙂🙂", user_id=ALLOWED), "The question has no words to search for"),
    (lambda api: api.message("Rovno " + "x" * 4090, user_id=ALLOWED), "<b>"),
    (lambda api: api.message("ما الذي حدث في روفنو؟", user_id=ALLOWED), "Nothing in the archive matches <b>ما الذي حدث في روفنو</b>"),
    (lambda api: api.message("<b>Rovno</b> </a> & `code` *bold*", user_id=ALLOWED), "on b&gt;Rovno&lt;/b&gt; &lt;/a&gt; &amp;…</i>\n"),
    (lambda api: api.message("/frobnicate now", user_id=ALLOWED), "I don't know /frobnicate. /help lists what I understand."),
    (lambda api: api.sticker(user_id=ALLOWED), TEXT_ONLY),
    (lambda api: api.photo(user_id=ALLOWED), TEXT_ONLY),
])
def test_bad_input_gets_a_sensible_reply_and_the_bot_keeps_going(api, data_dir, model_encoder, send, expected):
    async def scenario():
        send(api)
        api.message("Rovno", user_id=ALLOWED)
        await wait(api, "sendMessage", 2)
        first, second = (c.params["text"] for c in api.sent()[:2])
        assert first.startswith(expected) or expected in first
        assert ROVNO_SENTENCE in second

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_edited_messages_are_ignored(api, data_dir, model_encoder):
    async def scenario():
        api.message("Rovno", user_id=ALLOWED, edited=True)
        api.message("Rovno", user_id=ALLOWED)
        await wait(api, "sendMessage")
        await asyncio.sleep(0.3)
        assert len(api.sent()) == 1

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_in_groups_only_commands_mentions_and_replies_are_answered(api, data_dir, model_encoder):
    group = dict(user_id=STRANGER, chat_type="group", chat_id=-424242)  # an allowed chat

    async def scenario():
        api.message("Rovno", **group)  # chatter: ignored
        api.message("@newsdesk_bot Rovno", **group)
        await wait(api, "sendMessage", 1)
        api.message("and what about Rovno?", reply_to_bot=True, **group)
        api.command("/ask@newsdesk_bot Corallo Star", **group)
        await wait(api, "sendMessage", 3)
        texts = [c.params["text"] for c in api.sent()]
        assert texts[0].startswith("<i>1 report on Rovno</i>")
        assert ROVNO_SENTENCE in texts[1]
        assert "Corallo Star" in texts[2]
        assert all(c.params["chat_id"] == -424242 for c in api.sent())

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_sources_status_and_no_results(api, data_dir, model_encoder):
    async def scenario():
        api.command("/sources", user_id=ALLOWED)
        api.command("/status", user_id=ALLOWED)
        api.message("zyzzyva quokka", user_id=ALLOWED)
        await wait(api, "sendMessage", 3)
        sources, status, nothing = (c.params["text"] for c in api.sent())
        assert sources.startswith("<b>36 articles from 8 outlets</b>\n• Harbor Tribune: 6 (30 Sep 2024 – 26 Jan 2025)")
        assert status.startswith("<b>Archive status</b>\nArticles: 36\nPassages: ")
        assert nothing == ("Nothing in the archive matches <b>zyzzyva quokka</b>. "
                           "Try fewer words, another spelling, or a broader topic.")

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_a_new_generation_is_served_without_a_restart(api, data_dir, model_encoder, tmp_path):
    extra = tmp_path / "new.jsonl"
    extra.write_text(json.dumps({
        "id": "nw-2025-0201-zaporizhzhia-ferry", "url": "https://northernwire.example/2025/02/01/ferry",
        "title": "Ferry service to Zaporizhzhia island resumes", "source": "Northern Wire",
        "published_at": "2025-02-01T07:00:00Z",
        "body": "The Khortytsia ferry service resumed on Saturday after a three-month pause, the operator said."}) + "\n")

    async def scenario():
        api.message("Khortytsia", user_id=ALLOWED)
        [before] = await wait(api, "sendMessage")
        assert before.params["text"].startswith("Nothing in the archive matches")
        await asyncio.to_thread(pipeline.add, [extra], Settings(data_dir=data_dir), model_encoder, True)
        await asyncio.sleep(TICK_SECONDS + 1)  # the bot's job notices the new generation
        assert (data_dir / HEARTBEAT).read_text() == "2\n"
        api.message("Khortytsia", user_id=ALLOWED)
        [_, after] = await wait(api, "sendMessage", 2)
        assert after.params["text"].startswith("<i>1 report on Khortytsia</i>")

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_a_question_naming_two_outlets_gets_one_section_each_in_the_order_named(api, data_dir, model_encoder):
    async def scenario():
        api.message("Kyiv Ledger and Northern Wire on drones", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        blocks = sent.params["text"].split("\n\n")
        assert blocks[0].startswith("<i>3 reports on drones, by outlet as asked</i>\n▸ <b>Kyiv Ledger</b>\n<b>")
        assert "<b>[2]</b>" in blocks[0]
        assert blocks[1].startswith("▸ <b>Northern Wire</b>\n<b>") and "<b>[1]</b>" in blocks[1]
        assert blocks[2].startswith("▸ <b>Other reports</b>\n<b>") and "<b>[3]</b>" in blocks[2]
        # the buttons follow the order shown
        results_row = sent.params["reply_markup"]["inline_keyboard"][0]
        copy_row, full_row = results_row[:3], results_row[3:]
        assert [b["text"] for b in copy_row] == ["📋 2", "📋 1", "📋 3"]
        assert [b["text"] for b in full_row] == ["📄 2", "📄 1", "📄 3"]

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_a_model_mismatch_is_one_sentence_in_a_group_too(api, data_dir):
    """The searcher the bot opens itself (retrieval.service.open_searcher), with another model configured
    than the index was built with: the error handler says so, as a reply, in a group as in private."""
    settings = settings_for(api, data_dir, engine=Settings(data_dir=data_dir, model="another-model"))

    async def main():
        application = build_application(settings)
        async with application:
            await application.start()
            await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
            try:
                api.message("@newsdesk_bot Rovno", user_id=STRANGER, chat_type="group", chat_id=-424242)
                [sent] = await wait(api, "sendMessage")
                assert sent.params["chat_id"] == -424242
                assert sent.params["text"] == (
                    f"The index in {data_dir} was built with the model 'sentence-transformers/all-MiniLM-L6-v2', "
                    "not 'another-model': set NEWSDESK_MODEL back, or use another --data-dir.")
                assert sent.params["reply_parameters"]["message_id"] == 1
            finally:
                await application.updater.stop()
                await application.stop()
    asyncio.run(main())


def test_typing_is_kept_up_until_a_slow_answer_is_sent(api, data_dir, model_encoder):
    api.slow("sendMessage", 4.6, chat_id=ALLOWED)  # a slow network: the answer takes longer than "typing…" lasts

    async def scenario():
        api.message("Rovno", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        await asyncio.sleep(4.9)  # the answer is still on its way; "typing…" is sent again meanwhile
        first, second, *_ = api.sent("sendChatAction")
        assert first.at < sent.at < second.at and second.at - first.at >= 3.9
        assert all(c.params == {"chat_id": ALLOWED, "action": "typing"} for c in (first, second))

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_a_story_of_two_reports_is_one_tap_away_and_built_when_tapped(api, data_dir, model_encoder):
    """The sample's ECB story: Northern Wire's report and Pacific Business Daily's copy of it (issue 28;
    tests/test_bot_story.py tells a longer one with the default model)."""
    async def scenario():
        api.message("ECB interest rate decision", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        key = short_key("ECB interest rate decision")
        *_, row = sent.params["reply_markup"]["inline_keyboard"]
        assert row == [{"text": "🧵 Story", "callback_data": f"story:{key}"},
                       {"text": "More ▸", "callback_data": f"more:{key}:3"}]
        before = len(api.calls)
        api.callback(f"story:{key}", user_id=ALLOWED, message_id=2)
        [story] = await wait(api, "sendMessage", since=before)
        assert story.params["reply_parameters"]["message_id"] == 2
        assert story.params["text"] == STORY_TEXT
        before = len(api.calls)
        api.callback(f"more:{key}:3", user_id=ALLOWED, message_id=2)
        [edit] = await wait(api, "editMessageReplyMarkup", since=before)
        assert edit.params["reply_markup"]["inline_keyboard"][-1] == [row[0]]  # only More has done its job
        await wait(api, "sendMessage", since=before)
        # a question whose story is one report now (the archive changed since its answer): said, not sent
        rovno = BotState(data_dir / "bot.sqlite3").remember("Rovno")
        for press, said in ((f"story:{rovno}", NO_STORY), (f"newer:{rovno}", NO_NEWER)):
            before = len(api.calls)
            api.callback(press, user_id=ALLOWED, message_id=2)
            [alert] = await wait(api, "answerCallbackQuery", since=before)
            assert (alert.params["text"], alert.params["show_alert"]) == (said, True)
        assert not [c for c in api.calls[before:] if c.method == "sendMessage"]

    drive(settings_for(api, data_dir), model_encoder, scenario)


ECB_SENTENCE = ("FRANKFURT (Northern Wire) - The European Central Bank cut interest rates for the fourth time this year on "
                "Thursday, lowering its deposit rate by a quarter of a percentage point to 3.00% as inflation…")  # 200
STORY_TEXT = (
    "<i>🧵 2 reports, first to latest</i>\n"
    '<b>12 Dec 2024</b> · <a href="https://northernwire.example/business/2024/12/12/ecb-cuts-rates-fourth-time">'
    "Northern Wire</a> · <i>first</i>\n"
    f"<blockquote>{ECB_SENTENCE}</blockquote>\n"
    '<b>12 Dec 2024</b> · <a href="https://pacificbusinessdaily.example/markets/2024/12/12/ecb-lowers-deposit-rate-3-percent">'
    "Pacific Business Daily</a> · <i>latest</i>\n"
    f"<blockquote>{ECB_SENTENCE}</blockquote>")
