"""The GitHub Action (action.yml), its script run as the Action runs it, on real git repositories."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")

FLAWED = "Dear valued customer, kindly note we apologize for any inconvenience.\n"
EDITED_BEFORE = "Hi Sam,\n\nsorry about the wait.\nWe will send it today.\n- Ann\n"
EDITED_AFTER = "Hi Sam,\n\nsorry about the wait.\nPlease be advised that we will send it today.\n- Ann\n"


def _git(repo, *args):
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _run_action(repo: Path, tmp_path: Path, **inputs) -> tuple[subprocess.CompletedProcess, Path, Path]:
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "INPUT_", "REPLYCOACH_"))}
    env.update(PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
               REPLYCOACH_ACTION_INSTALL="skip", GITHUB_ACTION_PATH=str(ROOT), GITHUB_ACTIONS="true",
               GITHUB_STEP_SUMMARY=str(summary), GITHUB_OUTPUT=str(output),
               **{f"INPUT_{k.upper()}": v for k, v in inputs.items() if k != "base_ref"})
    if "base_ref" in inputs:
        env["GITHUB_BASE_REF"] = inputs["base_ref"]
    result = subprocess.run(["bash", str(ROOT / "action" / "run.sh")], cwd=repo, env=env, capture_output=True,
                            text=True, timeout=300)
    return result, summary, output


@pytest.fixture
def origin(tmp_path):
    """A repository with a main branch, cloned, with a feature branch that edits one response."""
    upstream = tmp_path / "upstream"
    (upstream / "responses").mkdir(parents=True)
    _git(upstream, "init", "-q", "-b", "main")
    _git(upstream, "config", "user.email", "t@example.com")
    _git(upstream, "config", "user.name", "t")
    (upstream / "responses" / "old.txt").write_text(FLAWED, encoding="utf-8")
    (upstream / "responses" / "edited.txt").write_text(EDITED_BEFORE, encoding="utf-8")
    _git(upstream, "add", ".")
    _git(upstream, "commit", "-qm", "base")
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", str(upstream), str(clone))
    _git(clone, "config", "user.email", "t@example.com")
    _git(clone, "config", "user.name", "t")
    _git(clone, "checkout", "-q", "-b", "feature")
    (clone / "responses" / "edited.txt").write_text(EDITED_AFTER, encoding="utf-8")
    _git(clone, "commit", "-qam", "edit")
    return clone


def test_on_a_pull_request_only_its_changes_are_annotated_and_sarif_is_written(origin, tmp_path):
    result, summary, output = _run_action(origin, tmp_path, paths="responses", diff_base="auto", sarif="true",
                                          args="--fail-on warning", base_ref="main")
    assert result.returncode == 1, result.stderr
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations and all("file=responses/edited.txt" in line for line in annotations)
    assert any("line=4," in line and "corporate-speak" in line for line in annotations)
    assert output.read_text(encoding="utf-8") == "exit-code=1\n"
    assert "responses/edited.txt" in summary.read_text(encoding="utf-8")
    sarif = json.loads((origin / "replycoach.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"responses/edited.txt"}


def test_on_a_push_every_finding_is_reported(origin, tmp_path):
    result, _, output = _run_action(origin, tmp_path, paths="responses", diff_base="auto")
    annotated = set(re.findall(r"file=([^,]+),", result.stdout))
    assert annotated == {"responses/old.txt", "responses/edited.txt"}
    assert output.read_text(encoding="utf-8") == f"exit-code={result.returncode}\n"


def test_the_action_passes_its_inputs_to_the_script():
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "lint")
    assert "action/run.sh" in step["run"]
    script = (ROOT / "action" / "run.sh").read_text(encoding="utf-8")
    for name in action["inputs"]:
        if name == "python-version":
            continue
        variable = "INPUT_" + name.upper().replace("-", "_")
        assert step["env"][variable] == "${{ inputs." + name + " }}"
        assert variable in script
