"""`--diff-base REF` reports only what a pull request changed, tested on a real git repository."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.helpers import run_cli

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

BEFORE = "Hi {{ customer.name }},\n\nsorry about the wait.\nWe will look into it.\n- Ann\n"
AFTER = "Hi {{ customer.name }},\n\nsorry about the wait.\nPlease be advised that we will look into it.\n- Ann\n"
UNTOUCHED = "Dear valued customer, kindly note we apologize for any inconvenience.\n"
COLLECTION = ("- id: one\n  text: Kindly DM us and I'll sort it today. - Ann\n"
              "- id: two\n  text: Sorry! DM us and I'll sort it today. - Ann\n")


def _git(repo, *args):
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    repo = tmp_path / "repo"
    (repo / "responses").mkdir(parents=True)
    _git(repo, "init", "-q")
    _git(repo, "config", "user.email", "t@example.com")
    _git(repo, "config", "user.name", "t")
    (repo / "responses" / "edited.txt").write_text(BEFORE, encoding="utf-8")
    (repo / "responses" / "untouched.txt").write_text(UNTOUCHED, encoding="utf-8")
    (repo / "responses" / "canned.yaml").write_text(COLLECTION, encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    _git(repo, "tag", "base")
    (repo / "responses" / "edited.txt").write_text(AFTER, encoding="utf-8")
    (repo / "responses" / "canned.yaml").write_text(COLLECTION.replace("Sorry! DM", "Sorry! Kindly DM"),
                                                    encoding="utf-8")
    (repo / "responses" / "new.txt").write_text("Rest assured, kindly wait.\n", encoding="utf-8")  # untracked
    return repo


def _findings(repo, *args):
    result = run_cli("lint", "--format", "json", *args, "responses", cwd=repo)
    assert result.returncode in (0, 1), result.stderr
    return {(f["path"], d["rule"], d["line"]) for f in json.loads(result.stdout)["files"] for d in f["diagnostics"]}


def test_only_findings_on_changed_lines_and_in_new_files(repo):
    everything = _findings(repo)
    changed = _findings(repo, "--diff-base", "base")
    assert changed < everything
    assert not {f for f in changed if f[0].endswith("untouched.txt")}  # unchanged since the base
    assert {f for f in everything if f[0].endswith("new.txt")} <= changed  # new: changed throughout
    edited = {f for f in changed if f[0].endswith("edited.txt")}
    assert ("responses/edited.txt", "corporate-speak", 4) in edited  # "Please be advised", the edited line
    assert ("responses/edited.txt", "leftover-placeholder", 1) not in edited  # on an untouched line
    assert ("responses/edited.txt", "no-fix", 1) in edited  # about the whole reply, which changed
    canned = {f for f in changed if "canned.yaml" in f[0]}
    assert canned and all(f[2] == 4 for f in canned if f[1] == "corporate-speak")  # the edited entry's line
    assert ("responses/canned.yaml#one", "corporate-speak", 2) in everything


def test_a_ref_that_is_not_a_commit_or_no_repository_is_one_clear_line(repo, tmp_path):
    result = run_cli("lint", "--diff-base", "no-such-branch", "responses", cwd=repo)
    assert result.returncode == 2
    assert result.stderr.strip() == "replycoach: --diff-base: 'no-such-branch' is not a commit in this repository"
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / "r.txt").write_text(UNTOUCHED, encoding="utf-8")
    result = run_cli("lint", "--diff-base", "main", "r.txt", cwd=outside)
    assert result.returncode == 2 and "needs a git repository" in result.stderr
