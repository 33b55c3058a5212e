"""SARIF 2.1.0, as GitHub code scanning reads it."""

from __future__ import annotations

import json
from pathlib import Path

from replycoach import __version__
from replycoach.core.diagnostic import Severity
from replycoach.lint.formatters.paths import _artifact, repository_root
from replycoach.lint.results import FileResult

SARIF_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def format_sarif(results: list[FileResult], problems: list, playbook, root: Path | None = None) -> str:
    """SARIF 2.1.0, as GitHub code scanning reads it: rules with help, relative URIs, regions.

    URIs are relative to the repository root (the nearest folder above the working directory
    with `.git`, else the working directory) and say so through `%SRCROOT%`.
    """
    root = (root or repository_root()).resolve()
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    rules = playbook.rules if playbook else []
    index = {r["name"]: i for i, r in enumerate(rules)}
    sarif_rules = [_sarif_rule(r) for r in rules]
    sarif_results = []
    seen: dict[str, int] = {}  # fingerprint base -> occurrences so far (the same words twice in a file)
    for result in results:
        for d in result.diagnostics:
            end_column = d.end_column if (d.end_line, d.end_column) > (d.line, d.column) else d.column + 1
            region = {"startLine": d.line, "startColumn": d.column, "endLine": max(d.end_line, d.line),
                      "endColumn": end_column}
            artifact = _artifact(d.path, root)
            entry = {
                "ruleId": d.code,
                "level": level[d.severity],
                "message": {"text": d.message + (f" Suggestion: {d.suggestion}" if d.suggestion else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": artifact,
                    "region": {**region, **({"snippet": {"text": d.match}} if d.match else {})},
                }}],
                "partialFingerprints": {FINGERPRINT: _fingerprint(d, artifact["uri"], seen)},
            }
            if d.rule in index:
                entry["ruleIndex"] = index[d.rule]
            if d.replacement is not None:
                entry["properties"] = {"replacement": d.replacement}
                entry["fixes"] = [{  # what --fix writes, for tools that apply SARIF fixes
                    "description": {"text": d.suggestion or "Replace the phrase."},
                    "artifactChanges": [{"artifactLocation": artifact, "replacements": [
                        {"deletedRegion": region, "insertedContent": {"text": d.replacement}}]}],
                }]
            sarif_results.append(entry)
    notifications = []
    for p in problems:
        note: dict = {"level": "error", "message": {"text": f"{p.where}: {p.message}"}}
        if Path(p.where).exists():
            note["locations"] = [{"physicalLocation": {"artifactLocation": _artifact(p.where, root)}}]
        notifications.append(note)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "replycoach", "version": __version__, "semanticVersion": __version__,
                                "informationUri": INFORMATION_URI, "rules": sarif_rules}},
            "invocations": [{"executionSuccessful": not problems, "toolExecutionNotifications": notifications}],
            "automationDetails": {"id": "replycoach/"},  # code scanning's category for these results
            "originalUriBaseIds": {"%SRCROOT%": {"uri": root.as_uri().rstrip("/") + "/"}},
            "results": sarif_results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


INFORMATION_URI = "https://github.com/replycoach/replycoach"
FINGERPRINT = "replycoachFinding/v1"


def _fingerprint(d, uri: str, seen: dict[str, int]) -> str:
    """Stable while lines move: the rule, the file and the words found (whitespace folded), and
    which occurrence of them in the file this is; not the line number, which any edit above
    shifts (code scanning would then close the alert and open it again)."""
    import hashlib

    base = "\0".join((d.code, uri, " ".join(d.match.split()).lower()))
    occurrence = seen.get(base, 0)
    seen[base] = occurrence + 1
    return hashlib.sha256(f"{base}\0{occurrence}".encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _sarif_rule(r: dict) -> dict:
    summary = r["summary"] or r["message"]
    rationale = " ".join(r["rationale"].split())
    sources = ", ".join(r.get("sources") or ())
    why = f"{rationale} (source articles: {sources})" if sources else rationale
    return {
        "id": r["code"],
        "name": r["name"],
        "shortDescription": {"text": summary},
        "fullDescription": {"text": why or summary},
        "help": {"text": f"{why} How to fix: {r['suggestion']}".strip(),
                 "markdown": f"**{summary}**\n\n{why}\n\n**How to fix:** {r['suggestion']}"},
        "helpUri": f"{INFORMATION_URI}/blob/main/docs/rules.md#{r['name']}",
        "defaultConfiguration": {"level": SARIF_LEVEL[r["severity"]], "enabled": bool(r["enabled"])},
        "properties": {"tags": ["replycoach", r.get("family") or "general"]},
    }
