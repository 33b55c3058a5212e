"""Errors a user can act on.

Everything that is the user's input being wrong (a file, a flag, a playbook, a config) is
raised as `UserError` and turned into one line and exit status 2 by the CLI; anything else
is a bug and may show a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """A problem with the user's input, reported as `where: what` without a traceback."""

    def __init__(self, message: str, where: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class NotACollection(UserError):
    """A YAML/JSON file that is not a list of responses (a CI workflow, a config, ...)."""
