"""What an audit could not use, counted per reason with the first line numbers, never dropped silently."""

from __future__ import annotations

from bisect import insort
from dataclasses import dataclass, field

SHOWN_LINES = 5  # line numbers kept per problem reason

# Problems with the input: a reason key, what it means, and what was skipped.
SKIPS = {
    "not-utf8": ("line", "not UTF-8 text"),
    "bad-json": ("line", "not valid JSON"),
    "line-too-long": ("line", "longer than 64 MB"),
    "not-a-conversation": ("line", "not a conversation (a JSON object with a \"messages\" list)"),
    "bad-csv-row": ("row", "not a valid CSV row"),
    "missing-conversation-id": ("row", "no conversation_id"),
    "conversation-split": ("row", "belongs to a conversation already closed (its rows are too far apart; "
                                  "sort the CSV by conversation_id)"),
    "bad-message": ("message", "not an object with role, author, at and text"),
    "missing-timestamp": ("message", "no timestamp (\"at\")"),
    "bad-timestamp": ("message", "timestamp is not ISO-8601 (e.g. 2024-05-01T14:30:00Z)"),
    "unknown-role": ("message", "role is neither customer nor agent"),
    "no-messages": ("conversation", "no messages"),
    "no-customer-message": ("conversation", "no customer message to time a reply against"),
    "agent-before-customer": ("message", "agent message before any customer message"),
}
# Things worth knowing that did not cost any data.
NOTES = {
    "naive-timestamp": "timestamps without a time zone, read as UTC",
    "missing-channel": "conversations without a channel: shown as \"(none)\", judged as public",
    "unknown-channel": "conversations on a channel replycoach does not know: visibility unknown, judged as public",
    "missing-author": "messages without an author: shown as \"(unknown)\"",
    "missing-text": "agent messages without text: timed, not linted",
    "unsupported-language": "agent replies in a language the playbook has no lexicon for: timed, not linted",
    "lint-failed": "agent replies the linter failed on (a bug; please report it): timed, not linted",
}


@dataclass
class Tally:
    """How often one problem occurred, and where first (the smallest line numbers)."""

    count: int = 0
    lines: list[int] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)

    def add(self, line: int, example: str | None = None) -> None:
        self.count += 1
        if line in self.lines:
            pass
        elif len(self.lines) < SHOWN_LINES:
            insort(self.lines, line)
        elif line < self.lines[-1]:
            insort(self.lines, line)
            self.lines.pop()
        if example is not None and len(self.examples) < SHOWN_LINES and example not in self.examples:
            self.examples.append(example)


class Problems:
    def __init__(self) -> None:
        self.skips: dict[str, Tally] = {}
        self.notes: dict[str, Tally] = {}
        self.offsets: set[int] = set()  # UTC offsets seen, in minutes

    def skip(self, reason: str, line: int, example: str | None = None) -> None:
        self.skips.setdefault(reason, Tally()).add(line, example)

    def note(self, reason: str, line: int, example: str | None = None) -> None:
        self.notes.setdefault(reason, Tally()).add(line, example)

    def to_dict(self) -> dict:
        skipped = [
            {"reason": key, "unit": SKIPS[key][0], "description": SKIPS[key][1], "count": t.count,
             "first_lines": t.lines, **({"examples": t.examples} if t.examples else {})}
            for key, t in sorted(self.skips.items(), key=lambda kv: list(SKIPS).index(kv[0]))
        ]
        notes = [
            {"note": key, "description": NOTES[key], "count": t.count, "first_lines": t.lines,
             **({"examples": t.examples} if t.examples else {})}
            for key, t in sorted(self.notes.items(), key=lambda kv: list(NOTES).index(kv[0]))
        ]
        if len(self.offsets) > 1:
            shown = ", ".join(_offset_label(m) for m in sorted(self.offsets)[:8])
            notes.append({"note": "mixed-offsets", "count": len(self.offsets), "first_lines": [],
                          "description": f"timestamps in {len(self.offsets)} different UTC offsets ({shown}); "
                                         "all converted to UTC"})
        return {"skipped": skipped, "notes": notes}


def _offset_label(minutes: int) -> str:
    sign = "+" if minutes >= 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
