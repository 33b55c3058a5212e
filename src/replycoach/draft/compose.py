"""Drafting: from a validated case to a reply that passes its own playbook, plus coaching.

The steps are the architecture's data flow: triage picks the situation, a sandboxed Jinja
template per situation and language words the reply, and the reply is linted by the same
engine as `replycoach lint`, under the context the case implies (including the time it is
sent, so a late reply must own the wait). The templates choose between several phrasings
per part with a stable hash of the customer and the complaint, so the same case always
drafts the same reply while different customers get different wording (seed 001: one
formula pasted to everyone is no answer).

What the Python side guarantees, whatever a template says: personal data (order id, the
customer's e-mail and phone) is never handed to a template for a public reply, and a
rendered public reply that still contains it is refused. Wording stays in the templates;
nothing here knows a rule by name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from replycoach.core.diagnostic import Diagnostic, Severity
from replycoach.core.errors import UserError
from replycoach.draft.channels import contains, private_channel, shows
from replycoach.draft.clock import follow_up_time, moment, timing
from replycoach.draft.coaching import case_notes
from replycoach.kinds import kind_of
from replycoach.playbook.loader import Playbook
from replycoach.triage import Triage, triage

LETTER_CHANNELS = frozenset({"email"})
HANDLE_CHANNELS = frozenset({"twitter", "x", "instagram", "tiktok", "threads"})
COMPACT_LEVELS = (1, 2, 3)
VARIANT_SEPARATOR = re.compile(r"^[ \t]*---[ \t]*$", re.M)


@dataclass
class Draft:
    situation: str
    reasons: list[str]
    language: str
    reply: str
    timing: dict
    checklist: dict[str, bool] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    context: dict = field(default_factory=dict)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity >= Severity.ERROR]


def draft_case(case, *, playbook: Playbook | None = None, templates=None, source: str = "case",
               now: datetime | None = None, timeout: float | None = None) -> Draft:
    """Triage, render and lint one case. Raises UserError for a bad case or template."""
    from replycoach.draft.sandbox import TIMEOUT
    from replycoach.playbook.loader import load_playbook

    playbook = playbook or load_playbook()
    now = case.now or now or datetime.now().astimezone()
    language = choose_language(case, playbook, templates, source)
    verdict = triage(case, playbook, language)
    clock = timing(case, playbook, now, source)
    channel = private_channel(case, playbook, language)
    notes = case_notes(case, verdict, clock, now, channel, playbook, language)
    context = lint_context(case, verdict, language, now)
    if not verdict.replies:
        return Draft(verdict.situation, verdict.reasons, language, "", clock, notes=notes, context=context)

    variables = template_variables(case, verdict, playbook, language, clock, now, channel)
    reply = _render(case, verdict, variables, language, templates, timeout or TIMEOUT)
    result, timing_findings = _lint(reply, playbook, context)
    for level in COMPACT_LEVELS:  # too long for the channel: shorter phrasings, then fewer sentences
        if not _too_long(result.diagnostics, playbook):
            break
        shorter = _render(case, verdict, {**variables, "compact": level}, language, templates, timeout or TIMEOUT)
        if len(shorter) < len(reply):
            reply = shorter
            result, timing_findings = _lint(reply, playbook, context)
    clock["findings"] = [{"rule": d.rule, "severity": d.severity.label, "message": d.message}
                         for d in timing_findings]
    return Draft(verdict.situation, verdict.reasons, language, reply, clock, result.checklist,
                 result.diagnostics, notes, result.context.to_dict() if result.context else context)


# --- language and context ---------------------------------------------------------------------


def available_languages(playbook: Playbook, templates=None) -> list[str]:
    """Languages with both a playbook lexicon and a template folder (the user's or built-in)."""
    from pathlib import Path

    from replycoach.core.resources import builtin_dir

    roots = [builtin_dir("templates")] + ([Path(templates)] if templates else [])
    folders = {p.name for root in roots if root.is_dir() for p in root.iterdir() if p.is_dir()}
    return [lang for lang in playbook.languages if lang in folders]


def choose_language(case, playbook: Playbook, templates, source: str) -> str:
    available = available_languages(playbook, templates)
    if not available:
        raise UserError("no language has both a playbook lexicon and templates", source)
    if case.language:
        if case.language not in available:
            raise UserError(f"language: expected one of {', '.join(available)} (got {case.language!r})", source)
        return case.language
    sample = " ".join(t for t in (case.complaint.text, case.issue.summary) if t)
    if sample:
        return playbook.detect(sample, available)
    default = playbook.settings.get("default_language")
    return default if default in available else available[0]


def lint_kind(case, verdict: Triage) -> str:
    if verdict.situation in ("outage", "praise", "off-topic", "question"):
        return verdict.situation
    return case.kind if case.kind in ("complaint", "question") else "complaint"


def lint_context(case, verdict: Triage, language: str, now: datetime) -> dict:
    context = {"language": language, "channel": case.channel, "visibility": "public" if case.public else "private",
               "kind": lint_kind(case, verdict), "fault": case.fault, "stage": "first", "sent_at": now}
    if verdict.tone:
        context["tone"] = verdict.tone
    if case.complaint.received_at:
        context["received_at"] = case.complaint.received_at
    return context


# --- what the templates get ------------------------------------------------------------------


def template_variables(case, verdict: Triage, playbook: Playbook, language: str, clock: dict, now: datetime,
                       channel: dict) -> dict:
    public = case.public
    customer = case.customer
    handle = customer.handle
    if handle and not handle.startswith("@"):
        handle = "@" + handle
    resolution = None
    if case.resolution:
        resolution = {"action": _sentence_part(case.resolution.action),
                      "eta": moment(case.resolution.eta, now) if case.resolution.eta else None,
                      "done": shows(case.resolution.action, "resolved", playbook, language)}
    return {
        "situation": verdict.situation,
        "language": language,
        "channel": case.channel,
        "public": public,
        "letter": case.channel in LETTER_CHANNELS,
        "short": _short_channel(case.channel, playbook),
        "compact": 0,
        "customer": {"name": customer.name, "first_name": customer.first_name, "handle": handle},
        "mention": handle if handle and case.channel in HANDLE_CHANNELS and public else None,
        "agent": {"name": case.agent.name, "first_name": case.agent.first_name} if case.agent else None,
        "problem": _clause(case.issue.summary) if case.issue.summary else None,
        "order_id": None if public else case.issue.order_id,
        "order_known": bool(case.issue.order_id),
        "resolution": resolution,
        "compensation": _clause(case.compensation.offer) if case.compensation else None,
        "private_channel": channel,
        "fault": case.fault,
        "tone": verdict.tone,
        "late": clock["late"],
        "follow_up": moment(follow_up_time(now), now),
        "exposed": list(verdict.exposed),
        "variants": Variants(_seed(case)),
    }


def _short_channel(channel: str, playbook: Playbook) -> bool:
    """A channel whose length limit (from the playbook's length rules) is a tweet or less."""
    limits = [r.get("limits", {}).get(channel) for r in playbook.rules if r["kind"] == "length"]
    return any(limit is not None and limit <= 300 for limit in limits)


class Variants:
    """`{% call variants("apology") %}one --- two --- three{% endcall %}` picks one phrasing.

    Every variant is rendered (so a broken one fails on every case, not one in three), and
    the choice is a stable hash of the case's customer and complaint with the part's name.
    """

    def __init__(self, seed: str) -> None:
        self.seed = seed

    def __call__(self, part: str, caller=None) -> str:
        if caller is None:
            raise TypeError("variants() is used as {% call variants('part') %} ... {% endcall %}")
        options = [v.strip() for v in VARIANT_SEPARATOR.split(caller())]
        options = [v for v in options if v] or [""]
        return options[self.index(str(part), len(options))]

    def index(self, part: str, count: int) -> int:
        digest = hashlib.blake2b(f"{self.seed}\x1f{part}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") % count


def _seed(case) -> str:
    parts = (case.customer.name, case.customer.handle, case.complaint.text, case.issue.summary)
    return "\x1e".join(p or "" for p in parts)


def _clause(text: str) -> str:
    """A summary or offer continues a sentence: no final full stop, lower-case start."""
    text = " ".join(text.split()).rstrip(" .!;,")
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower() and first[0].isupper():
        text = text[0].lower() + text[1:]
    return text


def _sentence_part(text: str) -> str:
    """An action opens a sentence: capital start, no final punctuation (the template ends it)."""
    text = " ".join(text.split()).rstrip(" .!;,")
    return text[:1].upper() + text[1:]


# --- rendering and checking ------------------------------------------------------------------


def _render(case, verdict: Triage, variables: dict, language: str, templates, timeout: float) -> str:
    from replycoach.draft.sandbox import TemplateProblem, limited_environment, render, template_folders

    env = limited_environment(template_folders(templates, language))
    try:
        text = render(env, f"{verdict.situation}.j2", variables, timeout=timeout)
    except TemplateProblem as exc:
        raise UserError(exc.message, exc.where) from None
    reply = tidy(text)
    if case.public:
        for signal, value in case.personal_data().items():
            if contains(reply, value):
                what = signal.replace("-", " ").replace("number", "").strip() or signal
                raise UserError(f"the rendered public reply contains the customer's {what} ({signal}); "
                                "a template must not print personal data", f"{verdict.situation}.j2")
    return reply


def tidy(text: str) -> str:
    """Whitespace left by parts that had nothing to say: single spaces, at most one blank line."""
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    text = "\n".join(lines)
    text = re.sub(r" +([,.!?;:])(?=\s|$)", r"\1", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def _lint(reply: str, playbook: Playbook, context: dict):
    """Lint the draft; timing findings (about the clock, not the words) are returned apart."""
    from replycoach.lint.engine import lint_text

    result = lint_text(reply, playbook, context, path="<draft>")
    clock_rules = {r["name"] for r in playbook.rules if kind_of(r).judges == "clock"}
    timing_findings = [d for d in result.diagnostics if d.rule in clock_rules]
    result.diagnostics = [d for d in result.diagnostics if d.rule not in clock_rules]
    return result, timing_findings


def _too_long(diagnostics, playbook: Playbook) -> bool:
    kinds = {r["name"]: r["kind"] for r in playbook.rules}
    return any(kinds.get(d.rule) == "length" for d in diagnostics)
