"""The case file `replycoach draft` works from: schema, loading, and errors a user can act on.

A case says what happened and what the company will do about it; the draft is only as good
as the case. So a case is validated strictly (an unknown key is most likely a typo that would
otherwise silently drop, say, the compensation), and every problem is reported as one line
naming the file and the field: `case.yaml: complaint.text: required unless kind is outage`.

pydantic is imported here, and this module is imported only by the draft command.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, field_validator

from replycoach.core.errors import UserError
from replycoach.draft.case_errors import describe, nesting_problem
from replycoach.reply.context import ALIASES, CHANNELS, PRIVATE_CHANNELS, PUBLIC_CHANNELS, iso_moment

MAX_CASE_BYTES = 1_000_000
MAX_TEXT = 20_000
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
HANDLE = re.compile(r"^@?[\w.]{1,50}$")
ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
ISO_TIME = re.compile(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d(:\d\d(\.\d+)?)?([Zz]|[+-]\d\d(:?\d\d)?)?")


def _lower(value):
    if isinstance(value, str):
        text = value.strip().lower()
        return ALIASES.get(text, text)
    return value


def _text(value):
    """Strings are stripped; an empty string means 'not given'. Numbers are not text."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _moment(value):
    """YAML gives datetimes as objects, JSON as strings; a bare number is not a time."""
    if isinstance(value, bool | int | float):
        raise ValueError("expected an ISO-8601 time such as 2024-05-01T14:30:00Z, not a number")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        raise ValueError("expected a date and time such as 2024-05-01T14:30:00Z, not just a date")
    if isinstance(value, str):
        try:
            moment = iso_moment(value)
        except ValueError as exc:
            text = value.strip()
            if ISO_TIME.fullmatch(text) or ISO_DATE.fullmatch(text):  # the right shape, impossible numbers
                what = "date and time" if ISO_TIME.fullmatch(text) else "date"
                raise ValueError(f"{text!r} is not a real {what}: {exc}") from None
            raise ValueError(f"expected an ISO-8601 time such as 2024-05-01T14:30:00Z (got {value!r})") from None
        if len(value.strip()) <= 10:
            raise ValueError("expected a date and time such as 2024-05-01T14:30:00Z, not just a date")
        return moment
    return value


def _eta(value):
    """An ETA is free text ("by Friday") or an ISO date or date-time the template words."""
    if isinstance(value, bool | int | float):
        raise ValueError("expected text such as \"by Friday noon\" or an ISO-8601 time, not a number")
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if ISO_DATE.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError as exc:
                raise ValueError(f"{text!r} is not a real date: {exc}") from None
        if re.match(r"\d{4}-\d\d-\d\d[T ]\d", text):
            return _moment(text)
        return text
    return value


def _order_id(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):  # YAML reads `order_id: 48213` as a number
        return str(value)
    return _text(value)


Text = Annotated[str | None, BeforeValidator(_text)]
Moment = Annotated[datetime | None, BeforeValidator(_moment)]


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_max_length=MAX_TEXT)


class Customer(Part):
    name: Text = None
    handle: Text = None
    email: Text = None  # personal data: never printed in a public reply
    phone: Text = None  # personal data: never printed in a public reply

    @field_validator("handle")
    @classmethod
    def _handle(cls, v):
        if v is not None and not HANDLE.match(v):
            raise ValueError(f"expected a handle such as @anna_k (got {v!r})")
        return v

    @field_validator("email")
    @classmethod
    def _email(cls, v):
        if v is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v):
            raise ValueError(f"expected an e-mail address (got {v!r})")
        return v

    @field_validator("phone")
    @classmethod
    def _phone(cls, v):
        if v is not None and not re.fullmatch(r"\+?[\d ().-]{6,25}", v):
            raise ValueError(f"expected a phone number such as +48 601 234 567 (got {v!r})")
        return v

    @property
    def first_name(self) -> str | None:
        return self.name.split()[0] if self.name else None


class Complaint(Part):
    text: Text = None
    received_at: Moment = None


class Issue(Part):
    summary: Text = None
    order_id: Annotated[str | None, BeforeValidator(_order_id)] = None


class Resolution(Part):
    action: str
    eta: Annotated[str | datetime | date | None, BeforeValidator(_eta)] = None

    @field_validator("action", mode="before")
    @classmethod
    def _action(cls, v):
        v = _text(v)
        if v is None:
            raise ValueError("required: what you will do, in the first person (\"I'll send a new pair\")")
        return v


class Compensation(Part):
    offer: str

    @field_validator("offer", mode="before")
    @classmethod
    def _offer(cls, v):
        v = _text(v)
        if v is None:
            raise ValueError("required: what you offer, e.g. \"a 20% discount on your next order\"")
        return v


class PrivateChannel(Part):
    kind: Annotated[Literal["dm", "email", "phone", "form"], BeforeValidator(_lower)] = "dm"
    address: Text = None


class Agent(Part):
    name: str

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, v):
        v = _text(v)
        if v is None:
            raise ValueError("required: the name the reply is signed with")
        return v

    @property
    def first_name(self) -> str:
        return self.name.split()[0]


Channel = Literal[tuple(sorted(CHANNELS))]  # type: ignore[valid-type]


class Case(Part):
    """One complaint and what the company will do about it (see docs/draft.md)."""

    channel: Annotated[Channel, BeforeValidator(_lower)]
    visibility: Annotated[Literal["public", "private"] | None, BeforeValidator(_lower)] = None
    language: Annotated[str | None, BeforeValidator(_lower)] = None
    kind: Annotated[Literal["complaint", "question", "outage", "off-topic", "praise"] | None,
                    BeforeValidator(_lower)] = None
    customer: Customer = Customer()
    complaint: Complaint = Complaint()
    issue: Issue = Issue()
    fault: Annotated[Literal["company", "customer", "third_party", "unknown"], BeforeValidator(_lower)] = "unknown"
    resolution: Resolution | None = None
    compensation: Compensation | None = None
    private_channel: PrivateChannel | None = None
    agent: Agent | None = None
    now: Moment = None

    @field_validator("language")
    @classmethod
    def _language(cls, v):
        if v is not None and not LANGUAGE_CODE.match(v):
            raise ValueError(f"expected a language code: en, pl or bg (got {v!r})")
        return v

    @property
    def public(self) -> bool:
        if self.visibility:
            return self.visibility == "public"
        return self.channel in PUBLIC_CHANNELS or self.channel not in PRIVATE_CHANNELS

    def personal_data(self) -> dict[str, str]:
        """The case's own personal data, by the signal that would find it in text."""
        found = {}
        if self.issue.order_id:
            found["order-number"] = self.issue.order_id
        if self.customer.email:
            found["email-address"] = self.customer.email
        if self.customer.phone:
            found["phone-number"] = self.customer.phone
        return found


# --- loading --------------------------------------------------------------------------------


def load_case(path: str) -> Case:
    """Read and validate a case file (JSON or YAML; `-` is stdin)."""
    data, where = load_case_data(path)
    return validate_case(data, where)


def load_case_data(path: str) -> tuple[object, str]:
    """The parsed but not yet validated content of a case file, and the name to report it by."""
    import sys

    where = "<stdin>" if path == "-" else path
    if path == "-":
        text = sys.stdin.read(MAX_CASE_BYTES + 1)
    else:
        file = Path(path)
        if not file.exists():
            raise UserError("case file not found", where)
        if file.is_dir():
            raise UserError("is a directory, expected a case file (JSON or YAML)", where)
        try:
            if file.stat().st_size > MAX_CASE_BYTES:
                raise UserError(f"case file is larger than {MAX_CASE_BYTES // 1000} kB; is this really a case?", where)
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError("not UTF-8 text; save the case as UTF-8", where) from None
        except OSError as exc:
            raise UserError(f"cannot read: {exc.strerror or exc}", where) from None
    if len(text) > MAX_CASE_BYTES:
        raise UserError(f"case is larger than {MAX_CASE_BYTES // 1000} kB", where)
    return parse_case_text(text, where), where


def parse_case_text(text: str, where: str):
    if not text.strip():
        raise UserError("the case file is empty (expected JSON or YAML with at least `channel`)", where)
    named_yaml = where.lower().endswith((".yaml", ".yml"))
    if where.lower().endswith(".json") or (text.lstrip().startswith("{") and not named_yaml):
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise UserError(f"invalid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}", where) from None
        except RecursionError:
            raise UserError("nested too deeply to read; a case is a few levels deep", where) from None
    from replycoach.core.yamlio import load_yaml

    return load_yaml(text, where)


def validate_case(data, where: str) -> Case:
    if not isinstance(data, dict):
        got = "a list" if isinstance(data, list) else f"{type(data).__name__}"
        raise UserError(f"expected a mapping of case fields (channel, complaint, ...), got {got}", where)
    problem = nesting_problem(data)  # before anything walks it: pydantic, or the `_comment` filter below
    if problem:
        raise UserError(problem, where)
    data = {k: v for k, v in data.items() if not str(k).startswith("_")}  # `_comment` keys: notes in JSON
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        raise UserError(describe(exc, Case), where) from None
    if case.kind != "outage" and not case.complaint.text:
        raise UserError("complaint.text: required unless kind is outage (what the customer wrote)", where)
    if case.complaint.received_at and case.now and case.complaint.received_at > case.now:
        raise UserError(f"complaint.received_at: is later than now ({case.now.isoformat()})", where)
    return case
