"""The story in the bot (issue 28), through the real Application and the test Bot API server, with the
real searcher and the default model (multilingual-e5-small, built once into the session's model cache):
an answer says that newer reports exist and where its story's reports disagree, 🧵 Story sends the
story first to latest, 🆕 Newer the newest report; in English, Ukrainian and Russian.

samples/story.jsonl (indexed once per module) tells one story over three days in three languages with
figures that change: three killed and 12 injured (Kyiv Ledger, 7 Dec), five (Northern Wire, 7 Dec),
seven (Kyiv Ledger in Ukrainian, Danube Post in Russian, 8 Dec; Northern Wire, 9 Dec, 14 injured);
and an older, other story (drones, October)."""

from __future__ import annotations

import json

import pytest

from bot.render.sentences import EXPIRED
from bot.state import short_key
from index import pipeline
from index.encoder import SentenceTransformerEncoder
from index.settings import DEFAULT_BACKEND, MULTILINGUAL_MODEL, Settings
from tests.support import STORY, copy_of
from tests.test_bot import ALLOWED, api, drive, settings_for, wait  # noqa: F401 (fixtures)

pytestmark = pytest.mark.slow  # the default model (e5_cache: about 45 s once per run), then seconds a test


UK, RU = 11, 12
KILLED = "killed in Zaporizhzhia"  # first result: Kyiv Ledger's report of 7 Dec; newer: Northern Wire, 9 Dec
TOLL = "Zaporizhzhia death toll"  # first result: the latest report itself, so no "newer"


@pytest.fixture(scope="module")
def e5(e5_cache):
    return SentenceTransformerEncoder(MULTILINGUAL_MODEL, "cpu", DEFAULT_BACKEND, e5_cache)


@pytest.fixture(scope="module")
def story_index(tmp_path_factory, e5):
    data_dir = tmp_path_factory.mktemp("story") / "index"
    pipeline.add([STORY], Settings(data_dir=data_dir), encoder=e5, quiet=True)
    return data_dir


@pytest.fixture
def data_dir(story_index, tmp_path):
    """A copy of the story's index per test, so the bot's own state starts empty."""
    return copy_of(story_index, tmp_path)


def linked(outlet, url):
    return f'<a href="{url}">{outlet}</a>'


LEDGER_7 = linked("Kyiv Ledger", "https://kyivledger.example/2024/12/07/missile-strike-zaporizhzhia-apartment-block")
WIRE_7 = linked("Northern Wire", "https://northernwire.example/2024/12/07/zaporizhzhia-residential-building-hit")
LEDGER_8 = linked("Kyiv Ledger", "https://kyivledger.example/uk/2024/12/08/zaporizhzhia-zahybli")
POST_8 = linked("Danube Post", "https://danubepost.example/ru/2024/12/08/zaporozhye-udar")
WIRE_9 = linked("Northern Wire", "https://northernwire.example/2024/12/09/zaporizhzhia-search-ends")
SAID = {  # each report's answering sentence (whole: under the story's 200 characters)
    "kl-7": "A Russian missile hit a nine-storey apartment block in Zaporizhzhia before dawn on Saturday, killing "
            "three people and injuring 12, the regional governor said.",
    "nw-7": "Five people were killed in a missile strike on a residential building in Zaporizhzhia early on Saturday, "
            "the emergency services said, as rescuers worked through the rubble for a second shift.",
    "kl-8": "Кількість загиблих унаслідок ракетного удару по багатоповерхівці в Запоріжжі зросла до семи, "
            "повідомили рятувальники в неділю вранці.",
    "dp-8": "Число погибших в результате ракетного удара по жилому дому в Запорожье возросло до семи человек, "
            "сообщили спасатели в воскресенье.",
    "nw-9": "Rescuers ended their search of the apartment block in Zaporizhzhia hit by a missile on Saturday, and "
            "the death toll stood at seven, the emergency services said on Monday.",
}


def quoted(report):
    return f"<blockquote>{SAID[report]}</blockquote>"


def row_of(sent):
    """The row under an answer with 🆕, 🧵 and More."""
    return sent.params["reply_markup"]["inline_keyboard"][-1]


def run(api, data_dir, e5, scenario, users=frozenset({ALLOWED})):
    drive(settings_for(api, data_dir, allowed_users=users), e5, scenario)


def test_an_answer_says_newer_reports_exist_and_offers_the_story(api, data_dir, e5):
    async def scenario():
        api.message(KILLED, user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        lines = sent.params["text"].split("\n")
        assert lines[0] == "<i>3 reports · newer: Northern Wire, 9 Dec</i>"
        # after the story's disagreements, if any: the first result's sentence, its first 100 characters
        first = lines.index("<b>A Russian missile hit a nine-storey apartment block in Zaporizhzhia before dawn on "
                            "Saturday,…</b>")
        assert lines[first + 1] == f"<b>[1]</b> {LEDGER_7} · 7 Dec 2024"
        key = short_key(KILLED)
        assert row_of(sent) == [{"text": "🆕 Newer", "callback_data": f"newer:{key}"},
                                {"text": "🧵 Story", "callback_data": f"story:{key}"},
                                {"text": "More ▸", "callback_data": f"more:{key}:3"}]
        before = len(api.calls)
        api.message(TOLL, user_id=ALLOWED)  # its first result is the latest report: no "newer", the story still
        [latest] = await wait(api, "sendMessage", since=before)
        assert latest.params["text"].startswith("<i>3 reports on Zaporizhzhia death toll</i>\n")
        assert [b["text"] for b in row_of(latest)] == ["🧵 Story", "More ▸"]

    run(api, data_dir, e5, scenario)


def test_story_and_newer_are_built_when_tapped_and_more_leaves_them_in_place(api, data_dir, e5):
    seen = {}

    async def ask():
        api.message(KILLED, user_id=ALLOWED)
        [seen["answer"]] = await wait(api, "sendMessage")

    run(api, data_dir, e5, ask)
    newer, story, more = row_of(seen["answer"])

    async def tap():  # a new Application: the buttons' key is in bot.sqlite3
        before = len(api.calls)
        api.callback(story["callback_data"], user_id=ALLOWED, message_id=2)
        [told] = await wait(api, "sendMessage", since=before)
        [typing] = await wait(api, "sendChatAction", since=before)
        assert typing.at <= told.at  # asked again: "typing…" while it searches
        assert told.params["reply_parameters"]["message_id"] == 2
        lines = told.params["text"].split("\n")
        assert lines[:11] == [
            "<i>🧵 5 reports, first to latest</i>",
            f"<b>7 Dec 2024</b> · {LEDGER_7} · <i>first</i>", quoted("kl-7"),
            f"<b>7 Dec 2024</b> · {WIRE_7}", quoted("nw-7"),
            f"<b>8 Dec 2024</b> · {LEDGER_8} <i>(in Ukrainian)</i>", quoted("kl-8"),
            f"<b>8 Dec 2024</b> · {POST_8} <i>(in Russian)</i>", quoted("dp-8"),
            f"<b>9 Dec 2024</b> · {WIRE_9} · <i>latest</i>", quoted("nw-9")]

        before = len(api.calls)
        api.callback(newer["callback_data"], user_id=ALLOWED, message_id=2)
        [shown] = await wait(api, "sendMessage", since=before)
        assert shown.params["text"] == (
            "<i>🆕 Newer report</i>\n<b>" + SAID["nw-9"] + "</b>\n"
            f"{WIRE_9} · 9 Dec 2024\n<blockquote><i>Rescuers end search at Zaporizhzhia apartment block</i></blockquote>")
        assert shown.params["reply_markup"] == {"inline_keyboard": [[
            {"text": "📄 Whole article", "callback_data": f"full:{short_key('nw-2024-1209-zaporizhzhia-search-ends')}"}]]}

        before = len(api.calls)
        api.callback(more["callback_data"], user_id=ALLOWED, message_id=2)
        [edit] = await wait(api, "editMessageReplyMarkup", since=before)
        assert edit.params["reply_markup"]["inline_keyboard"][-1] == [newer, story]  # only More has done its job
        await wait(api, "sendMessage", since=before)

        before = len(api.calls)
        api.callback("story:unknownkey", user_id=ALLOWED)
        [expired] = await wait(api, "answerCallbackQuery", since=before)
        assert (expired.params["text"], expired.params["show_alert"]) == (EXPIRED, True)

    run(api, data_dir, e5, tap)


def test_a_ukrainian_and_a_russian_user_get_the_story_in_their_language(api, data_dir, e5):
    api.user(UK, language_code="uk")
    api.user(RU, language_code="ru-RU")
    asked = {UK: "загиблі в Запоріжжі", RU: "погибшие в Запорожье"}

    async def scenario():
        answers, stories = {}, {}
        for user in (UK, RU):
            before = len(api.calls)
            api.message(asked[user], user_id=user)
            [answers[user]] = await wait(api, "sendMessage", since=before)
            story = row_of(answers[user])[1]
            before = len(api.calls)
            api.callback(story["callback_data"], user_id=user)
            [stories[user]] = await wait(api, "sendMessage", since=before)
        assert answers[UK].params["text"].split("\n")[0] == "<i>Є новіше: Northern Wire, 9 груд.</i>"
        assert answers[RU].params["text"].split("\n")[0] == "<i>Есть новее: Northern Wire, 9 дек.</i>"
        assert [b["text"] for b in row_of(answers[UK])] == ["🆕 Новіше", "🧵 Історія", "Більше ▸"]
        assert [b["text"] for b in row_of(answers[RU])] == ["🆕 Новее", "🧵 История", "Ещё ▸"]
        uk, ru = stories[UK].params["text"].split("\n"), stories[RU].params["text"].split("\n")
        assert uk[:11] == [
            "<i>🧵 5 повідомлень, від першого до останнього</i>",
            f"<b>7 груд. 2024</b> · {LEDGER_7} <i>(англійською)</i> · <i>перше</i>", quoted("kl-7"),
            f"<b>7 груд. 2024</b> · {WIRE_7} <i>(англійською)</i>", quoted("nw-7"),
            f"<b>8 груд. 2024</b> · {LEDGER_8}", quoted("kl-8"),
            f"<b>8 груд. 2024</b> · {POST_8} <i>(російською)</i>", quoted("dp-8"),
            f"<b>9 груд. 2024</b> · {WIRE_9} <i>(англійською)</i> · <i>останнє</i>", quoted("nw-9")]
        assert ru[0] == "<i>🧵 5 сообщений, от первого до последнего</i>"
        assert ru[1] == f"<b>7 дек. 2024</b> · {LEDGER_7} <i>(на английском)</i> · <i>первое</i>"
        assert ru[7] == f"<b>8 дек. 2024</b> · {POST_8}"
        assert ru[9] == f"<b>9 дек. 2024</b> · {WIRE_9} <i>(на английском)</i> · <i>последнее</i>"

    run(api, data_dir, e5, scenario, frozenset({UK, RU}))


def test_the_answer_and_the_story_show_where_the_reports_disagree(api, data_dir, e5):
    api.user(UK, language_code="uk")

    async def scenario():
        api.message(KILLED, user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        lines = sent.params["text"].split("\n")
        # only Kyiv Ledger's sentence of 7 Dec counts the injured: no disagreement about them; seven is
        # written first in Ukrainian ("до семи", Kyiv Ledger, 8 Dec), then in Russian and English
        assert lines[1] == ("<i>⚠️ killed: <b>three</b> — Kyiv Ledger, 7 Dec · <b>Five</b> — Northern Wire, 7 Dec · "
                            "<b>семи</b> — Kyiv Ledger, 8 Dec +2</i>")
        assert lines[2].startswith("<b>A Russian missile hit")
        before = len(api.calls)
        api.callback(row_of(sent)[1]["callback_data"], user_id=ALLOWED)
        [told] = await wait(api, "sendMessage", since=before)
        assert told.params["text"].split("\n")[11:] == [
            "", "<b>⚠️ The reports differ</b>",
            "killed: <b>three</b> — Kyiv Ledger, 7 Dec · <b>Five</b> — Northern Wire, 7 Dec · "
            "<b>семи</b> — Kyiv Ledger, 8 Dec; Danube Post, 8 Dec; Northern Wire, 9 Dec"]
        before = len(api.calls)
        api.message("загиблі в Запоріжжі", user_id=UK)
        [uk] = await wait(api, "sendMessage", since=before)
        # Ukrainian dates are longer: over 100 characters the middle value goes (the story has it)
        assert uk.params["text"].split("\n")[1] == (
            "<i>⚠️ загинули: <b>three</b> — Kyiv Ledger, 7 груд. · … · <b>семи</b> — Kyiv Ledger, 8 груд. +2</i>")

    run(api, data_dir, e5, scenario, frozenset({ALLOWED, UK}))


MEETING = [  # one story over two days: the board meeting moved (retrieval.claims: "when")
    {"id": "kl-naftogaz-meeting", "url": "https://kyivledger.example/2024/12/02/naftogaz-board-meeting",
     "title": "Naftogaz board to meet on gas transit", "source": "Kyiv Ledger", "published_at": "2024-12-02T08:00:00Z",
     "body": "The Naftogaz board meeting on the future of gas transit will be held on December 12, the company said. "
             "The board is to decide whether to extend the transit contract with Gazprom."},
    {"id": "nw-naftogaz-meeting", "url": "https://northernwire.example/2024/12/05/naftogaz-board-meeting-moved",
     "title": "Naftogaz board meeting on gas transit moved", "source": "Northern Wire",
     "published_at": "2024-12-05T08:00:00Z",
     "body": "The Naftogaz board meeting on the future of gas transit was postponed to December 16, the company said. "
             "The board is to decide whether to extend the transit contract with Gazprom."},
]


def test_an_answer_shows_the_days_the_reports_give_for_one_event(api, tmp_path, e5):
    """Days are compared for one role of one event (retrieval.claims): the meeting "will be held on December
    12" (Kyiv Ledger, 2 Dec) and "was postponed to December 16" (Northern Wire, 5 Dec)."""
    archive = tmp_path / "meeting.jsonl"
    archive.write_text("".join(json.dumps(a) + "\n" for a in MEETING))
    data_dir = tmp_path / "index"
    pipeline.add([archive], Settings(data_dir=data_dir), encoder=e5, quiet=True)
    api.user(UK, language_code="uk")

    async def scenario():
        api.message("when is the Naftogaz board meeting on gas transit?", user_id=ALLOWED)
        [sent] = await wait(api, "sendMessage")
        assert sent.params["text"].split("\n")[1] == (
            "<i>⚠️ when: <b>December 12</b> — Kyiv Ledger, 2 Dec · <b>December 16</b> — Northern Wire, 5 Dec</i>")
        before = len(api.calls)
        api.message("коли засідання правління Нафтогазу щодо транзиту газу?", user_id=UK)
        [uk] = await wait(api, "sendMessage", since=before)
        assert uk.params["text"].split("\n")[1] == (
            "<i>⚠️ коли: <b>December 12</b> — Kyiv Ledger, 2 груд. · <b>December 16</b> — Northern Wire, 5 груд.</i>")

    run(api, data_dir, e5, scenario, frozenset({ALLOWED, UK}))
