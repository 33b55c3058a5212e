"""Judging one document: signals found, rules applied, checklist filled in.

The engine knows rule *kinds*, never rule names: which rules exist, what they look for and
when they apply is all playbook data. It returns results; it never prints.
"""

from __future__ import annotations

from replycoach.core.diagnostic import Diagnostic, Severity
from replycoach.kinds import EVALUATORS, FIRES_ONLY_ON, any_found
from replycoach.matching import find_signals, opaque_spans
from replycoach.playbook.languages import detect
from replycoach.playbook.loader import Playbook, referenced_signals
from replycoach.reply.context import Context, resolve
from replycoach.reply.document import Document


class Selection:
    """Which rules run and how severe they are, from config and flags (names or codes)."""

    __slots__ = ("select", "ignore", "severity", "_key")

    def __init__(self, select: frozenset[str] = frozenset(), ignore: frozenset[str] = frozenset(),
                 severity: dict[str, str] | None = None) -> None:
        self.select = select
        self.ignore = ignore
        self.severity = severity or {}
        self._key: tuple | None = None

    def allows(self, rule: dict) -> bool:
        keys = {rule["name"], rule["code"], rule.get("family", "")}
        if self.select and not (keys & self.select or "all" in self.select):
            return False
        return not (keys & self.ignore)

    def key(self) -> tuple:
        """A hashable stand-in for this selection (its severity map is a dict)."""
        if self._key is None:
            self._key = (self.select, self.ignore, tuple(sorted(self.severity.items())))
        return self._key

    def severity_of(self, rule: dict, graded: str | None) -> Severity:
        chosen = self.severity.get(rule["name"]) or self.severity.get(rule["code"])
        return Severity.parse(chosen or graded or rule["severity"])


class FileResult:
    __slots__ = ("path", "language", "context", "checklist", "diagnostics", "error")

    def __init__(self, path: str, language: str | None = None, context: Context | None = None,
                 checklist: dict[str, bool] | None = None, diagnostics: list[Diagnostic] | None = None,
                 error: str | None = None) -> None:
        self.path = path
        self.language = language
        self.context = context
        self.checklist = checklist if checklist is not None else {}
        self.diagnostics = diagnostics if diagnostics is not None else []
        self.error = error

    def __repr__(self) -> str:
        return f"FileResult({self.path!r}, {self.language!r}, diagnostics={self.diagnostics!r}, error={self.error!r})"


ASSUMPTION_NOTE = " (assumed {what})"


def applies(rule: dict, ctx: Context) -> bool:
    for key, allowed in rule["when"].items():
        if ctx.value(key) not in allowed:
            return False
    return not any(ctx.value(key) in values for key, values in rule["unless"].items())


def lint_document(
    doc: Document, playbook: Playbook, layers: list[dict], selection: Selection | None = None
) -> FileResult:
    """Lint one parsed document. `layers` are normalised context dicts, lowest priority first."""
    selection = selection or Selection()
    ctx = resolve(layers, playbook.settings.get("first_reply_target_minutes"))
    detected = not ctx.language
    language = ctx.language or detect(doc.body, playbook.languages)
    ctx = ctx.with_language(language, detected)
    ctx = _shared_context(ctx)
    if language not in playbook.languages:
        return FileResult(doc.path, language, ctx, error=f"language {language!r} has no playbook lexicon "
                          f"(available: {', '.join(playbook.languages)})")
    plan, needed = _rules_for(playbook, language, ctx, selection)
    doc.opaque = opaque_spans(doc.analysed)
    hits = find_signals(doc.analysed, playbook.matchers(language), playbook.signals,
                        [(p.start, p.end) for p in doc.placeholders if p.style == "marker"], needed, doc.opaque)
    diagnostics: list[Diagnostic] = []
    for rule, evaluate, note, gate, severity, message in plan:
        if gate is not None and gate.isdisjoint(hits):
            continue  # a kind that only fires on these signals' hits, and there are none
        for finding in evaluate(rule, doc, hits, ctx, playbook.settings):
            diagnostic = _diagnostic(rule, finding, doc, selection, note, message, severity)
            if not doc.is_ignored(rule["name"], diagnostic.line) and not doc.is_ignored(rule["code"], diagnostic.line):
                diagnostics.append(diagnostic)
    diagnostics.sort(key=lambda d: (d.start, -d.severity, d.code))
    checklist = {
        name: any_found(hits, item["signals"]) for name, item in playbook.checklist.items()
    }
    return FileResult(doc.path, language, ctx, checklist, diagnostics)


_CONTEXTS: dict[Context, Context] = {}


def _shared_context(ctx: Context) -> Context:
    """One object for equal contexts: a batch's files share a handful, and a result sent from
    a worker then pickles its context once per chunk, not once per file."""
    shared = _CONTEXTS.get(ctx)
    if shared is None:
        if len(_CONTEXTS) > 1000:
            _CONTEXTS.clear()
        shared = _CONTEXTS[ctx] = ctx
    return shared


def _rules_for(playbook: Playbook, language: str, ctx: Context, selection: Selection) -> tuple[list, frozenset]:
    """(rule, evaluator, assumption note, signals it fires only on, severity, message with the
    note) for the rules that run on this language and context, and the signals they (and
    the checklist) look at: only those are matched.

    Which rules run depends only on the language, the selection and the context values the
    rules' `when`/`unless` look at, which a batch shares across most files; so the choice is
    made once per combination and kept on the playbook (a few entries per run). So is what
    follows from it for each finding: the note on what was assumed (it names only those
    values) and the severity (unless the finding grades its own).
    """
    # the last few (context, selection) pairs, by identity: a batch's files share both objects
    recent = playbook.derived("recent_plans", dict)
    seen = recent.get((id(ctx), id(selection), language))
    if seen is not None and seen[0] is ctx and seen[1] is selection:
        return seen[2]
    context_keys = playbook.derived("context_keys", lambda: tuple(sorted(
        {key for rule in playbook.rules for key in (*rule["when"], *rule["unless"])})))
    key = (language, selection.key(), ctx.assumed, tuple(ctx.value(k) for k in context_keys))
    plans = playbook.derived("rule_plans", dict)
    plan = plans.get(key)
    if plan is None:
        if len(plans) > 1000:
            plans.clear()
        rules = [
            (rule, EVALUATORS[rule["kind"]], note,
             frozenset(FIRES_ONLY_ON[rule["kind"]](rule)) if rule["kind"] in FIRES_ONLY_ON else None,
             selection.severity_of(rule, None), rule["message"] + note)
            for rule in playbook.rules
            for note in (_assumption_note(rule, ctx),)
            if rule["enabled"] and selection.allows(rule) and applies(rule, ctx)
            and language in playbook.rule_languages(rule)
        ]
        plan = plans[key] = (rules, _signals_needed(playbook, [entry[0] for entry in rules]))
    if len(recent) > 100:
        recent.clear()
    recent[(id(ctx), id(selection), language)] = (ctx, selection, plan)
    return plan


def _assumption_note(rule: dict, ctx: Context) -> str:
    """What a finding of `rule` says it assumed: the assumed context keys the rule depends on."""
    assumed = sorted(set(ctx.assumed) & (set(rule["when"]) | set(rule["unless"])) - {"language"})
    if not assumed:
        return ""
    return ASSUMPTION_NOTE.format(what=", ".join(f"{key}={ctx.value(key)}" for key in assumed))


def _signals_needed(playbook: Playbook, rules: list[dict]) -> frozenset[str]:
    """The signals `rules` and the checklist read, with every signal that can suppress one of
    them (and so on): matching only these gives those rules exactly the hits a full match would."""
    needed = {s for rule in rules for s in referenced_signals(rule)}
    needed |= {s for item in playbook.checklist.values() for s in item["signals"]}
    todo = list(needed)
    while todo:
        for other in playbook.signals.get(todo.pop(), {}).get("suppressed_by", ()):
            if other not in needed:
                needed.add(other)
                todo.append(other)
    return frozenset(needed)


def _diagnostic(rule, finding, doc: Document, selection: Selection, note: str, note_message: str,
                severity: Severity) -> Diagnostic:
    line, column = doc.position(finding.start)
    end_line, end_column = doc.position(finding.end)
    # without a detail, the plan's one string: equal messages are one object (pickled once per chunk)
    message = f"{rule['message']} ({finding.detail}){note}" if finding.detail else note_message
    suggestion = rule["suggestion"]
    if finding.replacement is not None:
        suggestion = f"write {finding.replacement!r} instead" if finding.replacement else "delete it"
    if finding.severity is not None:
        severity = selection.severity_of(rule, finding.severity)
    return Diagnostic(
        rule=rule["name"], code=rule["code"], severity=severity,
        message=message, path=doc.path, line=line, column=column, end_line=end_line, end_column=end_column,
        start=finding.start, end=finding.end, match=doc.text[finding.start : finding.end][:200],
        suggestion=suggestion, replacement=finding.replacement,
    )


def lint_text(text: str, playbook: Playbook | None = None, context: dict | None = None,
              path: str = "<text>", selection: Selection | None = None) -> FileResult:
    """Lint a string, for callers (draft, audit, tests) that have text rather than a file."""
    from replycoach.playbook.loader import load_playbook
    from replycoach.reply.context import normalise

    playbook = playbook or load_playbook()
    doc = Document.parse(text, path, front_matter=False)
    layers = [normalise(context or {}, path)]
    return lint_document(doc, playbook, layers, selection)
