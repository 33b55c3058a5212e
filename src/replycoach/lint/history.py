"""A conversation history linted directly: each agent reply of a JSON Lines or CSV file (the
audit's formats) is a unit, judged with the customer's message it answers, its stage from
its position and its timing from the timestamps.

A finding points at the line that holds the reply (JSON Lines: its conversation; CSV: its
row), and the result is named `file#conversation:message`.
"""

from __future__ import annotations

from replycoach.conversations.problems import SKIPS, Problems
from replycoach.conversations.reading import read_csv, read_jsonl
from replycoach.conversations.turns import agent_turns
from replycoach.lint.canned import SpanMap
from replycoach.lint.sources import SourceText, Unit
from replycoach.reply.context import CHANNELS


def conversation_units(source: SourceText, problems: list[str]) -> list[Unit]:
    """Every agent reply of a history; what could not be read goes to `problems`, one line per reason."""
    lines = source.text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    skipped = Problems()
    if source.path.lower().endswith(".csv"):
        conversations = read_csv(iter(lines), skipped, name=source.path)
    else:
        conversations = read_jsonl(((n, line.encode("utf-8")) for n, line in enumerate(lines, 1)), skipped, source.path)
    units = []
    for conversation in conversations:
        for turn in agent_turns(conversation):
            reply = turn.reply
            if not reply.text or reply.text.isspace():
                continue
            context: dict = {"stage": turn.stage, "sent_at": reply.at}
            if conversation.channel in CHANNELS:
                context["channel"] = conversation.channel
            if turn.answered.strip():
                context["in_reply_to"] = turn.answered
            if turn.waiting_since is not None:
                context["received_at"] = turn.waiting_since
            offset = starts[min(reply.line, len(lines)) - 1]
            units.append(Unit(source.path, reply.text, context, front_matter=False,
                              label=f"{conversation.id}:{turn.number}",
                              span_map=SpanMap((), (), offset, offset, "line")))
    for reason, tally in skipped.skips.items():
        unit, description = SKIPS[reason]
        where = ", ".join(map(str, tally.lines)) + (" ..." if tally.count > len(tally.lines) else "")
        problems.append(f"{tally.count} {unit}{'s' if tally.count != 1 else ''} skipped, {description} "
                        f"(line {where})")
    return units
