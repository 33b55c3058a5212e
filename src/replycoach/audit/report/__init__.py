"""Saying what an audit found: terminal lines, JSON, and a one-file HTML report.

Pure functions from the report dict (see `replycoach.audit.auditor.run_audit`) to text;
nothing is decided or computed here beyond layout.
"""

from __future__ import annotations

import json

from replycoach.audit.report.html import to_html
from replycoach.audit.report.text import summary_lines

__all__ = ["summary_lines", "to_html", "to_json"]


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)
