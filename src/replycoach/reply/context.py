"""The situation a reply answers, merged from config, front matter and flags.

Rules say when they apply in terms of these keys, so a key that is not known gets the
common case (a first public reply to a complaint) and is recorded as *assumed*: the output
shows what was assumed, so a user can see why a rule did or did not fire.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import NamedTuple

from replycoach.core import regexcache
from replycoach.core.errors import UserError

PUBLIC_CHANNELS = frozenset(
    {"twitter", "x", "facebook", "instagram", "tiktok", "review", "youtube", "linkedin", "forum", "threads"}
)
PRIVATE_CHANNELS = frozenset({"email", "chat", "sms", "phone", "dm", "whatsapp", "messenger", "ticket"})
CHANNELS = PUBLIC_CHANNELS | PRIVATE_CHANNELS
LANGUAGE_CODE = regexcache.compile(r"^[a-z]{2,3}$")

CHOICES: dict[str, frozenset[str]] = {
    "channel": CHANNELS,
    "visibility": frozenset({"public", "private"}),
    "kind": frozenset({"complaint", "question", "outage", "off-topic", "praise"}),
    "tone": frozenset({"calm", "angry", "abusive", "ultimatum", "unknown"}),
    "fault": frozenset({"company", "customer", "third_party", "unknown"}),
    "stage": frozenset({"first", "follow-up", "resolution"}),
}
DEFAULTS = {"kind": "complaint", "stage": "first", "fault": "unknown", "tone": "unknown", "visibility": "public"}
KEYS = ("language", "channel", "visibility", "kind", "tone", "fault", "stage", "received_at", "sent_at", "template",
        "needs_details", "in_reply_to")
MAX_MESSAGE = 20_000  # characters of the customer's message that are read
ALIASES = {"third-party": "third_party", "followup": "follow-up", "follow_up": "follow-up", "first_reply": "first",
           "first-reply": "first", "offtopic": "off-topic", "off_topic": "off-topic"}


class Context(NamedTuple):
    language: str = ""
    channel: str = ""
    visibility: str = "public"
    kind: str = "complaint"
    tone: str = "unknown"
    fault: str = "unknown"
    stage: str = "first"
    template: bool = False
    received_at: datetime | None = None
    sent_at: datetime | None = None
    late: bool = False
    minutes_waiting: float | None = None
    assumed: tuple[str, ...] = ()
    needs_details: bool | None = None  # the message gives nothing concrete to act on (None: not known)
    inferred: tuple[str, ...] = ()  # keys read from the customer's message, not given

    def value(self, key: str):
        return getattr(self, key)

    def to_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("language", "channel", "visibility", "kind", "tone", "fault", "stage")}
        out["channel"] = out["channel"] or None
        if self.template:
            out["template"] = True
        for key in ("received_at", "sent_at"):
            if getattr(self, key):
                out[key] = getattr(self, key).isoformat()
        if self.minutes_waiting is not None:
            out["minutes_waiting"] = round(self.minutes_waiting, 1)
            out["late"] = self.late
        if self.needs_details is not None:
            out["needs_details"] = self.needs_details
        if self.inferred:
            out["from_message"] = list(self.inferred)
        out["assumed"] = list(self.assumed)
        return out

    def with_language(self, language: str, detected: bool) -> Context:
        assumed = (*self.assumed, "language") if detected and "language" not in self.assumed else self.assumed
        return self._replace(language=language, assumed=assumed)


def normalise(raw: dict, where: str) -> dict:
    """Check one layer's keys and values; unknown keys and values are user errors."""
    out: dict = {}
    for key, value in raw.items():
        if value is None:
            continue
        key = str(key).replace("-", "_") if str(key) not in KEYS else str(key)
        if key not in KEYS:
            raise UserError(f"unknown context key {_excerpt(key)} (expected one of: {', '.join(KEYS)})", where)
        if not isinstance(value, str | int | float | bool | datetime | date):
            # a list or mapping (perhaps a YAML alias expanding a thousandfold): never turned into text
            raise UserError(f"{key} must be a single value, not {_excerpt(value)}", where)
        if key in ("received_at", "sent_at"):
            out[key] = parse_time(value, where, key)
            continue
        if key == "template":
            if not isinstance(value, bool):
                raise UserError(f"template must be true or false (got {_excerpt(value)})", where)
            out[key] = value
            continue
        if key == "needs_details":
            if not isinstance(value, bool):
                raise UserError(f"needs_details must be true or false (got {value!r})", where)
            out[key] = value
            continue
        if key == "in_reply_to":
            if not isinstance(value, str):
                raise UserError("in_reply_to must be the customer's message, as text", where)
            if value.strip():
                out[key] = value[:MAX_MESSAGE]
            continue
        text = str(value).strip().lower()
        text = ALIASES.get(text, text)
        if key == "language":
            if not LANGUAGE_CODE.match(text):
                raise UserError(f"invalid language code {_excerpt(value)} (expected e.g. en, pl, bg)", where)
        elif text not in CHOICES[key]:
            raise UserError(f"unknown {key} {_excerpt(value)} (expected one of: {', '.join(sorted(CHOICES[key]))})",
                            where)
        out[key] = text
    if "received_at" in out and "sent_at" in out and out["sent_at"] < out["received_at"]:
        raise UserError(f"sent_at ({out['sent_at'].isoformat()}) is before received_at "
                        f"({out['received_at'].isoformat()}): a reply cannot come before the message", where)
    return out


def _excerpt(value, limit: int = 60) -> str:
    """A bad value as an error shows it: short, whatever it is (a long list, a nested alias)."""
    try:
        text = repr(value) if isinstance(value, str | int | float | bool) else f"<a {type(value).__name__}>"
    except RecursionError:
        text = "<nested too deeply>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def iso_moment(text: str) -> datetime:
    """An ISO-8601 time as an aware datetime; a time without a zone is taken as UTC.

    One parser for every place a user gives a time (front matter, flags, case files), so
    they all accept and reject the same spellings. Raises ValueError.
    """
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_time(value, where: str, key: str) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        return iso_moment(str(value))
    except ValueError:
        raise UserError(f"{key} {_excerpt(value)} is not an ISO-8601 time (e.g. 2024-05-01T14:30:00Z)", where) from None


def resolve(layers: list[dict], targets: dict[str, int] | None = None) -> Context:
    """Merge normalised layers, later ones winning, and fill the rest with the common case."""
    merged: dict = {}
    for layer in layers:
        merged.update(layer)
    assumed = []
    if "visibility" not in merged:
        channel = merged.get("channel")
        if channel in PRIVATE_CHANNELS:
            merged["visibility"] = "private"
        elif channel in PUBLIC_CHANNELS:
            merged["visibility"] = "public"
    for key, default in DEFAULTS.items():
        if key not in merged:
            merged[key] = default
            if key != "tone":
                assumed.append(key)
    received, sent = merged.get("received_at"), merged.get("sent_at")
    if received and sent:
        if sent < received:
            raise UserError(f"sent_at ({sent.isoformat()}) is before received_at ({received.isoformat()}): "
                            "a reply cannot come before the message", "context")
        minutes = (sent - received).total_seconds() / 60
        merged["minutes_waiting"] = minutes
        merged["late"] = minutes > target_minutes(targets or {}, merged.get("channel", ""), merged["visibility"])
    merged.pop("in_reply_to", None)  # read by the engine before resolving: not a judging key
    return Context(**merged, assumed=tuple(assumed))


def target_minutes(targets: dict[str, int], channel: str, visibility: str) -> int:
    """The playbook's first-reply target for a channel, falling back by visibility."""
    if channel in targets:
        return targets[channel]
    return targets.get(visibility, 60 if visibility == "public" else 24 * 60)
