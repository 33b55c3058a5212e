"""Renderers for a draft: pure functions from a `Draft` to JSON text or styled coaching lines.

The reply itself goes to stdout untouched (so `> reply.txt` works); everything an agent
should read before sending it (situation, timing, checklist, findings, what the case
lacks) is coaching, rendered here and printed by the CLI on stderr.
"""

from __future__ import annotations

import json

from replycoach.core.diagnostic import Severity
from replycoach.draft.compose import Draft
from replycoach.lint.formatters.styles import SEVERITY_STYLE, Line, checklist_row


def draft_dict(draft: Draft) -> dict:
    timing = {key: draft.timing.get(key) for key in ("received_at", "minutes_waiting", "target_minutes", "late")}
    timing["sent_at"] = draft.timing.get("sent_at")
    timing["findings"] = draft.timing.get("findings", [])
    return {
        "situation": draft.situation,
        "reasons": draft.reasons,
        "language": draft.language,
        "reply": draft.reply,
        "timing": timing,
        "checklist": draft.checklist,
        "diagnostics": [d.to_dict() for d in draft.diagnostics],
        "notes": draft.notes,
        "context": {k: v for k, v in draft.context.items() if k != "assumed"} if draft.context else {},
    }


def format_json(draft: Draft) -> str:
    return json.dumps(draft_dict(draft), ensure_ascii=False, indent=2, default=str)


def coaching_lines(draft: Draft) -> list[Line]:
    lines: list[Line] = [[("situation  ", "dim"), (draft.situation, "bold"), (f"  ({draft.language})", "dim")]]
    lines += [[("  · ", "dim"), (reason, "")] for reason in draft.reasons]
    lines.append(_timing_line(draft.timing))
    for finding in draft.timing.get("findings", []):
        severity = Severity.parse(finding["severity"])
        lines.append([("  ", ""), (severity.label + " ", SEVERITY_STYLE[severity]), (finding["rule"] + ": ", "bold"),
                      (finding["message"], "")])
    if draft.reply:
        if draft.checklist:
            lines.append(checklist_row("checklist  ", draft.checklist.items()))
        lines.append(_lint_summary(draft))
        for d in draft.diagnostics:
            lines.append([("  ", ""), (d.severity.label.ljust(8), SEVERITY_STYLE[d.severity]), (d.rule, "bold"),
                          (f" [{d.code}]: ", "dim"), (d.message, "")])
            if d.suggestion:
                lines.append([("           └ ", "dim"), (d.suggestion, "green")])
    else:
        lines.append([("reply      ", "dim"), ("none: no reply is recommended", "bold")])
    if draft.notes:
        lines.append([("the case   ", "dim")])
        lines += [[("  · ", "dim"), (note, "")] for note in draft.notes]
    return lines


def _timing_line(timing: dict) -> Line:
    target = timing.get("target_minutes")
    waited = timing.get("minutes_waiting")
    if waited is None:
        return [("timing     ", "dim"),
                (f"no complaint.received_at; the target for this channel is {_span(target)}", "")]
    if timing.get("late"):
        return [("timing     ", "dim"), (f"{_span(waited)} since the complaint, target {_span(target)}: ", ""),
                ("late", "bold red"), (" (the draft owns the wait)", "")]
    return [("timing     ", "dim"), (f"{_span(waited)} since the complaint, target {_span(target)}: ", ""),
            ("on time", "green")]


def _span(minutes) -> str:
    if minutes is None:
        return "unknown"
    minutes = round(minutes)
    if minutes < 120:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest} min" if rest else f"{hours} h"
    return f"{hours // 24} days {hours % 24} h"


def _lint_summary(draft: Draft) -> Line:
    counts = {s: sum(1 for d in draft.diagnostics if d.severity == s) for s in Severity}
    errors, warnings, infos = counts[Severity.ERROR], counts[Severity.WARNING], counts[Severity.INFO]
    return [("lint       ", "dim"),
            (f"{errors} error{'s' if errors != 1 else ''}", "bold red" if errors else "green"),
            (f", {warnings} warning{'s' if warnings != 1 else ''}, {infos} info", "yellow" if warnings else "")]
