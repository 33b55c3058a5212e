"""How findings look in styled terminal output: the one place that gives a severity its colour.

Styles are rich's names; `cli.console` prints the same lines plain on a pipe or with NO_COLOR.
"""

from __future__ import annotations

from replycoach.core.diagnostic import Severity

Segment = tuple[str, str]  # (text, style)
Line = list[Segment]

SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
STYLE_OF_LABEL = {severity.label: style for severity, style in SEVERITY_STYLE.items()}


def checklist_row(lead: str, state) -> Line:
    """The 5P checklist as one row: a mark per item, named as the playbook's checklist names it."""
    row: Line = [(lead, "dim")]
    for key, value in state:
        row.append(("✓ " if value else "✗ ", "green" if value else "red"))
        row.append((key.replace("_", " ") + "  ", "" if value else "dim"))
    return row
