"""The settings registry (index.settings.VARIABLES) is what the documentation and `--help` name."""

from __future__ import annotations

import re
from pathlib import Path

import click
import typer.main

from bot import cli
from index.settings import VARIABLES, Settings, read, table
from retrieval.plan import SearchSettings

ROOT = Path(__file__).resolve().parents[1]
NAMED = re.compile(r"\b(?:NEWSDESK|TELEGRAM)_[A-Z0-9_]+\b")
COMPOSE_ONLY = {"NEWSDESK_UPDATE_INTERVAL"}  # the image's shell loop reads it, not Newsdesk


def test_docs_operations_carries_the_registry_as_it_is():
    text = (ROOT / "docs" / "operations.md").read_text()
    generated = text.split("<!-- settings table: generated -->\n", 1)[1].split("\n<!-- end of settings table -->", 1)[0]
    assert generated == table()


def test_the_readme_and_the_docs_name_only_registered_variables():
    for page in (ROOT / "README.md", ROOT / "docs" / "operations.md"):
        named = set(NAMED.findall(page.read_text()))
        assert named - set(VARIABLES) - COMPOSE_ONLY == set(), page.name
    assert COMPOSE_ONLY <= set(NAMED.findall((ROOT / "docker-compose.yml").read_text()))


def _commands(command: click.Command):
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def test_every_environment_variable_of_the_commands_is_registered():
    envvars = {p.envvar for c in _commands(typer.main.get_command(cli.app)) for p in c.params if p.envvar}
    assert envvars == {"NEWSDESK_DATA", "NEWSDESK_SOURCES", "NEWSDESK_RAY", "NEWSDESK_INDEX_TYPE"}
    assert envvars <= set(VARIABLES)


def test_unset_and_blank_variables_take_the_registered_default():
    assert read("search", {}) == read("search", {"NEWSDESK_BM25_BUDGET": "  "}) == {
        "NEWSDESK_RECENCY_HALF_LIFE_DAYS": 0.0, "NEWSDESK_RECENCY_WEIGHT": 0.2, "NEWSDESK_BM25_BUDGET": 100_000.0}
    assert {v.part for v in VARIABLES.values()} == {"index", "search", "bot"}


def test_the_registered_defaults_are_the_settings_own():
    # the registry writes each default as the environment would; the dataclasses keep theirs for code
    # that builds settings directly: the two must agree
    assert Settings.from_env({}) == Settings()
    assert SearchSettings.from_env({}) == SearchSettings()
