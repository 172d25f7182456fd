"""What the bot sends, as a phone shows it (issue 15): renderings, heights, and time to first sign of life.

    python bench/screenshots.py [--out docs/img] [--questions 20] [--only-story]      (`make screenshots`)

Runs the real bot (`bot.app.build_application`, the searcher it opens itself from the settings) against
the test Bot API server (tests/botapi.py) on the sample archive, asks it questions, presses More and 📄,
publishes a new article for a follow's alert, answers a user whose Telegram is in Ukrainian, tells the
story of samples/story.jsonl (🆕 Newer, 🧵 Story; issue 28), and renders the HTML and buttons of each message it sent
in a 390-pixel page styled like a Telegram chat, through headless Chromium (Debian's `chromium`), to PNG.

It also measures, in the same Chromium page:
- the answer's height on a 390-pixel screen, in lines of text and in pixels with its buttons, for the
  layout of this commit and for the layout before issue 15 (bot/format.py of commit 56b6d7e, its
  passages in full, a 📄 row, More and a 👍 / 👎 row), for the same answer;
- through the test server, the time from a question's arrival to the bot's first request about it
  (sendChatAction "typing") and to the answer (sendMessage), over `--questions` questions.

The renderings approximate Telegram's iOS client (17-pixel text, 22-pixel lines, a 390-pixel-wide
screen with a 660-pixel chat area between the header and the input bar; Liberation Sans, which has
Arial's widths, for the system font); they are renderings, not screenshots of a Telegram client.
"""

from __future__ import annotations

import argparse
import asyncio
import html as html_module
import importlib.util
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import ALLOWED_UPDATES, build_application  # noqa: E402
from bot.context import services_of  # noqa: E402
from bot.settings import BotSettings  # noqa: E402
from index import pipeline  # noqa: E402  (the bench builds its archive; the bot itself imports retrieval only)
from index.settings import Settings  # noqa: E402
from tests.botapi import FakeBotApi  # noqa: E402

USER = 1
UKRAINIAN = 2  # a user whose Telegram is in Ukrainian (language_code "uk"): the bot's words in Ukrainian
BEFORE_COMMIT = "56b6d7e"  # the last commit with the layout before issue 15
SCREEN_WIDTH, CHAT_AREA = 390, 660  # iPhone 12-15 width; the chat area between the header and the input bar
FONT_PX, LINE_PX = 17, 22

FERRY = {"id": "nw-2025-0201-khortytsia-ferry", "url": "https://northernwire.example/2025/02/01/ferry",
         "title": "Ferry service to Khortytsia island resumes", "source": "Northern Wire",
         "published_at": "2025-02-01T07:00:00Z",
         "body": "The ferry service to Khortytsia island in Zaporizhzhia resumed on Saturday after a three-month "
                 "pause, the operator said. Two crossings a day are planned, and the operator expects the first "
                 "weekends to be busy. Tickets cost 40 hryvnias."}
TIMED = ["what was reported about Rovno?", "war in Ukraine", "ECB interest rate decision", "Corallo Star aground",
         "Kupiansk", "drone workshops", "grain exports through Odesa", "power cuts in Kharkiv",
         "Kyiv Ledger and Northern Wire on drones", "ferry"]


# --- the bot, driven through the test server -------------------------------------------------------

async def _run(settings: BotSettings, scenario) -> None:
    application = build_application(settings)
    async with application:
        await application.post_init(application)
        await application.start()
        await application.updater.start_polling(poll_interval=0.0, timeout=1, allowed_updates=ALLOWED_UPDATES)
        try:
            await scenario(application)
        finally:
            await application.updater.stop()
            await application.stop()


def _wait(api: FakeBotApi, method: str, count: int = 1, since: int = 0):
    return asyncio.to_thread(api.wait_for, method, count, 120, since=since)


def drive(data_dir: Path, n_timed: int) -> dict:
    """Play the scenario; returns the messages to render (request params) and the timings."""
    shots: dict[str, list[dict]] = {}
    timings: list[tuple[float, float]] = []
    answers: dict[str, dict] = {}  # each timed question's answer, as sent
    with FakeBotApi() as api:
        settings = BotSettings(token=api.token, engine=Settings(data_dir=data_dir), api_base_url=api.base_url,
                               allowed_users=frozenset({USER, UKRAINIAN}), burst=1000, per_seconds=1)
        api.user(UKRAINIAN, language_code="uk")

        def conversation(since: int) -> list[dict]:
            """The user's messages and the bot's replies since `since`, in order."""
            out = []
            for call in api.calls[since:]:
                if call.method == "sendMessage":
                    out.append({"from": "bot", **call.params})
            return out

        async def scenario(application) -> None:
            searcher = services_of(application).searcher
            await asyncio.to_thread(searcher.encode_query, "warm up")  # as `newsdesk bot` does before polling
            for question, name in [("war in Ukraine", "answer"), ("Kyiv Ledger and Northern Wire on drones", "outlets")]:
                before = len(api.calls)
                api.message(question, user_id=USER)
                await _wait(api, "sendMessage", since=before)
                shots[name] = [{"from": "user", "text": question}, *conversation(before)]
            before = len(api.calls)
            api.message("що повідомляли про Рівне?", user_id=UKRAINIAN)
            await _wait(api, "sendMessage", since=before)
            shots["answer-uk"] = [{"from": "user", "text": "що повідомляли про Рівне?"}, *conversation(before)]
            answer = api.sent()[0]
            results_row, *_, story_row = answer.params["reply_markup"]["inline_keyboard"]  # 📋 1-3 and 📄 1-3, then
            more = story_row[-1]  # (🆕 Newer, 🧵 Story and) More
            full_row = [b for b in results_row if "callback_data" in b]
            before = len(api.calls)
            api.callback(more["callback_data"], user_id=USER, message_id=2)
            await _wait(api, "sendMessage", since=before)
            shots["more"] = conversation(before)
            before = len(api.calls)
            api.callback(full_row[0]["callback_data"], user_id=USER, message_id=2)
            await _wait(api, "sendMessage", since=before)
            shots["article"] = conversation(before)[:1]
            before = len(api.calls)
            api.command("/follow Khortytsia ferry", user_id=USER)
            await _wait(api, "sendMessage", since=before)
            path = data_dir.parent / "ferry.jsonl"
            path.write_text(json.dumps(FERRY) + "\n")
            await asyncio.to_thread(pipeline.add, [path], Settings(data_dir=data_dir), None, True)
            [alert] = [c for c in await _wait(api, "sendMessage", 2, since=before) if c.params["text"].startswith("🔔 <b>New")]
            shots["alert"] = [{"from": "bot", **alert.params}]
            for i in range(n_timed):  # time to "typing…" and to the answer, through the server
                before = len(api.calls)
                pushed = time.monotonic()
                api.message(TIMED[i % len(TIMED)], user_id=USER)
                [answer] = await _wait(api, "sendMessage", since=before)
                [typing] = [c for c in api.calls[before:] if c.method == "sendChatAction"][:1]
                timings.append(((typing.at - pushed) * 1000, (answer.at - pushed) * 1000))
                answers.setdefault(TIMED[i % len(TIMED)], answer.params)

        asyncio.run(_run(settings, scenario))
    return {"shots": shots, "timings": timings, "answers": answers}


STORY_QUESTION = "killed in Zaporizhzhia"  # samples/story.jsonl: its first result is not the latest report


def drive_story(data_dir: Path) -> dict[str, list[dict]]:
    """The story (issue 28) on samples/story.jsonl: an answer whose story has newer reports and
    disagreements, 🆕 Newer and 🧵 Story pressed under it, and the story for a Ukrainian user."""
    shots: dict[str, list[dict]] = {}
    with FakeBotApi() as api:
        settings = BotSettings(token=api.token, engine=Settings(data_dir=data_dir), api_base_url=api.base_url,
                               allowed_users=frozenset({USER, UKRAINIAN}), burst=1000, per_seconds=1)
        api.user(UKRAINIAN, language_code="uk")

        async def scenario(application) -> None:
            asked = {"from": "user", "text": STORY_QUESTION}
            before = len(api.calls)
            api.message(STORY_QUESTION, user_id=USER)
            [answer] = await _wait(api, "sendMessage", since=before)
            bot_answer = {"from": "bot", **answer.params}
            shots["disagreement"] = [asked, bot_answer]
            newer, story = answer.params["reply_markup"]["inline_keyboard"][-1][:2]
            before = len(api.calls)
            api.callback(newer["callback_data"], user_id=USER, message_id=2)
            [shown] = await _wait(api, "sendMessage", since=before)
            to_answer = ("Newsdesk", _plain(answer.params["text"]).split("\n")[0])
            shots["newer"] = [asked, bot_answer, {"from": "bot", "reply_to": to_answer, **shown.params}]
            before = len(api.calls)
            api.callback(story["callback_data"], user_id=USER, message_id=2)
            [told] = await _wait(api, "sendMessage", since=before)
            shots["story"] = [asked, {"from": "bot", "reply_to": to_answer, **told.params}]
            question = "загиблі в Запоріжжі"
            before = len(api.calls)
            api.message(question, user_id=UKRAINIAN)
            [uk] = await _wait(api, "sendMessage", since=before)
            before = len(api.calls)
            api.callback(uk.params["reply_markup"]["inline_keyboard"][-1][1]["callback_data"], user_id=UKRAINIAN)
            [uk_story] = await _wait(api, "sendMessage", since=before)
            shots["story-uk"] = [{"from": "user", "text": question}, {"from": "bot", "reply_to": (
                "Newsdesk", _plain(uk.params["text"]).split("\n")[0]), **uk_story.params}]

        asyncio.run(_run(settings, scenario))
    return shots


def before_layout(data_dir: Path) -> list[dict]:
    """The same answer in the layout before issue 15 (bot/format.py of BEFORE_COMMIT)."""
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{BEFORE_COMMIT}:bot/format.py"], check=True,
                            capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "format_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("format_before", path)
    old = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = old  # (its dataclasses look their module up)
    spec.loader.exec_module(old)
    from retrieval.service import open_searcher

    answer = open_searcher(Settings(data_dir=data_dir)).ask("war in Ukraine", limit=3)
    html, shown = old.answer_message(answer)
    keyboard = [[{"text": f"📄 {h.rank}"} for h in answer.hits[:shown]], [{"text": "More ▸"}],
                [{"text": "👍"}, {"text": "👎"}]]
    return [{"from": "user", "text": "war in Ukraine"},
            {"from": "bot", "text": html, "reply_markup": {"inline_keyboard": keyboard}, "before": True}]


# --- a Telegram-like page ------------------------------------------------------------------------

CSS = f"""
* {{ box-sizing: border-box; }}
body {{ margin: 0; width: {SCREEN_WIDTH}px; background: #c8d9b7; font: {FONT_PX}px/{LINE_PX}px -apple-system, Roboto,
  "Liberation Sans", Arial, sans-serif, "Noto Color Emoji"; color: #000; }}
.chat {{ padding: 8px 8px 12px; }}
.row {{ display: flex; margin: 6px 0; }}
.row.user {{ justify-content: flex-end; }}
.bubble {{ max-width: 330px; padding: 6px 10px 7px; border-radius: 16px; background: #fff; white-space: pre-wrap;
  overflow-wrap: anywhere; box-shadow: 0 1px 1px rgba(0,0,0,.12); }}
.user .bubble {{ background: #e1fec6; }}
.reply {{ border-left: 3px solid #3a8ee6; background: #eaf3fd; border-radius: 4px; padding: 1px 6px; margin-bottom: 4px;
  font-size: 14px; line-height: 18px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.reply b {{ color: #3a8ee6; }}
a {{ color: #2678b6; text-decoration: none; }}
code {{ font: 15px/20px "DejaVu Sans Mono", monospace; }}
blockquote {{ margin: 4px 0; padding: 2px 22px 2px 8px; border-left: 3px solid #3a8ee6; background: #eaf3fd;
  border-radius: 4px; position: relative; }}
blockquote.expandable {{ display: -webkit-box; -webkit-line-clamp: 3; -webkit-box-orient: vertical; overflow: hidden; }}
blockquote.expandable::after {{ content: "⌄"; position: absolute; right: 6px; bottom: 0; color: #3a8ee6; }}
.preview {{ margin-top: 6px; border-left: 3px solid #3a8ee6; background: #eaf3fd; border-radius: 4px; padding: 3px 8px;
  font-size: 14px; line-height: 18px; }}
.preview b {{ color: #3a8ee6; }}
.keyboard {{ max-width: 330px; margin-top: 2px; }}
.keys {{ display: flex; gap: 2px; margin-top: 2px; }}
.key {{ flex: 1; text-align: center; padding: 8px 2px; border-radius: 8px; background: rgba(60, 90, 50, .35);
  color: #fff; font-size: 15px; line-height: 20px; white-space: nowrap; overflow: hidden; }}
.note {{ font: 12px/16px sans-serif; color: #3c5a32; text-align: center; margin: 4px 0; }}
"""

MEASURE = """
<script>
const out = [];
for (const row of document.querySelectorAll('.row.bot')) {
  const bubble = row.querySelector('.bubble'), keyboard = row.querySelector('.keyboard');
  const text = bubble.getBoundingClientRect().height;
  out.push({text_px: Math.round(text), lines: Math.round((text - 13) / %d),
            keyboard_px: keyboard ? Math.round(keyboard.getBoundingClientRect().height) : 0});
}
document.getElementById('measure').textContent = JSON.stringify(
  {messages: out, page_px: Math.ceil(document.querySelector('.chat').getBoundingClientRect().height)});
</script>
""" % LINE_PX


def _telegram_html(text: str) -> str:
    """Telegram's HTML as a browser shows it (the tags are a subset of HTML; expandable quotes get a class)."""
    # a quote is a block: the line break that ends it in Telegram's text is not one more empty line
    return text.replace("<blockquote expandable>", '<blockquote class="expandable">').replace("</blockquote>\n", "</blockquote>")


def _plain(text: str) -> str:
    return html_module.unescape(re.sub(r"<[^>]+>", "", text))


def page(messages: list[dict]) -> str:
    rows = []
    for m in messages:
        if m["from"] == "user":
            rows.append(f'<div class="row user"><div class="bubble">{html_module.escape(m["text"])}</div></div>')
            continue
        parts = []
        asked = next((u["text"] for u in messages if u["from"] == "user"), None)
        who, replied = m.get("reply_to") or ("Ann", asked)  # 🧵 and 🆕 reply to the bot's answer
        if m.get("reply_parameters") and replied:
            parts.append(f'<div class="reply"><b>{who}</b><br>{html_module.escape(replied)}</div>')
        parts.append(_telegram_html(m["text"]))
        preview = m.get("link_preview_options") or {}
        if preview.get("url") and not preview.get("is_disabled"):
            domain = re.sub(r"^https?://([^/]+).*", r"\1", preview["url"])
            parts.append(f'<div class="preview"><b>{html_module.escape(domain)}</b><br>'
                         "<i>the article's page preview, small (fetched by Telegram)</i></div>")
        keyboard = ""
        rows_ = (m.get("reply_markup") or {}).get("inline_keyboard") or []
        if rows_:
            keyboard = '<div class="keyboard">' + "".join(
                '<div class="keys">' + "".join(f'<div class="key">{html_module.escape(b["text"])}</div>' for b in row)
                + "</div>" for row in rows_) + "</div>"
        rows.append(f'<div class="row bot"><div><div class="bubble">{"".join(parts)}</div>{keyboard}</div></div>')
    return (f'<!doctype html><html><head><meta charset="utf-8"><style>{CSS}</style></head><body>'
            f'<div class="chat">{"".join(rows)}<div class="note">Rendering of the bot\'s real messages '
            f'(HTML and buttons as sent), {SCREEN_WIDTH} px wide</div></div><pre id="measure"></pre>{MEASURE}</body></html>')


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("chromium is not installed: `make screenshots` installs it (apt-get install -y chromium)")


def render(browser: str, html: str, png: Path | None) -> dict:
    """Measure the page in Chromium, then screenshot it at its own height (`png`: where; None: no picture)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "page.html"
        source.write_text(html, encoding="utf-8")
        flags = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1",
                 f"--user-data-dir={tmp}/profile"]
        dom = subprocess.run([browser, *flags, "--virtual-time-budget=2000", f"--window-size={SCREEN_WIDTH},2000",
                              "--dump-dom", source.as_uri()], check=True, capture_output=True, text=True).stdout
        measured = json.loads(html_module.unescape(re.search(r'<pre id="measure">(.*?)</pre>', dom, re.S).group(1)))
        if png is None:
            return measured
        subprocess.run([browser, *flags, f"--window-size={SCREEN_WIDTH},{measured['page_px']}", f"--screenshot={png}",
                        source.as_uri()], check=True, capture_output=True)
    return measured


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--questions", type=int, default=20, help="questions timed through the test server")
    parser.add_argument("--only-story", action="store_true", help="only the story's renderings (samples/story.jsonl)")
    args = parser.parse_args()
    browser = chromium()
    work = Path(tempfile.mkdtemp(prefix="newsdesk-screens-"))
    story_dir = work / "story"
    pipeline.add([ROOT / "samples" / "story.jsonl"], Settings(data_dir=story_dir), None, True)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, messages in drive_story(story_dir).items():
        measured = render(browser, page(messages), args.out / f"{name}.png")
        heights = ", ".join(f"{m['text_px']} px + {m['keyboard_px']} px of buttons" for m in measured["messages"])
        print(f"{args.out / (name + '.png')}: {heights}")
    if args.only_story:
        return
    data_dir = work / "data"
    pipeline.add([ROOT / "samples" / "archive.jsonl"], Settings(data_dir=data_dir), None, True)
    before = before_layout(data_dir)
    run = drive(data_dir, args.questions)
    args.out.mkdir(parents=True, exist_ok=True)
    figures = {}
    for name, messages in [("answer-before", before), *run["shots"].items()]:
        figures[name] = render(browser, page(messages), args.out / f"{name}.png")
        print(f"{args.out / (name + '.png')}: {figures[name]}")
    for name in ("answer-before", "answer"):
        [m] = figures[name]["messages"]
        total = m["text_px"] + m["keyboard_px"]
        print(f"{name}: {m['lines']} lines of text, {m['text_px']} px + {m['keyboard_px']} px of buttons = {total} px "
              f"({'fits' if total <= CHAT_AREA else 'does not fit'} the {CHAT_AREA}-px chat area of a {SCREEN_WIDTH}-px phone)")
    print(f"The answers to the {len(run['answers'])} timed questions ({CHAT_AREA}-px chat area):")
    for question, params in run["answers"].items():
        [m] = render(browser, page([{"from": "user", "text": question}, {"from": "bot", **params}]), None)["messages"]
        total = m["text_px"] + m["keyboard_px"]
        print(f"  {question!r}: {m['lines']} lines, {m['text_px']} px + {m['keyboard_px']} px of buttons = {total} px"
              f" ({'fits' if total <= CHAT_AREA else 'does not fit'})")
    typing = sorted(t for t, _ in run["timings"])
    answered = sorted(a for _, a in run["timings"])

    def pct(values, q):
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

    print(f"{len(typing)} questions through the test Bot API server: typing action after "
          f"p50 {statistics.median(typing):.0f} ms / p95 {pct(typing, .95):.0f} ms; answer after "
          f"p50 {statistics.median(answered):.0f} ms / p95 {pct(answered, .95):.0f} ms")


if __name__ == "__main__":
    main()
