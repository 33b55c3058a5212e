"""The audit's charts as SVG written by hand.

No charting dependency to install, no JavaScript to run or block, nothing fetched from the
network: the file prints, converts to PDF and survives being e-mailed to a manager as it is.
"""

from __future__ import annotations

from replycoach.audit.figures import minutes_to_text
from replycoach.audit.report.wording import (
    esc,
    number,
    pct,
)


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
                   f"{number(tick)}</text>")
    for i, b in enumerate(bins):
        x = left + i * step
        h = plot_h * b["count"] / peak
        within = b["to_minutes"] is not None and b["to_minutes"] <= public_target
        colour = "#2f8f5b" if within else ("#d68910" if (b["to_minutes"] or 1e18) <= reference else "#c0392b")
        out.append(f'<rect x="{x + 3:.1f}" y="{top + plot_h - h:.1f}" width="{step - 6:.1f}" height="{h:.1f}" '
                   f'fill="{colour}" rx="2"><title>{esc(_bin_label(b["from_minutes"], b["to_minutes"]))}: '
                   f'{number(b["count"])}</title></rect>')
        if b["count"]:
            out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h - h - 4:.1f}" font-size="11" '
                       f'text-anchor="middle" fill="#1d2430">{number(b["count"])}</text>')
        out.append(f'<text x="{x + step / 2:.1f}" y="{top + plot_h + 16:.1f}" font-size="11" text-anchor="middle" '
                   f'fill="#1d2430">{esc(_bin_label(b["from_minutes"], b["to_minutes"]))}</text>')
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
                   f"{esc(label)}</text>")
    out.append("</svg>")
    out.append('<p class="muted">Conversations by time to the first reply (m = minutes, h = hours, d = days). '
               "Green: within the public target; amber: within the industry average; red: slower.</p>")
    never = report["first_reply"]["never_answered"]
    if never:
        out.append(f'<p class="muted">Not in the chart: {number(never)} conversations never answered.</p>')
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
                   f"{esc(item['label'])}</text>")
        out.append(f'<rect x="{left}" y="{y + 3}" width="{bar_w:.1f}" height="20" fill="#f1f3f6" rx="3"/>')
        out.append(f'<rect x="{left}" y="{y + 3}" width="{bar_w * rate:.1f}" height="20" fill="{colour}" rx="3">'
                   f"<title>{esc(item['label'])}: {number(item['count'])}</title></rect>")
        out.append(f'<text x="{left + bar_w + 8}" y="{y + 18}" font-size="13" fill="#1d2430">'
                   f'{pct(item["rate"])}</text>')
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
              ("reply rate", lambda s: gap[s]["reply_rate"], lambda v: v, pct)]
    for p, (title, value_of, scale, label) in enumerate(panels):
        x0 = 40 + p * 490
        out.append(f'<text x="{x0}" y="20" font-size="14" font-weight="600" fill="#1d2430">{esc(title)}</text>')
        for i, (side, colour) in enumerate(sides):
            y = 40 + i * 80
            value = value_of(side)
            count = gap[side]["conversations"]
            out.append(f'<text x="{x0}" y="{y + 16}" font-size="13" fill="#1d2430">{side} '
                       f'<tspan fill="#5b6573">({number(count)} conversations)</tspan></text>')
            out.append(f'<rect x="{x0}" y="{y + 24}" width="380" height="26" fill="#f1f3f6" rx="3"/>')
            if value is None:
                out.append(f'<text x="{x0 + 8}" y="{y + 42}" font-size="13" fill="#5b6573">no data</text>')
                continue
            out.append(f'<rect x="{x0}" y="{y + 24}" width="{380 * scale(value):.1f}" height="26" fill="{colour}" '
                       f'rx="3"/>')
            out.append(f'<text x="{x0 + 388}" y="{y + 42}" font-size="13" fill="#1d2430">{esc(label(value))}</text>')
    out.append("</svg>")
    return "".join(out)
