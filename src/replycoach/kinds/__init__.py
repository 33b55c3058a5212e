"""The closed set of rule kinds, and how each one judges a reply.

A kind is generic policy over signals or a detector configured by data; the playbook says
which signals and thresholds. The schema's discriminated union and `EVALUATORS` below are
the only lists of kinds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from replycoach.core import regexcache
from replycoach.matching import OPAQUE, Hit, opaque_spans
from replycoach.reply.context import Context, target_minutes
from replycoach.reply.document import Document, word_count


class Finding(NamedTuple):
    start: int
    end: int
    replacement: str | None = None
    severity: str | None = None  # when a kind grades its own finding (e.g. how late a reply is)
    detail: str = ""


Hits = dict[str, list[Hit]]  # as `signals.find_signals` returns it: a signal without hits has no key


def any_found(hits: Hits, signals) -> bool:
    """Whether any of `signals` has a hit (a set operation: rules ask this ~10 times a reply)."""
    return not hits.keys().isdisjoint(signals)


def _sentences_with(doc: Document, hits: Hits, signals) -> set[int]:
    return {doc.sentence_index(h.start) for s in signals for h in hits.get(s, ())}


def forbid(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    if any_found(hits, rule["unless_present"]):
        return
    exempt = _sentences_with(doc, hits, rule["unless_with"]) if rule["unless_with"] else set()
    if exempt and rule["window"]:
        exempt = {i + d for i in exempt for d in range(-rule["window"], rule["window"] + 1)}
    required = _sentences_with(doc, hits, rule["only_with"]) if rule["only_with"] else None
    seen: set[tuple[int, int]] = set()
    for signal in rule["signal"]:
        for hit in hits.get(signal, ()):
            sentence = doc.sentence_index(hit.start)
            if sentence in exempt or (required is not None and sentence not in required):
                continue
            if (hit.start, hit.end) in seen or doc.in_placeholder(hit.start, hit.end):
                continue
            seen.add((hit.start, hit.end))
            yield Finding(hit.start, hit.end, hit.replacement if rule["fixable"] else None)


def _first_sentence(doc: Document) -> Finding:
    if doc.sentences:
        first = doc.sentences[0]
        text = doc.analysed[first.start : first.end]
        start = first.start + (len(text) - len(text.lstrip()))
        return Finding(start, max(first.start + len(text.rstrip()), start))
    return Finding(doc.body_start, doc.body_start)


def require(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    if any_found(hits, rule["signal"]) or any_found(hits, rule["unless_present"]):
        return
    if not doc.body:
        return
    yield _first_sentence(doc)


def position(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    found = hits.get(rule["signal"])
    if not found:
        return
    first = min(found, key=lambda h: h.start)
    index = doc.sentence_index(first.start)
    # greetings and one-word lines ("Hi Anna!") don't push the apology down
    substantive = sum(
        1 for s in doc.sentences[:index] if word_count(OPAQUE.sub(" ", doc.analysed[s.start : s.end])) >= 3
    )
    if substantive >= rule["within_sentences"]:
        yield Finding(first.start, first.end)


def cooccur(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    by_sentence: dict[int, list[Hit]] = {}
    for signal in rule["signals"]:
        for hit in hits.get(signal, ()):
            by_sentence.setdefault(doc.sentence_index(hit.start), []).append(hit)
    for group in by_sentence.values():
        if {h.signal for h in group} >= set(rule["signals"]):
            yield Finding(min(h.start for h in group), max(h.end for h in group))


CAPS = r"[A-ZĄĆĘŁŃÓŚŹŻÀ-ÖØ-ÞА-ЯЁ]"


_ACRONYMS: dict[int, tuple[dict, frozenset[str]]] = {}


def _acronyms(settings: dict) -> frozenset[str]:
    """The playbook's acronyms in capitals, worked out once per settings dict (not per reply)."""
    memo = _ACRONYMS.get(id(settings))
    if memo is None or memo[0] is not settings:
        memo = _ACRONYMS[id(settings)] = (settings, frozenset(a.upper() for a in settings.get("acronyms", ())))
    return memo[1]


def shouting(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    """Runs of capitalised words, emphasis words in capitals, and "!!"/"?!".

    A single capitalised word is usually an acronym (BIOS, HDMI, PSN), so on its own it counts
    only when the language's emphasis signal knows it as an ordinary word (VERY, NIGDY, НИКОГА).
    """
    allowed = _acronyms(settings)
    text = doc.analysed
    opaque = doc.opaque if doc.opaque is not None else opaque_spans(text)

    def skip(start: int, end: int) -> bool:
        return any(s <= start < e for s, e in opaque) or doc.in_placeholder(start, end)

    # the letter class first and the "not after a word, @ or #" check after it: a pattern
    # that starts with a character class lets re skip straight to candidate letters (3x faster)
    word = regexcache.compile(rf"{CAPS}(?<![\w@#].){CAPS}{{{rule['min_letters'] - 1},}}(?![\w])", 0, "kinds")
    run: list[re.Match] = []
    reported: set[int] = set()

    def flush():
        if len(run) >= rule["run"]:
            reported.update(m.start() for m in run)
            yield Finding(run[0].start(), run[-1].end())

    for m in word.finditer(text):
        if m.group(0) in allowed or skip(m.start(), m.end()):
            yield from flush()
            run = []
            continue
        if run and text[run[-1].end() : m.start()].strip(" \t") != "":
            yield from flush()
            run = []
        run.append(m)
    yield from flush()
    if rule.get("signal"):
        for hit in hits.get(rule["signal"], ()):
            if (hit.start not in reported and hit.text.isupper() and len(hit.text) > 1
                    and hit.text not in allowed and not skip(hit.start, hit.end)):
                yield Finding(hit.start, hit.end)
    for pattern in rule["punctuation"]:
        for m in regexcache.compile(pattern, 0, "kinds").finditer(text):
            if m.group(0) and not skip(m.start(), m.end()):
                yield Finding(m.start(), m.end())


def length(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    limit = rule["limits"].get(ctx.channel)
    if limit is None and ctx.visibility == "public":
        limit = rule["public_limit"]
    body = doc.analysed[doc.body_start :]
    stripped = body.strip()
    if limit is None:
        return
    size = len(stripped)
    if rule.get("twitter_counting") and ctx.channel in ("twitter", "x", ""):
        leading = _LEADING_HANDLES.match(stripped)  # match, not sub: sub would try \A at every position
        counted = stripped[leading.end():] if leading else stripped
        if "&" in counted:  # X counts "&amp;" as one character
            import html

            counted = html.unescape(counted)
        size = len(_URL.sub("x" * 23, counted))
    if size <= limit:
        return
    begin = doc.body_start + (len(body) - len(body.lstrip()))
    yield Finding(begin, begin + len(stripped), detail=f"{size} characters, limit {limit}")


_URL = regexcache.compile(r"https?://\S+")
_LEADING_HANDLES = regexcache.compile(r"\A(?:@\w+\s+)+")


def placeholder(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    for slot in doc.placeholders:
        if slot.style in rule["styles"]:
            yield Finding(slot.start, slot.end)


def variables(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    declared = set(settings.get("template_variables", ()))
    if not declared:
        return
    roots = {d.split(".")[0] for d in declared}
    for slot in doc.placeholders:
        if slot.style not in ("jinja", "brace"):
            continue
        if slot.name in declared or (slot.name in roots and "." not in slot.name) or slot.name.startswith("loop."):
            continue
        if any(slot.name.startswith(d + ".") for d in declared):
            continue
        yield Finding(slot.start, slot.end, detail=f"`{slot.name}` is not a declared variable")


def timing(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    if ctx.minutes_waiting is None or not ctx.late:
        return
    target = target_minutes(settings.get("first_reply_target_minutes", {}), ctx.channel, ctx.visibility)
    severity = "error" if ctx.minutes_waiting > target * rule["error_factor"] else "warning"
    first = _first_sentence(doc)
    yield Finding(first.start, first.end, severity=severity,
                  detail=f"{ctx.minutes_waiting:.0f} minutes after the complaint, target {target}")


def template_syntax(rule: dict, doc: Document, hits: Hits, ctx: Context, settings: dict) -> Iterator[Finding]:
    if not ctx.template or not any(mark in doc.text for mark in ("{{", "{%", "{#")):
        return
    if _only_simple_slots(doc.analysed):
        return  # nothing but `{{ name.path }}` slots: parsing with Jinja could not fail
    from replycoach.draft.sandbox import syntax_error

    error = syntax_error(doc.analysed)
    if error is not None:
        line, message = error
        start = doc._line_starts[min(line, len(doc._line_starts)) - 1] if line else doc.body_start
        end = doc.text.find("\n", start)
        yield Finding(start, end if end >= 0 else len(doc.text), detail=message)


_SIMPLE_SLOT = regexcache.compile(r"\{\{\s*[A-Za-z_][\w.]*\s*\}\}")


def _only_simple_slots(text: str) -> bool:
    """True when every template mark is a plain `{{ variable }}` (most canned responses).

    Importing and running Jinja's parser costs more than linting the reply, so it is kept for
    templates with tags, filters or anything unbalanced.
    """
    rest = _SIMPLE_SLOT.sub("", text)
    return not any(mark in rest for mark in ("{{", "}}", "{%", "%}", "{#", "#}"))


def _run_level(rule, doc, hits, ctx, settings):
    """Kinds judged across all files of a run (near-duplicate) have nothing to say per file."""
    return iter(())


# Kinds whose every finding sits on a hit of one of the rule's signals: when a reply has no
# hit of any of them, the engine skips the rule without calling it (most rules, most replies).
FIRES_ONLY_ON = {
    "forbid": lambda rule: rule["signal"],
    "position": lambda rule: [rule["signal"]],
    "cooccur": lambda rule: rule["signals"],
}

EVALUATORS = {
    "forbid": forbid,
    "require": require,
    "position": position,
    "cooccur": cooccur,
    "shouting": shouting,
    "length": length,
    "placeholder": placeholder,
    "variables": variables,
    "timing": timing,
    "template-syntax": template_syntax,
    "near-duplicate": _run_level,
}
