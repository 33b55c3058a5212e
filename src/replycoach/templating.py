"""Jinja, sandboxed: templates come from users and canned-response repositories.

`SandboxedEnvironment` refuses attribute access to Python internals, `StrictUndefined`
turns a missing variable into an error instead of an empty string in a sent reply, and
the environment has no loader that could read arbitrary files.
"""

from __future__ import annotations


def environment(loader=None):
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(
        loader=loader, undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False
    )


def syntax_error(source: str) -> tuple[int | None, str] | None:
    """(line, message) when the template does not parse, else None."""
    from jinja2 import TemplateSyntaxError

    try:
        environment().parse(source)
    except TemplateSyntaxError as exc:
        return exc.lineno, exc.message or "template syntax error"
    return None
