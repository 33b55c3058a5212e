"""Finding a reply's signals: the fast path, and the plain one it must always equal.

`find_signals` is what the engine calls: the word index (`index.Matchers`) hands each
signal only the places where one of its entries can start. `find_plain` is the meaning of
the same call, with every signal's whole regex run over the text by `re.finditer`, and no
index, screen or gate: the test suite checks on every built-in example and on generated
text that the two agree hit for hit.
"""

from __future__ import annotations

from replycoach.matching.entries import Hit
from replycoach.matching.index import Matchers
from replycoach.matching.lexicon import Matcher
from replycoach.matching.opaque import opaque_spans


class Found(dict):
    """signal -> hits, and `near`: for a signal the detector scored without finding it, the
    sentence that came closest (a Hit carrying its probability), when it reached half the
    threshold. What an absence finding shows as "closest"."""

    __slots__ = ("near",)

    def __init__(self) -> None:
        super().__init__()
        self.near: dict[str, Hit] = {}


NEAR_MISS = 0.5  # a sentence scoring at least this share of a signal's threshold came close


def find_signals(text: str, matchers: Matchers, definitions: dict[str, dict],
                 skip_spans: list[tuple[int, int]] = (), only: frozenset[str] | None = None,
                 opaque: list[tuple[int, int]] | None = None, sentences=(), detector=None,
                 thresholds: dict[str, float] | None = None) -> dict[str, list[Hit]]:
    """All hits of every signal (or of those in `only`), kept by `_policy`.

    A signal without hits has no key (rules and the checklist test presence with set operations).

    `only` must hold every signal that can suppress one of its signals (see
    `lint.plan.signals_read`), so the hits kept are those a full match would keep.

    With a `detector` (a `detector.Model`) and `sentences` (spans), a signal in `thresholds`
    that the lexicon did not find is looked for sentence by sentence: the first whose
    probability passes the signal's threshold is a hit of it, carrying the probability.
    """
    found = Found()
    candidates, low = matchers.candidates(text) if isinstance(matchers, Matchers) else (None, None)
    for name, matcher in matchers.items():
        if only is not None and name not in only:
            continue
        if candidates is not None and name not in candidates and not matcher.rest and not matcher.scan_all:
            continue  # no entry of this signal can start anywhere in this text
        # popped, not read: a signal's candidates are freed once it is matched (on a 10 MB text
        # they are tens of MB)
        hits = matcher.find(text, candidates.pop(name, ()) if candidates is not None else None, low)
        if hits:
            found[name] = hits
    if detector is not None and sentences and thresholds:
        wanted = {s: t for s, t in thresholds.items() if only is None or s in only}
        if wanted:
            _detected(found, text, sentences, detector, wanted)
    return _policy(found, text, matchers, definitions, skip_spans, opaque)


DETECTED_SENTENCES = 100  # a reply has a handful; past this a text is a wall, and the lexicon alone reads it
# The detector reads this much of a sentence: its features grow with the text, and one 9 MB
# line made ~150 MB of them (tracemalloc); no text it was trained on is over 1,405.
DETECTED_CHARS = 2_000


def _detected(found: dict[str, list[Hit]], text: str, sentences, detector, thresholds: dict[str, float]) -> None:
    """Add the detector's hit where the lexicon found nothing of a signal in the whole reply.

    The detector answers "is it there at all?" (what the absence rules and the checklist ask),
    so a signal the lexicon found anywhere is not scored, and scoring a signal stops at its
    first sentence over the threshold: ~100 us a sentence when every signal is scored, a few
    when most are found (measured on the twitter-care replies).
    """
    wanted = {signal: threshold for signal, threshold in thresholds.items() if signal not in found}
    near = getattr(found, "near", None)
    for start, end in sentences[:DETECTED_SENTENCES]:
        if not wanted:
            break
        chunk = text[start:end]
        stripped = chunk.strip()
        if not stripped:
            continue
        left = start + len(chunk) - len(chunk.lstrip())
        rows = detector.rows(stripped[:DETECTED_CHARS])
        for signal, threshold in list(wanted.items()):
            p = detector.probability(rows, signal)
            if p >= threshold:
                found[signal] = [Hit(signal, left, left + len(stripped), stripped, None, round(p, 3))]
                del wanted[signal]
            elif near is not None and p >= threshold * NEAR_MISS and p > (near[signal].score if signal in near else 0):
                near[signal] = Hit(signal, left, left + len(stripped), stripped, None, round(p, 3))
    if near:
        for signal in [s for s in near if s in found]:
            del near[signal]


def find_plain(text: str, matchers: dict[str, Matcher], definitions: dict[str, dict],
               skip_spans: list[tuple[int, int]] = (), only: frozenset[str] | None = None,
               opaque: list[tuple[int, int]] | None = None, sentences=(), detector=None,
               thresholds: dict[str, float] | None = None) -> dict[str, list[Hit]]:
    """What `find_signals` means: each signal's whole regex over the whole text, then the same
    detector and the same policy."""
    found = Found()
    for name, matcher in matchers.items():
        if only is not None and name not in only:
            continue
        hits = matcher.plain_hits(text)
        if hits:
            found[name] = hits
    if detector is not None and sentences and thresholds:
        wanted = {s: t for s, t in thresholds.items() if only is None or s in only}
        if wanted:
            _detected(found, text, sentences, detector, wanted)
    return _policy(found, text, matchers, definitions, skip_spans, opaque)


def _policy(found: dict[str, list[Hit]], text: str, matchers: dict[str, Matcher], definitions: dict[str, dict],
            skip_spans, opaque) -> dict[str, list[Hit]]:
    """Which raw hits count: none inside a URL or @handle (unless the signal may match there),
    none on a span the caller skips (a template marker), none where a suppressing signal hit."""
    if opaque is None:
        opaque = opaque_spans(text)
    for name, hits in list(found.items()):
        if opaque and not matchers[name].match_opaque:
            hits = [h for h in hits if not _inside(h, opaque)]
        if hits and skip_spans:
            hits = [h for h in hits if not _overlaps(h, skip_spans)]
        if hits:
            found[name] = hits
        else:
            del found[name]
    for name, hits in list(found.items()):
        suppressors = [h for other in definitions.get(name, {}).get("suppressed_by", ()) for h in found.get(other, ())]
        if suppressors:
            kept = [h for h in hits if not any(h.start < s.end and s.start < h.end for s in suppressors)]
            if kept:
                found[name] = kept
            else:
                del found[name]
    return found


def _inside(hit: Hit, spans) -> bool:
    return any(s <= hit.start and hit.end <= e for s, e in spans)


def _overlaps(hit: Hit, spans) -> bool:
    return any(hit.start < e and s < hit.end for s, e in spans)
