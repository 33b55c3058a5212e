"""First-reply figures: exact quantiles, per-slice tallies, the histogram, durations in words.

What is kept per conversation is one float, the first-reply time, in a compact `array('d')`
per split (8 bytes each): exact medians and percentiles are worth that, and it is still
~32 MB for a million conversations. A streaming sketch would have bounded memory further
but made the figures approximate, which a lead comparing their team to the 157-minute
reference should not have to doubt.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from datetime import timedelta

HISTOGRAM_EDGES = (0, 15, 30, 60, 120, 240, 480, 1440, 2880, 10080)


def quantile(values: list[float] | array, p: float) -> float | None:
    """The p-quantile of *sorted* values by linear interpolation between closest ranks.

    This is Hyndman & Fan's type 7: numpy's default, Excel's PERCENTILE.INC, and
    `statistics.quantiles(method="inclusive")`. The median of an even count is the mean
    of the two middle values.
    """
    n = len(values)
    if n == 0:
        return None
    position = (n - 1) * p
    low = int(position)
    high = min(low + 1, n - 1)
    return values[low] + (values[high] - values[low]) * (position - low)


class Group:
    """First-reply figures of one slice of the conversations (a channel, weekends, ...)."""

    __slots__ = ("answered", "conversations", "minutes", "within_reference", "within_target")

    def __init__(self) -> None:
        self.conversations = 0
        self.answered = 0
        self.within_target = 0
        self.within_reference = 0
        self.minutes = array("d")

    def add(self, minutes: float | None, target: float, reference: float) -> None:
        self.conversations += 1
        if minutes is None:
            return
        self.answered += 1
        self.minutes.append(minutes)
        self.within_target += minutes <= target
        self.within_reference += minutes <= reference

    def summary(self, with_rate: bool = True, ordered: list[float] | None = None) -> dict:
        values = ordered if ordered is not None else sorted(self.minutes)
        out = {
            "conversations": self.conversations,
            "answered": self.answered,
            "never_answered": self.conversations - self.answered,
            "reply_rate": _share(self.answered, self.conversations),
            "median_minutes": _round(quantile(values, 0.5)),
            "p90_minutes": _round(quantile(values, 0.9)),
            "mean_minutes": _round(sum(values) / len(values)) if values else None,
            "within_target": self.within_target,
            "within_target_share": _share(self.within_target, self.conversations),
            "within_industry_average_share": _share(self.within_reference, self.conversations),
        }
        if not with_rate:
            for key in ("conversations", "never_answered", "reply_rate"):
                out.pop(key)
            out["within_target_share"] = _share(self.within_target, self.answered)
            out["within_industry_average_share"] = _share(self.within_reference, self.answered)
        return out


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def histogram(minutes: list[float], marks: Iterable[float]) -> list[dict]:
    """Counts per bin; the targets and the industry reference are bin edges, so the chart can mark them."""
    from bisect import bisect_right

    edges = sorted(set(HISTOGRAM_EDGES) | {int(m) if float(m).is_integer() else m for m in marks if m and m > 0})
    counts = [0] * len(edges)
    for value in minutes:
        counts[bisect_right(edges, value) - 1 if value >= 0 else 0] += 1
    out = []
    for i, low in enumerate(edges):
        high = edges[i + 1] if i + 1 < len(edges) else None
        out.append({"from_minutes": low, "to_minutes": high, "count": counts[i]})
    return out


def minutes_to_text(minutes: float | None) -> str:
    """A duration as people say it: 45 min, 2 h 05 min, 3 d 4 h."""
    if minutes is None:
        return "n/a"
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    if minutes < 100:
        return f"{minutes:.0f} min"
    delta = timedelta(minutes=round(minutes))
    hours, rest = delta.days * 24 + delta.seconds // 3600, delta.seconds // 60 % 60
    if hours < 48:
        return f"{hours} h {rest:02d} min" if rest else f"{hours} h"
    return f"{delta.days} d {delta.seconds // 3600} h" if delta.seconds // 3600 else f"{delta.days} d"
