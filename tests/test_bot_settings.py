import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import BotSettings
from index.errors import SettingsError

TOKEN = "123456:ABC-def_ghi"


def test_a_complete_environment():
    settings = BotSettings.from_env({
        "TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_ALLOWED_USERS": "11, 12 13", "NEWSDESK_ALLOWED_CHATS": "-100200",
        "NEWSDESK_DATA": "/srv/newsdesk", "NEWSDESK_RESULTS": "4", "NEWSDESK_USER_RATE": "10/30",
        "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot"})
    assert (settings.allowed_users, settings.allowed_chats, settings.public) == (frozenset({11, 12, 13}), frozenset({-100200}), False)
    assert (settings.engine.data_dir, settings.results_per_page, settings.burst, settings.per_seconds) == (
        Path("/srv/newsdesk"), 4, 10, 30.0)
    assert settings.api_base_url == "http://127.0.0.1:8081/bot"
    assert TOKEN not in repr(settings)


def test_public_archive_needs_no_lists():
    assert BotSettings.from_env({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_PUBLIC": "true"}).public is True


@pytest.mark.parametrize("env, message", [
    ({}, "TELEGRAM_BOT_TOKEN is not set: give the token @BotFather issued for the bot."),
    ({"TELEGRAM_BOT_TOKEN": "not a token"}, "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters)."),
    ({"TELEGRAM_BOT_TOKEN": TOKEN},
     "Neither NEWSDESK_ALLOWED_USERS nor NEWSDESK_ALLOWED_CHATS is set, so nobody could use the bot: list who may ask, "
     "or set NEWSDESK_PUBLIC=true if the archive is meant to be open to everyone."),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_ALLOWED_USERS": "12,abc"},
     "NEWSDESK_ALLOWED_USERS must list Telegram ids (whole numbers) separated by commas, got '12,abc'."),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_PUBLIC": "maybe"}, "NEWSDESK_PUBLIC must be true or false, got 'maybe'."),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_PUBLIC": "1", "NEWSDESK_RESULTS": "0"},
     "NEWSDESK_RESULTS must be a number from 1 to 10, got '0'."),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_PUBLIC": "1", "NEWSDESK_USER_RATE": "fast"},
     "NEWSDESK_USER_RATE must look like 6/60 (questions per seconds), got 'fast'."),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_PUBLIC": "1", "TELEGRAM_API_BASE_URL": "127.0.0.1/bot"},
     "TELEGRAM_API_BASE_URL must be an http(s) URL, got '127.0.0.1/bot'."),
    ({"TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_PUBLIC": "1", "NEWSDESK_BATCH_SIZE": "lots"},
     "NEWSDESK_BATCH_SIZE must be a whole number, got 'lots'."),
])
def test_a_wrong_value_names_its_variable(env, message):
    with pytest.raises(SettingsError) as raised:
        BotSettings.from_env(env)
    assert str(raised.value) == message


def test_newsdesk_bot_refuses_to_start_in_one_sentence(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "TELEGRAM_BOT_TOKEN": TOKEN, "NEWSDESK_DATA": str(tmp_path)}
    done = subprocess.run([str(Path(sys.executable).parent / "newsdesk"), "bot"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("error: Neither NEWSDESK_ALLOWED_USERS nor NEWSDESK_ALLOWED_CHATS is set")
    assert "Traceback" not in done.stderr and TOKEN not in done.stderr
