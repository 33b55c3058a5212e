"""Time in a draft: how long the customer has waited, and when the promised update comes."""

from __future__ import annotations

from datetime import datetime, timedelta

from replycoach.core.errors import UserError
from replycoach.playbook.model import Playbook
from replycoach.reply.context import target_minutes

FOLLOW_UP_HOURS = 3  # a promised update comes a few hours out, within the working day ...
WORKDAY = (8, 18)  # ... or at noon the next day when that would fall outside it
NEXT_DAY_HOUR = 12
FUTURE_TOLERANCE = timedelta(minutes=5)  # clocks disagree a little; a received_at beyond that is a typo


def timing(case, playbook: Playbook, now: datetime, source: str) -> dict:
    """How long the customer has waited, against the playbook's target for the channel."""
    visibility = "public" if case.public else "private"
    target = target_minutes(playbook.settings.get("first_reply_target_minutes", {}), case.channel, visibility)
    received = case.complaint.received_at
    clock = {"received_at": received.isoformat() if received else None, "minutes_waiting": None,
             "target_minutes": target, "late": False, "sent_at": now.isoformat()}
    if received is None:
        return clock
    waited = now - received
    if waited < -FUTURE_TOLERANCE:
        raise UserError(f"complaint.received_at: is later than now ({now.isoformat(timespec='minutes')}); "
                        "set `now` or check the date", source)
    minutes = max(waited.total_seconds() / 60, 0.0)
    clock["minutes_waiting"] = round(minutes, 1)
    clock["late"] = minutes > target
    return clock


def moment(value, now: datetime) -> dict:
    """A time the templates can word in their own language: free text, or day + time parts."""
    if isinstance(value, str):
        return {"text": value, "day": None, "time": None, "weekday": None, "date": None}
    if isinstance(value, datetime):
        local = value.astimezone(now.tzinfo) if now.tzinfo else value
        day, clock = local.date(), local.strftime("%H:%M")
    else:
        day, clock = value, None
    delta = (day - now.date()).days
    if delta == 0:
        relation = "today"
    elif delta == 1:
        relation = "tomorrow"
    elif 1 < delta < 7:
        relation = "weekday"
    else:
        relation = "date"
    return {"text": None, "day": relation, "time": clock, "weekday": day.weekday(),
            "date": day.isoformat(), "day_of_month": day.day, "month": day.month}


def follow_up_time(now: datetime) -> datetime:
    """When a draft without a resolution promises the next update: soon, but within the working day."""
    start, end = WORKDAY
    if now.hour < start:
        return now.replace(hour=NEXT_DAY_HOUR, minute=0, second=0, microsecond=0)
    later = (now + timedelta(hours=FOLLOW_UP_HOURS, minutes=59)).replace(minute=0, second=0, microsecond=0)
    if later.date() != now.date() or later.hour > end:
        next_day = now + timedelta(days=1)
        return next_day.replace(hour=NEXT_DAY_HOUR, minute=0, second=0, microsecond=0)
    return later


def describe_time(moment_: datetime, now: datetime) -> str:
    """A time for the coaching (in English, like the rest of the tool's own messages)."""
    days = (moment_.date() - now.date()).days
    day = "today" if days == 0 else "tomorrow" if days == 1 else moment_.strftime("%A")
    return f"{moment_.strftime('%H:%M')} {day}"
