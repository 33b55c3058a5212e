"""Renderers from lint results to text: pure functions, one per output format.

Formatters decide nothing (what is a finding, how severe, the exit code): they only say it.
The text format is built as styled segments so the same lines print plain on a pipe and
in colour on a terminal.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from replycoach import __version__
from replycoach.diagnostic import Severity
from replycoach.engine import FileResult

Segment = tuple[str, str]  # (text, style)
Line = list[Segment]

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
CHECK_LABELS = {
    "apology": "apology", "fix": "fix", "private_channel": "private channel", "compensation": "compensation",
    "prevention": "prevention", "next_update": "next update", "signature": "signature",
    "personal_address": "personal address",
}


def summary(results: Iterable[FileResult]) -> dict:
    counts = {"files": 0, "errors": 0, "warnings": 0, "infos": 0}
    for result in results:
        counts["files"] += 1
        for d in result.diagnostics:
            counts[{Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "infos"}[d.severity]] += 1
    return counts


def file_dict(result: FileResult) -> dict:
    return {
        "path": result.path,
        "language": result.language,
        "context": result.context.to_dict() if result.context else {},
        "checklist": result.checklist,
        "diagnostics": [d.to_dict() for d in result.diagnostics],
    }


def format_json(results: list[FileResult], problems: list) -> str:
    report = {
        "version": __version__,
        "files": [file_dict(r) for r in results],
        "problems": [{"path": p.where, "message": p.message} for p in problems],
        "summary": {**summary(results), "problems": len(problems)},
    }
    return json.dumps(report, ensure_ascii=False, indent=2)


def _context_line(result: FileResult) -> str:
    ctx = result.context
    if ctx is None:
        return ""
    parts = [result.language or "?", ctx.channel or "any channel", ctx.visibility, ctx.kind, f"{ctx.stage} reply"]
    if ctx.fault != "unknown":
        parts.append(f"fault: {ctx.fault}")
    if ctx.template:
        parts.append("template")
    text = " · ".join(parts)
    if ctx.assumed:
        text += f"  (assumed: {', '.join(ctx.assumed)})"
    return text


def format_text(results: list[FileResult], problems: list, checklist: bool = True) -> list[Line]:
    lines: list[Line] = []
    for result in results:
        lines.append([(result.path, "bold underline"), ("  " + _context_line(result), "dim")])
        for d in result.diagnostics:
            where = f"{d.line}:{d.column}"
            lines.append([
                ("  " + where.ljust(8), "dim"),
                (d.severity.label.ljust(8), SEVERITY_STYLE[d.severity]),
                (d.rule.ljust(27), "bold"),
                (d.message, ""),
                (f"  [{d.code}]", "dim"),
            ])
            if d.match:
                excerpt = d.match.replace("\n", "⏎")
                excerpt = excerpt if len(excerpt) <= 90 else excerpt[:87] + "..."
                lines.append([(" " * 10 + "│ ", "dim"), (excerpt, "magenta")])
            if d.suggestion:
                lines.append([(" " * 10 + "└ ", "dim"), (d.suggestion, "green")])
        if checklist and result.checklist:
            row: Line = [("  checklist ", "dim")]
            for key, value in result.checklist.items():
                row.append(("✓ " if value else "✗ ", "green" if value else "red"))
                row.append((CHECK_LABELS.get(key, key.replace("_", " ")) + "  ", "" if value else "dim"))
            lines.append(row)
        lines.append([])
    for problem in problems:
        lines.append([("error: ", "bold red"), (str(problem), "")])
    counts = summary(results)
    lines.append([
        (f"{counts['files']} file{'s' if counts['files'] != 1 else ''} checked: ", "bold"),
        (f"{counts['errors']} error{'s' if counts['errors'] != 1 else ''}", "bold red" if counts["errors"] else "green"),
        (", ", ""),
        (f"{counts['warnings']} warning{'s' if counts['warnings'] != 1 else ''}", "yellow" if counts["warnings"] else ""),
        (", ", ""),
        (f"{counts['infos']} info", "cyan" if counts["infos"] else ""),
        (f", {len(problems)} unreadable input{'s' if len(problems) != 1 else ''}" if problems else "", "bold red"),
    ])
    return lines


def format_github(results: list[FileResult], problems: list) -> str:
    """GitHub Actions workflow commands: one annotation per finding."""
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    out = []
    for result in results:
        for d in result.diagnostics:
            path = d.path.split("#", 1)[0]
            props = (f"file={_gh_prop(path)},line={d.line},col={d.column},endLine={d.end_line},"
                     f"endColumn={d.end_column},title={_gh_prop(f'{d.code} {d.rule}')}")
            out.append(f"::{level[d.severity]} {props}::{_gh_data(d.message)}")
    for p in problems:
        out.append(f"::error file={_gh_prop(p.where)},title=replycoach::{_gh_data(p.message)}")
    return "\n".join(out)


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def format_sarif(results: list[FileResult], problems: list, playbook, root: Path | None = None) -> str:
    """SARIF 2.1.0, as GitHub code scanning reads it: rules with help, relative URIs, regions."""
    root = (root or Path.cwd()).resolve()
    level = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    rules = playbook.rules if playbook else []
    index = {r["name"]: i for i, r in enumerate(rules)}
    sarif_rules = [
        {
            "id": r["code"],
            "name": r["name"],
            "shortDescription": {"text": r["summary"]},
            "fullDescription": {"text": r["rationale"]},
            "help": {"text": f"{r['rationale']} Suggestion: {r['suggestion']}".strip(),
                     "markdown": f"**{r['summary']}**\n\n{r['rationale']}\n\n*Suggestion:* {r['suggestion']}"},
            "helpUri": f"https://github.com/replycoach/replycoach/blob/main/docs/rules.md#{r['name']}",
            "defaultConfiguration": {"level": {"error": "error", "warning": "warning", "info": "note"}[r["severity"]]},
            "properties": {"tags": [r.get("family") or "replycoach"]},
        }
        for r in rules
    ]
    sarif_results = []
    for result in results:
        for d in result.diagnostics:
            entry = {
                "ruleId": d.code,
                "level": level[d.severity],
                "message": {"text": d.message + (f" Suggestion: {d.suggestion}" if d.suggestion else "")},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": _relative_uri(d.path.split("#", 1)[0], root)},
                    "region": {"startLine": d.line, "startColumn": d.column,
                               "endLine": d.end_line, "endColumn": max(d.end_column, d.column + (d.end_line == d.line))},
                }}],
            }
            if d.rule in index:
                entry["ruleIndex"] = index[d.rule]
            sarif_results.append(entry)
    notifications = [
        {"level": "error", "message": {"text": p.message},
         "locations": [{"physicalLocation": {"artifactLocation": {"uri": _relative_uri(p.where, root)}}}]}
        for p in problems
    ]
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "replycoach", "version": __version__, "semanticVersion": __version__,
                                "informationUri": "https://github.com/replycoach/replycoach", "rules": sarif_rules}},
            "invocations": [{"executionSuccessful": not problems, "toolExecutionNotifications": notifications}],
            "results": sarif_results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(log, ensure_ascii=False, indent=2)


def _relative_uri(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root).as_posix()
    except ValueError:
        return Path(path).as_posix()
