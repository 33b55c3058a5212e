"""The command line: parse flags, call the engine, pick the formatter, set the exit code.

Commands stay thin and import their machinery inside the function body, so `lint` does
not pay for drafting's Jinja or audit's statistics at start-up. The `cli*` modules do not
use `from __future__ import annotations`: Typer reads the parameters' annotations, and as
strings it has to `eval` every one of them on each run (~4 ms of a lint).
"""

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from replycoach import __version__
from replycoach.cli.formats import _printable
from replycoach.core.errors import UserError

app = typer.Typer(
    name="replycoach",
    help="Coach for replies to customer complaints: lint a reply, draft one from a case, audit a history.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="List the playbook's rules, or explain one.", invoke_without_command=True,
                        no_args_is_help=False)
app.add_typer(rules_app, name="rules")


def _config_app() -> typer.Typer:
    from replycoach.cli.config import config_app

    return config_app


class RulesFormat(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        print(f"replycoach {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """Coach for replies to customer complaints."""


def _split(values: list[str] | None) -> frozenset[str]:
    return frozenset(v.strip() for value in values or () for v in value.split(",") if v.strip())


def fail(message: str) -> typer.Exit:
    print(f"replycoach: {_printable(message)}", file=sys.stderr)
    return typer.Exit(2)


@rules_app.callback()
def rules_list(
    ctx: typer.Context,
    output_format: Annotated[RulesFormat, typer.Option("--format", "-f", help="text or json.")] = RulesFormat.text,
    playbook: Annotated[list[str] | None, typer.Option(help="Playbook name or file.", show_default=False)] = None,
) -> None:
    """List every rule: name, code, severity, family and languages."""
    if ctx.invoked_subcommand is not None:
        return
    from replycoach.kinds import rule_languages
    from replycoach.lint.formatters.rules import rules_table
    from replycoach.playbook.loader import load_playbook

    try:
        book = load_playbook(list(playbook or ()) or None)
    except UserError as exc:
        raise fail(str(exc)) from None
    if output_format is RulesFormat.json:
        import json

        rows = [{"name": r["name"], "code": r["code"], "severity": r["severity"], "family": r["family"],
                 "languages": rule_languages(book, r), "summary": r["summary"], "enabled": r["enabled"]}
                for r in book.rules]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    from replycoach.cli.console import print_lines

    print_lines(rules_table(book))


@rules_app.command("explain")
def rules_explain(
    name: Annotated[str, typer.Argument(help="Rule name or code, e.g. non-apology or RC102.")],
    playbook: Annotated[list[str] | None, typer.Option(help="Playbook name or file.", show_default=False)] = None,
) -> None:
    """Explain a rule: what it checks, why (with its source), how to fix it, and examples."""
    from replycoach.cli.console import print_lines
    from replycoach.lint.formatters.rules import explain_rule
    from replycoach.playbook.loader import load_playbook

    try:
        book = load_playbook(list(playbook or ()) or None)
    except UserError as exc:
        raise fail(str(exc)) from None
    rule = book.rule(name)
    if rule is None:
        import difflib

        close = difflib.get_close_matches(name, [r["name"] for r in book.rules], n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else " (see `replycoach rules`)"
        raise fail(f"no rule named {name!r}{hint}")
    print_lines(explain_rule(book, rule))


@rules_app.command("docs")
def rules_docs(
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.",
                                                show_default=False)] = None,
) -> None:
    """Print the rule reference (docs/rules.md) generated from the playbook."""
    from replycoach.lint.formatters.rules import rules_markdown
    from replycoach.playbook.loader import load_playbook

    text = rules_markdown(load_playbook())
    if output:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise fail(f"{output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)


# Commands defined in their own modules, in the order `--help` lists them after `lint`;
# each module is imported only when its command runs or the whole app is listed.
COMMAND_MODULES = {"lint": "replycoach.cli.lint", "audit": "replycoach.cli.audit", "init": "replycoach.cli.init",
                   "draft": "replycoach.cli.draft",
                   "triage": "replycoach.cli.triage"}


def _command_name(info) -> str:
    return info.name or info.callback.__name__.replace("_", "-")


def _own_module_command(name: str):
    import importlib

    return getattr(importlib.import_module(COMMAND_MODULES[name]), name)


def whole_app() -> typer.Typer:
    """The app with every command registered (what `--help` lists)."""
    registered = {_command_name(c) for c in app.registered_commands}
    for name in COMMAND_MODULES:
        if name not in registered:
            app.command(name)(_own_module_command(name))
    if not any(group.name == "config" for group in app.registered_groups):
        app.add_typer(_config_app(), name="config")
    return app


def _app_for(argv: list[str]) -> typer.Typer:
    """The app, holding only the command being run when the first argument names one.

    Typer builds the click command of every registered command (reading each signature and
    its annotations) before it looks at the arguments: ~18 ms of a lint's start-up, for
    commands the run never uses. `replycoach lint ...` needs only `lint`; anything else
    (no arguments, `--help`, `--version`, a mistyped command) gets the whole app, so the
    top-level help and "No such command" suggestions are unchanged.
    """
    wanted = argv[0] if argv else ""
    commands = [c for c in app.registered_commands if _command_name(c) == wanted]
    groups = [g for g in app.registered_groups if g.name == wanted]
    slim = typer.Typer()
    slim.__dict__.update(vars(app))
    # completion is the whole app's (a shell asks with no arguments, the words in the
    # environment); a command's run doesn't import it (~3.5 ms of a lint's start-up)
    slim._add_completion = False
    if wanted in COMMAND_MODULES:
        slim.registered_commands = []
        slim.command(wanted)(_own_module_command(wanted))
        slim.registered_groups = []
        return slim
    if (not commands and not groups) or wanted == "config":
        return whole_app()
    slim.registered_commands, slim.registered_groups = commands, groups
    return slim


def main() -> None:
    """The console script: run the command, then leave without tearing the interpreter down."""
    _exit(run(sys.argv[1:]))


def run(argv: list[str]) -> int:
    """Run one command line in this process and return its exit status (what tests call)."""
    try:
        _app_for(argv)(args=argv, prog_name="replycoach")
        status = 0
    except SystemExit as exc:
        status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if exc.code is not None and not isinstance(exc.code, int):
            print(exc.code, file=sys.stderr)
    except UserError as exc:
        print(f"replycoach: {_printable(str(exc))}", file=sys.stderr)
        status = 2
    except KeyboardInterrupt:
        print("replycoach: interrupted", file=sys.stderr)
        status = 130
    except BrokenPipeError:
        status = 1
    except Exception as exc:  # a bug: say so in one line, keep the traceback for a report
        if os.environ.get("REPLYCOACH_DEBUG"):
            raise
        print(f"replycoach: internal error: {type(exc).__name__}: {exc}\n"
              "replycoach: this is a bug; run again with REPLYCOACH_DEBUG=1 for the traceback and report it",
              file=sys.stderr)
        status = 2
    return status


def _exit(status: int) -> None:
    """Run the exit handlers (the caches' saves), flush, and end the process at once.

    Python's own shutdown frees every object and module one by one: ~25 ms after linting one
    reply, a third of what replycoach adds to Python and Typer's start-up. Nothing is lost by
    skipping it: the registered exit handlers run first and the output streams are flushed.
    """
    import atexit
    import contextlib
    import os

    with contextlib.suppress(Exception):  # a failing cache save must not change the exit status
        atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # the reader went away (| head): nothing more to say
            status = status or 1
        except (OSError, ValueError):
            pass
    os._exit(status)


if __name__ == "__main__":
    main()
