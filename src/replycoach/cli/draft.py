"""`replycoach draft`: the command function, thin; the work is in case, triage and drafting.

Imports at the top stay typer + stdlib so registering the command costs `replycoach lint`
nothing; pydantic and Jinja are imported when a draft is actually made.
"""

import os
import sys
from enum import Enum
from typing import Annotated

import typer


class DraftFormat(str, Enum):
    text = "text"
    json = "json"


QUICK_ONLY = ("channel", "customer", "handle", "kind", "fault")


def draft(
    case: Annotated[str | None, typer.Option("--case", "-c", help="Case file (JSON or YAML; - for stdin).",
                                             show_default=False)] = None,
    complaint: Annotated[str | None, typer.Option(help="Quick mode: the complaint text, instead of a case file.",
                                                  show_default=False)] = None,
    channel: Annotated[str | None, typer.Option(help="Quick mode: where it was posted (twitter, facebook, "
                                                "email, ...).", show_default=False)] = None,
    customer: Annotated[str | None, typer.Option(help="Quick mode: the customer's name.", show_default=False)] = None,
    handle: Annotated[str | None, typer.Option(help="Quick mode: the customer's @handle.", show_default=False)] = None,
    kind: Annotated[str | None, typer.Option(help="Quick mode: complaint, question, outage, off-topic or praise.",
                                             show_default=False)] = None,
    fault: Annotated[str | None, typer.Option(help="Quick mode: company, customer, third_party or unknown.",
                                              show_default=False)] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Reply language (en, pl, bg); default: the case's, "
                                             "or detected from the complaint.", show_default=False)] = None,
    agent: Annotated[str | None, typer.Option(help="Sign as this agent (default: the case's agent, or "
                                              "$REPLYCOACH_AGENT).", show_default=False)] = None,
    now: Annotated[str | None, typer.Option(help="ISO-8601 time to judge lateness against (default: now).",
                                            show_default=False)] = None,
    output_format: Annotated[DraftFormat, typer.Option("--format", "-f", help="text: the reply on stdout and "
                                                       "coaching on stderr; json: both on stdout.")] = DraftFormat.text,
    templates: Annotated[str | None, typer.Option(help="Folder of your own templates (<lang>/<situation>.j2), "
                                                  "used before the built-in ones.", show_default=False)] = None,
    playbook: Annotated[list[str] | None, typer.Option(help="Playbook name or YAML file (repeatable).",
                                                       show_default=False)] = None,
) -> None:
    """Draft a reply to a complaint case that passes the playbook, with coaching.

    Exit status: 0 when the draft has no errors (or no reply is recommended), 1 when it
    still has errors (e.g. from the case's own wording), 2 when the case, a flag or a
    template is wrong.
    """
    from replycoach.core import regexcache
    from replycoach.core.errors import UserError

    try:
        with regexcache.for_imports("imports-draft"):  # pydantic, Jinja, YAML: their regexes from the cache
            result = _make_draft(case, complaint, {"channel": channel, "customer": customer, "handle": handle,
                                                   "kind": kind, "fault": fault}, lang, agent, now, templates,
                                 playbook)
    except UserError as exc:
        print(f"replycoach: {exc}", file=sys.stderr)
        raise typer.Exit(2) from None
    _report(result, output_format)
    raise typer.Exit(1 if result.errors else 0)


def _make_draft(case_path, complaint, quick: dict, lang, agent, now, templates, playbook_specs):
    from replycoach.core.errors import UserError
    from replycoach.draft.case import load_case_data, validate_case
    from replycoach.draft.compose import draft_case
    from replycoach.playbook.loader import load_playbook

    if case_path is not None and complaint is not None:
        raise UserError("give either --case FILE or --complaint TEXT, not both", "command line")
    if case_path is None and complaint is None:
        raise UserError("give --case FILE (see docs/draft.md) or --complaint TEXT --channel CHANNEL",
                        "command line")
    if case_path is not None:
        given = [f"--{key}" for key in QUICK_ONLY if quick[key] is not None]
        if given:
            raise UserError(f"{', '.join(given)}: only with --complaint; the case file sets these", "command line")
        data, where = load_case_data(case_path)
    else:
        where = "command line"
        if quick["channel"] is None:
            raise UserError("--channel: required with --complaint (twitter, facebook, email, ...)", where)
        data = {"channel": quick["channel"], "complaint": {"text": complaint}}
        data.update({k: quick[k] for k in ("kind", "fault") if quick[k] is not None})
        if quick["customer"] or quick["handle"]:
            data["customer"] = {k: v for k, v in (("name", quick["customer"]), ("handle", quick["handle"])) if v}
    overrides = {"language": lang, "now": now}
    agent = agent or (None if isinstance(data, dict) and data.get("agent") else os.environ.get("REPLYCOACH_AGENT"))
    if agent:
        overrides["agent"] = {"name": agent}
    flagged = {k for k, v in overrides.items() if v is not None}
    if isinstance(data, dict):
        data = {**data, **{k: v for k, v in overrides.items() if v is not None}}
    try:
        case = validate_case(data, where)
        book = load_playbook(list(playbook_specs or ()) or None)
        if templates is not None and not os.path.isdir(templates):
            raise UserError("not a folder of templates", templates)
        return draft_case(case, playbook=book, templates=templates, source=where)
    except UserError as exc:
        if exc.where == where and exc.message.split(":", 1)[0].split(".", 1)[0] in flagged:
            raise UserError(exc.message, "command line") from None  # the flag was wrong, not the file
        raise


def _report(result, output_format: DraftFormat) -> None:
    from replycoach.draft import output as draft_output

    if output_format is DraftFormat.json:
        sys.stdout.write(draft_output.format_json(result) + "\n")
        return
    if result.reply:
        sys.stdout.write(result.reply + "\n")
        sys.stdout.flush()
    _print_coaching(draft_output.coaching_lines(result), f"replycoach draft · {result.situation}")


def _print_coaching(lines, title: str) -> None:
    from replycoach.cli.console import print_lines, wants_colour

    if not wants_colour(sys.stderr):
        print_lines(lines, sys.stderr)
        return
    from rich.console import Console, Group
    from rich.panel import Panel
    from rich.text import Text

    rows = []
    for line in lines:
        text = Text()
        for part, style in line:
            text.append(part, style=style or None)
        rows.append(text)
    Console(file=sys.stderr, highlight=False).print(Panel(Group(*rows), title=title, title_align="left",
                                                          border_style="cyan"))
