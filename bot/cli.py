"""The `newsdesk` command: the one root Typer app. It mounts the index's commands (`newsdesk index ...`),
retrieval's (`ask`, `eval`) and the bot's (`bot`, `health`, `feedback export`), and turns domain
errors into one sentence and an exit status."""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from retrieval import cli as retrieval_cli
from retrieval.cli import DataDir
from index.errors import IndexBusy, NewsdeskError
from index.settings import Settings
from retrieval.errors import BadQuery
from retrieval.service import require_published

EXIT_USAGE = 2
EXIT_BUSY = 75  # EX_TEMPFAIL: cron can tell "another run is going" from a failure

app = typer.Typer(help="Newsdesk: ask a news archive, get cited passages.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)
app.add_typer(retrieval_cli.index_app, name="index")
for _name, _command in retrieval_cli.COMMANDS.items():
    app.command(name=_name)(_command)


@app.command(name="bot")
def bot_command(
    data_dir: DataDir = None,
) -> None:
    """Run the Telegram bot (long polling). Settings come from the environment: see the README."""
    from bot.app import run
    from bot.settings import BotSettings

    env = dict(os.environ)
    if data_dir:
        env["NEWSDESK_DATA"] = str(data_dir)
    run(BotSettings.from_env(env))


@app.command()
def health(
    max_age: Annotated[float, typer.Option(help="Seconds since the bot's last heartbeat.")] = 120.0,
    data_dir: DataDir = None,
) -> None:
    """Exit 0 if an index is published and the bot has beaten lately (for container healthchecks)."""
    import time

    from bot.app import HEARTBEAT

    settings = Settings.from_env(data_dir=data_dir)
    generation = require_published(settings)
    beat = settings.data_dir / HEARTBEAT
    if not beat.exists():
        raise NewsdeskError(f"The bot has never run with this data directory (no {beat}).")
    age = time.time() - beat.stat().st_mtime
    if age > max_age:
        raise NewsdeskError(f"The bot has not beaten for {age:.0f} s (more than {max_age:.0f} s): is it running?")
    print(f"ok: generation {generation}, heartbeat {age:.0f} s ago")


feedback_app = typer.Typer(help="The 👍 / 👎 given to answers and alerts (reactions, or the buttons of older messages).", no_args_is_help=True)
app.add_typer(feedback_app, name="feedback")


@feedback_app.command(name="export")
def feedback_export(
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    data_dir: DataDir = None,
) -> None:
    """Write the votes as JSONL judged questions that `newsdesk eval` reads: {question, relevant, ...}."""
    import json

    from bot.feedback_store import FeedbackStore, judged_questions

    path = Settings.from_env(data_dir=data_dir).data_dir / "bot.sqlite3"
    try:
        store = FeedbackStore.open_existing(path)
    except FileNotFoundError:
        raise NewsdeskError(f"There is no bot state in {path.parent} (no {path.name}): has the bot run there?") from None
    try:
        export = judged_questions(store.votes())
    finally:
        store.close()
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in export.lines)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    print(f"{export.votes} votes -> {len(export.lines)} judged questions"
          f"{f' to {output}' if output else ''}; {export.left_out} left out (no article judged relevant)",
          file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        # standalone: typer reports usage mistakes itself (status 2) and exits with SystemExit
        app(args=argv, prog_name="newsdesk", standalone_mode=True)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except BadQuery as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except IndexBusy as error:
        print(f"busy: {error}", file=sys.stderr)
        return EXIT_BUSY
    except NewsdeskError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


def run() -> None:
    status = main()
    # What is alive at exit is the OS's to free: the collector's passes over torch's and transformers'
    # objects while the interpreter shuts down cost about a second of every command
    gc.freeze()
    sys.exit(status)
