"""Shared wording of an audit's figures: percentages, counts, durations, the headline sentences."""

from __future__ import annotations

from html import escape

from replycoach.audit.figures import minutes_to_text

VISIBILITY_LABEL = {"public": "public", "private": "private", "unknown": "unknown visibility"}


def pct(share: float | None) -> str:
    return "n/a" if share is None else f"{share * 100:.1f} %"


def number(n: int) -> str:
    return f"{n:,}"


def targets_text(settings: dict) -> str:
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
    rates = (f"reply rate {pct(pub['reply_rate'])} public vs {pct(priv['reply_rate'])} private")
    return f"{speed}; {rates}."


def esc(value) -> str:
    return escape(str(value), quote=True)


def where(item: dict) -> str:
    parts = []
    if item.get("first_lines"):
        more = ", ..." if item["count"] > len(item["first_lines"]) else ""
        parts.append(f"line{'s' if len(item['first_lines']) > 1 else ''} "
                     f"{', '.join(map(str, item['first_lines']))}{more}")
    if item.get("examples"):
        parts.append("e.g. " + ", ".join(item["examples"][:3]))
    return f"  ({'; '.join(parts)})" if parts else ""


def counted(worst: dict) -> str:
    parts = [f"{worst[k]} {k[:-1] if worst[k] == 1 else k}" for k in ("errors", "warnings", "infos") if worst[k]]
    return ", ".join(parts)


def clip(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"
