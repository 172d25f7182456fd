"""/follow in a running `newsdesk bot` process, as a new user meets it (issue 26): the seed article
indexed by `newsdesk index add`, the bot started as its own process against the local Bot API
server, `/follow Rovno`, then a second `newsdesk index add` that brings one Rovno report and one
unrelated one. The alert must come from the running bot for the new generation, once, for the
Rovno report only, and a restart must not send it again. Everything runs with the default model
(multilingual-e5-small, built once into the session's model cache)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from bot.app import HEARTBEAT
from tests.botapi import FakeBotApi
from tests.support import NEWSDESK, stored_sentences

pytestmark = pytest.mark.slow
FOLLOWER = 111
SHELLING = {"title": "Shelling reported near Rovno overnight", "source": "Test Wire",
            "published_at": "2024-12-09T08:00:00Z",
            "body": "Shelling hit the outskirts of Rovno overnight, damaging a school and two houses, local "
                    "officials said. There were no casualties in Rovno."}
COCOA = {"title": "Cocoa prices steady", "source": "Test Wire", "published_at": "2024-12-09T09:00:00Z",
         "body": "Cocoa futures in London were steady on Monday as traders weighed the West African harvest."}


class BotProcess:
    """`newsdesk bot` as its own process, its log in a file the test reads."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.log = log
        self._out = log.open("a")
        self.process = subprocess.Popen([NEWSDESK, "bot"], env=env, stdout=self._out, stderr=subprocess.STDOUT)

    def wait_for_line(self, text: str, timeout: float, after: int = 0) -> int:
        """The number of log lines up to the first one from line `after` on that contains `text`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.log.read_text().splitlines()
            for number, line in enumerate(lines[after:], start=after + 1):
                if text in line:
                    return number
            assert self.process.poll() is None, f"the bot exited:\n{self.log.read_text()}"
            time.sleep(0.2)
        raise AssertionError(f"no {text!r} in the bot's log within {timeout} s:\n{self.log.read_text()}")

    def lines(self) -> int:
        return len(self.log.read_text().splitlines())

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)  # as `docker stop` does: run_polling shuts down cleanly
        try:
            self.process.wait(30)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            self._out.close()


def ticks(data_dir: Path, count: int, timeout: float = 30) -> None:
    """Wait until the bot has beaten `count` more times (bot.heartbeat is rewritten at every 5-second
    tick, after the tick has started that round's alerts)."""
    heartbeat = data_dir / HEARTBEAT
    seen = {heartbeat.stat().st_mtime_ns}
    deadline = time.monotonic() + timeout
    while len(seen) <= count:
        assert time.monotonic() < deadline, f"the bot beat {len(seen) - 1} times in {timeout} s, not {count}"
        time.sleep(0.2)
        seen.add(heartbeat.stat().st_mtime_ns)


def index_add(env: dict[str, str], path: Path) -> str:
    done = subprocess.run([NEWSDESK, "index", "add", str(path)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_running_bot_alerts_once_on_the_new_rovno_report_and_not_on_others(tmp_path, needs_seed, e5_cache):
    # the model is the run's user cache's (XDG_CACHE_HOME, tests/conftest.py), as on a machine
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "NEWSDESK_DATA": str(tmp_path / "data")}
    first = index_add(env, needs_seed)
    said = stored_sentences(tmp_path / "data")
    assert first.startswith("added 1, updated 0, unchanged 0, removed 0, skipped 0; embedded 6 "
                            f"passages and {said} sentences; generation 1;")
    batch = tmp_path / "batch.jsonl"
    batch.write_text("".join(json.dumps(a) + "\n" for a in (SHELLING, COCOA)))
    with FakeBotApi() as api:
        bot_env = {**env, "TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_API_BASE_URL": api.base_url,
                   "NEWSDESK_ALLOWED_USERS": str(FOLLOWER)}
        bot = BotProcess(bot_env, tmp_path / "bot.log")
        try:
            bot.wait_for_line("serving index generation 1", 120)
            api.command("/follow Rovno", user_id=FOLLOWER)
            [reply] = api.wait_for("sendMessage", 1, 30)
            assert reply.params["text"] == ("🔔 Following <b>Rovno</b> (#1): new reports as soon as they are indexed. "
                                            "/following lists what you follow.")
            second = index_add(env, batch)
            assert second.startswith("added 2, updated 0, unchanged 0, removed 0, skipped 0; embedded 2 passages "
                                     f"and {stored_sentences(tmp_path / 'data') - said} sentences; generation 2;")
            # the bot notices the new generation by itself (a 5-second tick) and alerts: 15 s is the promise
            [_, alert] = api.wait_for("sendMessage", 2, 15)
            assert alert.params["chat_id"] == FOLLOWER
            text = alert.params["text"]
            assert text.startswith("🔔 <b>New on Rovno</b>: 1 report, closest first\n"
                                   "<b>Shelling hit the outskirts of Rovno overnight, damaging a school and two houses, "
                                   "local officials said.</b>\n<b>[1]</b> Test Wire · 9 Dec 2024 · id <code>")
            assert "Cocoa" not in text
            bot.wait_for_line("alerts: 1 follows checked, 1 messages sent, 0 skipped, 0 chats gone, 0 failed", 15)
            ticks(tmp_path / "data", 2)  # two more rounds: nothing more is sent
            assert len(api.sent()) == 2
        finally:
            bot.stop()
        # a restart: the follow was checked against generation 2, so nothing is sent again
        again = BotProcess(bot_env, tmp_path / "bot.log")
        try:
            start = again.lines()
            again.wait_for_line("serving index generation 2", 120, after=start)
            ticks(tmp_path / "data", 2)
            assert len(api.sent()) == 2
            assert "messages sent" not in "".join(again.log.read_text().splitlines(keepends=True)[start:])
        finally:
            again.stop()
