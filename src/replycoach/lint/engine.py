"""Judging one document: signals found, rules applied, checklist filled in.

The engine knows rule *kinds*, never rule names: which rules exist, what they look for and
when they apply is all playbook data (`lint.plan` works out which of them run). It returns
results; it never prints.
"""

from __future__ import annotations

from bisect import bisect_right
from operator import attrgetter

from replycoach.core.diagnostic import Diagnostic, Severity
from replycoach.kinds import Finding, any_found
from replycoach.lint.plan import PlannedRule, Selection, planner_for
from replycoach.lint.results import FileResult
from replycoach.matching import find_signals
from replycoach.playbook.model import Playbook
from replycoach.reply.context import normalise, resolve
from replycoach.reply.document import Document


def lint_document(
    doc: Document, playbook: Playbook, layers: list[dict], selection: Selection | None = None
) -> FileResult:
    """Lint one parsed document. `layers` are normalised context dicts, lowest priority first."""
    selection = selection or Selection()
    planner = planner_for(playbook)
    message = next((layer["in_reply_to"] for layer in reversed(layers) if "in_reply_to" in layer), None)
    inferred: tuple[str, ...] = ()
    if message:
        layers, inferred = _with_message(message, playbook, layers)
    ctx = resolve(layers, playbook.settings.get("first_reply_target_minutes"))
    if inferred:
        ctx = ctx._replace(inferred=inferred)
    detected = not ctx.language
    language = ctx.language or playbook.detect(doc.body)
    ctx = planner.shared(ctx.with_language(language, detected))
    if language not in playbook.languages:
        available = ", ".join(playbook.languages)
        if detected:  # recognised, with no rules: judged by another language's rules it would be nonsense
            return FileResult(doc.path, language, ctx, error=(
                f"written in {playbook.language_name(language)}, which the playbook has no rules for (it has "
                f"{available}): not linted; --lang or `language:` in front matter lints it as one of those"))
        return FileResult(doc.path, language, ctx, error=f"language {language!r} has no playbook lexicon "
                          f"(available: {available})")
    plan = planner.plan(language, ctx, selection)
    thresholds = playbook.detector_thresholds
    hits = find_signals(doc.analysed, playbook.matchers(language), playbook.signals, doc.marker_spans, plan.signals,
                        doc.opaque, doc.sentences, playbook.detector() if thresholds else None, thresholds)
    diagnostics: list[Diagnostic] = []
    for planned in plan.rules:
        if planned.fires_on is not None and planned.fires_on.isdisjoint(hits):
            continue  # a kind that only fires on these signals' hits, and there are none
        rule = planned.rule
        for finding in planned.kind.evaluate(planned.prepared, doc, hits, ctx):
            diagnostic = _diagnostic(planned, finding, doc, selection, hits, thresholds)
            if not doc.is_ignored(rule["name"], diagnostic.line) and not doc.is_ignored(rule["code"], diagnostic.line):
                diagnostics.append(diagnostic)
    diagnostics.sort(key=lambda d: (d.start, -d.severity, d.code))
    checklist = {name: any_found(hits, item["signals"]) for name, item in playbook.checklist.items()}
    return FileResult(doc.path, language, ctx, checklist, diagnostics,
                      checklist_found_by=_checklist_found_by(playbook.checklist, checklist, hits))


def _checklist_found_by(items: dict[str, dict], checklist: dict[str, bool], hits) -> dict[str, dict]:
    out = {}
    for name, item in items.items():
        if not checklist[name]:
            continue
        signal = next(s for s in item["signals"] if hits.get(s))
        hit = hits[signal][0]
        out[name] = {"signal": signal, "found_by": "lexicon"} if hit.score is None else \
            {"signal": signal, "found_by": "detector", "score": hit.score}
    return out


def _with_message(message: str, playbook: Playbook, layers: list[dict]) -> tuple[list[dict], tuple[str, ...]]:
    """The layers with what the customer's message says about the situation, just above the
    config's defaults: a collection entry, front matter and flags still win."""
    from replycoach.triage import classify_message

    language = playbook.detect(message)
    if language not in playbook.languages:
        return layers, ()
    verdict = classify_message(message, playbook, language)
    given = {key for layer in layers[1:] for key in layer}
    read = {"kind": verdict.kind, "tone": verdict.tone, "needs_details": verdict.needs_details}
    taken = {key: value for key, value in read.items() if key not in given}
    return [layers[0], taken, *layers[1:]], tuple(taken)


def _diagnostic(planned: PlannedRule, finding: Finding, doc: Document, selection: Selection, hits,
                thresholds: dict[str, float]) -> Diagnostic:
    rule = planned.rule
    line, column = doc.position(finding.start)
    end_line, end_column = doc.position(finding.end)
    evidence, closest = _evidence(planned, finding, hits, thresholds)
    detail = "; ".join(part for part in (finding.detail, closest) if part)
    # without a detail, the plan's one string: equal messages are one object (pickled once per chunk)
    message = f"{rule['message']} ({detail}){planned.note}" if detail else planned.message
    suggestion = rule["suggestion"]
    if finding.replacement is not None:
        suggestion = f"write {finding.replacement!r} instead" if finding.replacement else "delete it"
    severity: Severity = planned.severity
    if finding.severity is not None:
        severity = selection.severity_of(rule, finding.severity)
        if planned.note and severity > Severity.WARNING and not selection.chooses_severity(rule):
            severity = Severity.WARNING
    return Diagnostic(
        rule=rule["name"], code=rule["code"], severity=severity,
        message=message, path=doc.path, line=line, column=column, end_line=end_line, end_column=end_column,
        start=finding.start, end=finding.end, match=doc.text[finding.start : finding.end][:200],
        suggestion=suggestion, replacement=finding.replacement, evidence=evidence,
    )


def _evidence(planned: PlannedRule, finding: Finding, hits, thresholds: dict[str, float]) -> tuple[tuple, str]:
    """How a finding was reached (for JSON), and for an absence what came closest (for its message).

    A hit found by the detector carries its probability; one found by the lexicon does not."""
    kind, rule = planned.kind, planned.rule
    if not kind.absence:
        for signal in kind.signals_of(rule):
            found = hits.get(signal, ())
            # a signal's hits come in text order and do not overlap, so only the last one that
            # starts at or before the finding can hold it (a scan of them all was quadratic:
            # 3.5 of 4.9 s on an 800 kB file of 9,414 findings)
            at = bisect_right(found, finding.start, key=_START) - 1
            if at >= 0 and finding.end <= found[at].end:
                hit = found[at]
                if hit.score is None:
                    return (("found_by", "lexicon"),), ""
                return (("found_by", "detector"), ("score", hit.score)), ""
        return (), ""
    looked_for = tuple(kind.signals_of(rule))
    for signal in rule.get("closest", ()):
        found = hits.get(signal)
        if found:
            hit = found[0]
            closest = (("signal", signal), ("text", hit.text.strip()[:120]),
                       ("found_by", "lexicon" if hit.score is None else "detector"), ("score", hit.score))
            return ((("looked_for", looked_for), ("closest", closest)),
                    f"closest: {_quoted(hit.text)}, {signal.replace('-', ' ')}")
    near = getattr(hits, "near", None) or {}
    for signal in looked_for:
        hit = near.get(signal)
        if hit is not None:
            threshold = thresholds.get(signal)
            closest = (("signal", signal), ("text", hit.text.strip()[:120]), ("found_by", "detector"),
                       ("score", hit.score), ("threshold", threshold))
            return ((("looked_for", looked_for), ("closest", closest)),
                    f"closest: {_quoted(hit.text)}, scored {hit.score:.2f} as {signal.replace('-', ' ')} "
                    f"({threshold:.2f} needed)")
    return (("looked_for", looked_for), ("closest", None)), ""


_START = attrgetter("start")


def _quoted(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return f"“{text[:limit - 1]}…”" if len(text) > limit else f"“{text}”"


def lint_text(text: str, playbook: Playbook | None = None, context: dict | None = None,
              path: str = "<text>", selection: Selection | None = None) -> FileResult:
    """Lint a string, for callers (draft, audit, tests) that have text rather than a file."""
    from replycoach.playbook.loader import load_playbook

    playbook = playbook or load_playbook()
    doc = Document.parse(text, playbook.conventions, path, front_matter=False)
    layers = [{}, normalise(context or {}, path)]
    return lint_document(doc, playbook, layers, selection)
