"""Saying what an audit found: terminal lines, JSON, and a one-file HTML report.

Pure functions from the report dict (see `replycoach.audit`) to text; nothing is decided
or computed here beyond layout.

The HTML charts are SVG written by hand, here, in a few dozen lines: no charting
dependency to install, no JavaScript to run or block, nothing fetched from the network,
and the file prints, converts to PDF and survives being e-mailed to a manager as it is.
Every piece of user text (file names, authors, channels, replies) is escaped.
"""

from __future__ import annotations

import json
from html import escape

from replycoach.audit.auditor import minutes_to_text

Line = list[tuple[str, str]]

VISIBILITY_LABEL = {"public": "public", "private": "private", "unknown": "unknown visibility"}


# --- shared wording --------------------------------------------------------------------------


def _pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.1f} %"


def _int(n: int) -> str:
    return f"{n:,}"


def _targets_text(settings: dict) -> str:
    targets = settings.get("targets_used") or settings["first_reply_target_minutes"]
    parts = [f"{name} {minutes_to_text(minutes)}" for name, minutes in targets.items()]
    return ", ".join(parts)


def reference_verdict(first: dict, reference: float) -> str:
    median = first["median_minutes"]
    if median is None:
        return "no conversation was answered"
    if median < reference:
        return f"median {minutes_to_text(reference - median)} faster than the {reference:.0f}-minute industry average"
    if median > reference:
        return f"median {minutes_to_text(median - reference)} slower than the {reference:.0f}-minute industry average"
    return f"median equal to the {reference:.0f}-minute industry average"


def gap_sentence(gap: dict) -> str:
    """The loudness gap in one sentence a lead can repeat."""
    pub, priv = gap["public"], gap["private"]
    if not pub["conversations"] or not priv["conversations"]:
        missing = "private" if pub["conversations"] else "public"
        return f"No {missing} conversations in this input, so no loudness gap can be measured."
    if pub["median_minutes"] is None or priv["median_minutes"] is None:
        return "One side was never answered, so the medians cannot be compared."
    diff = priv["median_minutes"] - pub["median_minutes"]
    if abs(diff) < 1:
        speed = "Public and private complaints get a first reply equally fast"
    elif diff > 0:
        speed = f"Private complaints wait {minutes_to_text(diff)} longer (median) than public ones"
    else:
        speed = f"Public complaints wait {minutes_to_text(-diff)} longer (median) than private ones"
    rates = (f"reply rate {_pct(pub['reply_rate'])} public vs {_pct(priv['reply_rate'])} private")
    return f"{speed}; {rates}."


# --- terminal --------------------------------------------------------------------------------


def summary_lines(report: dict, top_authors: int = 10) -> list[Line]:
    """The terminal summary as styled segments (plain on a pipe, coloured by console.print_lines)."""
    inp, first, settings = report["input"], report["first_reply"], report["settings"]
    reference = settings["industry_average_minutes"]
    lines: list[Line] = []
    lines.append([("Audit of ", "bold"), (inp["path"], "bold underline"),
                  (f"  {_int(inp['conversations'])} conversations, {_int(inp['messages'])} messages "
                   f"({_int(inp['customer_messages'])} customer, {_int(inp['agent_messages'])} agent)", "")])
    lines.append([])
    lines.append([("First reply", "bold"),
                  ("  first agent message after the customer's first message", "dim")])
    rows = [
        ("median", minutes_to_text(first["median_minutes"]), reference_verdict(first, reference)),
        ("90th percentile", minutes_to_text(first["p90_minutes"]), ""),
        ("mean", minutes_to_text(first["mean_minutes"]), "pulled up by the slowest replies"
         if (first["mean_minutes"] or 0) > (first["median_minutes"] or 0) * 2 else ""),
        ("within target", f"{_int(first['within_target'])} of {_int(first['conversations'])}"
         f" ({_pct(first['within_target_share'])})", f"targets: {_targets_text(settings)}"),
        ("within 157 min" if reference == 157 else f"within {reference:.0f} min",
         _pct(first["within_industry_average_share"]), "the industry average reply time, for reference"),
        ("never answered", f"{_int(first['never_answered'])} ({_pct(1 - first['reply_rate'])})"
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
            errors = _pct(row.get("with_errors_share")) if "with_errors_share" in row else ""
            lines.append([("  " + _clip(row["author"], 23).ljust(24), ""),
                          (_int(row["first_replies"]).rjust(14), ""),
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
            ("  " + _clip((labels or {}).get(key, key), 19).ljust(20), ""),
            (_int(g["conversations"]).rjust(14), ""),
            (minutes_to_text(g["median_minutes"]).rjust(14), "bold"),
            (minutes_to_text(g["p90_minutes"]).rjust(14), ""),
            (_pct(g["reply_rate"]).rjust(12), ""),
            (_pct(g["within_target_share"]).rjust(15), ""),
        ])
    return out


def _quality_lines(quality: dict) -> list[Line]:
    out: list[Line] = [[("Reply quality", "bold"),
                        (f"  {_int(quality['linted'])} agent replies linted with the playbook"
                         + (f"; {_int(quality['not_linted'])} not linted (see notes)" if quality["not_linted"]
                            else ""), "dim")]]
    out.append([("  replies with an error  ", ""), (_pct(quality["replies_with_errors_share"]), "bold")])
    out.append([("  checklist (share of replies that have it)", "dim")])
    for item in quality["checklist"]:
        rate = item["rate"] or 0
        bar = "█" * round(rate * 30)
        out.append([("    " + item["label"].ljust(22), ""), (_pct(item["rate"]).rjust(8) + "  ", "bold"),
                    (bar, "green" if rate >= 0.5 else "yellow")])
    if quality["rules"]:
        out.append([("  rules (replies flagged)", "dim")])
        style = {"error": "bold red", "warning": "yellow", "info": "cyan"}
        for rule in quality["rules"][:12]:
            out.append([("    " + rule["rule"].ljust(28), ""),
                        ("/".join(rule["severities"]).ljust(15), style[rule["severity"]]),
                        (_int(rule["replies"]).rjust(8), ""), (f"  {_pct(rule['rate'])}", "dim")])
        if len(quality["rules"]) > 12:
            out.append([(f"    ... and {len(quality['rules']) - 12} more rules (see --format json)", "dim")])
    if quality["worst"]:
        out.append([])
        out.append([("Worst replies", "bold"), ("  most errors, then warnings", "dim")])
        for w in quality["worst"]:
            out.append([(f"  line {w['line']}", "bold"), (f"  {w['conversation']} · {w['author']} · ", "dim"),
                        (_counted(w), "red" if w["errors"] else "yellow")])
            out.append([("    │ ", "dim"), (_clip(w["text"].replace("\n", " ⏎ "), 150), "magenta")])
            for f in w["findings"][:6]:
                out.append([("    └ ", "dim"), (f["rule"].ljust(26), "bold"), (_clip(f["message"], 90), "")])
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
        out.append([("Skipped input", "bold"), (f"  {_int(total)} item{'s' if total != 1 else ''}", "bold red")])
        for s in skipped:
            out.append([(f"  {_int(s['count']).rjust(7)} {s['unit']}{'s' if s['count'] != 1 else ''}  ", "bold"),
                        (s["description"], ""), (_where(s), "dim")])
    else:
        out.append([("Input: ", "bold"), ("nothing skipped.", "green")])
    for n in notes:
        out.append([("  note ", "cyan"), (f"{_int(n['count'])} ", "bold"), (n["description"], ""), (_where(n), "dim")])
    return out


def _where(item: dict) -> str:
    parts = []
    if item.get("first_lines"):
        more = ", ..." if item["count"] > len(item["first_lines"]) else ""
        parts.append(f"line{'s' if len(item['first_lines']) > 1 else ''} "
                     f"{', '.join(map(str, item['first_lines']))}{more}")
    if item.get("examples"):
        parts.append("e.g. " + ", ".join(item["examples"][:3]))
    return f"  ({'; '.join(parts)})" if parts else ""


def _counted(worst: dict) -> str:
    parts = [f"{worst[k]} {k[:-1] if worst[k] == 1 else k}" for k in ("errors", "warnings", "infos") if worst[k]]
    return ", ".join(parts)


def _clip(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def to_json(report: dict) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


# --- HTML ------------------------------------------------------------------------------------

CSS = """
:root { --ink:#1d2430; --muted:#5b6573; --line:#d9dee5; --ok:#2f8f5b; --bad:#c0392b; --warn:#d68910;
        --accent:#2d6cdf; --ref:#8e44ad; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 1080px; padding: 28px 32px 60px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
p.sub, .muted { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; margin: 18px 0; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .v { font-size: 21px; font-weight: 650; white-space: nowrap; }
.card .k { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 4px; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.gap { font-size: 16px; background: #f4f6fa; border-left: 4px solid var(--accent); padding: 10px 14px; }
blockquote { margin: 6px 0; padding: 8px 12px; background: #f7f7f9; border-left: 3px solid var(--line);
             white-space: pre-wrap; word-break: break-word; }
.worst { margin: 16px 0 22px; }
.sev-error { color: var(--bad); font-weight: 600; } .sev-warning { color: var(--warn); font-weight: 600; }
.sev-info { color: var(--accent); }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
footer { margin-top: 40px; color: var(--muted); font-size: 13px; }
@media print { body { padding: 0; } h2 { break-after: avoid; } .worst, svg { break-inside: avoid; } }
"""


def to_html(report: dict) -> str:
    """One self-contained HTML page: inline CSS, inline SVG, no script, nothing fetched."""
    inp, first, settings = report["input"], report["first_reply"], report["settings"]
    reference = settings["industry_average_minutes"]
    e = _e
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Reply audit: {e(inp['path'])}</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>How fast and how well we answer</h1>",
        f'<p class="sub">Audit of <b>{e(inp["path"])}</b>: {_int(inp["conversations"])} conversations, '
        f"{_int(inp['messages'])} messages ({_int(inp['customer_messages'])} from customers, "
        f"{_int(inp['agent_messages'])} from agents). Playbook <b>{e(settings['playbook'])}</b>.</p>",
        '<div class="cards">',
        _card(minutes_to_text(first["median_minutes"]), "median first reply"),
        _card(minutes_to_text(first["p90_minutes"]), "90th percentile"),
        _card(minutes_to_text(first["mean_minutes"]), "mean (pulled by the slowest)"),
        _card(_pct(first["within_target_share"]), "answered within target"),
        _card(_int(first["never_answered"]), "never answered"),
        _card(f"{reference:.0f} min", "industry average (reference)"),
        "</div>",
        f"<p>{e(reference_verdict(first, reference)).capitalize()}. First reply = the first agent message after "
        f"the customer's first message. Targets from the playbook: {e(_targets_text(settings))}; a conversation "
        "never answered counts as missing its target.</p>",
        "<h2>First-reply time</h2>",
        histogram_svg(first["histogram"], settings, report),
        "<h2>The loudness gap: public vs private</h2>",
        f'<p class="gap">{e(gap_sentence(report["loudness_gap"]))}</p>',
        gap_svg(report["loudness_gap"]),
        _group_html(report["by_visibility"], "Visibility", VISIBILITY_LABEL),
        "<h2>By channel</h2>",
        _group_html(report["by_channel"], "Channel"),
        "<h2>Weekday vs weekend</h2>",
        '<p class="muted">By the day of the customer\'s first message, in that timestamp\'s own time zone. '
        "Customers expect an answer at weekends too.</p>",
        _group_html(report["by_day"], "Day"),
    ]
    if report["by_author"]:
        parts += ["<h2>By author of the first reply</h2>", _authors_html(report["by_author"][:25],
                                                                         len(report["by_author"]))]
    quality = report.get("quality")
    if quality:
        parts += _quality_html(quality)
    parts += _problems_html(report)
    parts.append(f'<footer>Figures: {e(settings["quantiles"])}. Generated by replycoach audit; this page needs '
                 "no network and no script.</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _e(value) -> str:
    return escape(str(value), quote=True)


def _card(value: str, label: str) -> str:
    return f'<div class="card"><div class="v">{_e(value)}</div><div class="k">{_e(label)}</div></div>'


def _group_html(groups: dict, title: str, labels: dict | None = None) -> str:
    rows = "".join(
        f"<tr><td>{_e((labels or {}).get(k, k))}</td><td class=n>{_int(g['conversations'])}</td>"
        f"<td class=n>{_e(minutes_to_text(g['median_minutes']))}</td>"
        f"<td class=n>{_e(minutes_to_text(g['p90_minutes']))}</td>"
        f"<td class=n>{_e(minutes_to_text(g['mean_minutes']))}</td>"
        f"<td class=n>{_pct(g['reply_rate'])}</td><td class=n>{_pct(g['within_target_share'])}</td></tr>"
        for k, g in groups.items()
    )
    return (f"<table><tr><th>{_e(title)}</th><th class=n>conversations</th><th class=n>median</th>"
            f"<th class=n>p90</th><th class=n>mean</th><th class=n>reply rate</th>"
            f"<th class=n>within target</th></tr>{rows}</table>")


def _authors_html(authors: list[dict], total: int) -> str:
    rows = "".join(
        f"<tr><td>{_e(a['author'])}</td><td class=n>{_int(a['first_replies'])}</td>"
        f"<td class=n>{_int(a['replies'])}</td>"
        f"<td class=n>{_e(minutes_to_text(a['median_minutes']))}</td>"
        f"<td class=n>{_e(minutes_to_text(a['p90_minutes']))}</td>"
        f"<td class=n>{_pct(a.get('with_errors_share'))}</td>"
        f"<td class=n>{_pct((a.get('checklist_rates') or {}).get('apology'))}</td></tr>"
        for a in authors
    )
    note = f'<p class="muted">Top {len(authors)} of {total} authors.</p>' if total > len(authors) else ""
    return (f"<table><tr><th>Author</th><th class=n>first replies</th><th class=n>replies</th><th class=n>median</th>"
            f"<th class=n>p90</th><th class=n>replies with errors</th><th class=n>apologise</th></tr>{rows}</table>"
            f"{note}")


def _quality_html(quality: dict) -> list[str]:
    e = _e
    parts = [
        "<h2>Reply quality: the checklist</h2>",
        f"<p>{_int(quality['linted'])} agent replies linted with the playbook"
        + (f" ({_int(quality['not_linted'])} not linted, see the notes below)" if quality["not_linted"] else "")
        + f"; {_pct(quality['replies_with_errors_share'])} of them have at least one error.</p>",
        checklist_svg(quality["checklist"]),
        "<h2>Rules that fired</h2>",
        "<table><tr><th>Rule</th><th>Code</th><th>Severity</th><th class=n>replies</th><th class=n>share</th></tr>",
    ]
    parts += [
        f"<tr><td>{e(r['rule'])}</td><td>{e(r['code'])}</td>"
        f"<td class=\"sev-{e(r['severity'])}\">{e(' / '.join(r['severities']))}"
        f"</td><td class=n>{_int(r['replies'])}</td><td class=n>{_pct(r['rate'])}</td></tr>"
        for r in quality["rules"]
    ]
    parts.append("</table>")
    if quality["worst"]:
        parts.append("<h2>Worst replies</h2>")
        parts.append('<p class="muted">Distinct replies with the most errors, then warnings.</p>')
        for w in quality["worst"]:
            findings = "".join(
                f"<li><span class=\"sev-{e(f['severity'])}\">{e(f['severity'])}</span> <b>{e(f['rule'])}</b> "
                f"{e(f['message'])}" + (f" <span class=muted>“{e(f['match'])}”</span>" if f["match"] else "")
                + "</li>"
                for f in w["findings"]
            )
            parts.append(
                f'<div class="worst"><div><b>line {w["line"]}</b> <span class=muted>conversation '
                f"{e(w['conversation'])} · {e(w['author'])} · {_counted(w)}"
                f"</span></div><blockquote>{e(w['text'])}</blockquote><ul>{findings}</ul></div>"
            )
    return parts


def _problems_html(report: dict) -> list[str]:
    e = _e
    parts = ["<h2>Input problems</h2>"]
    skipped, notes = report["skipped"], report["notes"]
    if not skipped:
        parts.append("<p>Nothing was skipped: every line was read.</p>")
    else:
        parts.append("<table><tr><th class=n>count</th><th>skipped</th><th>why</th><th>first lines</th></tr>")
        parts += [f"<tr><td class=n>{_int(s['count'])}</td><td>{e(s['unit'])}s</td><td>{e(s['description'])}"
                  + (f" <span class=muted>(e.g. {e(', '.join(s['examples'][:3]))})</span>" if s.get("examples")
                     else "")
                  + f"</td><td>{e(', '.join(map(str, s['first_lines'])))}</td></tr>" for s in skipped]
        parts.append("</table>")
    if notes:
        parts.append("<table><tr><th class=n>count</th><th>note</th><th>first lines</th></tr>")
        parts += [f"<tr><td class=n>{_int(n['count'])}</td><td>{e(n['description'])}"
                  + (f" <span class=muted>(e.g. {e(', '.join(n['examples'][:3]))})</span>" if n.get("examples")
                     else "")
                  + f"</td><td>{e(', '.join(map(str, n['first_lines'])))}</td></tr>" for n in notes]
        parts.append("</table>")
    return parts


# --- SVG charts ------------------------------------------------------------------------------


def _bin_label(low: float, high: float | None) -> str:
    def short(m: float) -> str:
        if m < 60 or m % 60:
            return f"{m:.0f}m"
        if m < 2880 or m % 1440:
            return f"{m / 60:.0f}h"
        return f"{m / 1440:.0f}d"

    return f"> {short(low)}" if high is None else f"{short(low)}–{short(high)}"


def histogram_svg(bins: list[dict], settings: dict, report: dict) -> str:
    """Bars per first-reply time bin; dashed lines at the targets and the industry average."""
    width, height, left, right, top, bottom = 1000, 300, 56, 16, 34, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((b["count"] for b in bins), default=0) or 1
    step = plot_w / max(len(bins), 1)
    reference = settings["industry_average_minutes"]
    targets = sorted({float(v) for v in (settings.get("targets_used") or {}).values()})
    public_target = float(settings["first_reply_target_minutes"].get("public", 60))
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Histogram of first-reply times" '
           f'xmlns="http://www.w3.org/2000/svg">']
    step_y = _nice_step(peak)
    peak = max(peak, step_y * -(-peak // step_y))  # the axis ends on a tick
    for tick in range(step_y, peak + 1, step_y):
        y = top + plot_h * (1 - tick / peak)
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eef0f3"/>')
        out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="#5b6573">'
                   f"{_int(tick)}</text>")
    for i, b in enumerate(bins):
        x = left + i * step
        h = plot_h * b["count"] / peak
        within = b["to_minutes"] is not None and b["to_minutes"] <= public_target
        colour = "#2f8f5b" if within else ("#d68910" if (b["to_minutes"] or 1e18) <= reference else "#c0392b")
        out.append(f'<rect x="{x + 3:.1f}" y="{top + plot_h - h:.1f}" width="{step - 6:.1f}" height="{h:.1f}" '
                   f'fill="{colour}" rx="2"><title>{_e(_bin_label(b["from_minutes"], b["to_minutes"]))}: '
                   f'{_int(b["count"])}</title></rect>')
        if b["count"]:
            out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 4:.1f}" font-size="11" '
                       f'text-anchor="middle" fill="#1d2430">{_int(b["count"])}</text>')
        out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16:.1f}" font-size="11" text-anchor="middle" '
                   f'fill="#1d2430">{_e(_bin_label(b["from_minutes"], b["to_minutes"]))}</text>')
    out.append(f'<line x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#5b6573"/>')
    edges = [b["from_minutes"] for b in bins]
    marks = [(t, f"target {minutes_to_text(t)}", "#2d6cdf") for t in targets if t in edges]
    marks.append((reference, f"industry average {reference:.0f} min", "#8e44ad"))
    for n, (minutes, label, colour) in enumerate(marks):
        if minutes not in edges:
            continue
        x = left + edges.index(minutes) * step
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 8}" y2="{top + plot_h}" stroke="{colour}" '
                   f'stroke-width="2" stroke-dasharray="6 4"/>')
        out.append(f'<text x="{x + 4:.1f}" y="{top - 12 + (n % 2) * 12:.1f}" font-size="12" fill="{colour}">'
                   f"{_e(label)}</text>")
    out.append("</svg>")
    out.append('<p class="muted">Conversations by time to the first reply (m = minutes, h = hours, d = days). '
               "Green: within the public target; amber: within the industry average; red: slower.</p>")
    never = report["first_reply"]["never_answered"]
    if never:
        out.append(f'<p class="muted">Not in the chart: {_int(never)} conversations never answered.</p>')
    return "".join(out)


def _nice_step(peak: int) -> int:
    """A round tick step (1, 2, 5, 10, 20, 50, ...) giving at most five gridlines."""
    step = 1
    while peak / step > 5:
        for factor in (2, 5, 10):
            if peak / (step * factor) <= 5:
                return step * factor
        step *= 10
    return step


def checklist_svg(items: list[dict]) -> str:
    """One horizontal bar per checklist item: the share of replies that have it."""
    row, left, width = 30, 190, 1000
    bar_w = width - left - 90
    height = row * len(items) + 34
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Checklist rates" '
           f'xmlns="http://www.w3.org/2000/svg">']
    for frac in (0, 0.25, 0.5, 0.75, 1.0):
        x = left + bar_w * frac
        out.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="4" y2="{height - 24}" stroke="#eef0f3"/>')
        out.append(f'<text x="{x:.1f}" y="{height - 8}" font-size="11" text-anchor="middle" fill="#5b6573">'
                   f"{frac * 100:.0f} %</text>")
    for i, item in enumerate(items):
        y = 6 + i * row
        rate = item["rate"] or 0
        colour = "#2f8f5b" if rate >= 0.5 else ("#d68910" if rate >= 0.2 else "#c0392b")
        out.append(f'<text x="{left - 10}" y="{y + 17}" font-size="13" text-anchor="end" fill="#1d2430">'
                   f"{_e(item['label'])}</text>")
        out.append(f'<rect x="{left}" y="{y + 3}" width="{bar_w:.1f}" height="20" fill="#f1f3f6" rx="3"/>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{bar_w * rate:.1f}" height="20" fill="{colour}" rx="3">'
                   f"<title>{_e(item['label'])}: {_int(item['count'])}</title></rect>")
        out.append(f'<text x="{left + bar_w + 8}" y="{y + 18}" font-size="13" fill="#1d2430">'
                   f'{_pct(item["rate"])}</text>')
    out.append("</svg>")
    return "".join(out)


def gap_svg(gap: dict) -> str:
    """Two small panels: median first reply and reply rate, public next to private."""
    width, height = 1000, 230
    sides = [("public", "#c0392b"), ("private", "#2d6cdf")]
    medians = [gap[s]["median_minutes"] for s, _ in sides]
    peak = max((m for m in medians if m is not None), default=0) or 1
    out = [f'<svg viewBox="0 0 {width} {height}" role="img" aria-label="Loudness gap" '
           f'xmlns="http://www.w3.org/2000/svg">']
    panels = [("median first reply", lambda s: gap[s]["median_minutes"], lambda v: v / peak, minutes_to_text),
              ("reply rate", lambda s: gap[s]["reply_rate"], lambda v: v, _pct)]
    for p, (title, value_of, scale, label) in enumerate(panels):
        x0 = 40 + p * 490
        out.append(f'<text x="{x0}" y="20" font-size="14" font-weight="600" fill="#1d2430">{_e(title)}</text>')
        for i, (side, colour) in enumerate(sides):
            y = 40 + i * 80
            value = value_of(side)
            count = gap[side]["conversations"]
            out.append(f'<text x="{x0}" y="{y + 16}" font-size="13" fill="#1d2430">{side} '
                       f'<tspan fill="#5b6573">({_int(count)} conversations)</tspan></text>')
            out.append(f'<rect x="{x0}" y="{y + 24}" width="380" height="26" fill="#f1f3f6" rx="3"/>')
            if value is None:
                out.append(f'<text x="{x0 + 8}" y="{y + 42}" font-size="13" fill="#5b6573">no data</text>')
                continue
            out.append(f'<rect x="{x0}" y="{y + 24}" width="{380 * scale(value):.1f}" height="26" fill="{colour}" '
                       f'rx="3"/>')
            out.append(f'<text x="{x0 + 388}" y="{y + 42}" font-size="13" fill="#1d2430">{_e(label(value))}</text>')
    out.append("</svg>")
    return "".join(out)
