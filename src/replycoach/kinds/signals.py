"""Kinds that judge a reply by its signals: forbid one, require one, place one, or forbid two together."""

from __future__ import annotations

from collections.abc import Iterator

from replycoach.kinds.finding import Finding, Hits, any_found, first_sentence, sentences_with
from replycoach.matching import OPAQUE, Hit
from replycoach.reply.context import Context
from replycoach.reply.document import Document, word_count


def forbid(rule: dict, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
    """The rule's signals are findings, unless an exempting signal is present (in the same
    sentence, for `unless_with`). Exemptions rest on what the lexicon found, never on the
    detector's guess: a guessed private channel must not excuse asking for an order number."""
    if any(h.score is None for signal in rule["unless_present"] for h in hits.get(signal, ())):
        return
    exempt = {doc.sentence_index(h.start) for s in rule["unless_with"] for h in hits.get(s, ())
              if h.score is None} if rule["unless_with"] else set()
    if exempt and rule["window"]:
        exempt = {i + d for i in exempt for d in range(-rule["window"], rule["window"] + 1)}
    required = sentences_with(doc, hits, rule["only_with"]) if rule["only_with"] else None
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


def require(rule: dict, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
    if any_found(hits, rule["signal"]) or any_found(hits, rule["unless_present"]):
        return
    if rule.get("if_present") and not any_found(hits, rule["if_present"]):
        return  # the reply does not do what would call for the signal
    if not doc.body:
        return
    yield first_sentence(doc)


def position(rule: dict, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
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


def cooccur(rule: dict, doc: Document, hits: Hits, ctx: Context) -> Iterator[Finding]:
    by_sentence: dict[int, list[Hit]] = {}
    for signal in rule["signals"]:
        for hit in hits.get(signal, ()):
            by_sentence.setdefault(doc.sentence_index(hit.start), []).append(hit)
    for group in by_sentence.values():
        if {h.signal for h in group} >= set(rule["signals"]):
            yield Finding(min(h.start for h in group), max(h.end for h in group))
