"""The closed set of rule kinds: the one registry that the playbook, the engine and the audit read.

A rule in a playbook is data of one of these kinds. A kind is generic policy over signals
(forbid one, require one, ...) or a detector configured by data (capitals, length, template
slots); the playbook says which signals and thresholds. Each `Kind` says everything the
rest of the code needs to know about it, so no other module keeps a list of kinds:

- `evaluate(prepared, doc, hits, ctx)`: the findings of one rule on one reply;
- `prepare(rule, playbook)`: what the kind works out once per rule and playbook (compiled
  regexes, sets), handed to `evaluate` instead of the rule; by default the rule itself;
- `signal_fields`: the rule's fields that name the signals it looks for (a rule runs in a
  language whose lexicon has every one of them);
- `fires_on_signals`: every finding sits on a hit of those signals, so a reply without any
  of them is skipped without calling `evaluate` (most rules, most replies);
- `scope`: "reply", or "run" for a kind judged across the files of a run (near-duplicate),
  whose `judge_run(units, rule)` adds its findings once every unit is linted;
- `quotes_match`: a finding's matched text is the problem itself (false for an absence,
  which is anchored on a sentence that is not itself wrong);
- `judges`: "words", or "clock" for a kind about when the reply was sent;
- `absence`: a finding says a signal is missing, so the engine adds what it looked for and
  what came closest (the rule's `closest` signals, or the detector's near miss).

The playbook schema's union of rule models (`playbook.schema`) is checked against this
registry by the test suite.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from replycoach.kinds import signals, slots, text, timing
from replycoach.kinds.finding import Finding, Hits, any_found


class Kind(NamedTuple):
    name: str
    evaluate: Callable[..., Iterator[Finding]]
    prepare: Callable[[dict, object], object] | None = None
    signal_fields: tuple[str, ...] = ()
    fires_on_signals: bool = False
    scope: str = "reply"
    quotes_match: bool = True
    judges: str = "words"
    judge_run: Callable[[list, dict], None] | None = None
    absence: bool = False  # a finding means a signal is missing: it says what was looked for, and what came closest

    def prepared(self, rule: dict, playbook) -> object:
        return self.prepare(rule, playbook) if self.prepare is not None else rule

    def signals_of(self, rule: dict) -> list[str]:
        """The signals a rule of this kind looks for (not its exemptions)."""
        names: list[str] = []
        for field in self.signal_fields:
            value = rule.get(field)
            if isinstance(value, str):
                names.append(value)
            elif value:
                names.extend(value)
        return names


def _judged_per_run(rule: dict, doc, hits: Hits, ctx) -> Iterator[Finding]:
    """A run-level kind has nothing to say about one reply alone."""
    return iter(())


def _near_duplicates(units: list, rule: dict) -> None:
    from replycoach.kinds.duplicates import near_duplicates  # start-up: only canned repositories need it

    near_duplicates(units, rule)


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("forbid", signals.forbid, signal_fields=("signal",), fires_on_signals=True),
    Kind("require", signals.require, signal_fields=("signal",), quotes_match=False, absence=True),
    Kind("position", signals.position, signal_fields=("signal",), fires_on_signals=True),
    Kind("cooccur", signals.cooccur, signal_fields=("signals",), fires_on_signals=True),
    Kind("shouting", text.shouting, prepare=text.prepare_shouting),
    Kind("length", text.length, quotes_match=False),
    Kind("placeholder", slots.placeholder),
    Kind("variables", slots.variables, prepare=slots.prepare_variables),
    Kind("timing", timing.timing, prepare=timing.prepare_timing, quotes_match=False, judges="clock"),
    Kind("template-syntax", slots.template_syntax),
    Kind("near-duplicate", _judged_per_run, scope="run", judge_run=_near_duplicates),
)}


def kind_of(rule: dict) -> Kind:
    return KINDS[rule["kind"]]


def rule_languages(playbook, rule: dict) -> list[str]:
    """Languages whose lexicon has every signal the rule looks for (not its exemptions)."""
    needed = kind_of(rule).signals_of(rule)
    common = playbook.lexicon.get("*", {})
    return [lang for lang in playbook.languages if all(s in common or s in playbook.lexicon[lang] for s in needed)]


__all__ = ["KINDS", "Finding", "Hits", "Kind", "any_found", "kind_of", "rule_languages"]
