"""A model is built once per machine (index.staging.build_once): concurrent builds wait for one, a crashed
build leaves nothing behind, and the cache follows the platform's convention unless NEWSDESK_MODEL_CACHE
says otherwise. The real models' builds are the e5 tests' (tests/test_multilingual_model.py); here the
build is a small function, so that two processes can race for it in a second."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.settings import Settings, user_model_cache
from index.staging import build_once
from tests.support import ROOT

# a process that builds TARGET once: its build logs its name, waits until GO exists, then completes
BUILDER = """
import logging, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from index.staging import build_once

logging.basicConfig(level=logging.WARNING, format="%(message)s")
name, target, go = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])

def build(staging):
    with open(target.parent / "builds.log", "a") as log:
        log.write(name + "\\n")
    (target.parent / "started").touch()
    for _ in range(600):  # bounded: 60 s
        if go.exists():
            break
        time.sleep(0.1)
    (staging / "model.bin").write_text(name)

print(build_once(target, "model.bin", build))
"""


def start(name: str, target: Path, go: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", BUILDER.format(root=str(ROOT)), name, str(target), str(go)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(path: Path, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < deadline, f"{path} never appeared"
        time.sleep(0.05)


def test_two_processes_that_need_one_model_build_it_once(tmp_path):
    target, go = tmp_path / "models" / "some-model", tmp_path / "go"
    first = start("first", target, go)
    wait_for(tmp_path / "models" / "started")
    second = start("second", target, go)
    time.sleep(1.0)  # the second is now waiting on the lock (its log line says so below)
    assert second.poll() is None
    go.touch()
    outputs = [process.communicate(timeout=60) for process in (first, second)]
    assert [process.returncode for process in (first, second)] == [0, 0]
    assert outputs == [(f"{target}\n", ""),
                       (f"{target}\n", f"waiting for another process to finish building {target}\n")]
    assert (tmp_path / "models" / "builds.log").read_text() == "first\n"
    assert (target / "model.bin").read_text() == "first"
    assert sorted(p.name for p in target.parent.iterdir()) == [".some-model.lock", "builds.log", "some-model",
                                                               "started"]


def test_a_failed_build_leaves_nothing_and_the_next_one_builds(tmp_path):
    target = tmp_path / "models" / "some-model"

    def crash(staging: Path) -> None:
        (staging / "half.bin").write_text("half")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        build_once(target, "model.bin", crash)
    assert sorted(p.name for p in target.parent.iterdir()) == [".some-model.lock"]
    built = []
    assert build_once(target, "model.bin", lambda staging: (staging / "model.bin").write_text("whole")) == target
    assert build_once(target, "model.bin", built.append) == target  # complete: not built again
    assert (built, (target / "model.bin").read_text()) == ([], "whole")


def test_an_incomplete_directory_from_an_older_build_is_replaced(tmp_path):
    target = tmp_path / "models" / "some-model"
    target.mkdir(parents=True)
    (target / "leftover.bin").write_text("old")
    build_once(target, "model.bin", lambda staging: (staging / "model.bin").write_text("new"))
    assert sorted(p.name for p in target.iterdir()) == ["model.bin"]


def test_the_model_cache_is_the_users_unless_newsdesk_model_cache_says(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert user_model_cache() == tmp_path / "xdg" / "newsdesk"
    for settings in (Settings(data_dir=tmp_path / "a"), Settings.from_env({}, data_dir=tmp_path / "b")):
        assert settings.models_home == tmp_path / "xdg" / "newsdesk"  # one for every data directory
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert user_model_cache() == Path.home() / ".cache" / "newsdesk"
    env = {"NEWSDESK_MODEL_CACHE": str(tmp_path / "image")}
    assert Settings.from_env(env, data_dir=tmp_path / "a").models_home == tmp_path / "image"
