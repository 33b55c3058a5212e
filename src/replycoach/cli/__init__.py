"""The command line: Typer commands, thin, over the lint, draft and audit packages.

Typer, click and the standard modules they pull in compile ~15 regexes in pure Python
when imported, a few milliseconds of every command; imported inside
`regexcache.for_imports`, they find them compiled from the user cache, as our own are.
"""

from replycoach.core import regexcache

with regexcache.for_imports("imports-cli"):
    from replycoach.cli.app import main, run

__all__ = ["main", "run"]
