"""The one place that reads Python's regex parser and compiler tables.

The matching layer works out facts about each lexicon entry from its parsed regex (which
words it can start with, what every match contains, a cheaper regex that accepts more):
`re._parser`, `re._constants` and `re._compiler._EXTRA_CASES` are private, but their shape
has been the same from 3.11 to 3.13. Every use goes through here, and every consumer has a
fallback for a Python without them (`P is None`): it then scans every entry plainly.
"""

from __future__ import annotations

try:  # the parser behind re.compile; its shape is stable across 3.11+, but guard all the same
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover - a Python without them just scans every entry
    P = C = None

try:
    from re._compiler import _EXTRA_CASES as EXTRA_CASES
except ImportError:  # pragma: no cover
    EXTRA_CASES = {}

REPEATS = () if C is None else tuple(
    getattr(C, name) for name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") if hasattr(C, name)
)
NON_WORD_CATEGORIES = set() if C is None else {
    C.CATEGORY_SPACE, C.CATEGORY_UNI_SPACE, C.CATEGORY_NOT_WORD, C.CATEGORY_UNI_NOT_WORD,
    C.CATEGORY_LINEBREAK, C.CATEGORY_UNI_LINEBREAK,
}
DIGIT_CATEGORIES = set() if C is None else {C.CATEGORY_DIGIT, C.CATEGORY_UNI_DIGIT}
# a category as regex source
CATEGORY_SOURCE = {} if C is None else {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D", C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S",
    C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}
