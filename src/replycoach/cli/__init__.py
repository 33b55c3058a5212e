"""The command line: Typer commands, thin, over the lint, draft and audit packages.

Typer, click and the standard modules they pull in compile ~15 regexes in pure Python
when imported, a few milliseconds of every command; imported inside
`regexcache.for_imports`, they find them compiled from the user cache, as our own are.
"""

from replycoach.core import regexcache

try:
    with regexcache.for_imports("imports-cli"):
        from replycoach.cli.app import main, run
except KeyboardInterrupt:  # Ctrl-C while the command is still starting: no traceback, the usual 130
    import os
    import sys

    sys.stderr.write("replycoach: interrupted\n")
    os._exit(130)

__all__ = ["main", "run"]
