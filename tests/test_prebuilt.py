"""The built-in playbook ships validated, so a first run (or one that cannot write a cache)
does not spend a second validating it, and what ships is what validation makes now."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from replycoach.core import resources
from replycoach.playbook import prebuilt
from replycoach.playbook.loader import DEFAULT, _build

SCRIPT = "python data/scripts/build_prebuilt.py"


def test_the_shipped_playbook_matches_its_files():
    assert prebuilt.load() is not None, f"playbooks/{prebuilt.FILE} is out of date: run `{SCRIPT}`"


def test_what_ships_is_what_validation_makes_now(monkeypatch):
    monkeypatch.setenv("REPLYCOACH_NO_CACHE", "1")
    data, files = _build([str(resources.builtin_dir("playbooks") / f"{DEFAULT}.yaml")])
    shipped_data, shipped_files = prebuilt.load()
    # compared as text: the order of keys is data too (the checklist, a rule's conditions)
    assert json.dumps([data, files]) == json.dumps([shipped_data, shipped_files]), f"run `{SCRIPT}`"


@pytest.fixture
def moved_playbooks(tmp_path, monkeypatch):
    """The playbooks folder somewhere else, as in an installed wheel."""
    folder = tmp_path / "site-packages" / "playbooks"
    shutil.copytree(resources.builtin_dir("playbooks"), folder)
    monkeypatch.setitem(resources._BUILTIN, "playbooks", folder)
    return folder


def test_the_shipped_playbook_moves_with_the_installation(moved_playbooks):
    data, files = prebuilt.load()
    assert files and all(f.startswith(str(moved_playbooks)) for f in files)
    assert "@@" not in json.dumps(data)
    assert str(moved_playbooks) in json.dumps(data["detector"])


def test_an_edited_playbook_file_is_validated_again_not_served_stale(moved_playbooks):
    english = moved_playbooks / "default" / "en.yaml"
    english.write_text(english.read_text(encoding="utf-8") + "\n# a local edit\n", encoding="utf-8")
    assert prebuilt.load() is None


def test_a_damaged_shipped_file_is_ignored(moved_playbooks):
    (moved_playbooks / prebuilt.FILE).write_bytes(b"not gzip")
    assert prebuilt.load() is None


def test_a_first_run_with_no_cache_finds_the_same_as_a_warm_one(tmp_path):
    reply = tmp_path / "reply.txt"
    reply.write_text("Dear valued customer, we apologize for any inconvenience. Customer Service Team\n")

    def lint(env):
        result = subprocess.run([sys.executable, "-m", "replycoach", "lint", "--format", "json", str(reply)],
                                capture_output=True, text=True, env={**os.environ, **env}, timeout=120)
        assert result.returncode in (0, 1), result.stderr
        return [(d["rule"], d["line"], d["column"]) for f in json.loads(result.stdout)["files"]
                for d in f["diagnostics"]]

    cold = lint({"REPLYCOACH_NO_CACHE": "1"})
    warm_dir = {"REPLYCOACH_CACHE_DIR": str(tmp_path / "cache")}
    lint(warm_dir)
    assert cold and cold == lint(warm_dir)
