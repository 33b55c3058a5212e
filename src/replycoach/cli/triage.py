"""`replycoach triage`: what a customer's message is, and whether and how to answer it."""

import sys
from enum import Enum
from typing import Annotated

import typer


class TriageFormat(str, Enum):
    text = "text"
    json = "json"


def triage(
    paths: Annotated[list[str], typer.Argument(help="Files holding one customer message each, or - for stdin.",
                                               show_default=False)],
    lang: Annotated[str | None, typer.Option("--lang", help="Language of the messages (en, pl, bg); detected "
                                             "when not given.", show_default=False)] = None,
    channel: Annotated[str | None, typer.Option(help="Where the messages were posted (twitter, email, ...); "
                                                "decides whether personal data in them is public.",
                                                show_default=False)] = None,
    output_format: Annotated[TriageFormat, typer.Option("--format", "-f", help="text or json.")] = TriageFormat.text,
    playbook: Annotated[list[str] | None, typer.Option(help="Playbook name or YAML file (repeatable).",
                                                       show_default=False)] = None,
) -> None:
    """Read customer messages: kind, tone, whether they give details to act on, and the reply they need.

    Exit status: 0 when every message was read, 2 when a file, flag or playbook is wrong
    (the other messages are still reported).
    """
    from replycoach import __version__
    from replycoach.core.errors import UserError
    from replycoach.lint.formatters.triage import TriagedMessage, triage_json, triage_lines
    from replycoach.lint.sources import read_message
    from replycoach.playbook.loader import load_playbook
    from replycoach.reply.context import PUBLIC_CHANNELS, normalise
    from replycoach.triage import triage_message

    try:
        given = normalise({k: v for k, v in (("language", lang), ("channel", channel)) if v}, "command line")
        book = load_playbook(list(playbook or ()) or None)
    except UserError as exc:
        print(f"replycoach: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    if paths.count("-") > 1:
        print("replycoach: - (stdin) given more than once", file=sys.stderr)
        raise typer.Exit(2)
    available = book.languages
    if given.get("language") and given["language"] not in available:
        print(f"replycoach: command line: --lang {given['language']}: the playbook has no {given['language']} "
              f"pack (it has {', '.join(available)})", file=sys.stderr)
        raise typer.Exit(2)
    entries, problems = [], []
    for path in paths:
        display = "<stdin>" if path == "-" else path
        try:
            text = read_message(path)
        except UserError as exc:
            problems.append(str(exc))
            continue
        language = given.get("language") or book.detect(text, available)
        public = given.get("channel", "twitter") in PUBLIC_CHANNELS
        verdict, situation = triage_message(text, book, language, public, given.get("channel", ""))
        entries.append(TriagedMessage(display, language, verdict, situation))
    if output_format is TriageFormat.json:
        sys.stdout.write(triage_json(entries, __version__) + "\n")
    else:
        from replycoach.cli.console import print_lines

        print_lines(triage_lines(entries))
    for problem in problems:
        print(f"replycoach: {problem}", file=sys.stderr)
    raise typer.Exit(2 if problems else 0)
