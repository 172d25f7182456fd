"""bot.render.menus: the command menu Telegram shows (`commands`), the labels of the More, 🧵, 🆕, 🔕 and
🗓 / ⚡ buttons, and /language's menu and replies."""

from __future__ import annotations

from bot.i18n import gettext as _
from bot.render.markup import shorten, text
from bot.render.sentences import N_


def more_label() -> str:
    return _("More ▸")


def story_label() -> str:
    return _("🧵 Story")


def article_label() -> str:
    return _("📄 Whole article")


def newer_label() -> str:
    return _("🆕 Newer")


def stop_label(mark: str = "") -> str:
    return _("🔕 Stop") + mark


def switch_label(daily: bool, numbered: bool, mark: str = "") -> str:
    """The button that switches a follow to the other delivery."""
    if daily:
        return _("⚡ As indexed") + mark
    return (_("🗓 Daily") if numbered else _("🗓 Daily digest")) + mark


LANGUAGE_NAMES = {"en": "English", "uk": "Українська", "ru": "Русский"}  # each in itself, for the buttons


def language_menu(language: str) -> str:
    """/language without an argument: the language now, and how to change it."""
    return _("I answer you in English. Choose another below, or write <code>/language uk</code>, "
             "<code>/language ru</code> or <code>/language en</code>.")


def language_set(language: str) -> str:
    """After /language LANG or a button (said in the new language)."""
    return _("From now on I answer you in English.")


def language_unknown(raw: str) -> str:
    return _("I speak English (en), Ukrainian (uk) and Russian (ru), not {language}. Write e.g. "
             "<code>/language uk</code>.").format(language=text(shorten(raw, 20)))


COMMANDS = [  # the command menu Telegram shows (bot.app sets it in each language)
    ("help", N_("What I do and how to ask")),
    ("ask", N_("Ask a question (in groups)")),
    ("sources", N_("Outlets and dates in the archive")),
    ("status", N_("Size of the archive and its last update")),
    ("follow", N_("Alerts on new reports: /follow Rovno")),
    ("following", N_("What you follow")),
    ("unfollow", N_("Stop a follow: /unfollow 3")),
    ("timezone", N_("Time zone of daily digests")),
    ("digest", N_("Hour of daily digests")),
    ("language", N_("The language I answer in: en, uk, ru")),
]


def commands() -> list[tuple[str, str]]:
    return [(name, _(description)) for name, description in COMMANDS]
