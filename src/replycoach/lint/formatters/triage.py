"""How `replycoach triage` shows its verdicts: a block per message, or one JSON document.

The verdicts are decided in `replycoach.triage`; this only lays them out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from replycoach.lint.formatters.styles import Line
from replycoach.triage import MessageVerdict, Triage

# whether a situation wants a reply at all, and what the reply should do (one line each)
ADVICE = {
    "complaint": "reply: apologise, fix, make it up, move the details to a private channel",
    "needs-details": "reply: apologise and ask what happened before promising anything",
    "hostile": "reply: calm and firm; nothing extra under pressure; never mirror the language",
    "personal-data-exposed": "reply: ask them to remove the post's personal data; continue in private",
    "outage": "reply: acknowledge the incident, say what is known and when they will hear more",
    "question": "reply: answer the question; no apology owed",
    "praise": "reply: thank them, briefly",
    "off-topic": "no reply recommended",
}


class TriagedMessage(NamedTuple):
    path: str
    language: str
    verdict: MessageVerdict
    situation: Triage


def triage_lines(entries: Iterable[TriagedMessage]) -> Iterator[Line]:
    for entry in entries:
        verdict, situation = entry.verdict, entry.situation
        yield [(entry.path, "bold"), (f"  {entry.language}", "dim")]
        details = ""
        if verdict.kind in ("complaint", "question", "outage"):
            details = " · needs details" if verdict.needs_details else " · concrete"
        yield [("  ", ""), (situation.situation, "bold cyan"),
               (f"  kind {verdict.kind} · tone {verdict.tone}{details}", "")]
        for reason in (*verdict.reasons, *situation.reasons):
            yield [("    · ", "dim"), (reason, "")]
        yield [("  ", ""), (ADVICE.get(situation.situation, ""), "green")]
        yield []


def triage_json(entries: Iterable[TriagedMessage], version: str) -> str:
    rows = [{"path": e.path, "language": e.language, "situation": e.situation.situation,
             "reply": e.situation.situation != "off-topic", "kind": e.verdict.kind,
             "tone": e.verdict.tone, "needs_details": e.verdict.needs_details,
             "scores": {k: round(v, 3) for k, v in e.verdict.scores.items()},
             "reasons": [*e.verdict.reasons, *e.situation.reasons]} for e in entries]
    return json.dumps({"version": version, "messages": rows}, ensure_ascii=False, indent=2)
