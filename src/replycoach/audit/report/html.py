"""An audit as one self-contained HTML file: no JavaScript, nothing fetched, every user text escaped."""

from __future__ import annotations

from replycoach.audit.figures import minutes_to_text
from replycoach.audit.report.charts import checklist_svg, gap_svg, histogram_svg
from replycoach.audit.report.wording import (
    VISIBILITY_LABEL,
    counted,
    esc,
    gap_sentence,
    number,
    pct,
    reference_verdict,
    targets_text,
)

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
    e = esc
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Reply audit: {e(inp['path'])}</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>How fast and how well we answer</h1>",
        f'<p class="sub">Audit of <b>{e(inp["path"])}</b>: {number(inp["conversations"])} conversations, '
        f"{number(inp['messages'])} messages ({number(inp['customer_messages'])} from customers, "
        f"{number(inp['agent_messages'])} from agents). Playbook <b>{e(settings['playbook'])}</b>.</p>",
        '<div class="cards">',
        _card(minutes_to_text(first["median_minutes"]), "median first reply"),
        _card(minutes_to_text(first["p90_minutes"]), "90th percentile"),
        _card(minutes_to_text(first["mean_minutes"]), "mean (pulled by the slowest)"),
        _card(pct(first["within_target_share"]), "answered within target"),
        _card(number(first["never_answered"]), "never answered"),
        _card(f"{reference:.0f} min", "industry average (reference)"),
        "</div>",
        f"<p>{e(reference_verdict(first, reference)).capitalize()}. First reply = the first agent message after "
        f"the customer's first message. Targets from the playbook: {e(targets_text(settings))}; a conversation "
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


def _card(value: str, label: str) -> str:
    return f'<div class="card"><div class="v">{esc(value)}</div><div class="k">{esc(label)}</div></div>'


def _group_html(groups: dict, title: str, labels: dict | None = None) -> str:
    rows = "".join(
        f"<tr><td>{esc((labels or {}).get(k, k))}</td><td class=n>{number(g['conversations'])}</td>"
        f"<td class=n>{esc(minutes_to_text(g['median_minutes']))}</td>"
        f"<td class=n>{esc(minutes_to_text(g['p90_minutes']))}</td>"
        f"<td class=n>{esc(minutes_to_text(g['mean_minutes']))}</td>"
        f"<td class=n>{pct(g['reply_rate'])}</td><td class=n>{pct(g['within_target_share'])}</td></tr>"
        for k, g in groups.items()
    )
    return (f"<table><tr><th>{esc(title)}</th><th class=n>conversations</th><th class=n>median</th>"
            f"<th class=n>p90</th><th class=n>mean</th><th class=n>reply rate</th>"
            f"<th class=n>within target</th></tr>{rows}</table>")


def _authors_html(authors: list[dict], total: int) -> str:
    rows = "".join(
        f"<tr><td>{esc(a['author'])}</td><td class=n>{number(a['first_replies'])}</td>"
        f"<td class=n>{number(a['replies'])}</td>"
        f"<td class=n>{esc(minutes_to_text(a['median_minutes']))}</td>"
        f"<td class=n>{esc(minutes_to_text(a['p90_minutes']))}</td>"
        f"<td class=n>{pct(a.get('with_errors_share'))}</td>"
        f"<td class=n>{pct((a.get('checklist_rates') or {}).get('apology'))}</td></tr>"
        for a in authors
    )
    note = f'<p class="muted">Top {len(authors)} of {total} authors.</p>' if total > len(authors) else ""
    return (f"<table><tr><th>Author</th><th class=n>first replies</th><th class=n>replies</th><th class=n>median</th>"
            f"<th class=n>p90</th><th class=n>replies with errors</th><th class=n>apologise</th></tr>{rows}</table>"
            f"{note}")


def _quality_html(quality: dict) -> list[str]:
    e = esc
    parts = [
        "<h2>Reply quality: the checklist</h2>",
        f"<p>{number(quality['linted'])} agent replies linted with the playbook"
        + (f" ({number(quality['not_linted'])} not linted, see the notes below)" if quality["not_linted"] else "")
        + f"; {pct(quality['replies_with_errors_share'])} of them have at least one error.</p>",
        checklist_svg(quality["checklist"]),
        "<h2>Rules that fired</h2>",
        "<table><tr><th>Rule</th><th>Code</th><th>Severity</th><th class=n>replies</th><th class=n>share</th></tr>",
    ]
    parts += [
        f"<tr><td>{e(r['rule'])}</td><td>{e(r['code'])}</td>"
        f"<td class=\"sev-{e(r['severity'])}\">{e(' / '.join(r['severities']))}"
        f"</td><td class=n>{number(r['replies'])}</td><td class=n>{pct(r['rate'])}</td></tr>"
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
                f"{e(w['conversation'])} · {e(w['author'])} · {counted(w)}"
                f"</span></div><blockquote>{e(w['text'])}</blockquote><ul>{findings}</ul></div>"
            )
    return parts


def _problems_html(report: dict) -> list[str]:
    e = esc
    parts = ["<h2>Input problems</h2>"]
    skipped, notes = report["skipped"], report["notes"]
    if not skipped:
        parts.append("<p>Nothing was skipped: every line was read.</p>")
    else:
        parts.append("<table><tr><th class=n>count</th><th>skipped</th><th>why</th><th>first lines</th></tr>")
        parts += [f"<tr><td class=n>{number(s['count'])}</td><td>{e(s['unit'])}s</td><td>{e(s['description'])}"
                  + (f" <span class=muted>(e.g. {e(', '.join(s['examples'][:3]))})</span>" if s.get("examples")
                     else "")
                  + f"</td><td>{e(', '.join(map(str, s['first_lines'])))}</td></tr>" for s in skipped]
        parts.append("</table>")
    if notes:
        parts.append("<table><tr><th class=n>count</th><th>note</th><th>first lines</th></tr>")
        parts += [f"<tr><td class=n>{number(n['count'])}</td><td>{e(n['description'])}"
                  + (f" <span class=muted>(e.g. {e(', '.join(n['examples'][:3]))})</span>" if n.get("examples")
                     else "")
                  + f"</td><td>{e(', '.join(map(str, n['first_lines'])))}</td></tr>" for n in notes]
        parts.append("</table>")
    return parts
