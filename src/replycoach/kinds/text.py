"""Kinds that judge how a reply is written rather than what it says: capitals and length."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from replycoach.core import regexcache
from replycoach.kinds.finding import Finding, Hits
from replycoach.reply.context import Context
from replycoach.reply.document import Document


class Shouting(NamedTuple):
    """A shouting rule with what it needs worked out once per playbook, not per reply."""

    rule: dict
    word: re.Pattern  # a word in capitals, not after a word character, "@" or "#"
    allowed: frozenset[str]  # the playbook's acronyms, in capitals
    punctuation: tuple[re.Pattern, ...]


def prepare_shouting(rule: dict, playbook) -> Shouting:
    caps = playbook.conventions.capitals
    # the letter class first and the "not after a word, @ or #" check after it: a pattern
    # that starts with a character class lets re skip straight to candidate letters (3x faster)
    word = regexcache.compile(rf"{caps}(?<![\w@#].){caps}{{{rule['min_letters'] - 1},}}(?![\w])", 0, "kinds")
    allowed = frozenset(a.upper() for a in playbook.settings.get("acronyms", ()))
    return Shouting(rule, word, allowed, tuple(regexcache.compile(p, 0, "kinds") for p in rule["punctuation"]))


def shouting(prepared: Shouting, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
    """Runs of capitalised words, emphasis words in capitals, and "!!"/"?!".

    A single capitalised word is usually an acronym (BIOS, HDMI, PSN), so on its own it counts
    only when the language's emphasis signal knows it as an ordinary word (VERY, NIGDY, НИКОГА).
    """
    rule, allowed = prepared.rule, prepared.allowed
    text = doc.analysed
    spared = doc.opaque
    if rule.get("exempt"):
        spared = [*spared, *((h.start, h.end) for signal in rule["exempt"] for h in hits.get(signal, ()))]

    def skip(start: int, end: int) -> bool:
        return any(s <= start < e for s, e in spared) or doc.in_placeholder(start, end)

    run: list[re.Match] = []
    reported: set[int] = set()

    def flush():
        if len(run) >= rule["run"]:
            reported.update(m.start() for m in run)
            yield Finding(run[0].start(), run[-1].end())

    for m in prepared.word.finditer(text):
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
    for pattern in prepared.punctuation:
        for m in pattern.finditer(text):
            if m.group(0) and not skip(m.start(), m.end()):
                yield Finding(m.start(), m.end())


def length(rule: dict, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
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
            import html  # its entity table costs start-up time; few replies have an "&"

            counted = html.unescape(counted)
        size = len(_URL.sub("x" * 23, counted))
    if size <= limit:
        return
    begin = doc.body_start + (len(body) - len(body.lstrip()))
    yield Finding(begin, begin + len(stripped), detail=f"{size} characters, limit {limit}")


_URL = regexcache.compile(r"https?://\S+")
_LEADING_HANDLES = regexcache.compile(r"\A(?:@\w+\s+)+")
