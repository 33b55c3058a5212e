"""Printing styled lines: plain on a pipe or with NO_COLOR, through rich on a terminal.

rich costs more to import than linting a reply, so it is imported only when the output is
a terminal that will show the colours.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from operator import itemgetter
from typing import TextIO

from replycoach.core.printable import printable
from replycoach.lint.formatters.styles import Line


def wants_colour(stream: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return hasattr(stream, "isatty") and stream.isatty() and os.environ.get("TERM") != "dumb"


def print_lines(lines: Iterable[Line], stream: TextIO | None = None) -> None:
    """Print lines as they come (a generator is fine), a few hundred at a time."""
    stream = stream or sys.stdout
    if not wants_colour(stream):
        batch: list[str] = []
        text_of = itemgetter(0)
        for line in lines:
            batch.append(printable("".join(map(text_of, line)).rstrip()))
            if len(batch) >= 512:
                batch.append("")  # the last line's newline
                stream.write("\n".join(batch))
                batch.clear()
        if batch:
            batch.append("")
            stream.write("\n".join(batch))
        stream.flush()
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=stream, highlight=False, soft_wrap=True)
    for line in lines:
        text = Text()
        for part, style in line:
            text.append(printable(part), style=style or None)
        console.print(text)
