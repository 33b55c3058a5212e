"""replycoach: a coach for replies to customer complaints.

The importable surface is small on purpose (see `replycoach.api`): `lint_text` for a reply
in a string, `lint_many` for a stream of them, `load` for a config's playbook (it pickles,
for worker pools), and the `FileResult`/`Diagnostic` every command reports with. They are
imported on first use, so the command line does not pay for them.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "lint_many", "lint_text", "load"]


def __getattr__(name: str):
    if name in ("lint_text", "lint_many", "load"):
        from replycoach import api

        return getattr(api, name)
    raise AttributeError(f"module 'replycoach' has no attribute {name!r}")
