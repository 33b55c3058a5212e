"""What the lint command and its report share: the output formats, and text made safe to print."""

from enum import Enum


class OutputFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    github = "github"
    concise = "concise"


def _printable(text: str) -> str:
    from replycoach.core.printable import printable

    return printable(text)
