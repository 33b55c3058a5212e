"""What a kind reports, and the small questions every kind asks of a reply's hits."""

from __future__ import annotations

from typing import NamedTuple

from replycoach.matching import Hit
from replycoach.reply.document import Document


class Finding(NamedTuple):
    start: int
    end: int
    replacement: str | None = None
    severity: str | None = None  # when a kind grades its own finding (e.g. how late a reply is)
    detail: str = ""


Hits = dict[str, list[Hit]]  # as `matching.find_signals` returns it: a signal without hits has no key


def any_found(hits: Hits, signals) -> bool:
    """Whether any of `signals` has a hit (a set operation: rules ask this ~10 times a reply)."""
    return not hits.keys().isdisjoint(signals)


def sentences_with(doc: Document, hits: Hits, signals) -> set[int]:
    return {doc.sentence_index(h.start) for s in signals for h in hits.get(s, ())}


def first_sentence(doc: Document) -> Finding:
    """Where a finding about the whole reply (something missing) is anchored: its first sentence."""
    if doc.sentences:
        first = doc.sentences[0]
        text = doc.analysed[first.start : first.end]
        start = first.start + (len(text) - len(text.lstrip()))
        return Finding(start, max(first.start + len(text.rstrip()), start))
    return Finding(doc.body_start, doc.body_start)
