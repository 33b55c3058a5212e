"""Printing styled lines: plain on a pipe or with NO_COLOR, through rich on a terminal.

rich costs more to import than linting a reply, so it is imported only when the output is
a terminal that will show the colours.
"""

from __future__ import annotations

import os
import sys
from typing import TextIO

Line = list[tuple[str, str]]


def wants_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def print_lines(lines: list[Line], stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    if not wants_colour(stream):
        stream.write("".join("".join(text for text, _ in line).rstrip() + "\n" for line in lines))
        stream.flush()
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=True)
    for line in lines:
        text = Text()
        for part, style in line:
            text.append(part, style=style or None)
        console.print(text)
