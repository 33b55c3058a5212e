"""Cheap regexes that stand in front of a lexicon entry: they can only accept more than it.

Two kinds, both worked out once per entry from its parsed regex:

- a *gate* for an entry that must be scanned for anywhere (it cannot be tied to a word):
  its literal with the classes the entry puts around it, found by `re`'s fast literal scan;
- a *screen* for an entry that starts at known words: its folded form, tried on the folded
  text without IGNORECASE, so a word that starts dozens of entries is tried with one regex.
"""

from __future__ import annotations

import re

from replycoach.matching.fold import fold
from replycoach.matching.reparse import CATEGORY_SOURCE as _CATEGORY_SOURCE
from replycoach.matching.reparse import REPEATS as _REPEATS
from replycoach.matching.reparse import C as _c
from replycoach.matching.reparse import P as _p


def entry_gate(source: str) -> str | None:
    """A regex every text that `source` matches in also matches, and that `re` finds fast; or None.

    For the scanned entries whose need is in nearly every reply: an e-mail address needs an
    "@", and every tweet has one, in a handle. `re` tries such a pattern at every position
    (its first element is a look-behind or a class of nearly every character), ~18 us a
    reply; but the "@" of an address has a word character before it, and a handle's has not.
    The gate is a literal the entry must match, with the character classes the entry puts
    right before and after it: `@(?<=[\\w.+-]@)[\\w-]`. It starts with the literal, so `re`
    skips from one to the next (~1 us), and it can only accept more than the entry: the
    classes are the entry's own, read off its parsed regex, compiled with the same flags
    and without any case-sensitive group's narrowing. None when the entry starts with its
    literal itself (nothing to gain) or no literal has a class beside it.
    """
    if _p is None:
        return None
    try:
        parsed = _p.parse(source, re.I | re.M)
        if parsed.state.flags & (re.ASCII | re.LOCALE):  # narrower \W, \S, \D than the gate's: no gate
            return None
        items = list(parsed.data)
        while len(items) == 1 and items[0][0] is _c.SUBPATTERN:
            if items[0][1][1] & (re.ASCII | re.LOCALE):  # (?a:...) scoped the same way
                return None
            items = list(items[0][1][-1].data)
        steps = [(op, av) for op, av in items if op not in (_c.AT, _c.ASSERT, _c.ASSERT_NOT)]  # zero-width
        best = None
        k = 0
        while k < len(steps):
            if steps[k][0] is not _c.LITERAL:
                k += 1
                continue
            end = k
            while end < len(steps) and steps[end][0] is _c.LITERAL:
                end += 1
            literal = re.escape("".join(chr(av) for _, av in steps[k:end]))
            before = _class_source(steps[k - 1], last=True) if k > 0 else None
            after = _class_source(steps[end], last=False) if end < len(steps) else None
            if k > 0 and (before or after):
                gate = literal + (f"(?<={before}{literal})" if before else "") + (after or "")
                rank = (before is not None) + (after is not None)
                if best is None or rank > best[0]:
                    best = (rank, gate)
            k = end
        if best is None:
            return None
        re.compile(best[1], re.I | re.M)  # a look-behind of fixed width, by construction; make sure
        return best[1]
    except (re.error, RecursionError, TypeError, ValueError, AttributeError, OverflowError, IndexError):
        return None




def _class_source(step, last: bool) -> str | None:
    """The class one character of `step` is drawn from, as regex source; None if not one class.

    `step` is a single character (a literal or a class), or a repeat of one with at least
    one repetition: its `last` (or first) character is then from that class too.
    """
    op, av = step
    if op in _REPEATS:
        low, _, body = av
        body = list(body.data)
        if low < 1 or len(body) != 1:
            return None
        op, av = body[0]
    if op is _c.LITERAL:
        return re.escape(chr(av))
    if op is not _c.IN:
        return None
    negate, parts = "", []
    for o, a in av:
        if o is _c.NEGATE:
            negate = "^"
        elif o is _c.LITERAL:
            parts.append(_escape_in_class(chr(a)))
        elif o is _c.RANGE:
            parts.append(f"{_escape_in_class(chr(a[0]))}-{_escape_in_class(chr(a[1]))}")
        elif o is _c.CATEGORY and a in _CATEGORY_SOURCE:
            parts.append(_CATEGORY_SOURCE[a])
        else:
            return None
    return f"[{negate}{''.join(parts)}]" if parts else None


def _escape_in_class(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


def entry_screen(source: str) -> str | None:
    """A regex for folded text (`fold`, matched without IGNORECASE) that matches at every
    position where `source` matches (with IGNORECASE) in the original text; None for an
    entry that is case-sensitive as a whole.

    The matcher screens a word by trying every entry that can start there in one regex.
    With IGNORECASE, `re` compares every letter through its case tables and cannot skip an
    alternative by its first letter, so a word that starts dozens of entries ("we") cost
    ~10 us a try. On the folded text the same letters are plain literals: `re` skips an
    alternative on its first one, and alternatives that begin alike share their beginning.

    Literals and classes are folded (as IGNORECASE equates characters, `fold` makes them one);
    look-arounds and anchors are left out; a construct that can't be written this way (a
    back-reference, `.`, a negated class of letters) ends the screen there, and what comes
    before it is still a true prefix of every match. So the screen can only accept more
    than the entry. A whole entry under `(?-i:...)` looks for capitals, which folding
    loses: it keeps its own regex on the original text (None).
    """
    if _p is None:
        return ""
    try:
        items = list(_p.parse(source, re.I | re.M).data)
        while len(items) == 1 and items[0][0] is _c.SUBPATTERN:
            if items[0][1][2] & re.I:  # (?-i:...) around the whole entry
                return None
            items = list(items[0][1][-1].data)
        return _screen_sequence(items)[0]
    except (re.error, RecursionError, TypeError, ValueError, AttributeError, OverflowError):
        return ""  # a screen that accepts everything: the entry itself decides


class _Stop(Exception):
    """A construct the folded screen cannot carry: the screen ends before it."""


def _screen_sequence(items: list) -> tuple[str, bool]:
    """(source, complete): the folded form of a sequence, or of its longest prefix that has one."""
    out: list[str] = []
    for op, av in items:
        if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width: leaving it out only accepts more
        try:
            if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN):
                out.append(_screen_char(op, av))
                continue
            if op is _c.SUBPATTERN:
                inner, complete = _screen_sequence(list(av[-1].data))
                out.append(f"(?:{inner})")
            elif op is _c.BRANCH:
                alternatives = [_screen_sequence(list(alternative.data)) for alternative in av[1]]
                out.append("(?:" + "|".join(source for source, _ in alternatives) + ")")
                complete = all(done for _, done in alternatives)
            elif op in _REPEATS:
                low, high, body = av
                inner, complete = _screen_sequence(list(body.data))
                if not complete:  # the first repetition's prefix is all that is certain
                    if low:
                        out.append(f"(?:{inner})")
                    return "".join(out), False
                out.append(f"(?:{inner}){{{low},{'' if high == _c.MAXREPEAT else high}}}")  # lazy or not: same places
            else:
                raise _Stop
        except _Stop:
            return "".join(out), False
        if not complete:
            return "".join(out), False
    return "".join(out), True


# the categories a folded character keeps: a digit, a space, a non-space or a word character
# folds to one of the same kind (\W and \D are left out: the screen carries no negation of letters)
_SCREEN_CATEGORIES = {} if _c is None else {
    category: _CATEGORY_SOURCE[category]
    for category in (_c.CATEGORY_DIGIT, _c.CATEGORY_SPACE, _c.CATEGORY_NOT_SPACE, _c.CATEGORY_WORD)
}
MAX_SCREEN_RANGE = 256  # characters a class range may span to be folded one by one


def _screen_char(op, av) -> str:
    """One character's folded class. A negated one only of ASCII punctuation, digits and space,
    which no other character folds to."""
    if op is _c.LITERAL:
        return re.escape(fold(chr(av)))
    if op is _c.NOT_LITERAL:
        return "[^" + _plain_excluded(chr(av)) + "]"
    negated = any(o is _c.NEGATE for o, _ in av)
    parts: list[str] = []
    for o, a in av:
        if o is _c.NEGATE:
            continue
        if o is _c.LITERAL:
            parts.append(_plain_excluded(chr(a)) if negated else _escape_in_class(fold(chr(a))))
        elif negated:
            raise _Stop
        elif o is _c.RANGE and a[1] - a[0] <= MAX_SCREEN_RANGE:
            parts += sorted({_escape_in_class(fold(chr(code))) for code in range(a[0], a[1] + 1)})
        elif o is _c.CATEGORY and a in _SCREEN_CATEGORIES:
            parts.append(_SCREEN_CATEGORIES[a])
        else:
            raise _Stop
    if not parts:
        raise _Stop
    return "[" + ("^" if negated else "") + "".join(parts) + "]"


def _plain_excluded(ch: str) -> str:
    if not (ch.isascii() and not ch.isalpha()):
        raise _Stop
    return _escape_in_class(ch)
