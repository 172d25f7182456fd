"""Issue 13's seam, bot side: the bot imports retrieval only, and one root command owns the Typer app."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import typer

import bot
import retrieval.cli
from bot import cli

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


# the bottom of the layering, which every package may use (pyproject.toml's contract says so too)
BOTTOM = {"index.errors", "index.records", "index.settings", "index.sqlite"}


def _imported(module: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(module.read_text())):
        names += [node.module or ""] if isinstance(node, ast.ImportFrom) else \
            [a.name for a in node.names] if isinstance(node, ast.Import) else []
    return names


def test_the_bot_imports_of_index_only_its_bottom_modules():
    for module in Path(bot.__file__).parent.rglob("*.py"):
        names = _imported(module)
        assert not [n for n in names if (n == "index" or n.startswith("index.")) and n not in BOTTOM], f"{module}: {names}"


def test_the_bottom_modules_import_nothing_else_of_index():
    root = Path(bot.__file__).parent.parent
    for name in BOTTOM:
        module = root / (name.replace(".", "/") + ".py")
        names = _imported(module)
        assert not [n for n in names if n.startswith("index") and n not in BOTTOM], f"{module}: {names}"


def test_the_layering_contracts_hold():
    done = subprocess.run([str(LINT_IMPORTS)], cwd=Path(bot.__file__).parent.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 4 kept, 0 broken." in done.stdout


def test_the_root_command_is_bot_cli_and_mounts_every_package():
    assert not any(isinstance(value, typer.Typer) for name, value in vars(retrieval.cli).items()
                   if name != "index_app")  # retrieval offers commands; it creates no app of its own
    names = {c.name or c.callback.__name__ for c in cli.app.registered_commands}
    assert names == {"ask", "eval", "bot", "health"}
    assert {g.name for g in cli.app.registered_groups} == {"index", "feedback"}
