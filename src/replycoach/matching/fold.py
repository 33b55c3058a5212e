"""Case folding as `re.IGNORECASE` sees it, so plain comparisons can stand in for it.

The word index and the screens compare folded text without IGNORECASE, which `re` runs
several times faster; that is exact only if folding equates precisely what IGNORECASE does.
"""

from __future__ import annotations

import re

from replycoach.core import regexcache
from replycoach.matching.reparse import EXTRA_CASES

_WORD = regexcache.compile(r"\w")


def _fold_table() -> dict[int, int]:
    """Characters that IGNORECASE treats as equal beyond lower() (ſ and s, ı and i, ς and σ ...)."""
    table = {}
    for lo, others in EXTRA_CASES.items():
        group = (lo, *others)
        # one of the group stands for all, a word character where there is one: U+0345 (not
        # one) standing for ι made "Ι" fold to a non-word and fail `\w` on the folded text
        words = [code for code in group if _WORD.match(chr(code))]
        for code in group:
            table[code] = min(words or group)
    return table


FOLD = _fold_table()
# characters IGNORECASE equates with a word character while not being one themselves (only
# U+0345 today): a text with one is matched the slow, plain way
_ODD_CHARS = "".join(sorted(chr(c) for c in FOLD if not _WORD.match(chr(c))))
ODD = regexcache.compile(f"[{re.escape(_ODD_CHARS)}]") if _ODD_CHARS else None


def fold(text: str) -> str:
    """`text` lower-cased so that characters IGNORECASE equates become one character.

    Same length as `text` (U+0130, whose lower() is two characters, folds to "i").
    """
    low = text.lower()
    if low.isascii():  # FOLD maps no ASCII character to another (i and s only to themselves)
        return low
    if len(low) != len(text):
        low = "".join(c.lower() if len(c.lower()) == 1 else "i" for c in text)
    return low.translate(FOLD) if FOLD else low
