"""The flags ruff and yamllint users reach for, and GitHub's limits on annotations (issue 17)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.helpers import run_cli

ROOT = Path(__file__).resolve().parents[1]
FLAWED = "Dear valued customer, we apologize for any inconvenience. Kindly contact our customer service.\n"
CLEAN_ENOUGH = "@sam I'm so sorry your parcel is late! I've sent a new one today. DM us if it's not there. - Ann\n"


@pytest.fixture
def replies(tmp_path):
    (tmp_path / "bad.txt").write_text(FLAWED, encoding="utf-8")
    (tmp_path / "good.txt").write_text(CLEAN_ENOUGH, encoding="utf-8")
    return tmp_path


def _json(*args, cwd):
    result = run_cli("lint", "--format", "json", *args, cwd=cwd)
    return [{**d, "path": f["path"]} for f in json.loads(result.stdout)["files"] for d in f["diagnostics"]]


def test_concise_is_one_line_a_finding_and_nothing_else(replies):
    result = run_cli("lint", "--format", "concise", "bad.txt", "good.txt", cwd=replies)
    lines = result.stdout.splitlines()
    findings = _json("bad.txt", "good.txt", cwd=replies)
    assert len(lines) == len(findings) > 3
    for line, d in zip(lines, findings, strict=True):
        assert re.fullmatch(r"(bad|good)\.txt:\d+:\d+: RC\d{3} \[[a-z-]+\] .+", line), line
        assert line.startswith(f"{d['path']}:{d['line']}:{d['column']}: {d['code']} [{d['rule']}] ")


def test_exit_zero_and_fail_on(replies):
    assert run_cli("lint", "--select", "corporate-speak", "bad.txt", cwd=replies).returncode == 0  # warnings pass
    assert run_cli("lint", "--select", "corporate-speak", "--fail-on", "warning", "bad.txt",
                   cwd=replies).returncode == 1
    (replies / ".replycoach.yaml").write_text("fail_on: warning\n")
    assert run_cli("lint", "--select", "corporate-speak", "bad.txt", cwd=replies).returncode == 1
    assert run_cli("lint", "--select", "corporate-speak", "--fail-on", "error", "bad.txt",
                   cwd=replies).returncode == 0  # the flag wins over the config
    assert run_cli("lint", "--exit-zero", "bad.txt", cwd=replies).returncode == 0
    assert run_cli("lint", "--exit-zero", "bad.txt", "missing.txt", cwd=replies).returncode == 2  # bad input still 2


def test_output_file_gets_the_report_and_stdout_stays_empty(replies):
    shown = run_cli("lint", "--format", "json", "bad.txt", cwd=replies).stdout
    result = run_cli("lint", "--format", "json", "-o", "report.json", "bad.txt", cwd=replies)
    assert result.stdout == "" and (replies / "report.json").read_text(encoding="utf-8") == shown
    result = run_cli("lint", "-o", str(replies / "no" / "such" / "dir" / "r.txt"), "bad.txt", cwd=replies)
    assert result.returncode == 2 and "cannot write" in result.stderr and "Traceback" not in result.stderr
    assert not [p for p in replies.iterdir() if p.name.startswith(".replycoach-report")]


def test_quiet_shows_only_files_with_findings(replies):
    (replies / "fine.txt").write_text(CLEAN_ENOUGH, encoding="utf-8")
    loud = run_cli("lint", "--select", "corporate-speak", "bad.txt", "fine.txt", cwd=replies).stdout
    quiet = run_cli("lint", "-q", "--select", "corporate-speak", "bad.txt", "fine.txt", cwd=replies).stdout
    assert "fine.txt" in loud and "files checked" in loud and "checklist" in loud
    assert "fine.txt" not in quiet and "files checked" not in quiet and "checklist" not in quiet
    assert "corporate-speak" in quiet


def test_statistics_count_each_rule(replies):
    findings = _json("bad.txt", "good.txt", cwd=replies)
    text = run_cli("lint", "--statistics", "bad.txt", "good.txt", cwd=replies).stdout.splitlines()
    counted = {}
    for line in text[:-1]:
        count, code, rule = line.split()
        counted[(code, rule)] = int(count)
    expected = {}
    for d in findings:
        expected[(d["code"], d["rule"])] = expected.get((d["code"], d["rule"]), 0) + 1
    assert counted == expected and list(counted.values()) == sorted(counted.values(), reverse=True)
    assert text[-1] == f"{len(findings)} findings in 2 files"
    as_json = json.loads(run_cli("lint", "--statistics", "-f", "json", "bad.txt", "good.txt", cwd=replies).stdout)
    assert {(r["code"], r["rule"]): r["count"] for r in as_json["rules"]} == expected


def test_stdin_filename_names_the_input_and_finds_its_config(replies):
    team = replies / "team"
    team.mkdir()
    (team / ".replycoach.yaml").write_text("select: [corporate-speak]\n")
    result = run_cli("lint", "--format", "concise", "--stdin-filename", "team/draft.txt", "-", cwd=replies,
                     input=FLAWED)
    lines = result.stdout.splitlines()
    assert lines and all(line.startswith("team/draft.txt:") and "[corporate-speak]" in line for line in lines)
    refused = run_cli("lint", "--fix", "--stdin-filename", "team/draft.txt", "-", cwd=replies, input=FLAWED)
    assert refused.returncode == 2 and not (team / "draft.txt").exists()


def test_rules_format_offers_only_what_it_renders():
    result = run_cli("rules", "--format", "sarif")
    assert result.returncode == 2 and "'text', 'json'" in result.stderr
    assert json.loads(run_cli("rules", "--format", "json").stdout)


def test_config_schema_checks_a_real_config_and_catches_a_typo():
    schema = json.loads(run_cli("config", "schema").stdout)
    example = yaml.safe_load((ROOT / "examples" / "canned-repo" / ".replycoach.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(example, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"selct": ["corporate-speak"]}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"fail_on": "sometimes"}, schema)
    playbook = json.loads(run_cli("config", "schema", "playbook").stdout)
    jsonschema.Draft202012Validator.check_schema(playbook)
    documented = (ROOT / "docs" / "playbooks.md").read_text(encoding="utf-8").split("## Layering your own")[1]
    jsonschema.validate(yaml.safe_load(documented.split("```yaml")[1].split("```")[0]), playbook)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"overide": {"shouting": {"severity": "error"}}}, playbook)


@pytest.fixture
def canned_repo(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "canned-repo", repo)
    (repo / ".git").mkdir()
    return repo


def test_github_keeps_within_its_annotation_limits_and_says_what_is_left(canned_repo, tmp_path):
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    result = run_cli("lint", "responses", cwd=canned_repo,
                     env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})  # no --format: github
    findings = _json("responses", cwd=canned_repo)
    lines = result.stdout.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    for level in ("error", "warning", "notice"):
        assert sum(line.startswith(f"::{level} ") for line in annotations) <= 10
    shown = [line for line in annotations if "title=replycoach::" not in line]
    plain = [line for line in lines if not line.startswith("::")]
    assert len(shown) + len(plain) == len(findings) > 20  # every finding: annotated, or listed in the log
    more = [line for line in annotations if "more finding" in line]
    assert more == [f"::notice title=replycoach::{len(plain)} more findings not shown as annotations (GitHub shows "
                    "10 of each type per step): they are listed in this step's log below, and all findings are in "
                    "the job summary."]
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("earlier step\n### replycoach")  # appended, as GitHub expects
    assert written.count("\n| responses/") == len(findings)


def test_outside_github_actions_the_default_stays_text(replies):
    result = run_cli("lint", "bad.txt", cwd=replies, env={"GITHUB_ACTIONS": ""})
    assert "file checked: " in result.stdout and not result.stdout.startswith("::")
