"""The command line: Typer commands, thin, over the lint, draft and audit packages."""

from replycoach.cli.app import main

__all__ = ["main"]
