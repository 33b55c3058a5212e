"""The pre-commit hook, run by the real pre-commit framework against this project.

The test clones this checkout's HEAD (what CI and users get: work in progress in the tree
is not part of it), and `pre-commit try-repo` installs that clone into a fresh virtual
environment as any user's pre-commit would and runs the `replycoach` hook from
`.pre-commit-hooks.yaml` on the files given. The first run takes a minute (building that
environment); the second reuses it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install '.[test]' brings it)"),
    pytest.mark.skipif(not (PROJECT / ".git").exists(),
                       reason="pre-commit try-repo needs this project as a git checkout"),
]

CONFIG = """\
context: {template: true}
template_variables: [customer.first_name, agent.name, order.id]
select: [canned, corporate-speak]
"""
FLAWED = ("Hi {{ customer.nickname }}, I'm sorry your parcel is late. Kindly DM us and I'll "
          "check it today. - {{ agent.name }}\n")
FIXED = ("Hi {{ customer.first_name }}, I'm sorry your parcel is late. Please DM us and I'll "
         "check it today. - {{ agent.name }}\n")
COLLECTION = """\
- id: where-is-it
  title: Where is my parcel?
  text: |
    Hi {{ customer.first_name }}, let me check order {{ order.id }} for you right now.
    I'll reply here within the hour. - {{ agent.name }}
"""


def _git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _hook(project: Path, repo: Path, home: Path, *files: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHONPATH", "REPLYCOACH_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(home), REPLYCOACH_CACHE_DIR=str(home / "replycoach-cache"))
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(project), "replycoach", "--verbose", "--files", *files],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900,
    )


def test_hook_fails_on_a_flawed_response_and_passes_once_it_is_fixed(tmp_path):
    repo = tmp_path / "saved-replies"
    (repo / "responses").mkdir(parents=True)
    (repo / ".replycoach.yaml").write_text(CONFIG, encoding="utf-8")
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {PROJECT.as_uri()}\n    rev: v0.1.0\n    hooks:\n      - id: replycoach\n",
        encoding="utf-8")
    late = repo / "responses" / "late.txt"
    late.write_text(FLAWED, encoding="utf-8")
    (repo / "responses" / "faq.yaml").write_text(COLLECTION, encoding="utf-8")
    _git("init", "-q", cwd=repo)
    _git("add", ".", cwd=repo)
    home = tmp_path / "pre-commit-home"
    project = tmp_path / "replycoach"
    _git("clone", "-q", str(PROJECT), str(project), cwd=tmp_path)
    files = ["responses/late.txt", "responses/faq.yaml", ".pre-commit-config.yaml", ".replycoach.yaml"]

    failed = _hook(project, repo, home, *files)
    output = failed.stdout + failed.stderr
    assert failed.returncode == 1, output
    assert "Failed" in output and "unknown-placeholder" in output and "customer.nickname" in output
    assert "responses/late.txt" in output
    assert "not a canned-response collection" not in output  # the configs were not linted

    late.write_text(FIXED, encoding="utf-8")
    passed = _hook(project, repo, home, *files)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout


def test_hook_in_a_repository_that_never_ran_init(tmp_path):
    """No `.replycoach.yaml`: the responses' {{ slots }} are template slots, not leftovers; a
    plain YAML config is skipped with a notice and notes in docs/ are not judged as replies."""
    repo = tmp_path / "macros"
    (repo / "responses").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {PROJECT.as_uri()}\n    rev: v0.1.0\n    hooks:\n      - id: replycoach\n",
        encoding="utf-8")
    (repo / "responses" / "late.txt").write_text(FIXED, encoding="utf-8")
    (repo / "docs" / "notes.txt").write_text("We apologize for any inconvenience. Kindly see the wiki.\n",
                                             encoding="utf-8")
    (repo / "settings.yml").write_text("language: en\nsignature: Ann\n", encoding="utf-8")
    _git("init", "-q", cwd=repo)
    _git("add", ".", cwd=repo)
    home = tmp_path / "pre-commit-home"
    project = tmp_path / "replycoach"
    _git("clone", "-q", str(PROJECT), str(project), cwd=tmp_path)
    result = _hook(project, repo, home, "responses/late.txt", "docs/notes.txt", "settings.yml")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Passed" in output and "leftover-placeholder" not in output
    assert "settings.yml: skipped: not a canned-response collection" in output
    assert "docs/notes.txt" not in output
