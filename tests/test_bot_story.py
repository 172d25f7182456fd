"""The story in the bot (issue 28), through the real Application and the test Bot API server: an
answer says that newer reports exist and where its story's reports disagree, 🧵 Story sends the
story first to latest, 🆕 Newer the newest report; in English, Ukrainian and Russian.

The archive (samples/story.jsonl, indexed once per module with the real model) tells one story over two
days with a toll that changes: three killed (Kyiv Ledger, 7 Dec), five (Northern Wire, 7 Dec; a
Russian report the same evening), seven (a Ukrainian report and Kyiv Ledger, 8 Dec); and two other stories."""

from __future__ import annotations

import json
import shutil

import pytest

from bot.render.sentences import EXPIRED
from bot.state import short_key
from index import pipeline
from index.settings import Settings
from tests.support import SAMPLES
from tests.test_bot import ALLOWED, api, drive, settings_for, wait  # noqa: F401 (fixtures)

UK, RU = 11, 12
QUESTION = "how many people were killed in the strike on Ostrivka?"
STORY = SAMPLES.parent / "story.jsonl"  # (samples/README.md)
ARTICLES = [json.loads(line) for line in STORY.read_text().splitlines()]
URL = {a["id"]: a["url"] for a in ARTICLES}


@pytest.fixture(scope="module")
def story_index(tmp_path_factory, model_encoder):
    """The archive above, indexed once for the module (read-only: each test copies it)."""
    root = tmp_path_factory.mktemp("story")
    pipeline.add([STORY], Settings(data_dir=root / "index"), encoder=model_encoder, quiet=True)
    return root / "index"


@pytest.fixture
def data_dir(story_index, tmp_path):
    """A copy of the story's index per test, so the bot's own state starts empty."""
    copy = tmp_path / "data"
    shutil.copytree(story_index, copy)
    return copy


def linked(outlet, url):
    return f'<a href="{url}">{outlet}</a>'


LEDGER_7 = linked("Kyiv Ledger", URL["kl-1207-ostrivka"])
WIRE_7 = linked("Northern Wire", URL["nw-1207-ostrivka"])
ECHO_7 = linked("Эхо Харькова", URL["ru-1207-ostrivka"])
UKR_8 = linked("Укрінформ", URL["uk-1208-ostrivka"])
LEDGER_8 = linked("Kyiv Ledger", URL["kl-1208-ostrivka"])
SENTENCES = {
    "kl-1207-ostrivka": "Three people were killed in the strike on Ostrivka, the regional governor said.",
    "nw-1207-ostrivka": "Five people were killed when a missile struck an apartment building in Ostrivka, officials "
                        "said on Saturday.",
    "ru-1207-ostrivka": "В результате ракетного удара по Островке погибли пять человек, сообщили местные власти.",
    "uk-1208-ostrivka": "Кількість загиблих унаслідок ракетного удару по Острівці зросла до семи, повідомив голова ОВА.",
    "kl-1208-ostrivka": "Seven people were killed in the missile strike on Ostrivka, the governor said on Sunday, as "
                        "rescuers finished searching the building.",
}


def story_buttons(sent):
    """The row under an answer with 🆕, 🧵 and More."""
    return sent.params["reply_markup"]["inline_keyboard"][-1]


def test_an_answer_says_newer_reports_exist_and_where_its_story_disagrees(api, data_dir, model_encoder):
    async def scenario():
        api.message(QUESTION, user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        lines = sent.params["text"].split("\n")
        assert lines[0] == "<i>3 reports · newer: Kyiv Ledger, 8 Dec</i>"
        assert lines[1] == ("⚠️ killed: <b>Three</b> — Kyiv Ledger, 7 Dec · <b>Five</b> — Northern Wire, 7 Dec +1 · "
                            "<b>семи</b> — Укрінформ, 8 Dec +1")
        assert lines[2] == "<b>" + SENTENCES["kl-1207-ostrivka"] + "</b>"
        assert lines[3] == f"<b>[1]</b> {LEDGER_7} · 7 Dec 2024"
        key = short_key(QUESTION)
        assert story_buttons(sent) == [{"text": "🆕 Newer", "callback_data": f"newer:{key}"},
                                       {"text": "🧵 Story", "callback_data": f"story:{key}"},
                                       {"text": "More ▸", "callback_data": f"more:{key}:3"}]

    drive(settings_for(api, data_dir), model_encoder, scenario)


def test_story_and_newer_are_built_when_tapped_and_more_leaves_them_in_place(api, data_dir, model_encoder):
    settings = settings_for(api, data_dir)
    seen = {}

    async def ask():
        api.message(QUESTION, user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        seen["answer"] = sent

    drive(settings, model_encoder, ask)
    newer, story, more = story_buttons(seen["answer"])

    async def tap():  # after a restart: the buttons' key is in bot.sqlite3
        before = len(api.calls)
        api.callback(story["callback_data"], user_id=ALLOWED, message_id=2)
        [told] = await wait(api, "sendMessage", since=before)
        [typing] = await wait(api, "sendChatAction", since=before)
        assert typing.at <= told.at  # asked again: "typing…" while it searches
        assert told.params["reply_parameters"]["message_id"] == 2
        assert told.params["text"] == "\n".join([
            "<i>🧵 5 reports on Ostrivka, first to latest</i>",
            "<b>" + SENTENCES["kl-1207-ostrivka"] + "</b>", f"<i>first</i> · {LEDGER_7} · 7 Dec 2024",
            "<b>" + SENTENCES["nw-1207-ostrivka"] + "</b>", f"{WIRE_7} · 7 Dec 2024",
            "<b>" + SENTENCES["ru-1207-ostrivka"] + "</b>", f"{ECHO_7} · 7 Dec 2024 <i>(in Russian)</i>",
            "<b>" + SENTENCES["uk-1208-ostrivka"] + "</b>", f"{UKR_8} · 8 Dec 2024 <i>(in Ukrainian)</i>",
            "<b>" + SENTENCES["kl-1208-ostrivka"] + "</b>", f"<i>latest</i> · {LEDGER_8} · 8 Dec 2024",
            "", "<b>⚠️ The reports differ</b>",
            "killed: <b>Three</b> — Kyiv Ledger, 7 Dec · <b>Five</b> — Northern Wire, 7 Dec; Эхо Харькова, 7 Dec · "
            "<b>семи</b> — Укрінформ, 8 Dec; Kyiv Ledger, 8 Dec"])

        before = len(api.calls)
        api.callback(newer["callback_data"], user_id=ALLOWED, message_id=2)
        [shown] = await wait(api, "sendMessage", since=before)
        assert shown.params["text"] == (
            "<i>🆕 Newer report on Ostrivka</i>\n<b>" + SENTENCES["kl-1208-ostrivka"] + "</b>\n"
            f"{LEDGER_8} · 8 Dec 2024\n<blockquote><i>Ostrivka toll rises to seven</i></blockquote>")
        assert shown.params["reply_markup"] == {"inline_keyboard": [
            [{"text": "📄 Whole article", "callback_data": f"full:{short_key('kl-1208-ostrivka')}"}]]}

        before = len(api.calls)
        api.callback(more["callback_data"], user_id=ALLOWED, message_id=2)
        [edit] = await wait(api, "editMessageReplyMarkup", since=before)
        assert edit.params["reply_markup"]["inline_keyboard"][-1] == [newer, story]  # only More has done its job
        await wait(api, "sendMessage", since=before)

        before = len(api.calls)
        api.callback("story:unknownkey", user_id=ALLOWED)
        [expired] = await wait(api, "answerCallbackQuery", since=before)
        assert (expired.params["text"], expired.params["show_alert"]) == (EXPIRED, True)

    drive(settings, model_encoder, tap)


def test_a_ukrainian_and_a_russian_user_get_the_story_in_their_language(api, data_dir, model_encoder):
    api.user(UK, language_code="uk")
    api.user(RU, language_code="ru-RU")

    async def scenario():
        answers, stories = {}, {}
        for user in (UK, RU):
            before = len(api.calls)
            api.message(QUESTION, user_id=user)
            [answers[user]] = await wait(api, "sendMessage", since=before)
            newer, story, more = story_buttons(answers[user])
            before = len(api.calls)
            api.callback(story["callback_data"], user_id=user)
            [stories[user]] = await wait(api, "sendMessage", since=before)
        uk, ru = answers[UK].params["text"].split("\n"), answers[RU].params["text"].split("\n")
        assert uk[:2] == ["<i>Є новіше: Kyiv Ledger, 8 груд.</i>",
                          "⚠️ загинули: <b>Three</b> — Kyiv Ledger, 7 груд. · … · <b>семи</b> — Укрінформ, 8 груд. +1"]
        assert ru[:2] == ["<i>Есть новее: Kyiv Ledger, 8 дек.</i>",
                          "⚠️ погибли: <b>Three</b> — Kyiv Ledger, 7 дек. · … · <b>семи</b> — Укрінформ, 8 дек. +1"]
        assert [b["text"] for b in story_buttons(answers[UK])] == ["🆕 Новіше", "🧵 Історія", "Ще ▸"]
        assert [b["text"] for b in story_buttons(answers[RU])] == ["🆕 Новее", "🧵 История", "Ещё ▸"]
        uk_story, ru_story = stories[UK].params["text"].split("\n"), stories[RU].params["text"].split("\n")
        assert uk_story[0] == "<i>🧵 5 повідомлень: Ostrivka, від першого до останнього</i>"
        assert uk_story[2] == f"<i>перше</i> · {LEDGER_7} · 7 груд. 2024"
        assert uk_story[10] == f"<i>останнє</i> · {LEDGER_8} · 8 груд. 2024"
        assert uk_story[12:] == ["<b>⚠️ Повідомлення розходяться</b>",
                                 "загинули: <b>Three</b> — Kyiv Ledger, 7 груд. · <b>Five</b> — Northern Wire, 7 груд.; "
                                 "Эхо Харькова, 7 груд. · <b>семи</b> — Укрінформ, 8 груд.; Kyiv Ledger, 8 груд."]
        assert ru_story[0] == "<i>🧵 5 сообщений: Ostrivka, от первого до последнего</i>"
        assert ru_story[10] == f"<i>последнее</i> · {LEDGER_8} · 8 дек. 2024"
        assert ru_story[12] == "<b>⚠️ Сообщения расходятся</b>"

    drive(settings_for(api, data_dir, allowed_users=frozenset({UK, RU})), model_encoder, scenario)
