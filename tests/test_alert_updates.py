"""Alerts that say what changed (issue 28): a follow's alert for a story it has already alerted on leads with
what the new report adds (a changed figure, a new outlet), end to end through the Bot API test server, on the
sample archive and its missile-strike story (samples/story.jsonl) indexed with the default model."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.alert_delivery import deliver
from bot.render.follow_texts import update_line
from bot import i18n
from index import pipeline
from index.encoder import ServingEncoder
from index.settings import Settings
from retrieval.records import Citation, Disagreement, Report, Stated, Update
from tests.support import SAMPLES, STORY
from tests.test_alerts import alerts, run_bot
from tests.test_bot import ALLOWED, api, settings_for, wait  # noqa: F401 (api: the Bot API server fixture)

pytestmark = pytest.mark.slow

STRIKE = {json.loads(line)["id"]: json.loads(line) for line in STORY.read_text(encoding="utf-8").splitlines()}


def publish(data_dir, tmp_path, *ids):
    path = tmp_path / f"{ids[0]}.jsonl"
    path.write_text("".join(json.dumps(STRIKE[i], ensure_ascii=False) + "\n" for i in ids), encoding="utf-8")
    return pipeline.add([path], Settings(data_dir=data_dir, backend="onnx-int8"), quiet=True)


def test_an_alert_on_a_story_already_alerted_says_what_changed(api, tmp_path, e5_cache):
    data_dir = tmp_path / "data"
    pipeline.add([SAMPLES], Settings(data_dir=data_dir, backend="onnx-int8"), quiet=True)
    encoder = ServingEncoder(Settings(data_dir=data_dir, backend="onnx-int8"))

    async def scenario(application):
        api.command("/follow missile strike on Zaporizhzhia", user_id=ALLOWED)
        await wait(api, "sendMessage")
        await asyncio.to_thread(publish, data_dir, tmp_path, "kl-2024-1207-zaporizhzhia-strike")
        await deliver(application)
        [first] = alerts(api)
        assert "↻" not in first.params["text"]  # a story new to the follower is told as it is
        await asyncio.to_thread(publish, data_dir, tmp_path, "nw-2024-1209-zaporizhzhia-search-ends")
        await deliver(application)
        [_, second] = alerts(api)
        text = second.params["text"]
        assert text.split("\n")[1:3] == [
            "↻ <i>Update on the story of 7 Dec (Kyiv Ledger):</i>",
            "killed: <b>three</b> — Kyiv Ledger, 7 Dec · <b>seven</b> — Northern Wire, 9 Dec"]
        assert "<b>Rescuers ended their search of the apartment block in Zaporizhzhia" in text

    run_bot(settings_for(api, data_dir), encoder, scenario, timeout=120)


def report(n, outlet, day, sentence="s"):
    from datetime import datetime, timezone
    return Report(Citation(f"a{n}", "t", None, outlet, datetime(2024, 12, day, 9, tzinfo=timezone.utc)), sentence, n, "en")


def test_an_update_names_a_new_outlet_or_says_no_figure_changed_in_the_readers_language():
    earlier = (report(1, "Kyiv Ledger", 7),)
    assert update_line(Update(2, earlier, (), new_outlet=True)) == "↻ <i>A new outlet on the story of 7 Dec (Kyiv Ledger)</i>"
    assert update_line(Update(2, earlier, ())) == "↻ <i>More on the story of 7 Dec (Kyiv Ledger); no figure changed</i>"
    changed = (Disagreement("injured", (Stated("12", earlier), Stated("14", (report(2, "Northern Wire", 9),)))),)
    with i18n.speaking("uk"):
        assert update_line(Update(2, earlier, changed)) == (
            "↻ <i>Нове про подію від 7 груд. (Kyiv Ledger):</i>\n"
            "поранені: <b>12</b> — Kyiv Ledger, 7 груд. · <b>14</b> — Northern Wire, 9 груд.")
