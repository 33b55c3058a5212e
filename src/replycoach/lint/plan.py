"""Which rules run on a reply, worked out once per combination of what decides it.

Which rules run depends only on the language, the rule selection (config and flags) and
the context values the rules' `when`/`unless` look at; a batch shares a handful of these
combinations across thousands of files. So the choice is made once per combination and
kept in the playbook's planner, together with what follows from it for each rule: its
kind, what the kind prepared from it, the assumption note its findings carry, its severity,
and which signals the matcher must look for at all.
"""

from __future__ import annotations

from operator import attrgetter
from typing import NamedTuple

from replycoach.core.diagnostic import Severity
from replycoach.core.memo import Memo
from replycoach.kinds import Kind, kind_of, rule_languages
from replycoach.reply.context import Context

ASSUMPTION_NOTE = " (assumed {what})"


class Selection:
    """Which rules run and how severe they are, from config and flags (names, codes or families).

    Equal selections are equal keys (a plan is kept per selection, not per object).
    """

    __slots__ = ("_hash", "_key", "ignore", "select", "severity")

    def __init__(self, select: frozenset[str] = frozenset(), ignore: frozenset[str] = frozenset(),
                 severity: dict[str, str] | None = None) -> None:
        self.select = select
        self.ignore = ignore
        self.severity = severity or {}
        self._key = (self.select, self.ignore, tuple(sorted(self.severity.items())))
        self._hash = hash(self._key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other) -> bool:
        return self is other or (isinstance(other, Selection) and self._key == other._key)

    def allows(self, rule: dict) -> bool:
        keys = {rule["name"], rule["code"], rule.get("family", "")}
        if self.select and not (keys & self.select or "all" in self.select):
            return False
        return not (keys & self.ignore)

    def unknown_names(self, playbook) -> list[str]:
        """What the selection names that no rule of `playbook` answers to, each with the
        nearest real name: a typo must not silently check nothing."""
        import difflib

        known = {"all"} | {key for rule in playbook.rules for key in (rule["name"], rule["code"], rule.get("family"))
                           if key}
        out = []
        for name in sorted((self.select | self.ignore | set(self.severity)) - known):
            close = difflib.get_close_matches(name, sorted(known), n=1)
            out.append(f"{name!r} (did you mean {close[0]!r}?)" if close else repr(name))
        return out

    def chooses_severity(self, rule: dict) -> bool:
        """Whether the config or flags set this rule's severity themselves."""
        return rule["name"] in self.severity or rule["code"] in self.severity

    def severity_of(self, rule: dict, graded: str | None) -> Severity:
        chosen = self.severity.get(rule["name"]) or self.severity.get(rule["code"])
        return Severity.parse(chosen or graded or rule["severity"])


class PlannedRule(NamedTuple):
    """A rule as the engine runs it on the replies of one plan."""

    rule: dict
    kind: Kind
    prepared: object  # what the kind prepared from the rule (the rule itself for most kinds)
    fires_on: frozenset[str] | None  # signals every finding sits on; None: it may fire without any
    severity: Severity
    note: str  # what its findings say they assumed
    message: str  # the rule's message with the note


class RulePlan(NamedTuple):
    rules: tuple[PlannedRule, ...]
    signals: frozenset[str]  # what the rules and the checklist read: the only signals to match


def applies(rule: dict, value) -> bool:
    """Whether a rule's `when`/`unless` admit a context; `value(key)` reads the context."""
    for key, allowed in rule["when"].items():
        if value(key) not in allowed:
            return False
    return not any(value(key) in values for key, values in rule["unless"].items())


class Planner:
    """A playbook's rule plans, and the contexts its replies share."""

    def __init__(self, playbook) -> None:
        self.playbook = playbook
        self.context_keys = tuple(sorted({key for rule in playbook.rules for key in (*rule["when"], *rule["unless"])}))
        getter = attrgetter(*self.context_keys) if self.context_keys else (lambda ctx: ())
        self._read = getter if len(self.context_keys) > 1 else (lambda ctx: (getter(ctx),))
        # keyed by (language, selection, assumed keys, the values of `context_keys`): all a plan reads
        self._plans = Memo(self._plan, limit=1000)
        # keyed by the context itself: equal contexts become one object, so a result sent from a
        # worker pickles its context once per chunk, not once per file
        self._contexts = Memo(lambda ctx: ctx, limit=1000)

    def shared(self, ctx: Context) -> Context:
        return self._contexts[ctx]

    def plan(self, language: str, ctx: Context, selection: Selection) -> RulePlan:
        return self._plans[(language, selection, ctx.assumed, self._read(ctx))]

    def _plan(self, key: tuple) -> RulePlan:
        language, selection, assumed, values = key
        value = dict(zip(self.context_keys, values, strict=True)).__getitem__
        playbook = self.playbook
        rules = []
        for rule in playbook.rules:
            if not (rule["enabled"] and selection.allows(rule) and applies(rule, value)):
                continue
            if language not in rule_languages(playbook, rule):
                continue
            kind = kind_of(rule)
            note = _assumption_note(rule, value, assumed)
            fires_on = frozenset(kind.signals_of(rule)) if kind.fires_on_signals else None
            severity = selection.severity_of(rule, None)
            if note and severity > Severity.WARNING and not selection.chooses_severity(rule):
                severity = Severity.WARNING  # no error rests on an assumption: the note says what was assumed
            rules.append(PlannedRule(rule, kind, kind.prepared(rule, playbook), fires_on, severity, note,
                                     rule["message"] + note))
        return RulePlan(tuple(rules), signals_read(playbook, [p.rule for p in rules]))


def _assumption_note(rule: dict, value, assumed: tuple[str, ...]) -> str:
    """What a finding of `rule` says it assumed: the assumed context keys the rule depends on."""
    keys = sorted(set(assumed) & (set(rule["when"]) | set(rule["unless"])) - {"language"})
    if not keys:
        return ""
    return ASSUMPTION_NOTE.format(what=", ".join(f"{key}={value(key)}" for key in keys))


def signals_read(playbook, rules: list[dict]) -> frozenset[str]:
    """The signals `rules` and the checklist read, with every signal that can suppress one of
    them (and so on): matching only these gives those rules exactly the hits a full match would."""
    from replycoach.playbook.model import referenced_signals

    needed = {s for rule in rules for s in referenced_signals(rule)}
    needed |= {s for item in playbook.checklist.values() for s in item["signals"]}
    todo = list(needed)
    while todo:
        for other in playbook.signals.get(todo.pop(), {}).get("suppressed_by", ()):
            if other not in needed:
                needed.add(other)
                todo.append(other)
    return frozenset(needed)


def planner_for(playbook) -> Planner:
    return playbook.derived("planner", lambda: Planner(playbook))
