"""The kind that judges when a reply was sent, not what it says."""

from __future__ import annotations

from collections.abc import Iterator

from replycoach.kinds.finding import Finding, Hits, first_sentence
from replycoach.reply.context import Context, target_minutes
from replycoach.reply.document import Document


def prepare_timing(rule: dict, playbook) -> tuple[dict, dict]:
    return rule, playbook.settings.get("first_reply_target_minutes", {})


def timing(prepared: tuple[dict, dict], doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
    if ctx.minutes_waiting is None or not ctx.late:
        return
    rule, targets = prepared
    target = target_minutes(targets, ctx.channel, ctx.visibility)
    severity = "error" if ctx.minutes_waiting > target * rule["error_factor"] else "warning"
    first = first_sentence(doc)
    yield Finding(first.start, first.end, severity=severity,
                  detail=f"{ctx.minutes_waiting:.0f} minutes after the complaint, target {target}")
