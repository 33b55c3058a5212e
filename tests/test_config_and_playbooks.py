"""Configuration files and user playbooks: found, layered, validated with useful errors."""

from __future__ import annotations

import json

from tests.helpers import run_cli

FLAWED = "Kindly send us your order number. We're sorry you feel that way.\n"


def lint_json(*args, cwd=None):
    result = run_cli("lint", *args, "--format", "json", cwd=cwd)
    return result, (json.loads(result.stdout) if result.stdout.strip().startswith("{") else None)


def rules_of(report):
    return {d["rule"] for f in report["files"] for d in f["diagnostics"]}


def test_replycoach_yaml_found_upward_applies_ignore_severity_and_context(tmp_path):
    (tmp_path / ".git").mkdir()  # the search stops at the repository root
    (tmp_path / ".replycoach.yaml").write_text(
        "ignore: [corporate-speak]\nseverity: {non-apology: warning}\ncontext: {channel: email}\n")
    deep = tmp_path / "replies" / "billing"
    deep.mkdir(parents=True)
    (deep / "r.txt").write_text(FLAWED)
    _, report = lint_json(str(deep / "r.txt"))
    assert "corporate-speak" not in rules_of(report)
    non_apology = next(d for d in report["files"][0]["diagnostics"] if d["rule"] == "non-apology")
    assert non_apology["severity"] == "warning"
    assert report["files"][0]["context"]["channel"] == "email"
    assert report["files"][0]["context"]["visibility"] == "private"
    assert "asks-private-data-publicly" not in rules_of(report)  # private channel: asking is fine


def test_pyproject_tool_section(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.replycoach]\nselect = ["non-apology"]\n')
    (tmp_path / "r.txt").write_text(FLAWED)
    _, report = lint_json(str(tmp_path / "r.txt"))
    assert rules_of(report) == {"non-apology"}


def test_pyproject_without_section_is_not_a_config(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    (tmp_path / "r.txt").write_text(FLAWED)
    _, report = lint_json(str(tmp_path / "r.txt"))
    assert "corporate-speak" in rules_of(report)


def test_config_typo_is_one_clear_line(tmp_path):
    (tmp_path / ".replycoach.yaml").write_text("ignroe: [corporate-speak]\n")
    (tmp_path / "r.txt").write_text(FLAWED)
    result = run_cli("lint", str(tmp_path / "r.txt"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert ".replycoach.yaml" in result.stderr and "ignroe" in result.stderr and "unknown key" in result.stderr


def test_config_bad_context_value(tmp_path):
    (tmp_path / ".replycoach.yaml").write_text("context: {channel: carrier-pigeon}\n")
    (tmp_path / "r.txt").write_text(FLAWED)
    result = run_cli("lint", str(tmp_path / "r.txt"))
    assert result.returncode == 2 and "unknown channel" in result.stderr and "Traceback" not in result.stderr


def test_explicit_config_flag_and_missing_config(tmp_path):
    cfg = tmp_path / "team.yaml"
    cfg.write_text("select: [corporate-speak]\n")
    (tmp_path / "r.txt").write_text(FLAWED)
    _, report = lint_json(str(tmp_path / "r.txt"), "--config", str(cfg))
    assert rules_of(report) == {"corporate-speak"}
    result = run_cli("lint", str(tmp_path / "r.txt"), "--config", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2 and "config file not found" in result.stderr


def test_user_playbook_extends_adds_phrases_overrides_and_disables(tmp_path):
    playbook = tmp_path / "brand.yaml"
    playbook.write_text(
        "extends: default\n"
        "lexicon:\n"
        "  en:\n"
        "    corporate:\n"
        "      - {phrase: synergy, replace: teamwork}\n"
        "    apology:\n"
        "      - my bad, friend\n"
        "override:\n"
        "  faceless-signature: {enabled: false}\n"
        "  shouting: {severity: error}\n"
    )
    (tmp_path / ".replycoach.yaml").write_text("playbooks: [brand.yaml]\n")
    reply = tmp_path / "r.txt"
    reply.write_text("Our synergy is REALLY GREAT. DM us.\n")
    _, report = lint_json(str(reply))
    diags = report["files"][0]["diagnostics"]
    synergy = next(d for d in diags if d["rule"] == "corporate-speak")
    assert synergy["match"] == "synergy" and synergy["replacement"] == "teamwork"
    assert next(d for d in diags if d["rule"] == "shouting")["severity"] == "error"
    assert "faceless-signature" not in {d["rule"] for d in diags}


def test_user_playbook_with_bad_regex_names_file_and_signal(tmp_path):
    playbook = tmp_path / "brand.yaml"
    playbook.write_text("extends: default\nlexicon:\n  en:\n    apology:\n      - pattern: '(unclosed'\n")
    (tmp_path / "r.txt").write_text(FLAWED)
    result = run_cli("lint", str(tmp_path / "r.txt"), "--playbook", str(playbook))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "brand.yaml" in result.stderr and "(unclosed" in result.stderr and "does not compile" in result.stderr


def test_user_playbook_with_unknown_key_names_key_and_line(tmp_path):
    playbook = tmp_path / "brand.yaml"
    playbook.write_text(
        "extends: default\nrules:\n  - name: say-thanks\n    code: BR001\n    severity: info\n"
        "    kind: require\n    signal: wait-ack\n    summary: s\n    message: m\n    rationale: r\n"
        "    sources: ['001']\n    severty: warning\n")
    (tmp_path / "r.txt").write_text(FLAWED)
    result = run_cli("lint", str(tmp_path / "r.txt"), "--playbook", str(playbook))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "brand.yaml" in result.stderr and "severty" in result.stderr and "unknown key" in result.stderr
    assert "line 12" in result.stderr


def test_user_rule_referencing_unknown_signal(tmp_path):
    playbook = tmp_path / "brand.yaml"
    playbook.write_text(
        "rules:\n  - name: say-thanks\n    code: BR001\n    severity: info\n    kind: require\n"
        "    signal: gratitude\n    summary: s\n    message: m\n    rationale: r\n    sources: ['001']\n")
    (tmp_path / "r.txt").write_text(FLAWED)
    result = run_cli("lint", str(tmp_path / "r.txt"), "--playbook", str(playbook))
    assert result.returncode == 2 and "undefined signal 'gratitude'" in result.stderr


def test_user_rule_is_enforced_with_its_own_lexicon(tmp_path):
    playbook = tmp_path / "brand.yaml"
    playbook.write_text(
        "signals:\n  competitor: {description: Naming a competitor.}\n"
        "rules:\n  - name: names-competitor\n    code: BR001\n    severity: error\n    kind: forbid\n"
        "    signal: competitor\n    summary: Don't name competitors.\n    message: A competitor is named.\n"
        "    rationale: House style.\n    sources: ['004']\n"
        "lexicon:\n  en:\n    competitor: [acme*]\n")
    reply = tmp_path / "r.txt"
    reply.write_text("Sorry! Unlike Acme's couriers, ours will deliver tomorrow. DM us. - Ann\n")
    result, report = lint_json(str(reply), "--playbook", str(playbook))
    hit = next(d for d in report["files"][0]["diagnostics"] if d["rule"] == "names-competitor")
    assert hit["match"] == "Acme" and result.returncode == 1


def test_playbook_cache_is_invalidated_when_the_file_changes(tmp_path):
    playbook = tmp_path / "brand.yaml"
    playbook.write_text("lexicon:\n  en:\n    corporate:\n      - {phrase: synergy, replace: teamwork}\n")
    reply = tmp_path / "r.txt"
    reply.write_text("Our synergy and our paradigm. DM us. - Ann\n")
    first = {d["match"] for d in lint_json(str(reply), "--playbook", str(playbook))[1]["files"][0]["diagnostics"]}
    assert "synergy" in first and "paradigm" not in first
    playbook.write_text("lexicon:\n  en:\n    corporate:\n      - {phrase: paradigm, replace: model}\n")
    second = {d["match"] for d in lint_json(str(reply), "--playbook", str(playbook))[1]["files"][0]["diagnostics"]}
    assert "paradigm" in second and "synergy" not in second
