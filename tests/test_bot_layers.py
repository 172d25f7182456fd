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


def test_no_module_of_the_bot_imports_index():
    for module in Path(bot.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else \
                [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not [n for n in names if n == "index" or n.startswith("index.")], f"{module}: {names}"


def test_the_layering_contracts_hold():
    done = subprocess.run([str(LINT_IMPORTS)], cwd=Path(bot.__file__).parent.parent, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Contracts: 3 kept, 0 broken." in done.stdout


def test_the_root_command_is_bot_cli_and_mounts_every_package():
    assert not any(isinstance(value, typer.Typer) for name, value in vars(retrieval.cli).items()
                   if name != "index_app")  # retrieval offers commands; it creates no app of its own
    names = {c.name or c.callback.__name__ for c in cli.app.registered_commands}
    assert names == {"ask", "eval", "bot", "health"}
    assert {g.name for g in cli.app.registered_groups} == {"index", "feedback"}
