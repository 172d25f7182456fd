"""Logging for the bot process, with the token scrubbed from every record.

The Bot API URL contains the token and httpx logs request URLs; exceptions may carry them too.
Redacting in the record factory covers every logger and every handler, whatever its level.
"""

from __future__ import annotations

import logging
import traceback

_installed: set[str] = set()


def install_redaction(secret: str) -> None:
    if not secret or secret in _installed:
        return
    _installed.add(secret)
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        message = record.getMessage()
        if secret in message:
            record.msg, record.args = message.replace(secret, "<token>"), None
        if record.exc_info and record.exc_info[0] is not None:
            text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_text = text.replace(secret, "<token>")
        return record

    logging.setLogRecordFactory(factory)


def configure(level: int = logging.INFO) -> None:
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level)
    # httpx logs every request URL at INFO; they are noise in the bot's log even when redacted
    logging.getLogger("httpx").setLevel(logging.WARNING)
