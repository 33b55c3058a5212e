"""`replycoach init`: a commented config that works as written, and the pre-commit snippet."""

from __future__ import annotations

import json

import yaml

from replycoach.lint.config import load_config
from tests.helpers import run_cli


def test_init_writes_a_valid_commented_config_and_prints_the_snippet(tmp_path):
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    written = (tmp_path / ".replycoach.yaml").read_text(encoding="utf-8")
    assert written.count("\n#") >= 5  # it explains itself
    config = load_config(tmp_path / ".replycoach.yaml")
    assert config.context == {"template": True}
    assert "customer.first_name" in config.template_variables
    snippet = result.stdout[result.stdout.index("repos:"):].split("\n\n")[0]
    hooks = yaml.safe_load(snippet)["repos"][0]
    assert hooks["hooks"][0]["id"] == "replycoach" and hooks["rev"].startswith("v")


def test_the_written_config_drives_lint(tmp_path):
    run_cli("init", cwd=tmp_path)
    (tmp_path / "late.txt").write_text("Hi {{ customer.first_name }} {{ customer.nickname }}, sorry. "
                                       "- {{ agent.name }}\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# Our saved replies\n", encoding="utf-8")
    result = run_cli("lint", ".", "--select", "canned", "--format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == ["late.txt"]  # README.md excluded
    (finding,) = report["files"][0]["diagnostics"]
    assert finding["rule"] == "unknown-placeholder" and finding["match"] == "{{ customer.nickname }}"


def test_init_refuses_to_overwrite_unless_forced(tmp_path):
    config = tmp_path / ".replycoach.yaml"
    config.write_text("fail_on: warning\n", encoding="utf-8")
    refused = run_cli("init", cwd=tmp_path)
    assert refused.returncode == 2 and "already exists" in refused.stderr
    assert config.read_text(encoding="utf-8") == "fail_on: warning\n"
    forced = run_cli("init", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and "template_variables" in config.read_text(encoding="utf-8")
