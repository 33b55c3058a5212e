"""The text report: what a person reads in a terminal, a finding with its excerpt and suggestion."""

from __future__ import annotations

from collections.abc import Iterable

from replycoach.core.diagnostic import Severity
from replycoach.core.memo import Memo
from replycoach.lint.formatters import summary
from replycoach.lint.formatters.styles import SEVERITY_STYLE, Line, checklist_row
from replycoach.lint.results import FileResult, Tally
from replycoach.reply.context import Context

_SEVERITY_CELLS = {severity: (severity.label.ljust(8), SEVERITY_STYLE[severity]) for severity in Severity}


def _context_line(ctx: Context | None, language: str | None) -> str:
    if ctx is None:
        return ""
    parts = [language or "?", ctx.channel or "any channel", ctx.visibility, ctx.kind, f"{ctx.stage} reply"]
    if ctx.tone not in ("unknown", "calm"):
        parts.append(f"{ctx.tone} customer")
    if ctx.needs_details:
        parts.append("message needs details")
    if ctx.fault != "unknown":
        parts.append(f"fault: {ctx.fault}")
    if ctx.template:
        parts.append("template")
    text = " · ".join(parts)
    if ctx.inferred:
        text += f"  (from the message: {', '.join(k.replace('_', ' ') for k in ctx.inferred)})"
    if ctx.assumed:
        text += f"  (assumed: {', '.join(ctx.assumed)})"
    return text


def _checklist_row(state: tuple) -> Line:
    return checklist_row("  checklist ", state)


def format_text(results: list[FileResult], problems: list, checklist: bool = True) -> list[Line]:
    return list(iter_text(results, problems, checklist))


# cells that are the same for every finding, made once (a batch prints hundreds of thousands)
_EXCERPT_MARK = (" " * 10 + "│ ", "dim")
_SUGGESTION_MARK = (" " * 10 + "└ ", "dim")


def iter_text(results: Iterable[FileResult], problems: list, checklist: bool = True,
              totals: Tally | None = None, quiet: bool = False) -> Iterable[Line]:
    """The text report line by line, so a big batch is printed as it is rendered.

    `results` may be a stream, as for `iter_json`; the summary then reads `totals`. `quiet`
    leaves out the files without findings and the summary line."""
    # a batch repeats these cells and rows: each is made once per key (what the cell shows)
    finding_cells = Memo(lambda key: (_SEVERITY_CELLS[key[0]], (key[1].ljust(27), "bold"), (key[2], ""),
                                      (f"  [{key[3]}]", "dim")), 10_000)  # (severity, rule, message, code)
    position_cells = Memo(lambda key: (f"  {key[0]}:{key[1]}".ljust(10), "dim"), 10_000)  # (line, column)
    context_cells = Memo(lambda key: ("  " + _context_line(key[0], key[1]), "dim"), 10_000)  # (context, language)
    checklist_rows = Memo(_checklist_row, 10_000)  # the checklist's (item, value) pairs
    for result in results:
        if quiet and not result.diagnostics:
            continue
        lines: list[Line] = [[(result.path, "bold underline"), context_cells[result.context, result.language]]]
        for d in result.diagnostics:
            lines.append([position_cells[d.line, d.column], *finding_cells[d.severity, d.rule, d.message, d.code]])
            if d.match:
                excerpt = d.match.replace("\n", "⏎")
                excerpt = excerpt if len(excerpt) <= 90 else excerpt[:87] + "..."
                lines.append([_EXCERPT_MARK, (excerpt, "magenta")])
            if d.suggestion:
                lines.append([_SUGGESTION_MARK, (d.suggestion, "green")])
        if checklist and result.checklist:
            lines.append(checklist_rows[tuple(result.checklist.items())])
        lines.append([])
        yield from lines
    for problem in problems:
        yield [("error: ", "bold red"), (str(problem), "")]
    if quiet:
        return
    counts = summary(results) if totals is None else totals.summary()
    errors, warnings = counts["errors"], counts["warnings"]
    yield [
        (f"{counts['files']} file{'s' if counts['files'] != 1 else ''} checked: ", "bold"),
        (f"{errors} error{'s' if errors != 1 else ''}", "bold red" if errors else "green"),
        (", ", ""),
        (f"{warnings} warning{'s' if warnings != 1 else ''}", "yellow" if warnings else ""),
        (", ", ""),
        (f"{counts['infos']} info", "cyan" if counts["infos"] else ""),
        (f", {len(problems)} unreadable input{'s' if len(problems) != 1 else ''}" if problems else "", "bold red"),
    ]
