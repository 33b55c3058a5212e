"""Where a reply's URLs and @handles are: text that is an address, not words.

Most signals must not match inside a link ("sorry" in a URL slug is no apology) or a handle,
and the capitals rule must not shout at "@NASA". The spans are worked out once per reply.
"""

from __future__ import annotations

import re

from replycoach.core import regexcache

OPAQUE = regexcache.compile(
    r"https?://\S+|www\.\S+|@(?<![\w.]@)\w+|\b[\w.-]+\.(?:com|net|org|io|pl|bg|eu|co|uk)/\S*", re.I)


# OPAQUE in two parts that `re` can skip through (~4 instead of ~20 us a tweet; `opaque_spans`
# merges them as OPAQUE's alternation would): the first three alternatives, spelled without
# re.I (the letters with every character IGNORECASE equates them with, ſ for s) so they share
# a leading class, and the bare-domain one, only ever run from just before a ".com/"-like mark.
_OPAQUE_HEAD = regexcache.compile(r"[Hh][Tt][Tt][Pp][Ssſ]?://\S+|[Ww][Ww][Ww]\.\S+|@(?<![\w.]@)\w+")
_TLD = r"\.(?:com|net|org|io|pl|bg|eu|co|uk)/"
_DOMAIN = regexcache.compile(r"\b[\w.-]+" + _TLD + r"\S*", re.I)
_DOMAIN_MARK = regexcache.compile(_TLD, re.I)


def opaque_spans(text: str) -> list[tuple[int, int]]:
    """Where the URLs and @handles are: the spans of `OPAQUE.finditer` (each needs a "/", an
    "@" or "www", so most replies skip the scan)."""
    if not ("/" in text or "@" in text or "www" in text):
        return []
    spans = []
    head = _OPAQUE_HEAD.search(text)
    domain = _domain_from(text, 0)
    while head is not None or domain is not None:
        # the leftmost match wins, the head's on a tie: its alternatives come first in OPAQUE
        m = head if domain is None or (head is not None and head.start() <= domain.start()) else domain
        pos = m.end()
        spans.append((m.start(), pos))
        if head is not None and head.start() < pos:
            head = _OPAQUE_HEAD.search(text, pos)
        if domain is not None and domain.start() < pos:
            domain = _domain_from(text, pos)
    return spans


def _domain_from(text: str, pos: int) -> re.Match | None:
    """`_DOMAIN.search(text, pos)`, scanning only from where such a match can begin.

    A bare-domain match is a run of word characters, dots and hyphens, then its mark: it
    begins after the last space or "/" before the first mark past `pos` (a later mark's run
    begins after this mark's "/"). In a tweet the mark is nearly always inside a link
    (t.co/...), so the scan starts right there instead of at every word of the tweet.
    """
    mark = _DOMAIN_MARK.search(text, pos + 1)
    if mark is None:
        return None
    at = mark.start()
    return _DOMAIN.search(text, max(pos, text.rfind(" ", pos, at) + 1, text.rfind("/", pos, at) + 1))
