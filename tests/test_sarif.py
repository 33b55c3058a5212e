"""CI formats: SARIF 2.1.0 for GitHub code scanning, workflow commands for annotations.

The SARIF log is validated against the official 2.1.0 schema shipped in tests/schemas/
(no network in tests), and checked for what code scanning needs beyond the schema:
rules with descriptions and help, repository-relative paths, regions on the right lines.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest

from tests.helpers import run_cli

SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-2.1.0.json").read_text(encoding="utf-8"))
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "canned-repo"


@pytest.fixture
def repo(tmp_path):
    target = tmp_path / "canned-repo"
    shutil.copytree(EXAMPLE, target)
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    return target


def sarif(*args, cwd):
    result = run_cli("lint", *args, "--format", "sarif", cwd=cwd)
    assert result.returncode in (0, 1, 2), result.stderr
    return result, json.loads(result.stdout)


def test_sarif_validates_against_the_2_1_0_schema(repo):
    result, log = sarif("responses", cwd=repo)
    assert result.returncode == 1
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER).validate(log)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"], "the example repository has findings"


def test_sarif_rules_carry_descriptions_and_help(repo):
    _, log = sarif("responses", cwd=repo)
    driver = log["runs"][0]["tool"]["driver"]
    rules = driver["rules"]
    assert len({r["id"] for r in rules}) == len(rules)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"] and rule["help"]["markdown"] and rule["helpUri"].startswith("https://")
    for result in log["runs"][0]["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_paths_are_relative_to_the_repository_root_and_regions_are_exact(repo):
    # run from a subfolder: paths must still be relative to the git root, as code scanning expects
    _, log = sarif("../responses/collections/outage.yaml", cwd=_subdir(repo))
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == repo.resolve().as_uri() + "/"
    located = [r["locations"][0]["physicalLocation"] for r in run["results"]]
    assert {loc["artifactLocation"]["uri"] for loc in located} == {"responses/collections/outage.yaml"}
    assert {loc["artifactLocation"]["uriBaseId"] for loc in located} == {"%SRCROOT%"}
    lines = (repo / "responses/collections/outage.yaml").read_text(encoding="utf-8").split("\n")
    for loc in located:
        region = loc["region"]
        line = lines[region["startLine"] - 1]
        assert line[region["startColumn"] - 1 :].startswith(region["snippet"]["text"].split("\n")[0])


def _subdir(repo: Path) -> Path:
    sub = repo / "tools"
    sub.mkdir()
    return sub


def test_sarif_reports_unreadable_files_as_notifications(repo):
    (repo / "responses" / "broken.yaml").write_text("- id: a\n  text: [oops\n", encoding="utf-8")
    result, log = sarif("responses", cwd=repo)
    assert result.returncode == 2
    jsonschema.validate(log, SCHEMA)
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert "invalid YAML" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "responses/broken.yaml"


def test_github_annotations_name_file_line_column_and_title(repo):
    result = run_cli("lint", "responses/collections/questions.json", "--format", "github", cwd=repo)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    slot = next(line for line in lines if "RC802 unknown-placeholder" in line)
    assert slot.startswith("::error file=responses/collections/questions.json,line=13,col=")
    assert ",title=RC802 unknown-placeholder::" in slot and "order_number" in slot
    column = int(slot.split(",col=")[1].split(",")[0])
    text_line = (repo / "responses/collections/questions.json").read_text(encoding="utf-8").split("\n")[12]
    assert text_line[column - 1 :].startswith("{order_number}")
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_github_annotations_escape_what_workflow_commands_reserve(tmp_path):
    from replycoach.lint.formatters.github import format_github
    from replycoach.lint.runner import LintOptions, run_lint

    reply = tmp_path / "a,b:c.txt"
    reply.write_text("Hi Anna, kindly wait.\n", encoding="utf-8")
    run = run_lint([str(reply)], LintOptions(select=frozenset({"corporate-speak"})))
    (line,) = format_github(run.results, run.problems, root=tmp_path).splitlines()
    assert line.startswith("::warning file=a%2Cb%3Ac.txt,line=1,col=10,endLine=1,endColumn=16,")


def _by_fingerprint(log):
    return {r["partialFingerprints"]["replycoachFinding/v1"]: r for r in log["runs"][0]["results"]}


def test_fingerprints_survive_lines_moving_and_tell_repeats_apart(repo):
    """Code scanning matches alerts across commits by fingerprint: adding lines above a
    finding must not close it and open a new one; the same phrase twice is two alerts."""
    reply = repo / "responses" / "en" / "damaged-item.txt"
    _, before = sarif(str(reply), cwd=repo)
    reply.write_text("\n\n\n" + reply.read_text(encoding="utf-8").replace("Kindly", "Kindly, kindly"),
                     encoding="utf-8")
    _, after = sarif(str(reply), cwd=repo)
    old, new = _by_fingerprint(before), _by_fingerprint(after)
    assert len(old) == len(before["runs"][0]["results"])  # no two findings share one
    assert set(old) <= set(new)
    for key, result in old.items():
        line = result["locations"][0]["physicalLocation"]["region"]["startLine"]
        assert new[key]["locations"][0]["physicalLocation"]["region"]["startLine"] in (line, line + 3)
    assert len(new) == len(old) + 1  # the second "kindly"


def test_replacements_are_sarif_fixes_and_the_log_has_a_category(repo):
    _, log = sarif("responses/en/damaged-item.txt", cwd=repo)
    jsonschema.validate(log, SCHEMA)
    assert log["runs"][0]["automationDetails"] == {"id": "replycoach/"}
    fixed = [r for r in log["runs"][0]["results"] if "fixes" in r]
    assert fixed and all(r["properties"]["replacement"] == r["fixes"][0]["artifactChanges"][0]["replacements"][0]
                         ["insertedContent"]["text"] for r in fixed)
    for r in fixed:
        change = r["fixes"][0]["artifactChanges"][0]
        region = dict(r["locations"][0]["physicalLocation"]["region"])
        region.pop("snippet", None)
        assert change["replacements"][0]["deletedRegion"] == region
        assert change["artifactLocation"] == r["locations"][0]["physicalLocation"]["artifactLocation"]


def test_standard_input_has_an_absolute_uri_unless_named(repo):
    text = "Kindly note we apologize for any inconvenience.\n"
    result = run_cli("lint", "--format", "sarif", "-", cwd=repo, input=text)
    log = json.loads(result.stdout)
    jsonschema.validate(log, SCHEMA)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"urn:replycoach:stdin"}
    result = run_cli("lint", "--format", "sarif", "--stdin-filename", "responses/draft.txt", "-", cwd=repo,
                     input=text)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(result.stdout)["runs"][0]["results"]}
    assert uris == {"responses/draft.txt"}
