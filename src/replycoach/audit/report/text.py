"""An audit as terminal lines: styled segments, plain on a pipe, coloured by `cli.console`."""

from __future__ import annotations

from replycoach.audit.figures import minutes_to_text
from replycoach.audit.report.wording import (
    VISIBILITY_LABEL,
    clip,
    counted,
    gap_sentence,
    number,
    pct,
    reference_verdict,
    targets_text,
    where,
)
from replycoach.lint.formatters.styles import STYLE_OF_LABEL, Line


def summary_lines(report: dict, top_authors: int = 10) -> list[Line]:
    """The terminal summary as styled segments (plain on a pipe, coloured by console.print_lines)."""
    inp, first, settings = report["input"], report["first_reply"], report["settings"]
    reference = settings["industry_average_minutes"]
    lines: list[Line] = []
    lines.append([("Audit of ", "bold"), (inp["path"], "bold underline"),
                  (f"  {number(inp['conversations'])} conversations, {number(inp['messages'])} messages "
                   f"({number(inp['customer_messages'])} customer, {number(inp['agent_messages'])} agent)", "")])
    lines.append([])
    lines.append([("First reply", "bold"),
                  ("  first agent message after the customer's first message", "dim")])
    rows = [
        ("median", minutes_to_text(first["median_minutes"]), reference_verdict(first, reference)),
        ("90th percentile", minutes_to_text(first["p90_minutes"]), ""),
        ("mean", minutes_to_text(first["mean_minutes"]), "pulled up by the slowest replies"
         if (first["mean_minutes"] or 0) > (first["median_minutes"] or 0) * 2 else ""),
        ("within target", f"{number(first['within_target'])} of {number(first['conversations'])}"
         f" ({pct(first['within_target_share'])})", f"targets: {targets_text(settings)}"),
        ("within 157 min" if reference == 157 else f"within {reference:.0f} min",
         pct(first["within_industry_average_share"]), "the industry average reply time, for reference"),
        ("never answered", f"{number(first['never_answered'])} ({pct(1 - first['reply_rate'])})"
         if first["reply_rate"] is not None else "n/a", ""),
    ]
    for label, value, note in rows:
        style = "bold red" if label == "never answered" and first["never_answered"] else "bold"
        lines.append([("  " + label.ljust(17), ""), (value.ljust(24), style), (note, "dim")])
    lines.append([])
    lines.append([("Loudness gap", "bold"), ("  public vs private", "dim")])
    lines.extend(_group_table(report["by_visibility"], VISIBILITY_LABEL))
    lines.append([("  " + gap_sentence(report["loudness_gap"]), "italic")])
    if len(report["by_channel"]) > 1:
        lines.append([])
        lines.append([("By channel", "bold")])
        lines.extend(_group_table(report["by_channel"]))
    lines.append([])
    lines.append([("Weekday vs weekend", "bold"), ("  by the customer's first message", "dim")])
    lines.extend(_group_table(report["by_day"]))
    authors = report["by_author"]
    if authors:
        lines.append([])
        lines.append([("By author", "bold"), (f"  of the first reply; top {min(top_authors, len(authors))} "
                                              f"of {len(authors)}", "dim")])
        lines.append([("  " + "author".ljust(24) + "first replies".rjust(14) + "median".rjust(14)
                       + "p90".rjust(14) + "  replies with errors", "dim")])
        for row in authors[:top_authors]:
            errors = pct(row.get("with_errors_share")) if "with_errors_share" in row else ""
            lines.append([("  " + clip(row["author"], 23).ljust(24), ""),
                          (number(row["first_replies"]).rjust(14), ""),
                          (minutes_to_text(row["median_minutes"]).rjust(14), ""),
                          (minutes_to_text(row["p90_minutes"]).rjust(14), ""), ("  " + errors, "")])
    quality = report.get("quality")
    if quality:
        lines.append([])
        lines.extend(_quality_lines(quality))
    lines.append([])
    lines.extend(_problem_lines(report))
    return lines


def _group_table(groups: dict, labels: dict | None = None) -> list[Line]:
    out: list[Line] = [[("  " + "".ljust(20) + "conversations".rjust(14) + "median".rjust(14) + "p90".rjust(14)
                         + "reply rate".rjust(12) + "within target".rjust(15), "dim")]]
    for key, g in groups.items():
        out.append([
            ("  " + clip((labels or {}).get(key, key), 19).ljust(20), ""),
            (number(g["conversations"]).rjust(14), ""),
            (minutes_to_text(g["median_minutes"]).rjust(14), "bold"),
            (minutes_to_text(g["p90_minutes"]).rjust(14), ""),
            (pct(g["reply_rate"]).rjust(12), ""),
            (pct(g["within_target_share"]).rjust(15), ""),
        ])
    return out


def _quality_lines(quality: dict) -> list[Line]:
    out: list[Line] = [[("Reply quality", "bold"),
                        (f"  {number(quality['linted'])} agent replies linted with the playbook"
                         + (f"; {number(quality['not_linted'])} not linted (see notes)" if quality["not_linted"]
                            else ""), "dim")]]
    out.append([("  replies with an error  ", ""), (pct(quality["replies_with_errors_share"]), "bold")])
    out.append([("  checklist (share of replies that have it)", "dim")])
    for item in quality["checklist"]:
        rate = item["rate"] or 0
        bar = "█" * round(rate * 30)
        out.append([("    " + item["label"].ljust(22), ""), (pct(item["rate"]).rjust(8) + "  ", "bold"),
                    (bar, "green" if rate >= 0.5 else "yellow")])
    if quality["rules"]:
        out.append([("  rules (replies flagged)", "dim")])
        style = STYLE_OF_LABEL
        for rule in quality["rules"][:12]:
            out.append([("    " + rule["rule"].ljust(28), ""),
                        ("/".join(rule["severities"]).ljust(15), style[rule["severity"]]),
                        (number(rule["replies"]).rjust(8), ""), (f"  {pct(rule['rate'])}", "dim")])
        if len(quality["rules"]) > 12:
            out.append([(f"    ... and {len(quality['rules']) - 12} more rules (see --format json)", "dim")])
    if quality["worst"]:
        out.append([])
        out.append([("Worst replies", "bold"), ("  most errors, then warnings", "dim")])
        for w in quality["worst"]:
            out.append([(f"  line {w['line']}", "bold"), (f"  {w['conversation']} · {w['author']} · ", "dim"),
                        (counted(w), "red" if w["errors"] else "yellow")])
            out.append([("    │ ", "dim"), (clip(w["text"].replace("\n", " ⏎ "), 150), "magenta")])
            for f in w["findings"][:6]:
                out.append([("    └ ", "dim"), (f["rule"].ljust(26), "bold"), (clip(f["message"], 90), "")])
            if len(w["findings"]) > 6:
                out.append([(f"    … and {len(w['findings']) - 6} more (see --format json or --html)", "dim")])
    return out


def _problem_lines(report: dict) -> list[Line]:
    skipped, notes = report["skipped"], report["notes"]
    if not skipped and not notes:
        return [[("Input: ", "bold"), ("every line was read; nothing skipped.", "green")]]
    out: list[Line] = []
    total = sum(s["count"] for s in skipped)
    if skipped:
        out.append([("Skipped input", "bold"), (f"  {number(total)} item{'s' if total != 1 else ''}", "bold red")])
        for s in skipped:
            out.append([(f"  {number(s['count']).rjust(7)} {s['unit']}{'s' if s['count'] != 1 else ''}  ", "bold"),
                        (s["description"], ""), (where(s), "dim")])
    else:
        out.append([("Input: ", "bold"), ("nothing skipped.", "green")])
    for n in notes:
        out.append([("  note ", "cyan"), (f"{number(n['count'])} ", "bold"), (n["description"], ""), (where(n), "dim")])
    return out
