"""The bot speaks the asker's language (issue 14): English, Ukrainian or Russian, from Telegram's
language_code or /language; the catalogue complete. Through the real Application and the test Bot API."""

from __future__ import annotations

import asyncio
import re
import sqlite3

from babel.messages.pofile import read_po

from bot import i18n
from bot.render import answers, archive, articles, failures
from bot.follow_store import Follows
from tests.test_alerts import FERRY, GRAIN, publish, run_bot
from tests.test_bot import ALLOWED, api, data_dir, drive, settings_for, wait  # noqa: F401 (fixtures)

UK, RU, DE = 11, 12, 13


def test_the_language_comes_from_telegrams_code():
    assert [i18n.language_of(c) for c in ("uk", "uk-UA", "ru_RU", "RU", "de", "", None, "en-GB")] == [
        "uk", "uk", "ru", "ru", "en", "en", "en", "en"]


def test_ukrainian_russian_and_other_users_each_get_their_language(api, data_dir, model_encoder):
    api.user(UK, language_code="uk")
    api.user(RU, language_code="ru-RU")
    api.user(DE, language_code="de")

    async def scenario():
        for user in (UK, RU, DE):
            api.message("what was reported about Rovno?", user_id=user)
            await wait(api, "sendMessage", len(api.sent()) + 1)
        for user in (UK, RU):
            api.command("/help", user_id=user)
            await wait(api, "sendMessage", len(api.sent()) + 1)
        api.message("from:nobody Рівне", user_id=UK)
        await wait(api, "sendMessage", len(api.sent()) + 1)
        uk, ru, de, uk_help, ru_help, uk_mistake = api.sent()
        assert uk_mistake.params["text"] == "В архіві немає видання під назвою 'nobody'."
        assert uk.params["text"].startswith("<i>1 повідомлення: Rovno</i>\n<b>According to the Russian Defence")
        assert ru.params["text"].startswith("<i>1 сообщение: Rovno</i>\n<b>According to the Russian Defence")
        assert de.params["text"].startswith("<i>1 report on Rovno</i>\n")
        assert "Kyiv Ledger</a> · 7 груд. 2024\n" in uk.params["text"]
        assert "Kyiv Ledger</a> · 7 дек. 2024\n" in ru.params["text"]
        assert [b["text"] for b in uk.params["reply_markup"]["inline_keyboard"][0]] == ["📋 1", "📄 1"]
        assert uk_help.params["text"].startswith("<b>Newsdesk</b> знаходить, що пише архів, і цитує це з джерелом.")
        assert "/language – мова, якою я відповідаю: English, українська, русский" in uk_help.params["text"]
        assert ru_help.params["text"].startswith("<b>Newsdesk</b> находит, что пишет архив, и цитирует это с источником.")

    drive(settings_for(api, data_dir, allowed_users=frozenset({UK, RU, DE})), model_encoder, scenario)


def test_language_command_overrides_and_survives_a_restart(api, data_dir, model_encoder):
    api.user(UK, language_code="uk")
    settings = settings_for(api, data_dir, allowed_users=frozenset({UK}))

    async def first_run():
        api.command("/language", user_id=UK)
        [menu] = await wait(api, "sendMessage")
        assert menu.params["text"].startswith("Я відповідаю вам українською.")
        assert [b["text"] for b in menu.params["reply_markup"]["inline_keyboard"][0]] == ["English", "Українська", "Русский"]
        api.command("/language ru", user_id=UK)
        [_, done] = await wait(api, "sendMessage", 2)
        assert done.params["text"] == "Теперь я отвечаю вам по-русски."

    async def second_run():  # a new Application on the same state file
        before = len(api.calls)
        api.message("war in Ukraine", user_id=UK)
        [answer] = await wait(api, "sendMessage", since=before)
        assert answer.params["text"].startswith("<i>3 сообщения: war in Ukraine</i>\n")
        assert answer.params["reply_markup"]["inline_keyboard"][1] == [
            {"text": "Ещё ▸", "callback_data": answer.params["reply_markup"]["inline_keyboard"][1][0]["callback_data"]}]
        api.command("/language xx", user_id=UK)
        [_, unknown] = await wait(api, "sendMessage", 2, since=before)
        assert unknown.params["text"] == ("Я говорю по-английски (en), по-украински (uk) и по-русски (ru), не xx. "
                                          "Напишите, например, <code>/language ru</code>.")

    drive(settings, model_encoder, first_run)
    drive(settings, model_encoder, second_run)


def test_an_alert_to_a_ukrainian_follower_is_in_ukrainian(api, data_dir, model_encoder, tmp_path):
    api.user(UK, language_code="uk-UA")

    async def scenario(application):
        api.command("/follow Khortytsia ferry", user_id=UK)
        [confirmation] = await wait(api, "sendMessage")
        assert confirmation.params["text"] == (
            "🔔 Стежу за <b>Khortytsia ferry</b> (#1): нові повідомлення, щойно їх проіндексовано. "
            "/following показує, за чим ви стежите.")
        await asyncio.to_thread(publish, data_dir, model_encoder, tmp_path, FERRY, GRAIN)
        [_, alert] = await wait(api, "sendMessage", 2)
        assert alert.params["text"].startswith("🔔 <b>Нове: Khortytsia ferry</b>: 1 повідомлення, найближчі спершу\n")
        assert "Northern Wire</a> · 1 лют. 2025\n" in alert.params["text"]
        assert [[b["text"] for b in row] for row in alert.params["reply_markup"]["inline_keyboard"]] == [
            ["📋 1", "📄 1"], ["🔕 Зупинити"]]

    run_bot(settings_for(api, data_dir, allowed_users=frozenset({UK})), model_encoder, scenario)


def test_an_older_state_file_is_upgraded_with_the_language_columns(tmp_path):
    path = tmp_path / "bot.sqlite3"
    with sqlite3.connect(path) as db:  # the tables as bot.follow_store (then bot.follows) wrote them before issue 14
        db.executescript("""
            CREATE TABLE follows (id INTEGER PRIMARY KEY AUTOINCREMENT, chat_id INTEGER NOT NULL, user_id INTEGER NOT NULL,
                question TEXT NOT NULL, daily INTEGER NOT NULL DEFAULT 0, checked_gen INTEGER NOT NULL, next_digest REAL,
                created REAL NOT NULL, UNIQUE (chat_id, question));
            CREATE TABLE user_prefs (user_id INTEGER PRIMARY KEY, timezone TEXT NOT NULL, digest_hour INTEGER NOT NULL);
            INSERT INTO follows(chat_id, user_id, question, daily, checked_gen, created) VALUES (5, 5, 'Rovno', 0, 1, 0);
            INSERT INTO user_prefs VALUES (5, 'Europe/Kyiv', 7);
        """)
    follows = Follows(path)
    [old] = follows.all()
    assert (old.question, old.language) == ("Rovno", "en")
    assert follows.language(5) is None and follows.prefs(5).timezone == "Europe/Kyiv"
    follows.set_language(5, "uk")
    assert follows.language(5) == "uk" and follows.all()[0].language == "uk"
    assert follows.prefs(5).digest_hour == 7
    Follows(path)  # a second start: nothing to upgrade


def test_the_catalogue_is_complete_with_the_same_placeholders():
    """Every msgid of the .pot translated in uk and ru (all plural forms), with its {placeholders} and tags."""
    template = read_po((i18n.LOCALES / "newsdesk.pot").open("rb"))
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    assert len(ids) >= 70
    for language in ("uk", "ru"):
        catalog = read_po(i18n.po_path(language).open("rb"), locale=language)
        assert catalog.num_plurals == 3
        by_id = {(m.id if isinstance(m.id, str) else m.id[0]): m for m in catalog if m.id}
        assert set(by_id) == ids, language
        for key, message in by_id.items():
            forms = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(forms) and len(forms) == (3 if message.pluralizable else 1), (language, key)
            originals = message.id if isinstance(message.id, tuple) else (message.id,)
            wanted = sorted(re.findall(r"\{[^}]*\}|</?[a-z]+>", originals[-1]))
            for form in forms:
                assert sorted(re.findall(r"\{[^}]*\}|</?[a-z]+>", form)) == wanted, (language, key, form)


def test_errors_the_user_can_cause_are_translated_by_class(tmp_path):
    from bot.bot_errors import AlreadyFollowing, TooManyFollows
    from retrieval.errors import BadQuery, EmptyQuery, NotADate, ReversedPeriod, UnknownOutlet
    with i18n.speaking("uk"):
        assert failures.error_sentence(EmptyQuery("The question is empty")) == (
            "У запитанні немає слів для пошуку: запитайте про людину, місце чи подію.")
        assert failures.error_sentence(AlreadyFollowing(3)) == "Ви вже стежите за цим (#3)."
        assert failures.error_sentence(TooManyFollows(25)).startswith("Цей чат стежить за 25 темами")
        assert failures.error_sentence(UnknownOutlet("Kyiv Post")) == "В архіві немає видання під назвою 'Kyiv Post'."
        assert failures.error_sentence(NotADate("since", "вчора")) == (
            "since:вчора — це не дата; напишіть так: since:2024-12-01.")
        assert failures.error_sentence(ReversedPeriod("2025", "2024")) == (
            "until:2024 раніше, ніж since:2025: поміняйте їх місцями.")
        assert failures.error_sentence(BadQuery("A sentence of a class of its own")) == "A sentence of a class of its own"
        assert failures.error_sentence(RuntimeError("boom")) == "Вибачте, щось пішло не так. Це записано в журнал."
    assert failures.error_sentence(AlreadyFollowing(3)) == "You already follow that (#3)."
    assert failures.error_sentence(NotADate("until", "soon")) == "until:soon is not a date; write it like until:2024-12-01."
    with i18n.speaking("ru"):
        assert failures.error_sentence(UnknownOutlet("Kyiv Post")) == "В архиве нет издания под названием 'Kyiv Post'."


def test_a_passage_in_another_language_than_the_question_says_so():
    from dataclasses import replace

    from retrieval.records import Answer, Query
    from tests.test_bot_render import hit
    ukrainian = replace(hit(), language="uk")
    with i18n.speaking("ru"):
        assert answers.language_tag(ukrainian, "ru") == " <i>(на украинском)</i>"
    assert answers.language_tag(ukrainian, "en") == " <i>(in Ukrainian)</i>"
    assert answers.language_tag(ukrainian, "uk") == "" and answers.language_tag(ukrainian, "") == ""
    assert answers.language_tag(replace(hit(), language=""), "en") == ""
    for hits in ((replace(hit(), language="en"),), (replace(hit(), language="en"), replace(hit(rank=2), language="uk"))):
        asked = Answer(Query("що про Рівне?", "що про Рівне?", ("рівне",), topic="Рівне", language="uk"), hits, 1)
        with i18n.speaking("uk"):
            html, shown = answers.answer_message(asked)
        assert html.count("· 7 груд. 2024 <i>(англійською)</i>\n") == 1 and len(shown) == len(hits)


def test_relaxed_filters_status_and_file_names_in_the_readers_language():
    from datetime import datetime, timezone

    from retrieval.records import Answer, Filters, Query
    from index.records import IndexStatus, SourceCount
    from tests.test_bot_render import hit
    relaxed = Answer(Query("q", "q", ("rovno",), topic="Rovno"), (hit(),), 1, 0, False,
                     relaxed=Filters(sources=("Danube Post",), phrases=("came under",)))
    with i18n.speaking("uk"):
        html, _ = answers.answer_message(relaxed)
        assert html.startswith("Нічого (з Danube Post, з «came under») про Rovno; <b>найближчі повідомлення</b> "
                               "без цього фільтра:\n<b>")
        status = IndexStatus(generation=3, articles=1234, passages=80, model="m", dimension=384, index_type="x",
                             size_bytes=1, last_update=datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc),
                             sources=(SourceCount("Kyiv Ledger", 4, datetime(2024, 9, 14), datetime(2025, 1, 12)),),
                             first_published=datetime(2024, 9, 14), last_published=datetime(2025, 1, 12))
        assert archive.sources_message(status).split("\n") == [
            "<b>1\xa0234 статті з 1 видання</b>", "• Kyiv Ledger: 4 (14 вер. 2024 – 12 січ. 2025)"]
    with i18n.speaking("ru"):
        assert archive.status_message(status) == (
            "<b>Состояние архива</b>\nСтатей: 1\xa0234\nОтрывков: 80\nДаты: 14 сент. 2024 – 12 янв. 2025\n"
            "Последняя индексация: 25 нояб. 2026 03:00 UTC")
    assert articles.article_filename("Росія заявила про захоплення Рівного") == "rosija-zajavyla-pro-zaxoplennja-rivnoho.txt"
    assert articles.article_filename("Россия заявила о захвате Ровно") == "rossiya-zayavila-o-zahvate-rovno.txt"
